"""Portable JSON exports (a whole office, or one client for a privacy request) and loading an export into an
empty office, every value checked as the store checks it.

Everything here streams: rows are read in keyset pages and written (or inserted) as they come, so a
million-row office never becomes one giant string or one giant list.
"""
from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

import peewee as pw

from models import APP_VERSION, migrations, search_index
from models import db as dbmod
from models import tables as t
from models.errors import DatabaseError, ValidationError
from models.rules.text import LONG_LIMIT, SHORT_LIMIT, check_email, check_phone, check_text
from models.rules.vocab import CHANNELS, RATINGS, ROLES
from models.store import _base as b
from models.store.backup import ALL_KINDS
from models.store.bulk import (
    BATCH,
    EXPORT_TABLES,
    LABELS,
    SCHEMA_ROW,
    Table,
    filter_for,
    fix_sequences,
    insert_rows,
    pages,
    require_empty,
    snapshot,
)
from models.store.duplicates import rebuild_keys
from models.store.settings import check_settings, setting_names

FORMAT = "rapport-export"
FORMAT_VERSION = 1
# What to do about a file that is not as Rapport wrote it (the header already refused a newer version's file).
AS_EXPORTED = "Load the file just as Rapport exported it, without changes."

log = logging.getLogger(__name__)


_IMPORTABLE = {spec.name: spec for spec in EXPORT_TABLES}
_CLIENT_TABLES = ("client", "interaction", "note", "promise", "promise_event", "change")


# --- export -------------------------------------------------------------------------------------

def export_office(path: str | os.PathLike[str]) -> int:
    """Write everything (staff without PIN hashes, clients incl. deleted, the timeline, promises, the change log)
    to a portable JSON file; returns the number of records written."""
    target = b.check_path(path, "path", "The export file")

    def work() -> int:
        with snapshot(whole=True) as db:
            tables = [(spec.name, _rows(db, spec, *filter_for(db, spec))) for spec in EXPORT_TABLES]
            return _write_document(target, _header("office"), tables)
    return dbmod.with_retry(work)


def export_client(client_id: int, path: str | os.PathLike[str]) -> int:
    """Write one client (even a deleted one) with their timeline, promises, change-log rows and the staff those
    mention, for a privacy request; returns the number of records written."""
    cid = b.as_id(client_id, "client")
    target = b.check_path(path, "path", "The export file")

    def work() -> int:
        with snapshot(whole=False) as db:
            if not db.execute_sql(f'SELECT 1 FROM "client" WHERE "id" = {db.param}', (cid,)).fetchall():
                raise ValidationError("client", "That client does not exist.")
            staff = sorted(_mentioned_staff(db, cid))
            marks = ", ".join([db.param] * len(staff)) or "NULL"
            tables = [("staff", _rows(db, _IMPORTABLE["staff"], f'"id" IN ({marks})', tuple(staff)))]
            for name in _CLIENT_TABLES:
                spec = _IMPORTABLE[name]
                tables.append((name, _rows(db, spec, *_client_filter(spec, cid, db.param))))
            return _write_document(target, _header("client", client=cid), tables)
    return dbmod.with_retry(work)


def _client_filter(spec: Table, cid: int, mark: str) -> tuple[str, tuple[Any, ...]]:
    column = {"client": "id", "change": "client"}.get(spec.name, "client_id")
    return f'"{column}" = {mark}', (cid,)


def _mentioned_staff(db: pw.Database, cid: int) -> set[int]:
    """Every staff id the client's records refer to (who handled, wrote, owned, kept, changed ...)."""
    found: set[int] = set()
    for name in _CLIENT_TABLES:
        spec = _IMPORTABLE[name]
        columns = [f.column_name for f in spec.fields
                   if isinstance(f, pw.ForeignKeyField) and f.rel_model is t.Staff]
        if spec.model is t.Change:
            columns.append("staff")
        where, params = _client_filter(spec, cid, db.param)
        for column in columns:
            rows = db.execute_sql(f'SELECT DISTINCT "{column}" FROM "{name}" WHERE {where}', params).fetchall()
            found.update(r[0] for r in rows if r[0] is not None)
    return found


