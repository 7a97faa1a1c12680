"""Importing contact files (CSV, vCard) into the office, idempotently and in batches, and taking an import back.

A row matches an existing client by the vCard UID an earlier import remembered, else by email, else by
phone (both normalised, models/normalise.py), else by exact name and organisation. A matched client is
left unchanged or updated, never doubled: empty fields are filled, and a phone, email or address the
client already has a different one of goes into More contact details, as do the file's other details.
What the office typed is never overwritten. Close-but-not-certain matches come from the duplicates
issue's `store.similar_clients` when it is there; they are shown in the dry run and, without a decision,
created.

Each batch of rows is one short transaction recorded under the import (ImportedRow), so the desk stays
responsive, Cancel leaves whole batches, and Revert takes back exactly what the import did.
"""
from __future__ import annotations

import contextlib
import importlib
import json
import os
import re
import time
from collections.abc import Callable, Collection, Generator, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Any

import peewee as pw

from models import tables as t
from models.contacts import decode as dec
from models.contacts.entry import Contact, one_line
from models.contacts.fields import TARGETS
from models.contacts.reader import ContactFile, open_contacts, write_problem_rows
from models.errors import ValidationError
from models.normalise import email_key, fold, phone_key, words
from models.rules.words import badge_words
from models.store import _base as b
from models.store.clients import CLIENT_KINDS, _search_text, reindex
from models.store.records import Changes

# Rows per transaction adapt so that each batch takes about BATCH_SECONDS: short enough that the desk's own
# reads (opening a client) and other desks' writes interleave. Matched rows are cheap (batches grow to a few
# hundred); new clients cost more (their duplicate keys and possible-duplicate lookups), so batches shrink.
BATCH_SECONDS = 0.25
FIRST_BATCH, MIN_BATCH, MAX_BATCH = 50, 10, 500
ACTIONS = ("create", "update", "unchanged", "problem")
ENCODINGS = dec.ENCODINGS


def _erased(c: Contact, country: str) -> str | None:
    """A sentence when this contact is a person the office erased (issue 11): the import asks, never brings
    them back silently. The erasure list keeps only a one-way key of name, phone and email."""
    from models.store.erasure import erasure_key  # noqa: PLC0415 - erasure imports the clients' module

    if not t.Erasure.select().where(t.Erasure.key == erasure_key(c.name, c.phone, c.email, country)).exists():
        return None
    return (f"{c.name or 'This person'} was erased from the office at their request; import them again only "
            "if they have asked to come back.")


# --- what the calls return --------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ImportRow:
    """What happens (or happened) to one row: create, update, unchanged or problem."""

    row: int  # the CSV row counting the header as 1, or the card's position in the file from 1
    action: str
    client_id: int | None
    problem: str = ""  # the sentence, for action "problem"
    name: str = ""
    changed: tuple[str, ...] = ()  # the client fields an update changes
    similar: tuple[tuple[int, str], ...] = ()  # possible duplicates (client id, name), for a created row
    field: str = ""  # the field the problem is about


@dataclass(frozen=True, slots=True)
class ImportProblem:
    row: int
    field: str
    sentence: str  # "row 14: the email 'bob@' is not an email address"


@dataclass(frozen=True, slots=True)
class ImportReport:
    created: int
    updated: int
    unchanged: int
    duplicates: tuple[ImportRow, ...]  # created rows that look like an existing client
    problems: tuple[ImportProblem, ...]
    rows: tuple[ImportRow, ...]
    import_id: int | None  # None for a dry run
    total: int = 0  # rows (or cards) in the file
    cancelled: bool = False
    photos_skipped: int = 0
    notices: tuple[str, ...] = ()  # things said about the file that did not stop a row


@dataclass(frozen=True, slots=True)
class PreviewRow:
    row: int
    name: str
    organisation: str
    phone: str
    email: str
    address: str
    more_details: str
    note: str
    problem: str


@dataclass(frozen=True, slots=True)
class ImportPreview:
    file_name: str
    kind: str  # "csv" or "vcard"
    encoding: str
    encoding_guessed: bool
    columns: tuple[str, ...]  # CSV headers (empty for a vCard)
    mapping: dict[str, str]  # column -> target, as used for `rows`
    guessed_mapping: dict[str, str]
    sample: tuple[tuple[str, ...], ...]  # the first rows' cells as in the file (CSV)
    rows: tuple[PreviewRow, ...]
    total: int


@dataclass(frozen=True, slots=True)
class ImportInfo:
    """One line of Office > Imports."""

    id: int
    at: datetime
    by_name: str
    file_name: str
    kind: str
    created: int
    updated: int
    unchanged: int
    problems: int
    status: str  # running, done, cancelled, reverted
    reverted_at: datetime | None


def import_targets() -> dict[str, str]:
    """Every field a column can go to, with the words a person sees."""
    return dict(TARGETS)


# --- reading -----------------------------------------------------------------------------------------

