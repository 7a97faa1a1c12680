"""Open a contact file of any kind this package reads: the one entry point the store uses."""
from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from dataclasses import dataclass, field

from models.contacts import decode as dec
from models.contacts.entry import Contact
from models.contacts.fields import TARGETS
from models.contacts.table import Table, default_mapping, read_table
from models.contacts.vcard import Card, contact_of, looks_like_vcard, read_cards


@dataclass(slots=True)
class ContactFile:
    """A contact file, read: its kind, character set, columns and guessed mapping, and its contacts."""

    path: str
    kind: str  # "csv" or "vcard"
    encoding: str
    encoding_guessed: bool
    columns: tuple[str, ...] = ()
    guessed_mapping: dict[str, str] = field(default_factory=dict)
    mapping: dict[str, str] = field(default_factory=dict)
    delimiter: str = ""
    table: Table | None = None
    cards: list[Card] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.table.rows) if self.table is not None else len(self.cards)

    def contacts(self) -> Iterator[Contact]:
        if self.table is not None:
            yield from self.table.contacts(self.mapping)
        else:
            for card in self.cards:
                yield contact_of(card)

    def sample(self, limit: int) -> list[tuple[str, ...]]:
        """The first rows' cells as they are in the file (CSV only)."""
        if self.table is None:
            return []
        return [tuple(cells) for _, cells in self.table.rows[:limit]]


def open_contacts(path: str | os.PathLike[str], *, mapping: dict[str, str] | None = None,
                  encoding: str | None = None) -> ContactFile:
    """Read a CSV or vCard file; FileProblem with a sentence when it cannot be imported at all."""
    data = dec.read_bytes(path)
    dec.check_kind(data)
    name = os.fspath(path)
    if looks_like_vcard(data) or name.lower().endswith((".vcf", ".vcard")):
        if not looks_like_vcard(data):
            dec.decode(data, encoding)  # binary junk is said as such
            raise dec.FileProblem("The file is named like a vCard but holds no contact cards (no BEGIN:VCARD).")
        found = read_cards(data)
        enc, guessed = dec.sniff_encoding(data[:65536])
        return ContactFile(name, "vcard", encoding or enc, guessed, cards=found)
    decoded = dec.decode(data, encoding)
    table = read_table(decoded.text)
    guessed_mapping = default_mapping(table.columns)
    chosen = dict(guessed_mapping)
    if mapping:
        unknown = [t for t in mapping.values() if t not in TARGETS]
        if unknown:
            raise dec.FileProblem(f"Rapport has no field called {unknown[0]!r} to put a column into.")
        chosen.update({k: v for k, v in mapping.items() if k in chosen})
    return ContactFile(name, "csv", decoded.encoding, decoded.guessed, table.columns, guessed_mapping, chosen,
                       table.delimiter, table)


PROBLEM_COLUMN = "Rapport: problem"


def write_problem_rows(source: ContactFile, problems: dict[int, str], out_path: str | os.PathLike[str]) -> int:
    """Save the rows with problems to a CSV (UTF-8 with BOM, which Excel opens right) the person can fix and import.

    A CSV source keeps its own columns; a vCard source is written as Rapport's client columns.
    """
    count = 0
    with open(out_path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        if source.table is not None:
            writer.writerow([*source.columns, PROBLEM_COLUMN])
            for number, cells in source.table.rows:
                if number in problems:
                    writer.writerow([*cells, *[""] * (len(source.columns) - len(cells)), problems[number]])
                    count += 1
        else:
            writer.writerow(["Name", "Organisation", "Phone", "Email", "Address", "More contact details", "Notes",
                             PROBLEM_COLUMN])
            for contact in source.contacts():
                if contact.row in problems:
                    writer.writerow([contact.name, contact.organisation, contact.phone, contact.email, contact.address,
                                     contact.more_details, contact.note, problems[contact.row]])
                    count += 1
    return count