def _header(scope: str, **extra: Any) -> dict[str, Any]:
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "schema_version": migrations.SCHEMA_VERSION,
            "exported_at": _iso(t.to_micros(datetime.now(UTC))), "app": f"Rapport {APP_VERSION}", "scope": scope,
            **extra}


def _rows(db: pw.Database, spec: Table, where: str = "", params: tuple[Any, ...] = ()) -> Iterator[dict[str, Any]]:
    """The table's rows as JSON-ready dicts: times as ISO-8601 UTC strings, flags as true/false."""
    columns, times, flags = spec.columns, spec.times, spec.flags
    for page in pages(db, spec, where, params):
        for row in page:
            values = list(row)
            for i in times:
                if values[i] is not None:
                    values[i] = _iso(values[i])
            for i in flags:
                if values[i] is not None:
                    values[i] = bool(values[i])
            yield dict(zip(columns, values, strict=True))


def _iso(micros: int) -> str:
    """Integer microseconds since the epoch as ISO-8601 UTC ("2026-11-23T09:00:00.000000Z").

    Arithmetic and a cached date, not datetime.isoformat(): that was a third of an office export's time.
    """
    days, rest = divmod(int(micros), _DAY_US)  # floor division: right for times before 1970 too
    seconds, fraction = divmod(rest, 1_000_000)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    return f"{_date(days)}T{hours:02d}:{minutes:02d}:{seconds:02d}.{fraction:06d}Z"


_DAY_US = 86_400_000_000


@lru_cache(maxsize=8192)
def _date(days: int) -> str:
    return (_EPOCH_DAY + timedelta(days=days)).isoformat()


_EPOCH_DAY = date(1970, 1, 1)


def _write_document(target: Path, header: dict[str, Any], tables: Iterable[tuple[str, Iterator[dict]]]) -> int:
    """Stream the document to a temporary file beside `target`, then put it in place: never half a file."""
    if target.is_dir():
        raise ValidationError("path", f"{target} is a folder. Choose a file name inside it, such as "
                              f"{target / 'rapport-export.json'}.")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=".rapport-export-", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise DatabaseError(f"Rapport cannot write in {target.parent} ({exc.strerror}). Choose another folder.") \
            from exc
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as fh:
            counts = _dump(fh, header, tables)
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise DatabaseError(f"Rapport could not write the export to {target} ({exc.strerror}).") from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return sum(counts.values())


def _dump(fh: IO[str], header: dict[str, Any], tables: Iterable[tuple[str, Iterator[dict]]]) -> dict[str, int]:
    """One JSON object: the header keys first (so a reader can check them before any row), then one row per line
    under "tables", then "counts" (so a reader can tell a cut-off file)."""
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    fh.write("{\n")
    for key, value in header.items():
        fh.write(f"{encode(key)}: {encode(value)},\n")
    fh.write('"tables": {')
    counts: dict[str, int] = {}
    for number, (name, rows) in enumerate(tables):
        fh.write(("," if number else "") + f"\n{encode(name)}: [")
        count = 0
        for row in rows:
            fh.write(("," if count else "") + "\n" + encode(row))
            count += 1
        fh.write("\n]")
        counts[name] = count
    fh.write(f"\n}},\n\"counts\": {encode(counts)}\n}}\n")
    return counts


# --- import -------------------------------------------------------------------------------------

class _Broken(Exception):
    """The file stopped being the JSON Rapport writes (internal: turned into a sentence)."""


class _TooLarge(Exception):
    """One value of the file is larger than anything Rapport writes (internal: turned into a sentence)."""