def _file_name(source: ContactFile) -> str:
    """The file's name as words to store: bytes the system gave that are not UTF-8 read as replacement marks."""
    return os.path.basename(source.path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _check_mapping(mapping: object) -> dict[str, str] | None:
    """None (the guessed mapping) or {column: field}, both given as text."""
    if mapping is None:
        return None
    if not isinstance(mapping, Mapping) or not all(isinstance(k, str) and isinstance(v, str)
                                                    for k, v in mapping.items()):
        raise ValidationError("mapping", "Say for each column which field it goes to, e.g. {\"Tel\": \"phone\"}.")
    return dict(mapping)


def _check_encoding(encoding: object) -> str | None:
    if encoding is None:
        return None
    unknown = ValidationError("encoding", f"Rapport does not know the character set {str(encoding)[:40]!r}.")
    if not isinstance(encoding, str) or len(encoding) > 100:
        raise unknown
    if encoding in ENCODINGS:
        return encoding
    try:
        import codecs  # noqa: PLC0415
        codecs.lookup(encoding)
    except (LookupError, ValueError, UnicodeError):  # a NUL or a lone surrogate in the name is no character set
        raise unknown from None
    return encoding


def _open(path: str | os.PathLike[str], mapping: dict[str, str] | None, encoding: str | None) -> ContactFile:
    path = b.check_path(path, "path")
    mapping = _check_mapping(mapping)
    encoding = _check_encoding(encoding)
    try:
        return open_contacts(path, mapping=mapping, encoding=encoding)
    except dec.FileProblem as exc:
        raise ValidationError("file", exc.message) from None


def preview_import(path: str | os.PathLike[str], *, mapping: dict[str, str] | None = None,
                   encoding: str | None = None, limit: int = 20) -> ImportPreview:
    """The file's columns, the guessed (or given) mapping and its first rows as clients; nothing is written."""
    limit = b.check_count(limit, "limit", "The number of rows to show", low=0, high=10_000)
    source = _open(path, mapping, encoding)
    rows = tuple(PreviewRow(c.row, c.name, c.organisation, c.phone, c.email, c.address, c.more_details, c.note,
                            c.problem) for c in islice(source.contacts(), max(0, limit)))
    return ImportPreview(os.path.basename(source.path), source.kind, source.encoding, source.encoding_guessed,
                         source.columns, dict(source.mapping), dict(source.guessed_mapping),
                         tuple(source.sample(limit)), rows, source.total)


# --- matching ----------------------------------------------------------------------------------------

class _Index:
    """The office's clients by the keys an import matches on, built once per import (lazily per key)."""

    def __init__(self, country: str) -> None:
        self.country = country
        self.rows = [tuple(r) for r in t.Client.select(t.Client.id, t.Client.name, t.Client.organisation,
                                                        t.Client.phone, t.Client.email)
                     .where(t.Client.deleted_at.is_null()).order_by(t.Client.id).tuples()]
        self.emails: dict[str, int] = {}
        for cid, _n, _o, _p, email in self.rows:
            if email:
                self.emails.setdefault(email_key(email), cid)
        self.name_of: dict[int, str] = {r[0]: r[1] for r in self.rows}
        self.any_erased = t.Erasure.select().exists()  # no erasure list: no lookup per row
        self.near: int | None = None
        self._phones: dict[str, int] | None = None
        self._names: dict[tuple[str, str], int] | None = None
        self._uids: dict[str, int] | None = None

    @property
    def phones(self) -> dict[str, int]:
        if self._phones is None:
            self._phones = {}
            for cid, _n, _o, phone, _e in self.rows:
                key = phone_key(phone, self.country) if phone else ""
                if key:
                    self._phones.setdefault(key, cid)
        return self._phones

    @property
    def names(self) -> dict[tuple[str, str], int]:
        if self._names is None:
            self._names = {}
            for cid, name, org, _p, _e in self.rows:
                self._names.setdefault((fold(" ".join(name.split())), fold(" ".join(org.split()))), cid)
        return self._names

    @property
    def uids(self) -> dict[str, int]:
        if self._uids is None:
            live = {r[0] for r in self.rows}
            # the UIDs Rapport's own exports give clients (vCard UID, the CSV's UID column) ...
            self._uids = {made_uid(cid, created): cid for cid, created in
                          t.Client.select(t.Client.id, t.Client.created_at)
                          .where(t.Client.deleted_at.is_null()).tuples()}
            # ... and those earlier imports remembered
            query = (t.ImportedRow.select(t.ImportedRow.uid, t.ImportedRow.client)
                     .where(t.ImportedRow.uid != "").order_by(t.ImportedRow.id).tuples())
            for uid, cid in query:
                if cid in live:
                    self._uids[uid] = cid
        return self._uids

    def match(self, c: Contact) -> int | None:
        """The client this contact certainly is, or None.

        An email or phone match also needs names that do not contradict each other (a word in common, or
        a name that is only the email or organisation): a shared office number or info@ address is not a
        person. Such a near miss is offered as a possible duplicate instead (`near`).
        """
        self.near = None
        if c.uid and c.uid in self.uids:
            return self.uids[c.uid]
        candidates = []
        if c.email and email_key(c.email) in self.emails:
            candidates.append(self.emails[email_key(c.email)])
        if c.phone:
            key = phone_key(c.phone, self.country)
            if key and key in self.phones:
                candidates.append(self.phones[key])
        for cid in candidates:
            if self._compatible(cid, c):
                return cid
        if candidates:
            self.near = candidates[0]
        return self.names.get((fold(c.name), fold(c.organisation)))

    def _compatible(self, cid: int, c: Contact) -> bool:
        name = self.name_of.get(cid, "")
        if not name or cid < 0 or c.name in (c.email, c.organisation) or fold(name) in (
                email_key(c.email), fold(c.organisation)):
            return True
        return bool(set(words(name)) & set(words(c.name)))

    def add(self, cid: int, c: Contact) -> None:
        self.name_of[cid] = c.name
        if c.uid:
            self.uids[c.uid] = cid
        if c.email:
            self.emails.setdefault(email_key(c.email), cid)
        if c.phone:
            key = phone_key(c.phone, self.country)
            if key:
                self.phones.setdefault(key, cid)
        self.names.setdefault((fold(c.name), fold(c.organisation)), cid)

    def forget(self, cid: int) -> None:
        """A matched client that was deleted meanwhile: no longer a match."""
        for table in (self.emails, self._phones or {}, self._names or {}, self._uids or {}):
            for key in [k for k, v in table.items() if v == cid]:
                del table[key]


def _similar(c: Contact, exclude: Collection[int]) -> tuple[tuple[int, str], ...]:
    """Possible duplicates from issue 16's store.similar_clients, when it has landed."""
    finder = getattr(importlib.import_module("models.store"), "similar_clients", None)
    if finder is None:
        return ()
    try:
        found = finder(name=c.name, phone=c.phone, email=c.email, organisation=c.organisation, address=c.address,
                       limit=3, exclude=tuple(i for i in exclude if i > 0))
    except TypeError:
        return ()
    out: list[tuple[int, str]] = []
    for item in found or ():
        cid = getattr(item, "client_id", None) or getattr(item, "id", None)
        if cid is None and isinstance(item, tuple):
            cid = item[0]
        if isinstance(cid, int):
            out.append((cid, str(getattr(item, "name", "") or (item[1] if isinstance(item, tuple) else ""))))
    return tuple(out)


def _has_line(text: str, line: str) -> bool:
    return any(fold(existing.strip()) == fold(line.strip()) for existing in text.splitlines())


def _mentions(text: str, value: str, kind: str, country: str) -> bool:
    """Whether More contact details already holds this phone, email or address (in any line)."""
    if kind == "phone":
        key = phone_key(value, country)
        return any(key and phone_key(line.split(":", 1)[-1], country) == key for line in text.splitlines())
    if kind == "email":
        return email_key(value) in text.casefold()
    flat = " ".join(words(value))
    return any(flat and flat in " ".join(words(line)) for line in text.splitlines())


_LABEL = {"phone": "Phone", "email": "Email", "address": "Address"}


def _updates(current: dict[str, Any], c: Contact, country: str) -> dict[str, Any]:
    """The client fields a matched contact changes: blanks filled, other values added to More contact details."""
    out: dict[str, Any] = {}
    more = current["more_details"]
    for kind in ("organisation", "phone", "email", "address"):
        value = getattr(c, kind)
        if not value:
            continue
        existing = current[kind]
        if not existing:
            out[kind] = value.lower() if kind == "email" else value
            continue
        same = existing == value or {"phone": lambda: phone_key(existing, country) == phone_key(value, country),
                "email": lambda: email_key(existing) == email_key(value),
                "organisation": lambda: fold(existing) == fold(value),
                "address": lambda: fold(" ".join(existing.split())) == fold(" ".join(value.split())),
                }[kind]()
        if not same and kind != "organisation" and not _mentions(more, value, kind, country):
            line = f"{_LABEL[kind]}: {one_line(value)}"
            more = f"{more}\n{line}" if more else line
    other_name = fold(c.name) not in (fold(current["name"]), email_key(c.email), fold(c.organisation))
    lines = ([f"Other name: {c.name}"] if other_name else []) + c.more
    for line in lines:
        if not _has_line(more, line):
            more = f"{more}\n{line}" if more else line
    if more != current["more_details"]:
        out["more_details"] = more
    return out


# --- importing ---------------------------------------------------------------------------------------

@dataclass
class _Run:
    """What an import has done so far (shared by the dry run and the real one)."""

    rows: list[ImportRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    photos: int = 0
    fake_id: int = 0
    simulated: dict[int, dict[str, Any]] = field(default_factory=dict)  # what a dry run would have created

    def problem(self, c: Contact, sentence: str, field_name: str) -> None:
        self.rows.append(ImportRow(c.row, "problem", None, sentence, c.name, field=field_name))
        self.problems.append(ImportProblem(c.row, field_name, f"{_where(c)} {sentence}"))


def _where(c: Contact) -> str:
    return f"row {c.row}:"


_CLIENT_FIELDS = ("name", "organisation", "phone", "email", "address", "more_details")


def _decide(batch: list[Contact], index: _Index, run: _Run, *, tx: b.Tx | None, import_id: int | None,
            bring_back: Collection[int], same_as: Mapping[int, int]) -> None:
    """Match, compare and (with a transaction) write one batch of contacts."""
    first_match = {c.row: index.match(c) for c in batch if not c.problem}
    current = _current({cid for cid in first_match.values() if cid and cid > 0})
    notes: dict[int, set[str]] = {}
    with_notes = [cid for c in batch if c.note and (cid := first_match.get(c.row)) and cid in current]
    if with_notes:
        for cid, text in (t.Note.select(t.Note.client, t.Note.text)
                          .where(t.Note.client.in_(with_notes) & t.Note.deleted_at.is_null()).tuples()):
            notes.setdefault(cid, set()).add(text)
    imported: list[dict[str, Any]] = []
    for c in batch:
        run.photos += c.photos
        run.notices.extend(f"{_where(c)} {n}" for n in c.notices)
        if c.problem:
            run.problem(c, c.problem, c.problem_field)
            continue
        if index.any_erased and c.row not in bring_back:
            reason = _erased(c, index.country)
            if reason:
                run.problem(c, reason, "erased")
                continue
        # the person said this row is that client (a possible duplicate, decided); else match again: an earlier
        # row of this batch may have created the client
        cid = same_as.get(c.row) or index.match(c)
        if cid and cid > 0 and cid not in current:
            current.update(_current({cid}))
        row = current.get(cid) if cid else None
        if cid and cid > 0 and (row is None or row["deleted_at"] is not None):
            index.forget(cid)
            cid = None
        if cid and cid < 0:  # a row earlier in this dry run would create it
            row = run.simulated[cid]
        if cid:
            assert row is not None
            changes = _updates(row, c, index.country)
            add_note = bool(c.note) and c.note not in notes.get(cid, set())
            if not changes and not add_note:
                run.unchanged += 1
                run.rows.append(ImportRow(c.row, "unchanged", cid, name=row["name"]))
                continue
            changed = tuple(changes) + (("note",) if add_note else ())
            if tx is not None:
                before = {k: row[k] for k in changes}
                values = {**{k: row[k] for k in _CLIENT_FIELDS}, **changes}
                updates = {getattr(t.Client, k): v for k, v in changes.items()}
                updates.update({t.Client.version: row["version"] + 1, t.Client.updated_at: tx.at,
                                t.Client.search_text: _search_text(values)})
                count = (t.Client.update(updates)
                         .where((t.Client.id == cid) & (t.Client.version == row["version"])).execute())
                if count == 0:
                    run.problem(c, "a colleague changed this client at the same moment; import the file again "
                                   "to add what is missing", "client")
                    continue
                row.update(changes, version=row["version"] + 1)
                tx.log("client", cid, cid, "edit", CLIENT_KINDS, before=before, after=changes)
                change_id = tx.change_ids[-1]
                if add_note:
                    imported.append(_note(tx, cid, c.note, import_id, c.row))
                    notes.setdefault(cid, set()).add(c.note)
                imported.append({"contact_import": import_id, "row": c.row, "client": cid, "action": "update",
                                 "uid": c.uid[:500], "before": json.dumps(before, ensure_ascii=False),
                                 "change_id": change_id})
            else:
                row.update(changes)
            run.updated += 1
            run.rows.append(ImportRow(c.row, "update", cid if cid > 0 else None, name=row["name"], changed=changed))
            continue
        similar = _similar(c, ())
        if index.near and index.near > 0 and all(s_id != index.near for s_id, _ in similar):
            similar = ((index.near, index.name_of.get(index.near, "")), *similar)
        if tx is None:
            run.fake_id -= 1
            new_id = run.fake_id
            run.simulated[new_id] = {"id": new_id, "version": 1, "deleted_at": None,
                                     **{k: "" for k in _CLIENT_FIELDS}, **c.fields()}
        else:
            values = {k: v for k, v in c.fields().items()}
            if "email" in values:
                values["email"] = values["email"].lower()
            new = t.Client.insert(created_at=tx.at, updated_at=tx.at, created_by=tx.by,
                                  search_text=_search_text(values), **values).execute()
            new_id = int(new)
            tx.log("client", new_id, new_id, "add", CLIENT_KINDS, after=values)
            change_id = tx.change_ids[-1]
            imported.append({"contact_import": import_id, "row": c.row, "client": new_id, "action": "create",
                             "uid": c.uid[:500], "before": None, "change_id": change_id})
            if c.note:
                imported.append(_note(tx, new_id, c.note, import_id, c.row))
        index.add(new_id, c)
        run.created += 1
        run.rows.append(ImportRow(c.row, "create", new_id if new_id > 0 else None, name=c.name, similar=similar))
    if imported and tx is not None:
        t.ImportedRow.insert_many(imported).execute()
        reindex({row["client"] for row in imported})


def _current(ids: set[int]) -> dict[int, dict[str, Any]]:
    """The matched clients as they are now (inside the batch's transaction), by id."""
    if not ids:
        return {}
    query = (t.Client.select(t.Client.id, t.Client.version, t.Client.deleted_at,
                             *[getattr(t.Client, f) for f in _CLIENT_FIELDS])
             .where(t.Client.id.in_(sorted(ids))).dicts())
    return {r["id"]: r for r in query}


def _note(tx: b.Tx, client_id: int, text: str, import_id: int | None, row_number: int) -> dict[str, Any]:
    """Add the unmapped columns as a note on the client; the ImportedRow that lets Revert take it back."""
    row = t.Note.create(client=client_id, at=tx.at, staff=tx.by, text=text, pinned=False, created_at=tx.at)
    tx.log("note", row.id, client_id, "add", ("timeline",), after={"text": text, "pinned": False})
    return {"contact_import": import_id, "row": row_number, "client": client_id, "action": "note", "uid": "",
            "before": json.dumps({"note": row.id}), "change_id": tx.change_ids[-1]}


def _check_choices(same_as: object, bring_back: object) -> tuple[dict[int, int], frozenset[int]]:
    """The person's decisions from the dry run: {row: client} and the rows to bring back, as numbers."""
    if same_as is not None and not isinstance(same_as, Mapping):
        raise ValidationError("same_as", "Say for each row which client it is, e.g. {3: 42}.")
    decided = {b.as_id(row, "same_as"): b.as_id(cid, "same_as") for row, cid in (same_as or {}).items()}
    return decided, frozenset(b.check_ids(bring_back, "bring_back"))


def import_steps(path: str | os.PathLike[str], *, by: int, mapping: dict[str, str] | None = None,
                 encoding: str | None = None, dry_run: bool = False, bring_back: Collection[int] = (),
                 same_as: Mapping[int, int] | None = None,
                 batch: int | None = None) -> Generator[tuple[int, int], bool | None, ImportReport]:
    """The import as a job: one batch per step, yielding (done, total); send False to stop after a whole batch.

    The generator's return value is the ImportReport. This is what ui/tasks.run_job drives; import_contacts()
    drives it for scripts. `batch` fixes the rows per batch (tests); by default it adapts (BATCH_SECONDS).
    """
    decided, bring_back = _check_choices(same_as, bring_back)
    if batch is not None:
        batch = b.check_count(batch, "batch", "The rows per batch", low=1, high=100_000)
    source = _open(path, mapping, encoding)
    from models.store.settings import office_settings  # noqa: PLC0415

    country = office_settings().country
    if not dry_run:
        b.read(lambda: b.require_staff(by))
    index = b.read(lambda: _Index(country))
    run = _Run()
    total = source.total
    contacts: Iterator[Contact] = source.contacts()
    import_id: int | None = None
    if not dry_run:
        def start(tx: b.Tx) -> int:
            row = t.ContactImport.create(at=tx.at, staff=tx.by, file_name=_file_name(source)[:500],
                                         kind=source.kind)
            return row.id
        import_id = b.write(by, start).id
    done = 0
    cancelled = False
    size = batch or FIRST_BATCH
    while True:
        chunk = list(islice(contacts, size))
        if not chunk:
            break
        started = time.perf_counter()
        if dry_run:
            b.read(lambda chunk=chunk: _decide(chunk, index, run, tx=None, import_id=None, bring_back=bring_back,
                                                      same_as=decided))
        else:
            snapshot = (len(run.rows), len(run.problems), len(run.notices), run.created, run.updated,
                        run.unchanged, run.photos)

            def work(tx: b.Tx, chunk: list[Contact] = chunk, snapshot: tuple[int, ...] = snapshot) -> None:
                # a retried batch (the shared database was busy) starts again from the same point
                (rows, problems, notices, run.created, run.updated, run.unchanged, run.photos) = snapshot
                del run.rows[rows:], run.problems[problems:], run.notices[notices:]
                _decide(chunk, index, run, tx=tx, import_id=import_id, bring_back=bring_back, same_as=decided)
            b.write(by, work)
        elapsed = time.perf_counter() - started
        if batch is None:
            size = max(MIN_BATCH, min(MAX_BATCH, int(len(chunk) * BATCH_SECONDS / max(elapsed, 1e-3))))
        done += len(chunk)
        go = yield (done, total)
        if go is False:
            cancelled = done < total
            break
    report = ImportReport(run.created, run.updated, run.unchanged,
                          tuple(r for r in run.rows if r.action == "create" and r.similar), tuple(run.problems),
                          tuple(run.rows), import_id, total, cancelled, run.photos, tuple(run.notices))
    if import_id is not None:
        def finish(tx: b.Tx) -> None:
            t.ContactImport.update(created=report.created, updated=report.updated, unchanged=report.unchanged,
                                   problems=len(report.problems), finished_at=tx.at,
                                   status="cancelled" if cancelled else "done").where(
                t.ContactImport.id == import_id).execute()
            tx.log("import", import_id, None, "import", ("import",),
                   after={"file": _file_name(source), "created": report.created,
                          "updated": report.updated, "unchanged": report.unchanged,
                          "problems": len(report.problems), "cancelled": cancelled})
        b.write(by, finish)
    return report


def import_contacts(path: str | os.PathLike[str], *, by: int, mapping: dict[str, str] | None = None,
                    encoding: str | None = None, dry_run: bool = False,
                    progress: Callable[[int, int], bool | None] | None = None,
                    bring_back: Collection[int] = (), same_as: Mapping[int, int] | None = None,
                    batch: int | None = None) -> ImportReport:
    """Import a CSV or vCard file (a dry run writes nothing and returns import_id None).

    `progress(done, total)` is called after every batch; returning False cancels after that batch, which
    leaves only whole batches in the office (and Revert takes them back). `bring_back` lists rows the person
    confirmed although the office erased that person before (issue 11). `same_as` maps a row to the client
    the person decided it is (a possible duplicate the dry run showed): that client is updated instead.
    """
    if progress is not None and not callable(progress):
        raise ValidationError("progress", "The progress must be something Rapport can call (or nothing).")
    steps = import_steps(path, by=by, mapping=mapping, encoding=encoding, dry_run=dry_run, bring_back=bring_back,
                         same_as=same_as, batch=batch)
    go: bool | None = None
    while True:
        try:
            done, total = steps.send(go)
        except StopIteration as end:
            return end.value
        go = None if progress is None else (progress(done, total) is not False)


def save_import_problems(path: str | os.PathLike[str], report: ImportReport, out_path: str | os.PathLike[str], *,
                         mapping: dict[str, str] | None = None, encoding: str | None = None) -> int:
    """Write the rows with problems to a CSV the person can fix and import again; the number of rows written."""
    if not isinstance(report, ImportReport):
        raise ValidationError("report", "That is not the report of an import of this file.")
    out_path = b.check_path(out_path, "out_path", "The file for the problem rows")
    source = _open(path, mapping, encoding)
    problems = {p.row: p.sentence.split(": ", 1)[-1] for p in report.problems}
    try:
        return write_problem_rows(source, problems, out_path)
    except OSError as exc:
        raise ValidationError("file", f"Rapport could not save the problem rows there ({exc.strerror or exc}). "
                                      "Choose another folder.") from None


# --- the imports, and taking one back ----------------------------------------------------------------

def list_imports(*, limit: int = 200) -> tuple[ImportInfo, ...]:
    """The office's imports, newest first."""
    limit = b.check_count(limit, "limit", "The number of imports", low=1, high=b.MAX_IDS)

    def work() -> tuple[ImportInfo, ...]:
        names = dict(t.Staff.select(t.Staff.id, t.Staff.name).tuples())
        query = t.ContactImport.select().order_by(t.ContactImport.id.desc()).limit(limit)
        return tuple(ImportInfo(r.id, r.at, names.get(r.staff, ""), r.file_name, r.kind, r.created, r.updated,
                                r.unchanged, r.problems, r.status, r.reverted_at) for r in query)
    return b.read(work)


def _touched(import_id: int) -> dict[int, str]:
    """Clients this import wrote that someone changed since (any later change-log row not by the import)."""
    rows = list(t.ImportedRow.select(t.ImportedRow.client, t.ImportedRow.change_id)
                .where(t.ImportedRow.contact_import == import_id).tuples())
    if not rows:
        return {}
    own = {cid for _, cid in rows}
    first = {}
    for client, change_id in rows:
        first[client] = min(first.get(client, change_id), change_id)
    touched: set[int] = set()
    clients = sorted(first)
    for i in range(0, len(clients), 500):
        part = clients[i:i + 500]
        for client, change_id in (t.Change.select(t.Change.client, t.Change.id)
                                  .where(t.Change.client.in_(part) & (t.Change.id > min(first[c] for c in part)))
                                  .tuples()):
            if change_id > first[client] and change_id not in own:
                touched.add(client)
    if not touched:
        return {}
    return dict(t.Client.select(t.Client.id, t.Client.name).where(t.Client.id.in_(sorted(touched))).tuples())


def touched_since_import(import_id: int) -> tuple[tuple[int, str], ...]:
    """(client id, name) of the clients colleagues changed after this import: Revert keeps them unless told."""
    import_id = b.as_id(import_id, "import")
    return b.read(lambda: tuple(sorted(_touched(import_id).items(), key=lambda kv: kv[1])))


def revert_import(import_id: int, *, by: int, keep_touched: bool = True) -> Changes:
    """Take an import back (administrators): its new clients go to the Trash, its updates are undone.

    Clients a colleague changed since are kept as they are unless keep_touched=False.
    """
    import_id = b.as_id(import_id, "import")

    def work(tx: b.Tx) -> None:
        b.require_admin(tx.by, "take back an import")
        record = t.ContactImport.get_or_none(t.ContactImport.id == import_id)
        if record is None:
            raise ValidationError("import", "That import does not exist.")
        if record.status == "reverted":
            raise ValidationError("import", "That import was already taken back.")
        keep = set(_touched(import_id)) if keep_touched else set()
        rows = list(t.ImportedRow.select().where(t.ImportedRow.contact_import == import_id)
                    .order_by(t.ImportedRow.id.desc()))
        for row in rows:
            if row.client in keep:
                continue
            if row.action == "note":
                note_id = json.loads(row.before)["note"]
                if t.Note.update(deleted_at=tx.at, deleted_by=tx.by).where(
                        (t.Note.id == note_id) & t.Note.deleted_at.is_null()).execute():
                    tx.log("note", note_id, row.client, "delete", ("timeline",))
            elif row.action == "create":
                count = (t.Client.update(deleted_at=tx.at, version=t.Client.version + 1)
                         .where((t.Client.id == row.client) & t.Client.deleted_at.is_null()).execute())
                if count:
                    tx.log("client", row.client, row.client, "delete", CLIENT_KINDS + ("promise",))
            elif row.before:
                before = json.loads(row.before)
                client = t.Client.get_or_none(t.Client.id == row.client)
                if client is None:
                    continue
                values = {k: getattr(client, k) for k in _CLIENT_FIELDS} | before
                updates = {getattr(t.Client, k): v for k, v in before.items()}
                updates.update({t.Client.version: t.Client.version + 1, t.Client.updated_at: tx.at,
                                t.Client.search_text: _search_text(values)})
                t.Client.update(updates).where(t.Client.id == row.client).execute()
                tx.log("client", row.client, row.client, "edit", CLIENT_KINDS,
                       before={k: getattr(client, k) for k in before}, after=before)
        reindex({row.client for row in rows if row.client not in keep})
        t.ContactImport.update(status="reverted", reverted_at=tx.at, reverted_by=tx.by).where(
            t.ContactImport.id == import_id).execute()
        tx.log("import", import_id, None, "revert", ("import",), after={"kept": sorted(keep)})
    changes = b.write(by, work)
    return Changes(changes.clients, changes.kinds | frozenset(CLIENT_KINDS))


# --- export ------------------------------------------------------------------------------------------

EXPORT_PAGE = 500
# Every column a CSV of clients can hold, with its header: the client list's words where the list shows it.
# The importer's guess (models/contacts/fields.py) maps each of these headers back (or skips what it computes).
CSV_FIELDS: dict[str, str] = {
    "score": "Score", "name": "Name", "organisation": "Organisation", "phone": "Phone", "email": "Email",
    "address": "Address", "more_details": "More contact details", "last_contact": "Last contact",
    "next_due": "Next promise due", "uid": "UID",
}
EVERY_FIELD = ("name", "organisation", "phone", "email", "address", "more_details", "last_contact", "next_due", "uid")
CSV_COLUMNS = tuple(CSV_FIELDS[f] for f in EVERY_FIELD)
MAX_CSV_COLUMNS = 100


def _uid_of(cid: int, created_at: datetime, remembered: dict[int, str]) -> str:
    """The UID an earlier import remembered, else one made from the client (stable across exports)."""
    return remembered.get(cid) or made_uid(cid, created_at)


def made_uid(cid: int, created_at: datetime) -> str:
    """The UID Rapport gives a client it exports (the same every time; an import recognises it again)."""
    import uuid  # noqa: PLC0415

    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'rapport:{cid}:{t.to_micros(created_at)}')}"


