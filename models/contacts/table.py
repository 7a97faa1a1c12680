"""CSV files as Google Contacts, Outlook, Excel and Thunderbird write them, read with the standard library's csv.

The separator (comma, semicolon, tab) is told from the header line; quoted fields may hold line breaks. A row's
number is its row in a spreadsheet: the header is row 1.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from models.contacts.decode import FileProblem
from models.contacts.entry import Contact, Item, build
from models.contacts.fields import ADDRESS_PARTS, TARGETS, group_of, guess_mapping, is_notes_header

MAX_COLUMNS = 2000
FIELD_LIMIT = 10 * 1024 * 1024  # csv's default (128 KB) would stop at a long note; the row check says "too long"
DELIMITERS = (",", ";", "\t", "|")


@dataclass(frozen=True, slots=True)
class Table:
    """A CSV file split into cells, with a header per column."""

    columns: tuple[str, ...]  # the headers, made unique ("Phone", "Phone (2)"; "Column 7" for an empty one)
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cells) for every non-blank row
    delimiter: str

    def contacts(self, mapping: dict[str, str]) -> Iterator[Contact]:
        plan = _Plan(self.columns, mapping)
        for number, cells in self.rows:
            yield plan.contact(number, cells)


def first_line(text: str) -> str:
    """The header line (a quoted header with a line break in it is rare enough to ignore here)."""
    return text.split("\n", 1)[0]


def sniff_delimiter(text: str) -> str:
    header = first_line(text)
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_table(text: str, delimiter: str | None = None) -> Table:
    """Split a CSV text into a Table; FileProblem with a sentence when it has no contacts or is not a CSV."""
    if not text.strip():
        raise FileProblem("The file is empty: there are no contacts in it.")
    delimiter = delimiter or sniff_delimiter(text)
    csv.field_size_limit(FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        header = next(reader)
        rows = [(index, cells) for index, cells in enumerate(reader, start=2)
                if any(c.strip() for c in cells)]
    except csv.Error as exc:
        raise FileProblem(f"Rapport cannot read this file as a CSV ({exc}). Save it again as CSV from the program "
                          "it came from, and import that.") from None
    if len(header) > MAX_COLUMNS:
        raise FileProblem(f"The file has {len(header):,} columns; Rapport reads contact files of up to "
                          f"{MAX_COLUMNS:,}. Remove the columns you do not need and import it again.")
    if len(header) < 2 and not rows:
        raise FileProblem("This does not look like a contact list: it has only one line and one column.")
    if not any(h.strip() for h in header):
        raise FileProblem("The first line of the file is empty; it should name the columns (Name, Phone, Email ...).")
    if not rows:
        raise FileProblem("The file names its columns but holds no contacts below them.")
    return Table(unique_columns(header), rows, delimiter)


def unique_columns(header: list[str]) -> tuple[str, ...]:
    out: list[str] = []
    seen: dict[str, int] = {}
    for index, name in enumerate(header, start=1):
        name = " ".join(name.split()) or f"Column {index}"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return tuple(out)


def default_mapping(columns: tuple[str, ...]) -> dict[str, str]:
    return guess_mapping(list(columns))


class _Plan:
    """How the cells of a row become Items: the target, label and address group of each column."""

    def __init__(self, columns: tuple[str, ...], mapping: dict[str, str]) -> None:
        self.columns = columns
        self.targets = [mapping.get(c, "note") if mapping.get(c, "note") in TARGETS else "note" for c in columns]
        self.groups = [group_of(c) for c in columns]
        self.label_of: dict[str, int] = {}
        for index, target in enumerate(self.targets):
            if target == "label":
                self.label_of.setdefault(self.groups[index], index)

    def contact(self, number: int, cells: list[str]) -> Contact:
        items: list[Item] = []
        addresses: dict[str, dict[str, list[str]]] = {}
        for index, value in enumerate(cells):
            if not value.strip():
                continue
            if index >= len(self.columns):
                items.append(Item("note", value, f"Column {index + 1}"))
                continue
            target = self.targets[index]
            if target in ("skip", "label"):
                continue
            group = self.groups[index]
            label_index = self.label_of.get(group)
            label = cells[label_index].strip() if label_index is not None and label_index < len(cells) else ""
            if target in ADDRESS_PARTS or target == "address":
                parts = addresses.setdefault(group, {})
                parts.setdefault(target, []).append(value.strip())
                parts.setdefault("_label", [label or group])
                continue
            pref = label.startswith("*")
            if target in ("phone", "email", "url"):
                label = label or self.columns[index]
            elif target in ("more", "note"):
                label = "" if is_notes_header(self.columns[index]) else self.columns[index]
            items.append(Item(target, value, label, pref))
        for group, parts in addresses.items():
            label = parts.pop("_label")[0]
            items.append(Item("address", _address(parts), label, label.startswith("*")))
        return build(number, items, source=tuple(cells))


def _address(parts: dict[str, list[str]]) -> str:
    if parts.get("address"):
        return parts["address"][0].replace("\r\n", "\n").replace("\r", "\n")
    lines = list(parts.get("street", []))
    town = " ".join(p for p in (parts.get("postcode", [""])[0], parts.get("city", [""])[0]) if p)
    lines += [p for p in (town, parts.get("region", [""])[0], parts.get("country", [""])[0]) if p]
    return "\n".join(lines)


__all__ = ["Table", "default_mapping", "read_table"]