def import_office(path: str | os.PathLike[str], *, by: int | None = None) -> int:
    """Load a Rapport export into this EMPTY office, keeping every id and time, in one transaction.

    Returns the number of records loaded. `by`, when given, must be one of the loaded staff: the load is then
    recorded in the change log under their name. PIN hashes are never exported, so PINs must be set again.
    """
    source = b.check_path(path, "path", "The file to load")
    by = b.optional_id(by, "by")
    if not source.is_file():
        raise ValidationError("path", f"There is no file at {source}.")

    def work() -> int:
        with dbmod.write_transaction() as db:
            require_empty(db)
            if isinstance(db, pw.SqliteDatabase):
                db.execute_sql("PRAGMA defer_foreign_keys = ON")  # checked at COMMIT, whatever the order
            count = _load_file(db, source)
            rebuild_keys()  # possible duplicates are found by keys the export does not carry
            if isinstance(db, pw.SqliteDatabase):
                _check_references(db, source.name)  # deferred keys would fail only at COMMIT, in other words
            if by is not None:
                _log_import(by, source.name)
            fix_sequences(db)
            search_index.rebuild(db)  # bulk work: the search words of every loaded row
            return count
    return dbmod.with_retry(work)


def _load_file(db: pw.Database, source: Path) -> int:
    name = source.name
    header: dict[str, Any] = {}
    try:
        with open(source, encoding="utf-8-sig") as fh:  # a BOM, as some Windows editors write, is fine
            reader = _Reader(fh)
            return _load_document(db, reader, header, name)
    except _TooLarge as exc:
        raise ValidationError("path", f"{name} holds a record of more than {_Reader.MAX_VALUE:,} characters, far "
                              "more than Rapport ever writes, so nothing was loaded. "
                              f"{AS_EXPORTED}") from exc
    except RecursionError as exc:  # [[[[... nested deeper than any export: the decoder gives up
        raise ValidationError("path", f"{name} is not a Rapport export file (it is nested far too deep); "
                              "nothing was loaded.") from exc
    except (_Broken, UnicodeDecodeError, ValueError) as exc:  # ValueError: json's, and a 5,000-digit number
        if header.get("format") == FORMAT:
            raise ValidationError("path", f"{name} is damaged or incomplete (it ends early or was changed by hand); "
                                  "nothing was loaded.") from exc
        raise ValidationError("path", f"{name} is not a Rapport export file.") from exc
    except OSError as exc:
        raise ValidationError("path", f"Rapport could not read {name} ({exc.strerror}).") from exc


def _load_document(db: pw.Database, reader: _Reader, header: dict[str, Any], name: str) -> int:
    reader.expect("{")
    loaded: dict[str, int] | None = None
    declared: Any = None
    for key in reader.keys():
        if key == "tables":
            _check_header(header, name)
            loaded = _load_tables(db, reader, name)
        elif key == "counts":
            declared = reader.value()
        else:
            header[key] = reader.value()
    reader.end()
    if loaded is None:
        _check_header(header, name)
        raise _Broken("no tables")
    if declared != loaded:
        raise _Broken(f"counts {declared} != {loaded}")
    return sum(loaded.values())


def _check_header(header: dict[str, Any], name: str) -> None:
    version, schema = header.get("format_version"), header.get("schema_version")
    if header.get("format") != FORMAT or not isinstance(version, int) or not isinstance(schema, int):
        raise ValidationError("path", f"{name} is not a Rapport export file.")
    if version > FORMAT_VERSION or schema > migrations.SCHEMA_VERSION:
        raise ValidationError("path", f"{name} was exported by a newer version of Rapport. Please update Rapport "
                              "on this computer, then load the file again.")


def _load_tables(db: pw.Database, reader: _Reader, name: str) -> dict[str, int]:
    reader.expect("{")
    loaded: dict[str, int] = {}
    for table in reader.keys():
        spec = _IMPORTABLE.get(table)
        if spec is None:
            log.warning("%s holds an unknown table %r", name, table)
            raise ValidationError("path", f"{name} holds a kind of record Rapport does not know, so nothing was "
                                  f"loaded. {AS_EXPORTED}")
        if table in loaded:
            raise _Broken(f"{table} twice")
        loaded[table] = _load_rows(db, reader, spec, name)
    reader.end()
    return loaded