_EXPORT_COLUMNS = (t.Client.id, t.Client.name, t.Client.organisation, t.Client.phone, t.Client.email,
                   t.Client.address, t.Client.more_details, t.Client.created_at, t.Client.last_contact_at,
                   t.Client.next_due_at, t.ScoreCache.score, t.ScoreCache.band, t.ScoreCache.trend,
                   t.ScoreCache.flags, t.ScoreCache.stable_until)


def _export_query() -> Any:
    return (t.Client.select(*_EXPORT_COLUMNS)
            .join(t.ScoreCache, pw.JOIN.LEFT_OUTER, on=(t.ScoreCache.client == t.Client.id)))


def _export_rows(client_ids: Collection[int] | None) -> Iterator[list[dict[str, Any]]]:
    """The clients to export in pages (each read is its own short query), in the order asked for."""
    if client_ids is None:
        last = 0
        while True:
            page = b.read(lambda last=last: list(
                _export_query().where(t.Client.deleted_at.is_null() & (t.Client.id > last))
                .order_by(t.Client.id).limit(EXPORT_PAGE).dicts()))
            if not page:
                return
            last = page[-1]["id"]
            yield page
    else:
        ids = list(client_ids)  # checked by _export_target()
        for i in range(0, len(ids), EXPORT_PAGE):
            part = ids[i:i + EXPORT_PAGE]
            found = b.read(lambda part=part: {r["id"]: r for r in _export_query()
                                              .where(t.Client.id.in_(part)).dicts()})
            yield [found[c] for c in part if c in found]


