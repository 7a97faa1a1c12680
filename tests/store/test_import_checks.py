"""import_office checks every value exactly as the store's functions do, takes a UTF-8 BOM, and refuses a
hostile file (2**63 ids, 100,000 nested brackets, a 200-million-character note) with a sentence and
nothing written (issue 12)."""
from __future__ import annotations

import json
import re
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from models import store
from models.errors import ValidationError
from tests.store.conftest import database_rows
from tests.store.test_backup_export import fill_office

AS_EXPORTED = "Load the file just as Rapport exported it, without changes."


@pytest.fixture
def exported(tmp_path: Path) -> dict[str, Any]:
    """A good export of a small office (every kind of record), and an empty office open to load into."""
    store.open(tmp_path / "source.db")
    try:
        fill_office()
        store.export_office(tmp_path / "office.json")
    finally:
        store.set_clock(None)
        store.close()
    store.open(tmp_path / "empty.db")
    yield json.loads((tmp_path / "office.json").read_text(encoding="utf-8"))
    store.close()


def refused(path: Path, pattern: str) -> str:
    """Loading `path` is refused with a sentence naming the file, and the office stays exactly empty."""
    before = database_rows()
    with pytest.raises(ValidationError) as err:
        store.import_office(path)
    assert err.value.field == "path"
    message = err.value.message
    assert message.startswith(path.name) and "nothing was loaded" in message, message
    assert re.search(pattern, message), message
    assert database_rows() == before
    return message


def changed(document: dict[str, Any], table: str, column: str, value: Any, row: int = 0) -> dict[str, Any]:
    rows = [dict(r) for r in document["tables"][table]]
    rows[row][column] = value
    return {**document, "tables": {**document["tables"], table: rows}}


def write(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=True), encoding="utf-8")
    return path


CASES: list[tuple[str, str, Any, str]] = [
    ("interaction", "rating", 3, r"interaction record \(number \d+\) whose rating is not from -2 to \+2"),
    ("interaction", "rating", -3, r"whose rating is not from -2 to \+2"),
    ("interaction", "channel", "fax", r"whose channel is not one Rapport knows"),
    ("interaction", "summary", "", r"whose summary is empty"),
    ("interaction", "summary", "x" * 501, r"whose summary is longer than 500 characters"),
    ("interaction", "summary", "Called \x1b[31mback", r"whose summary holds invisible control characters"),
    ("interaction", "details", "caf\udce9", r"whose details holds broken characters"),
    ("interaction", "at", "1800-01-01T00:00:00+00:00", r"whose date and time is not a believable date"),
    ("interaction", "at", "2026-01-01T00:00:00", r"whose date and time is not a date and time with a time zone"),
    ("interaction", "at", "0001-01-01T00:00:00+14:00", r"not a (believable date|date and time with a time zone)"),
    ("staff", "role", "boss", r"staff record \(number \d+\) whose role is not one Rapport knows"),
    ("staff", "initials", "ABCDE", r"whose initials are longer than 4 characters"),
    ("staff", "name", "   ", r"whose name is empty"),
    ("client", "name", "n" * 501, r"client record \(number \d+\) whose name is longer than 500 characters"),
    ("client", "preferred_channel", "telegram", r"whose preferred channel is not one Rapport knows"),
    ("client", "email", "not an address", r"whose email address does not look right"),
    ("client", "phone", "call me maybe", r"whose phone number does not look right"),
    ("client", "caution", "c" * 100_001, r"whose caution note is longer than 100,000 characters"),
    ("client", "version", -1, r"whose version number is not from"),
    ("client", "id", 2**63, r"whose record number is far too large a number"),
    ("note", "text", "n" * 100_001, r"note record \(number \d+\) whose text is longer than 100,000 characters"),
    ("note", "text", "\x00", r"whose text holds invisible control characters"),
    ("promise", "status", "forgotten", r"whose status is not one Rapport knows"),
    ("promise", "due", "9999-12-31T23:59:59-14:00", r"not a (believable date|date and time with a time zone)"),
    ("promise", "owner_id", -(2**63) - 1, r"whose owner is far too large a number"),
    ("change", "entity_id", 10**30, r"whose record it changed is far too large a number"),
]


@pytest.mark.parametrize(("table", "column", "value", "pattern"), CASES,
                         ids=[f"{c[0]}.{c[1]}={str(c[2])[:12]!r}" for c in CASES])
def test_a_value_the_store_would_refuse_is_refused_in_a_file(exported: dict[str, Any], tmp_path: Path, table: str,
                                                             column: str, value: Any, pattern: str) -> None:
    path = write(tmp_path / "changed.json", changed(exported, table, column, value))
    assert refused(path, pattern).endswith(AS_EXPORTED)


def test_the_unchanged_file_loads_and_so_does_one_with_a_utf8_bom(exported: dict[str, Any], tmp_path: Path) -> None:
    good = write(tmp_path / "good.json", exported)
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + good.read_bytes())
    assert store.import_office(bom) > 0
    assert store.list_clients()


# --- hostile files, made in the test and streamed -------------------------------------------------

def _streamed(path: Path, document: dict[str, Any], hole: str, fill: Callable[[Any], None]) -> Path:
    """Write `document` with the JSON text of `hole` replaced by whatever `fill(file)` writes, piece by piece."""
    text = json.dumps(document, ensure_ascii=True)
    before, after = text.split(json.dumps(hole), 1)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(before)
        fill(fh)
        fh.write(after)
    return path


def test_a_200_million_character_note_is_refused_without_reading_it_whole(exported: dict[str, Any],
                                                                          tmp_path: Path) -> None:
    hole = "@@HOLE@@"
    document = changed(exported, "note", "text", hole)
    chunk = "x" * (1 << 20)

    def fill(fh: Any) -> None:
        fh.write('"')
        for _ in range(200_000_000 // len(chunk)):
            fh.write(chunk)
        fh.write(chunk[: 200_000_000 % len(chunk)] + '"')

    path = _streamed(tmp_path / "huge-note.json", document, hole, fill)
    assert path.stat().st_size > 200_000_000
    tracemalloc.start()
    started = time.perf_counter()
    try:
        message = refused(path, r"holds a record of more than [\d,]+ characters, far more than Rapport ever writes")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        path.unlink()
    took = time.perf_counter() - started
    print(f"\n200-million-character note: refused in {took:.2f} s, peak Python memory {peak / 2**20:.1f} MB: "
          f"{message}")
    assert peak < 100 * 2**20  # it stopped reading at the limit: never 200 MB, let alone twice


@pytest.mark.parametrize("where", ["row", "header"])
def test_a_hundred_thousand_nested_brackets_are_refused(exported: dict[str, Any], tmp_path: Path, where: str) -> None:
    hole = "@@HOLE@@"
    document = changed(exported, "client", "name", hole) if where == "row" else {"comment": hole, **exported}

    def fill(fh: Any) -> None:
        fh.write("[" * 100_000)
        fh.write("]" * 100_000)

    path = _streamed(tmp_path / "nested.json", document, hole, fill)
    refused(path, r"nested far too deep|whose name is not text")


def test_numbers_no_database_holds_are_refused(exported: dict[str, Any], tmp_path: Path) -> None:
    hole = "@@HOLE@@"
    for name, digits in (("id-2-63.json", str(2**63)), ("id-5000-digits.json", "9" * 5000),
                         ("id-float.json", "1e400")):
        path = _streamed(tmp_path / name, changed(exported, "staff", "id", hole), hole,
                         lambda fh, d=digits: fh.write(d))
        refused(path, r"whose record number is (far too large a number|not a whole number)|damaged or incomplete")