def _load_rows(db: pw.Database, reader: _Reader, spec: Table, name: str) -> int:
    reader.expect("[")
    convert = _importer(spec, name)
    batch: list[tuple[Any, ...]] = []
    count = 0
    for row in reader.items():
        if spec.model is t.Meta and isinstance(row, dict) and row.get("key") == SCHEMA_ROW:
            continue  # this database keeps its own schema version
        batch.append(convert(row))
        count += 1
        if len(batch) >= BATCH:
            _insert_batch(db, batch, spec, name)
            batch = []
    if batch:
        _insert_batch(db, batch, spec, name)
    return count


def _check_references(db: pw.Database, name: str) -> None:
    """Every loaded record's references point at loaded records (SQLite checks them only at COMMIT)."""
    broken = db.execute_sql("PRAGMA foreign_key_check").fetchone()
    if broken is not None:
        log.warning("%s: %s record %s refers to a missing %s", name, broken[0], broken[1], broken[2])
        raise ValidationError("path", f"{name} does not fit together ({LABELS.get(broken[0], 'some')} records "
                              f"refer to records that are not in the file), so nothing was loaded. {AS_EXPORTED}")


def _insert_batch(db: pw.Database, batch: list[tuple[Any, ...]], spec: Table, name: str) -> None:
    try:
        insert_rows(db, spec, batch)
    except pw.IntegrityError as exc:
        log.warning("%s: %s rows do not fit", name, spec.name, exc_info=exc)
        raise ValidationError("path", f"{name} does not fit together ({LABELS[spec.name]} records refer to records "
                              f"that are not in the file, or appear twice), so nothing was loaded. {AS_EXPORTED}") \
            from exc


def _importer(spec: Table, name: str) -> Callable[[Any], tuple[Any, ...]]:
    """A function from one JSON row to the database values in column order, refusing anything odd with a sentence.

    The checks are inlined by kind (one function call per row, not one per value): they were most of an
    import's time.
    """
    columns = spec.columns
    known = set(columns)
    plan = [(column, _kind(field), _default(field), field.null, getattr(field, "max_length", None), *_naming(column))
            for column, field in zip(columns, spec.fields, strict=True)]
    rules = _value_rules(spec.name)
    row_check = _ROW_CHECKS.get(spec.name)

    def refuse(row: dict, problem: str) -> ValidationError:
        log.warning("%s: %s row %r refused: %s", name, spec.name, row.get("id"), problem)
        number = f" (number {row['id']})" if isinstance(row.get("id"), int) else ""
        return ValidationError("path", f"{name} has {_a(spec.name)} record{number} {problem}, so nothing was "
                               f"loaded. {AS_EXPORTED}")

    def convert(row: Any) -> tuple[Any, ...]:
        if type(row) is not dict:
            raise _Broken(f"{spec.name} row is not an object")
        if len(row) > len(known) or not known.issuperset(row):
            log.warning("%s: %s rows with unknown fields %s", name, spec.name, sorted(row.keys() - known))
            raise ValidationError("path", f"{name} has {LABELS[spec.name]} records with details Rapport does not "
                                  f"know, so nothing was loaded. {AS_EXPORTED}")
        out = []
        for column, kind, default, nullable, limit, noun, noun_is in plan:
            value = row.get(column, _MISSING)
            if value is _MISSING:
                if default is _REQUIRED:
                    raise refuse(row, f"without its {noun}")
                value = default() if callable(default) else default
            elif value is None:
                if not nullable:
                    raise refuse(row, f"whose {noun_is} empty")
            elif kind == _INT:
                if type(value) is not int:
                    raise refuse(row, f"whose {noun_is} not a whole number")
                if not b.INT_MIN <= value <= b.INT_MAX:
                    raise refuse(row, f"whose {noun_is} far too large a number")
            elif kind == _TEXT:
                if type(value) is not str:
                    raise refuse(row, f"whose {noun_is} not text")
                if limit and len(value) > limit:
                    raise refuse(row, f"whose {noun_is} longer than {limit:,} characters")
            elif kind == _TIME:
                value = _time_value(value)
                if value is None:
                    raise refuse(row, f"whose {noun_is} not a date and time with a time zone")
            elif kind == _FLAG and type(value) is not bool:
                raise refuse(row, f"whose {noun_is} not yes or no")
            if value is not None and column in rules:
                problem = rules[column](value, noun, noun_is)
                if problem:
                    raise refuse(row, problem)
            out.append(value)
        if row_check is not None and (problem := row_check(dict(zip(columns, out, strict=True)))):
            raise refuse(row, problem)
        return tuple(out)
    return convert