def _remembered(ids: list[int]) -> dict[int, str]:
    return dict(b.read(lambda: list(t.ImportedRow.select(t.ImportedRow.client, t.ImportedRow.uid)
                                    .where(t.ImportedRow.client.in_(ids) & (t.ImportedRow.uid != ""))
                                    .order_by(t.ImportedRow.id).tuples())))


def _export_target(path: object, client_ids: object) -> tuple[Any, list[int] | None]:
    """The file to write (a location, never a number the system would take for an open file) and the clients."""
    return (b.check_path(path, "path", "The export file"),
            None if client_ids is None else b.check_ids(client_ids, "client_ids"))


def _cannot_write(exc: OSError) -> ValidationError:
    return ValidationError("file", f"Rapport could not write the file there ({exc.strerror or exc}). "
                                   "Choose another folder.")


def export_vcards(path: str | os.PathLike[str], client_ids: Collection[int] | None = None,
                  version: str = "3.0", *, one_per_file: bool = False) -> int:
    """Write clients (everyone when client_ids is None) as vCards 3.0 or 4.0; the number written.

    With one_per_file, `path` is a folder and each client gets a file of their own, named after them (Outlook
    reads only the first card of a file); a file already there is never replaced ("Name (2).vcf").
    """
    if not isinstance(version, str) or version not in ("3.0", "4.0"):
        raise ValidationError("version", "Rapport writes vCard 3.0 or 4.0.")
    return _run(export_steps(path, client_ids, kind=version, one_per_file=one_per_file))