def _setting_problem(values: dict[str, Any]) -> str | None:
    """An office setting is loaded only if update_office_settings would take its value."""
    key = values["key"]
    if key not in setting_names():
        return f"for a setting Rapport does not know ('{key}')" if len(key) <= 40 else \
            "for a setting Rapport does not know"
    try:
        check_settings({key: json.loads(values["value"])})
    except (ValueError, RecursionError, ValidationError):
        return f"whose value for the setting '{key}' is not one Rapport accepts"
    return None


# Checks that need a whole row (a setting's value is checked as its own setting).
_ROW_CHECKS: dict[str, Callable[[dict[str, Any]], str | None]] = {"setting": _setting_problem}


_MISSING = object()
_INT, _TEXT, _TIME, _FLAG, _ANY = range(5)
# The change log's before/after pictures and office settings are Rapport's own JSON, not typed text.
_RECORD_LIMIT = 10 * LONG_LIMIT
_Rule = Callable[[Any, str, str], str | None]


def _text_rule(*, limit: int, multiline: bool = False, required: bool = False,
               extra: Callable[[str], str | None] | None = None) -> _Rule:
    """The store's own check_text() (and email/phone checks), worded for a record in a file."""
    def check(value: str, noun: str, noun_is: str) -> str | None:
        text, problem = check_text(value, noun, multiline=multiline, limit=limit, required=required)
        if problem is None and extra is not None and extra(text):
            return f"whose {noun} does not look right"
        if problem is None:
            return None
        if len(value) > limit:
            return f"whose {noun_is} longer than {limit:,} characters"
        if required and not text:
            return f"whose {noun_is} empty"
        if "control characters" in problem:
            return f"whose {noun} holds invisible control characters"
        return f"whose {noun} holds broken characters"
    return check


def _choice_rule(choices: Iterable[Any], *, empty: bool = False) -> _Rule:
    allowed = frozenset(choices) | ({""} if empty else set())

    def check(value: Any, noun: str, noun_is: str) -> str | None:
        return None if value in allowed else f"whose {noun_is} not one Rapport knows"
    return check


def _range_rule(low: int, high: int) -> _Rule:
    def check(value: int, noun: str, noun_is: str) -> str | None:
        return None if low <= value <= high else f"whose {noun_is} not from {low:+} to {high:+}"
    return check


def _time_rule(value: int, noun: str, noun_is: str) -> str | None:
    """The store takes dates from 1900 to 2200 (b.check_time); so does a file."""
    return None if _EARLIEST_US <= value <= _LATEST_US else f"whose {noun_is} not a believable date"