def _run(steps: Generator[tuple[int, int], bool | None, int]) -> int:
    """Drive a job to its end (for scripts: the window runs it step by step through ui/tasks.run_job)."""
    while True:
        try:
            next(steps)
        except StopIteration as end:
            return int(end.value)


EXPORT_KINDS = ("3.0", "4.0", "csv")


def export_steps(path: str | os.PathLike[str], client_ids: Collection[int] | None = None, *, kind: str = "3.0",
                 columns: Collection[str | tuple[str, str]] | None = None,
                 one_per_file: bool = False) -> Generator[tuple[int, int], bool | None, int]:
    """An export of clients (vCard 3.0, 4.0 or CSV) as a job: one page of clients per step, each its own short read,
    yielding (done, total); send False to stop. ui/tasks.run_job drives it, so the desk's other work runs between
    pages. The file appears whole or not at all (it is written beside its place first and put there at the end; a
    stop or a failure leaves no file, and an earlier file of that name as it was); with one_per_file the cards
    written before a stop stay. Returns the number of clients written.
    """
    if not isinstance(kind, str) or kind not in EXPORT_KINDS:
        raise ValidationError("kind", "Rapport writes vCard 3.0 or 4.0, or a CSV.")
    one_per_file = b.check_flag(one_per_file, "one_per_file", "One file per client")
    chosen = _check_columns(columns) if kind == "csv" else []
    if one_per_file and kind == "csv":
        raise ValidationError("one_per_file", "A CSV is one file; one file per client is for vCards.")
    target, ids = _export_target(path, client_ids)
    if one_per_file and not target.is_dir():
        raise ValidationError("path", "Choose a folder for the files: there is no folder at that place.")
    total = len(ids) if ids is not None else b.read(
        lambda: t.Client.select().where(t.Client.deleted_at.is_null()).count())
    if one_per_file:
        return (yield from _card_files(target, ids, kind, total))
    import tempfile  # noqa: PLC0415

    count = 0
    part = ""
    try:
        handle, part = tempfile.mkstemp(prefix=".rapport-", suffix=".part", dir=target.parent)
        with open(handle, "w", encoding="utf-8-sig" if kind == "csv" else "utf-8", newline="") as out:
            write = _csv_writer(out, chosen) if kind == "csv" else out.write
            for page in _export_rows(ids):
                for text in _page_texts(page, kind, chosen):
                    write(text)
                count += len(page)
                if (yield (count, total)) is False and count < total:
                    return 0  # stopped: no file (the finally clause takes the part away)
        os.replace(part, target)
        part = ""
    except OSError as exc:
        raise _cannot_write(exc) from None
    finally:
        if part:
            with contextlib.suppress(OSError):
                os.remove(part)
    return count