_EARLIEST_US = t.to_micros(datetime(1900, 1, 1, tzinfo=UTC))
_LATEST_US = t.to_micros(datetime(2200, 12, 31, 23, 59, 59, tzinfo=UTC))
_SHORT = _text_rule(limit=SHORT_LIMIT)
_LONG = _text_rule(limit=LONG_LIMIT, multiline=True)
_NAME = _text_rule(limit=SHORT_LIMIT, required=True)
_RECORD = _text_rule(limit=_RECORD_LIMIT, multiline=True)
_PROMISE_STATES = ("open", "kept", "cancelled")
# Every value the store's own functions check, checked the same way here (issue 12): names and lengths,
# control characters, ratings, roles, channels, states. A file is never a way round the API.
_RULES: dict[str, dict[str, _Rule]] = {
    "meta": {"value": _RECORD},
    "setting": {"value": _RECORD},
    "erasure": {"key": _text_rule(limit=64, required=True)},
    "staff": {"name": _NAME, "initials": _text_rule(limit=4, required=True), "role": _choice_rule(ROLES),
              "away_reason": _SHORT, "version": _range_rule(0, b.INT_MAX)},
    "client": {"name": _NAME, "organisation": _SHORT, "phone": _text_rule(limit=SHORT_LIMIT, extra=check_phone),
               "email": _text_rule(limit=SHORT_LIMIT, extra=check_email), "address": _LONG, "caution": _LONG,
               "preferred_channel": _choice_rule(CHANNELS, empty=True), "search_text": _LONG,
               "version": _range_rule(0, b.INT_MAX)},
    "interaction": {"summary": _NAME, "details": _LONG, "channel": _choice_rule(CHANNELS),
                    "rating": _range_rule(min(RATINGS), max(RATINGS)), "encounter": _text_rule(limit=100)},
    "note": {"text": _text_rule(limit=LONG_LIMIT, multiline=True, required=True)},
    "promise": {"text": _NAME, "status": _choice_rule(_PROMISE_STATES), "cancel_reason": _SHORT,
                "version": _range_rule(0, b.INT_MAX)},
    "promise_event": {"action": _text_rule(limit=20, required=True), "reason": _SHORT},
    "change": {"entity": _SHORT, "action": _SHORT, "kinds": _SHORT, "origin": _SHORT, "before": _RECORD,
               "after": _RECORD},
}


def _value_rules(table: str) -> dict[str, _Rule]:
    """The checks of one table's columns: its own rules, and the believable-date check of every time."""
    spec = _IMPORTABLE[table]
    rules = {spec.columns[i]: _time_rule for i in spec.times}
    rules.update(_RULES.get(table, {}))
    return rules


_REQUIRED = object()
# What a person calls a column, where its name does not already say it (a column not here is named by its
# words: "preferred_channel" is "preferred channel", "client_id" is "client").
_FIELD_WORDS = {
    "id": "record number", "key": "setting name", "value": "setting value", "at": "date and time",
    "active": "on-the-team mark", "away_from": "start of time away", "away_until": "end of time away",
    "away_reason": "reason for time away", "created_at": "date created", "updated_at": "date last changed",
    "deleted_at": "date deleted", "edited_at": "date last edited", "made_at": "date made",
    "kept_at": "date kept", "cancelled_at": "date cancelled", "last_contact_at": "date of last contact",
    "next_due_at": "next due date", "due": "due date", "old_due": "earlier due date", "new_due": "new due date",
    "created_by_id": "person who created it", "deleted_by_id": "person who deleted it",
    "made_by_id": "person who made it", "kept_by_id": "person who kept it",
    "cancelled_by_id": "person who cancelled it", "staff_id": "staff member", "staff": "staff member",
    "recovers_id": "entry it puts right", "origin_id": "entry it came from", "origin": "desk",
    "entity": "kind of record", "entity_id": "record it changed", "kinds": "kinds of change",
    "before": "earlier values", "after": "new values", "search_text": "search words", "caution": "caution note",
    "phone": "phone number", "email": "email address", "pinned": "pinned mark", "apology": "apology mark",
    "version": "version number", "cancel_reason": "reason for cancelling",
}


def _a(table: str) -> str:
    label = LABELS[table]
    return f"{'an' if label[0] in 'aeiou' else 'a'} {label}"


_PLURAL_WORDS = frozenset({"initials", "details", "search words", "kinds of change", "earlier values", "new values"})


def _naming(column: str) -> tuple[str, str]:
    """A column as a person names it, alone and with its verb: ('due date', 'due date is'), ('details', 'details are').

    'made_by_id' is 'person who made it'; a column without a word of its own is named by its words
    ('usual_handler_id': 'usual handler').
    """
    noun = _FIELD_WORDS.get(column) or column.removesuffix("_id").replace("_", " ")
    return noun, f"{noun} {'are' if noun in _PLURAL_WORDS else 'is'}"