def _card_files(folder: Any, ids: list[int] | None, kind: str, total: int) -> Generator[tuple[int, int], Any, int]:
    count = 0
    used: set[str] = set()
    try:
        for page in _export_rows(ids):
            for r, text in zip(page, _page_texts(page, kind, []), strict=True):
                with open(_card_file(folder, r["name"], used), "x", encoding="utf-8", newline="") as handle:
                    handle.write(text)
                count += 1
            if (yield (count, total)) is False:
                break
    except OSError as exc:
        raise _cannot_write(exc) from None
    return count


def _csv_writer(out: Any, chosen: list[tuple[str, str]]) -> Callable[[Any], Any]:
    import csv  # noqa: PLC0415

    writer = csv.writer(out)
    writer.writerow([header for _, header in chosen])
    return writer.writerow


def _page_texts(page: list[dict[str, Any]], kind: str, chosen: list[tuple[str, str]]) -> Iterator[Any]:
    """Each client of a page as the export writes it: a vCard's text, or a CSV row's cells."""
    remembered = _remembered([r["id"] for r in page])
    if kind == "csv":
        now_us = t.to_micros(b.utcnow())
        for r in page:
            uid = _uid_of(r["id"], r["created_at"], remembered)
            yield [_cell(key, r, uid, now_us) for key, _ in chosen]
        return
    from models.contacts.vcard import OutCard, write_card  # noqa: PLC0415

    for r in page:
        yield write_card(OutCard(_uid_of(r["id"], r["created_at"], remembered), r["name"], r["organisation"],
                                 r["phone"], r["email"], r["address"], r["more_details"]), kind)


_UNSAFE_IN_NAME = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_RESERVED_NAMES = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)$", re.IGNORECASE)


def _card_file(folder: Any, name: str, used: set[str]) -> Any:
    """A file name for a client's card that every system takes, not yet taken in the folder or this export."""
    base = " ".join(_UNSAFE_IN_NAME.sub(" ", name).split())[:60].strip(". ") or "Client"  # 60 emoji: 240 bytes
    if _RESERVED_NAMES.match(base):
        base = f"{base} (client)"
    number = 1
    while True:
        candidate = f"{base}.vcf" if number == 1 else f"{base} ({number}).vcf"
        if candidate.casefold() not in used and not (folder / candidate).exists():
            used.add(candidate.casefold())
            return folder / candidate
        number += 1


def _check_columns(columns: object) -> list[tuple[str, str]]:
    """(field, header) of every column, in order: field names, or (field, header) pairs as a list shows them."""
    if columns is None:
        return [(f, CSV_FIELDS[f]) for f in EVERY_FIELD]
    known = ", ".join(CSV_FIELDS)
    if isinstance(columns, (str, bytes)) or not isinstance(columns, Collection):
        raise ValidationError("columns", f"Say which columns to write, in order, from: {known}.")
    out: list[tuple[str, str]] = []
    for item in columns:
        if isinstance(item, str):
            key, header = item, CSV_FIELDS.get(item, "")
        elif isinstance(item, (tuple, list)) and len(item) == 2 and all(isinstance(x, str) for x in item):
            key, header = item
        else:
            raise ValidationError("columns", f"Say which columns to write, in order, from: {known}.")
        if key not in CSV_FIELDS:
            raise ValidationError("columns", f"Rapport has no column {key[:40]!r}; the columns are: {known}.")
        out.append((key, b.clean(header, "columns", "A column's header", required=True, limit=200)))
        if len(out) > MAX_CSV_COLUMNS:
            raise ValidationError("columns", f"Choose at most {MAX_CSV_COLUMNS} columns.")
    if not out:
        raise ValidationError("columns", "Choose at least one column to write.")
    return out