def _default(field: pw.Field) -> Any:
    """What a missing column becomes: the field's default, NULL where allowed, else _REQUIRED."""
    if field.primary_key or (field.default is None and not field.null):
        return _REQUIRED
    return field.default


def _kind(field: pw.Field) -> int:
    if isinstance(field, t.UtcField):
        return _TIME
    if isinstance(field, pw.BooleanField):
        return _FLAG
    if isinstance(field, pw.ForeignKeyField | pw.IntegerField | pw.AutoField):
        return _INT
    if isinstance(field, pw.CharField | pw.TextField):
        return _TEXT
    return _ANY


def _time_value(value: Any) -> int | None:
    """ISO-8601 text with a time zone as integer microseconds since the epoch; None when it is not that."""
    if type(value) is not str:
        return None
    try:
        moment = datetime.fromisoformat(value)
        return None if moment.tzinfo is None or moment.utcoffset() is None else t.to_micros(moment)
    except (ValueError, OverflowError):  # not a date, or one whose offset leaves the calendar
        return None


def _log_import(by: int, name: str) -> None:
    staff = b.require_staff(by)
    t.Change.insert(at=b.utcnow(), staff=staff.id, entity="office", entity_id=None, client=None, action="import",
                    kinds=",".join(sorted(ALL_KINDS)), origin=b._origin,
                    after=json.dumps({"file": name}, ensure_ascii=False)).execute()


class _Reader:
    """Reads the JSON a Rapport export is made of one value at a time, holding at most a chunk and a row in memory.

    Any JSON layout is accepted (a file re-indented by a tool still loads); values are decoded with the
    standard library's decoder.
    """

    CHUNK = 1 << 20
    # No record Rapport writes comes near this (a 100,000-character note, escaped, in a change row): a
    # value still unfinished past it is refused before the file's next megabytes are read.
    MAX_VALUE = 16 << 20

    def __init__(self, fh: IO[str]) -> None:
        self._fh = fh
        self._buf = ""
        self._pos = 0
        self._eof = False
        self._decode = json.JSONDecoder().raw_decode

    def _more(self) -> bool:
        if self._eof:
            return False
        if len(self._buf) - self._pos > self.MAX_VALUE:
            raise _TooLarge()
        data = self._fh.read(self.CHUNK)
        if not data:
            self._eof = True
            return False
        self._buf = self._buf[self._pos:] + data
        self._pos = 0
        return True

    def peek(self) -> str:
        """The next character that is not white space ('' at the end of the file)."""
        while True:
            buf, pos = self._buf, self._pos
            while pos < len(buf) and buf[pos] in " \t\r\n":
                pos += 1
            self._pos = pos
            if pos < len(buf):
                return buf[pos]
            if not self._more():
                return ""

    def expect(self, char: str) -> None:
        if self.peek() != char:
            raise _Broken(f"expected {char!r}")
        self._pos += 1

    def value(self) -> Any:
        """The next complete JSON value (reading more of the file until it is whole)."""
        self.peek()
        while True:
            try:
                value, end = self._decode(self._buf, self._pos)
            except json.JSONDecodeError:
                end = -1
            # a value that ends exactly at the end of the buffer may be a cut-off number: read on to be sure
            if end != -1 and (end < len(self._buf) or self._eof):
                self._pos = end
                return value
            if not self._more():
                if end == -1:
                    raise _Broken("unfinished value")
                self._pos = end
                return value

    def keys(self) -> Iterator[str]:
        """The keys of the object just opened, each followed by ':'; the caller reads each value."""
        first = True
        while self.peek() != "}":
            if not first:
                self.expect(",")
            first = False
            key = self.value()
            if not isinstance(key, str):
                raise _Broken("a key that is not text")
            self.expect(":")
            yield key

    def items(self) -> Iterator[Any]:
        """The values of the array just opened, up to and including its ']'."""
        first = True
        while self.peek() != "]":
            if not first:
                self.expect(",")
            first = False
            yield self.value()
        self._pos += 1

    def end(self) -> None:
        self.expect("}")