def _local(value: datetime | None, *, with_time: bool) -> str:
    """A time as this desk's local date (and clock), in the form spreadsheets read as a date."""
    if value is None:
        return ""
    return value.astimezone().strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def _cell(key: str, r: dict[str, Any], uid: str, now_us: int) -> str:
    if key == "uid":
        return uid
    if key == "score":  # as the list's badge says it, while the cached badge is current (else still being worked out)
        until = r["stable_until"]
        if r["score"] is None or until is None or until <= now_us:
            return ""
        return badge_words(r["score"], r["band"], r["trend"], tuple(r["flags"].split(",")) if r["flags"] else ())
    if key == "last_contact":
        return _local(r["last_contact_at"], with_time=False)
    if key == "next_due":
        return _local(r["next_due_at"], with_time=True)
    return str(r[key] or "")


def export_clients_csv(path: str | os.PathLike[str], client_ids: Collection[int] | None = None, *,
                       columns: Collection[str | tuple[str, str]] | None = None) -> int:
    """Write clients as a CSV (UTF-8 with BOM, which Excel opens right), in the order given; the number written.

    `columns` are the columns in order: field names from CSV_FIELDS, or (field, header) pairs (the client list
    passes its visible columns with their headers as shown). None writes every contact field. Times are this
    desk's local time. A file with a "uid" column (or an email, phone, or name and organisation) imports back
    into Rapport onto the same clients.
    """
    return _run(export_steps(path, client_ids, kind="csv", columns=columns))
