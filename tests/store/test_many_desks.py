"""Many desks, one database (SHARING.md, "What the tests prove"): real processes on a real file or server.

Each desk is a separate Python process (tests/store/desk_worker.py) that opens the office through
`models.store`, as a desk does, and reports what the store acknowledged. This process then checks the
database against those acknowledgements: nothing acknowledged is missing, nothing is half-written,
the change log has one row per write, and every failure reached the caller as a sentence.
"""
from __future__ import annotations

import errno
import gc
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import peewee as pw
import pytest

from models import db as dbmod
from models import store
from models import tables as t
from models.errors import BusyError, DatabaseError
from tests.store.conftest import PG_SKIP, PG_URL, empty_location, reset_postgres

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 90.0  # a loaded 2-core CI machine starts six Python processes slowly
RUN_TIMEOUT_S = 120.0
ENTITY_OF = {"interaction": "interaction", "note": "note", "promise": "promise", "client": "client"}
TABLE_OF = {"interaction": t.Interaction, "note": t.Note, "promise": t.Promise, "client": t.Client}


# --- desks in other processes -------------------------------------------------------------------

class Desk:
    """One desk_worker process; its output goes to a log file that failures quote."""

    def __init__(self, folder: Path, name: str, spec: dict[str, Any], *, stdin: bool = False) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.name = name
        self.out = folder / f"{name}.json"
        self.ready = folder / f"{name}.ready"
        self.log = folder / f"{name}.log"
        self.spec = {**spec, "out": str(self.out), "ready": str(self.ready)}
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "tests.store.desk_worker", json.dumps(self.spec)],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]

    def wait_ready(self, deadline: float) -> None:
        while not self.ready.exists():
            if self.proc.poll() is not None:
                pytest.fail(f"desk {self.name} exited (code {self.proc.returncode}) before it was ready:\n"
                            f"{self.output()}")
            if time.monotonic() > deadline:
                pytest.fail(f"desk {self.name} was not ready within {START_TIMEOUT_S:.0f} s:\n{self.output()}")
            time.sleep(0.01)

    def result(self, timeout: float = RUN_TIMEOUT_S) -> dict[str, Any]:
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pytest.fail(f"desk {self.name} did not finish within {timeout:.0f} s:\n{self.output()}")
        if code != 0 or not self.out.exists():
            pytest.fail(f"desk {self.name} failed (exit code {code}):\n{self.output()}")
        return json.loads(self.out.read_text())

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=30)
        if self.proc.stdin:
            self.proc.stdin.close()


@dataclass
class Office:
    """An office database open in this process, with a receptionist and a client to write about."""

    location: str
    engine: str
    anna: int
    client: int


def _desk_specs(office: Office, **spec: Any) -> dict[str, Any]:
    return {"location": office.location, "by": office.anna, **spec}


def run_desks(folder: Path, specs: list[dict[str, Any]],
              during: Callable[[list[Desk]], None] | None = None) -> list[dict[str, Any]]:
    """Start every desk, let them all go at once when all are ready, and return their reports."""
    go = folder / "go"
    desks: list[Desk] = []
    try:
        for i, spec in enumerate(specs):
            desks.append(Desk(folder, f"desk{i}", {**spec, "go": str(go)}))
        deadline = time.monotonic() + START_TIMEOUT_S
        for desk in desks:
            desk.wait_ready(deadline)
        go.touch()
        if during is not None:
            during(desks)
        return [desk.result() for desk in desks]
    finally:
        for desk in desks:
            desk.kill()


def overlapped(results: list[dict[str, Any]]) -> bool:
    """True when every desk was still writing when the last one started (the writes really overlapped)."""
    starts = [r["started"] for r in results]
    ends = [r["started"] + r["elapsed"] for r in results]
    return max(starts) < min(ends)


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.01)


# --- fixtures -------------------------------------------------------------------------------------

def _open_office(location: str, engine: str) -> Office:
    store.open(location)
    anna = store.add_staff("Anna Keller").id
    client = store.add_client(name="Oliver Thompson", by=anna, phone="01632 960001").id
    return Office(location, engine, anna, client)


@pytest.fixture(params=["sqlite", "postgresql"])
def shared(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Office]:
    """An office on either engine, open in this process (which plays the desk being watched)."""
    location = empty_location(request.param, tmp_path)
    try:
        yield _open_office(location, request.param)
    finally:
        store.set_busy_listener(None)
        store.close()


@pytest.fixture
def sqlite_office(tmp_path: Path) -> Iterator[Office]:
    """A SQLite office file, open in this process."""
    try:
        yield _open_office(str(tmp_path / "office.db"), "sqlite")
    finally:
        store.set_busy_listener(None)
        store.close()


# --- checks ---------------------------------------------------------------------------------------

def assert_sentence(message: str) -> None:
    """What a receptionist reads: a sentence, not a driver's message or a traceback."""
    assert message and message.rstrip().endswith((".", ")")) and "\n" not in message.strip(), message
    for leak in ("Traceback", "sqlite3", "peewee", "psycopg", "OperationalError", "cannot rollback",
                 "no transaction is active", "Something went wrong"):
        assert leak not in message, f"{leak!r} reached the person at the desk: {message}"


def counts() -> dict[str, int]:
    """Rows per table that a write touches (read through this process's own connection)."""
    return {name: table.select().count() for name, table in
            (("interaction", t.Interaction), ("note", t.Note), ("promise", t.Promise),
             ("promise_event", t.PromiseEvent), ("change", t.Change), ("client", t.Client))}


def assert_integrity_ok(office: Office) -> None:
    if office.engine == "sqlite":
        rows = [r[0] for r in t.database.obj.execute_sql("PRAGMA integrity_check").fetchall()]
        assert rows == ["ok"], rows[:10]
        assert store.check_integrity(full=True) is None


def assert_not_in_a_transaction() -> None:
    db = t.database.obj
    assert not db.in_transaction()
    if isinstance(db, pw.SqliteDatabase):
        assert not db.connection().in_transaction, "a failed write left the SQLite transaction open"


def assert_all_or_nothing() -> None:
    """Every record a write adds has exactly its change-log row and its side effects, and nothing else."""
    logged: dict[str, Counter[int]] = {
        entity: Counter(eid for (eid,) in t.Change.select(t.Change.entity_id)
                        .where((t.Change.entity == entity) & (t.Change.action == "add")).tuples())
        for entity in ("interaction", "note", "promise")
    }
    for entity in ("interaction", "note", "promise"):
        ids = [i for (i,) in TABLE_OF[entity].select(TABLE_OF[entity].id).tuples()]
        assert Counter(ids) == logged[entity], f"{entity} rows and their change-log rows differ"
    made = Counter(p for (p,) in t.PromiseEvent.select(t.PromiseEvent.promise)
                   .where(t.PromiseEvent.action == "made").tuples())
    assert made == Counter(logged["promise"]), "a promise without exactly one 'made' event"
    for client in t.Client.select():
        last = (t.Interaction.select(pw.fn.MAX(t.Interaction.at))
                .where((t.Interaction.client == client.id) & t.Interaction.deleted_at.is_null()).scalar())
        due = (t.Promise.select(pw.fn.MIN(t.Promise.due))
               .where((t.Promise.client == client.id) & (t.Promise.status == "open")
                      & t.Promise.deleted_at.is_null()).scalar())
        assert _micros(client.last_contact_at) == _micros(last), \
            f"client {client.id}: last contact is not the newest interaction"
        assert _micros(client.next_due_at) == _micros(due), \
            f"client {client.id}: next due is not the earliest open promise"


def _micros(value: Any) -> int | None:
    if value is None:
        return None
    return value if isinstance(value, int) else t.to_micros(value)


# --- 1. several desks writing at once -------------------------------------------------------------

@pytest.mark.slow
def test_six_desks_writing_at_once_lose_nothing_and_never_see_a_lock(shared: Office, tmp_path: Path) -> None:
    others = [store.add_client(name=f"Client {i}", by=shared.anna).id for i in range(2)]
    before = counts()
    first_change = store.latest_change_id()
    specs = [_desk_specs(shared, mode="write", count=40, clients=[shared.client, *others],
                         kinds=["interaction", "note", "promise"], tag=f"desk {i}") for i in range(6)]
    results = run_desks(tmp_path / "desks", specs)

    errors = [(i, e) for i, r in enumerate(results) for e in r["errors"]]
    assert not errors, f"errors reached the desks: {errors[:5]}"
    assert overlapped(results), "the desks did not write at the same time; the test proved nothing"
    acks = [(kind, new_id) for r in results for kind, new_id, _, _ in r["acks"]]
    assert len(acks) == 6 * 40

    after = counts()
    by_kind = Counter(kind for kind, _ in acks)
    for kind in ("interaction", "note", "promise"):
        acked = {i for k, i in acks if k == kind}
        assert len(acked) == by_kind[kind], f"the store returned one {kind} id twice"
        stored = {i for (i,) in TABLE_OF[kind].select(TABLE_OF[kind].id).tuples()}
        assert acked <= stored, f"acknowledged {kind}s are missing: {sorted(acked - stored)[:10]}"
        assert after[kind] - before[kind] == by_kind[kind]
    logged = Counter((e, i) for e, i in t.Change.select(t.Change.entity, t.Change.entity_id)
                     .where(t.Change.id > first_change).tuples())
    assert logged == Counter((ENTITY_OF[k], i) for k, i in acks), "the change log is not one row per write"
    assert after["change"] - before["change"] == len(acks)
    assert_all_or_nothing()
    assert_integrity_ok(shared)


# --- 2. a writer killed at random points ----------------------------------------------------------

@pytest.mark.slow
def test_writers_killed_at_random_points_leave_a_whole_file(sqlite_office: Office, tmp_path: Path) -> None:
    office = sqlite_office
    second = store.add_client(name="Isla Walsh", by=office.anna).id
    store.close()
    path = Path(office.location)
    journal = path.with_name(path.name + "-journal")
    seed = int.from_bytes(os.urandom(4), "little")
    rng = random.Random(seed)
    acked: dict[str, set[int]] = {"interaction": set(), "promise": set(), "note": set()}
    kills = hot = rounds = 0
    # At least 6 rounds; more (up to 14) until a kill has landed inside a transaction at least twice.
    while rounds < 6 or (hot < 2 and rounds < 14):
        folder = tmp_path / f"round{rounds}"
        desks = []
        try:
            for i in range(2):
                spec = _desk_specs(office, mode="loop", clients=[office.client, second],
                                   acks=str(folder / f"acks{i}.txt"), tag=f"round {rounds} desk {i}")
                desks.append(Desk(folder, f"desk{i}", spec))
            deadline = time.monotonic() + START_TIMEOUT_S
            for desk in desks:
                desk.wait_ready(deadline)
            started = time.monotonic()
            for delay, desk in sorted((rng.uniform(0.05, 0.5), d) for d in desks):
                time.sleep(max(0.0, started + delay - time.monotonic()))
                os.kill(desk.proc.pid, signal.SIGKILL)
            for desk in desks:
                assert desk.proc.wait(timeout=30) == -signal.SIGKILL, desk.output()
        finally:
            for desk in desks:
                desk.kill()
        kills += len(desks)
        rounds += 1
        if journal.exists() and journal.stat().st_size > 0:
            hot += 1  # a desk died inside a write transaction: the next opener must roll it back
        for i in range(len(desks)):
            text = (folder / f"acks{i}.txt").read_text()
            for line in text.splitlines(keepends=True):
                if line.endswith("\n"):  # a line cut short by the kill was never acknowledged
                    kind, new_id = line.split()
                    acked[kind].add(int(new_id))

        store.open(path)  # must open, rolling back whatever the dead desks left half-done
        try:
            context = f"(seed {seed}, round {rounds})"
            assert store.check_integrity(full=True) is None, context
            for kind, ids in acked.items():
                stored = {i for (i,) in TABLE_OF[kind].select(TABLE_OF[kind].id).tuples()}
                assert ids <= stored, f"acknowledged {kind}s lost {context}: {sorted(ids - stored)[:10]}"
                # a desk can die after its commit and before it says so: at most one such write per kill
                assert len(stored - ids) <= kills, context
            assert_all_or_nothing()
        finally:
            store.close()
    assert sum(len(ids) for ids in acked.values()) > 0, "no desk got a single write done"
    assert hot >= 1, f"no kill landed inside a transaction in {rounds} rounds; the test proved little"
    print(f"\n{rounds} rounds, {kills} kills, {hot} rounds left a hot journal, "
          f"{sum(len(v) for v in acked.values())} writes acknowledged (seed {seed})")


# --- 3. two desks save the same record --------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("target", ["client", "promise"])
def test_two_desks_saving_the_same_record_get_one_save_and_one_conflict(shared: Office, tmp_path: Path,
                                                                        target: str) -> None:
    ben = store.add_staff("Ben Okafor", by=shared.anna).id
    if target == "client":
        record = shared.client
        version = store.get_client(record).version
        values = ["01632 960111", "01632 960222"]
    else:
        record = store.make_promise(shared.client, by=shared.anna, text="Send the signed lease",
                                    due=store.utcnow() + timedelta(days=2)).id
        version = store.get_promise(record).version
        values = ["3", "5"]  # days ahead: two different new due dates
    edits_before = t.Change.select().where(t.Change.entity_id == record, t.Change.entity == target,
                                           t.Change.action != "add").count()
    specs = [_desk_specs(shared, mode="edit", target=target, id=record, value=value, by=who)
             for who, value in zip((shared.anna, ben), values, strict=True)]
    results = run_desks(tmp_path / "desks", specs)

    assert [r["loaded_version"] for r in results] == [version, version], "both desks must load the same version"
    assert sorted(r["outcome"] for r in results) == ["conflict", "saved"], results
    winner = next(i for i, r in enumerate(results) if r["outcome"] == "saved")
    loser = results[1 - winner]
    assert_sentence(loser["message"])
    assert loser["current"] is not None, "the conflict must carry the record as it is now"
    assert loser["current"]["version"] == version + 1
    if target == "client":
        now = store.get_client(record)
        assert now.phone == values[winner] == loser["current"]["value"], "the later save overwrote the first"
    else:
        now_promise = store.get_promise(record)
        assert now_promise.due.isoformat() == loser["current"]["value"]
        expected = store.utcnow() + timedelta(days=int(values[winner]))
        assert abs(now_promise.due - expected) < timedelta(hours=1), "the later save overwrote the first"
    assert (now if target == "client" else now_promise).version == version + 1
    edits = t.Change.select().where(t.Change.entity_id == record, t.Change.entity == target,
                                    t.Change.action != "add").count()
    assert edits - edits_before == 1, "exactly one edit is logged"


# --- 4. a change at desk A reaches desk B -----------------------------------------------------------

@pytest.mark.slow
def test_a_change_at_another_desk_reaches_this_desk_through_the_feed(shared: Office, tmp_path: Path) -> None:
    other = store.add_client(name="Priya Shah", by=shared.anna).id
    me = store.start_session(shared.anna, app_version="test")  # this process is desk B
    after = store.latest_change_id()
    after, quiet = store.poll(after, skip_origin=me)
    assert not quiet
    start = after
    mine = store.add_note(shared.client, by=shared.anna, text="Desk B's own note")  # stamped with B's session
    assert mine.clients == frozenset({shared.client})

    seen: list[tuple[float, Any]] = []  # (when the poll started, what it returned)
    desk = Desk(tmp_path / "desks", "deskA", _desk_specs(shared, mode="write", session=True, count=1,
                                                          clients=[other], kinds=["promise"], tag="desk A"))
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            polled_at = time.time()
            after, changes = store.poll(after, skip_origin=me)
            seen.append((polled_at, changes))
            if other in changes.clients:
                break
            time.sleep(0.1)
        result = desk.result()
    finally:
        desk.kill()

    assert not result["errors"], result["errors"]
    (kind, promise_id, clients, acked_at), = result["acks"]
    assert kind == "promise" and clients == [other]
    hits = [(when, changes) for when, changes in seen if other in changes.clients]
    assert hits, "desk A's promise never reached desk B's feed"
    seen_at, changes = hits[0]
    # No poll that started after desk A's save may miss it: with polls every 2 s, B knows within 2 s.
    missed = [when for when, c in seen if when > acked_at and other not in c.clients]
    assert not missed, f"polls after the save missed it: {missed}"
    delay = max(0.0, seen_at - acked_at)  # a poll may even catch it between the commit and the ack
    assert delay < 3.0, f"desk B saw the change {delay:.1f} s after desk A saved it"
    # B's own note was skipped: nothing in the feed but A's promise
    merged = frozenset().union(*(c.clients for _, c in seen))
    assert merged == frozenset({other}), "desk B was told about its own note"
    assert changes.kinds == frozenset({"promise", "timeline", "score"})
    assert after == store.latest_change_id()
    origins = {(i, o) for i, o in t.Change.select(t.Change.entity_id, t.Change.origin)
               .where(t.Change.entity == "promise").tuples()}
    assert origins == {(promise_id, result["session"])}, "desk A's row must carry desk A's session"
    # Without skip_origin, both desks' changes are there.
    _, everything = store.changes_since(start)
    assert everything.clients == frozenset({shared.client, other})


@pytest.mark.slow
def test_the_feed_shows_every_change_in_order_while_desks_write_at_once(shared: Office, tmp_path: Path) -> None:
    """Over PostgreSQL, ids commit out of order unless every write takes the change-log lock (SHARING.md)."""
    existing = {i for (i,) in t.Client.select(t.Client.id).tuples()}
    after = store.latest_change_id()
    seen: set[int] = set()
    polls = 0

    def follow(desks: list[Desk]) -> None:
        nonlocal after, polls
        while any(d.proc.poll() is None for d in desks):
            last, changes = store.changes_since(after)
            assert last >= after, "the feed went backwards"
            after = last
            seen.update(changes.clients)
            polls += 1
            time.sleep(0.001)

    specs = [_desk_specs(shared, mode="write", count=60, kinds=["client"], tag=f"desk {i}") for i in range(4)]
    results = run_desks(tmp_path / "desks", specs, during=follow)
    after, changes = store.changes_since(after)
    seen.update(changes.clients)

    assert not [e for r in results for e in r["errors"]]
    acked = {new_id for r in results for _, new_id, _, _ in r["acks"]}
    stored = {i for (i,) in t.Client.select(t.Client.id).tuples()} - existing
    assert len(acked) == 4 * 60 and acked == stored
    assert seen == stored, f"the feed skipped {sorted(stored - seen)[:10]} (after {polls} polls)"
    assert after == store.latest_change_id()


@pytest.mark.slow
def test_a_change_made_while_this_desk_reopened_the_file_is_not_missed(sqlite_office: Office,
                                                                       tmp_path: Path) -> None:
    office = sqlite_office
    me = store.start_session(office.anna, app_version="test")
    after = store.latest_change_id()
    after, _ = store.poll(after, skip_origin=me)
    store.close()
    results = run_desks(tmp_path / "desks", [_desk_specs(office, mode="write", count=1, kinds=["note"],
                                                         clients=[office.client])])
    assert results[0]["errors"] == [] and len(results[0]["acks"]) == 1
    store.open(office.location)
    _, changes = store.poll(after, skip_origin=me)
    assert office.client in changes.clients


# --- 5. injected faults -----------------------------------------------------------------------------

@pytest.fixture
def busy_budget(monkeypatch: pytest.MonkeyPatch) -> float:
    """A short retry budget (and busy timeout per attempt) so that "busy for too long" comes quickly."""
    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_S", 0.25)
    monkeypatch.setattr(dbmod, "RETRY_BUDGET_S", 1.0)
    return 1.0


@pytest.mark.slow
@pytest.mark.parametrize("lock", ["IMMEDIATE", "EXCLUSIVE"])
def test_a_file_locked_by_another_program_past_the_budget_is_busy_and_writes_nothing(
        busy_budget: float, tmp_path: Path, lock: str) -> None:
    office = _open_office(str(tmp_path / "office.db"), "sqlite")  # opened after the budget was shortened
    holder = None
    try:
        before = counts()
        holder = Desk(tmp_path / "holder", "holder", {"mode": "hold-lock", "location": office.location,
                                                      "lock": lock}, stdin=True)
        holder.wait_ready(time.monotonic() + START_TIMEOUT_S)
        waited: list[float] = []
        store.set_busy_listener(waited.append)
        started = time.monotonic()
        with pytest.raises(BusyError) as err:
            store.log_interaction(office.client, by=office.anna, summary="Called about the lease", rating=1)
        elapsed = time.monotonic() - started
        assert busy_budget <= elapsed < busy_budget + 15, elapsed
        assert waited, "the store gave up without retrying"
        assert "busy" in err.value.message and "kept" in err.value.message
        assert_sentence(err.value.message)
        assert_not_in_a_transaction()
        assert holder.proc.stdin is not None
        holder.proc.stdin.close()  # the other program lets go
        assert holder.proc.wait(timeout=30) == 0, holder.output()
        assert counts() == before, "a write that was refused as busy left rows behind"
        # what the person typed is still there: saving it again now works
        store.log_interaction(office.client, by=office.anna, summary="Called about the lease", rating=1)
        assert counts()["interaction"] == before["interaction"] + 1
        assert_integrity_ok(office)
    finally:
        store.set_busy_listener(None)
        if holder is not None:
            holder.kill()
        store.close()


LONG_NOTE = ("Went through the lease clause by clause with the client. " * 800).strip()  # ~46,000 characters


def test_a_full_disk_is_a_sentence_and_the_write_is_rolled_back(sqlite_office: Office) -> None:
    """max_page_count on the store's own connection: SQLite answers exactly as for a full disk."""
    db = t.database.obj
    before = counts()
    limit = db.execute_sql("PRAGMA max_page_count").fetchone()[0]
    pages = db.execute_sql("PRAGMA page_count").fetchone()[0]
    db.execute_sql(f"PRAGMA max_page_count = {pages}")
    try:
        with pytest.raises(DatabaseError) as err:
            store.add_note(sqlite_office.client, by=sqlite_office.anna, text=LONG_NOTE)
    finally:
        db.execute_sql(f"PRAGMA max_page_count = {limit}")
    assert "full" in err.value.message and "kept" in err.value.message
    assert_sentence(err.value.message)
    assert_not_in_a_transaction()
    assert counts() == before
    store.add_note(sqlite_office.client, by=sqlite_office.anna, text=LONG_NOTE)  # space again: it saves
    assert counts()["note"] == before["note"] + 1
    assert_all_or_nothing()
    assert_integrity_ok(sqlite_office)


def _mount(*args: str) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a file system needs root")
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here ({done.stderr.strip() or done.returncode}); the fault cannot be made")


def _umount(target: Path) -> None:
    done = subprocess.run(["umount", str(target)], capture_output=True, text=True)
    if done.returncode != 0:  # something still has a file open there: say what, then detach it anyway
        held = subprocess.run(["ls", "-l", f"/proc/{os.getpid()}/fd"], capture_output=True, text=True).stdout
        subprocess.run(["umount", "-l", str(target)], capture_output=True)
        pytest.fail(f"could not unmount {target}: {done.stderr.strip()}\n{held}")


@pytest.mark.slow
def test_a_really_full_disk_is_a_sentence_and_the_text_saves_once_there_is_room(tmp_path: Path) -> None:
    """A 4 MB tmpfs filled to the last block: the kernel answers ENOSPC to SQLite's writes."""
    disk = tmp_path / "small-disk"
    disk.mkdir()
    _mount("-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk))
    try:
        office = _open_office(str(disk / "office.db"), "sqlite")
        before = counts()
        filler = disk / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o644)
        try:
            while True:
                os.write(fd, b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
        finally:
            os.close(fd)
        with pytest.raises(DatabaseError) as err:
            store.add_note(office.client, by=office.anna, text=LONG_NOTE)
        message = err.value.message
        del err  # its traceback holds a cursor, which would keep the file open (and the disk mounted)
        assert "full" in message
        assert_sentence(message)
        assert_not_in_a_transaction()
        assert counts() == before
        filler.unlink()  # someone frees some space
        store.add_note(office.client, by=office.anna, text=LONG_NOTE)
        assert counts()["note"] == before["note"] + 1
        assert_all_or_nothing()
        assert_integrity_ok(office)
    finally:
        store.close()
        gc.collect()
        _umount(disk)


def test_a_read_only_connection_is_a_sentence_and_writes_nothing(sqlite_office: Office) -> None:
    """query_only on the store's own connection: SQLite refuses writes as for a read-only file."""
    db = t.database.obj
    before = counts()
    db.execute_sql("PRAGMA query_only = 1")
    try:
        with pytest.raises(DatabaseError) as err:
            store.log_interaction(sqlite_office.client, by=sqlite_office.anna, summary="Visit", rating=2)
    finally:
        db.execute_sql("PRAGMA query_only = 0")
    assert "read-only" in err.value.message
    assert_sentence(err.value.message)
    assert_not_in_a_transaction()
    assert counts() == before
    store.log_interaction(sqlite_office.client, by=sqlite_office.anna, summary="Visit", rating=2)
    assert counts()["interaction"] == before["interaction"] + 1


def test_an_office_on_a_read_only_share_is_refused_with_a_sentence(tmp_path: Path) -> None:
    """A real read-only mount (root ignores file permissions, but not a read-only file system)."""
    folder, view = tmp_path / "share", tmp_path / "read-only-view"
    folder.mkdir()
    view.mkdir()
    _open_office(str(folder / "office.db"), "sqlite")
    store.close()
    _mount("--bind", str(folder), str(view))
    try:
        _mount("-o", "remount,bind,ro", str(view))
        before = (folder / "office.db").read_bytes()
        with pytest.raises(DatabaseError) as err:
            store.open(view / "office.db")
        assert "read-only" in err.value.message
        assert_sentence(err.value.message)
        assert (folder / "office.db").read_bytes() == before
        assert not (folder / "office.db-journal").exists()
    finally:
        store.close()
        _umount(view)


def test_a_folder_that_turns_read_only_during_work_is_a_sentence(sqlite_office: Office, tmp_path: Path) -> None:
    """The immutable attribute on the folder: SQLite cannot create its journal there, even as root."""
    folder = Path(sqlite_office.location).parent
    before = counts()
    done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"chattr +i is not available here ({done.stderr.strip()})")
    try:
        with pytest.raises(DatabaseError) as err:
            store.add_note(sqlite_office.client, by=sqlite_office.anna, text="Prefers email")
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    assert "folder" in err.value.message
    assert_sentence(err.value.message)
    assert_not_in_a_transaction()
    assert counts() == before
    store.add_note(sqlite_office.client, by=sqlite_office.anna, text="Prefers email")
    assert counts()["note"] == before["note"] + 1


@pytest.mark.slow
def test_a_disk_io_error_is_a_sentence_and_nothing_is_half_written(sqlite_office: Office, tmp_path: Path) -> None:
    """A real EFBIG from the kernel (a file-size limit in the desk's process) is SQLite's "disk I/O error"."""
    before = counts()
    desk = Desk(tmp_path / "desk", "desk", _desk_specs(sqlite_office, mode="io-error", client=sqlite_office.client,
                                                       text=LONG_NOTE))
    try:
        result = desk.result()
    finally:
        desk.kill()
    kind, message = result["first"]
    assert kind == "DatabaseError", result
    assert "could not read or write" in message and "half-saved" in message
    assert_sentence(message)
    assert result["again"][0] == "saved", result  # the same text, saved once the disk answers again
    assert counts()["note"] == before["note"] + 1
    assert [n for (n,) in t.Note.select(t.Note.id).where(t.Note.text == LONG_NOTE).tuples()] == [result["again"][1]]
    assert_all_or_nothing()
    assert_integrity_ok(sqlite_office)


def _damaged_office(tmp_path: Path, where: str) -> tuple[Path, Office]:
    office = _open_office(str(tmp_path / "office.db"), "sqlite")
    for i in range(300):
        store.log_interaction(office.client, by=office.anna, summary=f"Call {i}: " + "about the lease " * 10,
                              rating=1)
    store.close()
    path = Path(office.location)
    db = pw.SqliteDatabase(str(path))
    page_size = db.execute_sql("PRAGMA page_size").fetchone()[0]
    root = db.execute_sql("SELECT rootpage FROM sqlite_master WHERE name = 'interaction'").fetchone()[0]
    db.close()
    garbage = random.Random(7).randbytes(page_size)
    with open(path, "r+b") as fh:
        if where == "schema":
            fh.seek(100)  # keep the 100-byte file header: the file still looks like a database
            fh.write(garbage[100:])
        else:
            fh.seek((root - 1) * page_size)
            fh.write(garbage)
    return path, office


def test_a_file_with_a_damaged_schema_is_refused_with_a_sentence_and_left_alone(tmp_path: Path) -> None:
    path, _ = _damaged_office(tmp_path, "schema")
    before = path.read_bytes()
    with pytest.raises(DatabaseError) as err:
        store.open(path)
    assert "damaged" in err.value.message and "backup" in err.value.message
    assert_sentence(err.value.message)
    assert path.read_bytes() == before


def test_a_file_with_damaged_pages_is_reported_and_every_use_is_a_sentence(tmp_path: Path) -> None:
    path, office = _damaged_office(tmp_path, "table")
    dbmod.open_database(path, quick_check=False)  # a file too large for the check at open: it runs later
    try:
        try:
            problem = store.check_integrity()
        except DatabaseError as exc:
            problem = exc.message
        assert problem and "damaged" in problem
        assert_sentence(problem)
        for attempt in (lambda: store.timeline(office.client),
                        lambda: store.log_interaction(office.client, by=office.anna, summary="Visit", rating=1)):
            with pytest.raises(DatabaseError, match="damaged") as err:
                attempt()
            assert_sentence(err.value.message)
    finally:
        store.close()


def test_the_check_at_open_refuses_a_damaged_file_with_a_sentence(tmp_path: Path) -> None:
    path, _ = _damaged_office(tmp_path, "table")
    try:
        with pytest.raises(DatabaseError, match="damaged") as err:
            dbmod.open_database(path, quick_check=True)
        assert_sentence(err.value.message)
    finally:
        store.close()


# --- PostgreSQL: a desk holding the write lock ------------------------------------------------------

@pytest.fixture
def pg_office() -> Iterator[Office]:
    if not PG_URL:
        pytest.skip(PG_SKIP)
    reset_postgres(PG_URL)
    try:
        yield _open_office(PG_URL, "postgresql")
    finally:
        store.close()


def _hold_pg_write_lock(seconds: float) -> threading.Thread:
    """Another desk stuck inside a write transaction (say, a laptop that slept mid-save) for `seconds`."""
    import psycopg

    ready = threading.Event()

    def hold() -> None:
        with psycopg.connect(PG_URL) as conn:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (dbmod.PG_WRITE_LOCK_KEY,))
            ready.set()
            time.sleep(seconds)
            conn.rollback()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    assert ready.wait(30)
    return thread


@pytest.mark.slow
def test_postgres_lock_timeouts_are_retried_then_busy_and_write_nothing(pg_office: Office, busy_budget: float) -> None:
    """With a lock timeout on the connection, a stuck desk makes the others busy, never a traceback."""
    t.database.obj.execute_sql("SET lock_timeout = '300ms'")
    before = counts()
    holder = _hold_pg_write_lock(busy_budget + 1.5)
    waited: list[float] = []
    store.set_busy_listener(waited.append)
    try:
        with pytest.raises(BusyError) as err:
            store.log_interaction(pg_office.client, by=pg_office.anna, summary="Visit", rating=1)
    finally:
        store.set_busy_listener(None)
    assert waited, "a lock timeout is worth retrying"
    assert_sentence(err.value.message)
    assert_not_in_a_transaction()
    holder.join(30)
    assert counts() == before
    store.log_interaction(pg_office.client, by=pg_office.anna, summary="Visit", rating=1)
    assert counts()["interaction"] == before["interaction"] + 1


@pytest.mark.slow
def test_postgres_a_desk_stuck_in_a_write_makes_the_others_busy_within_the_budget(
        pg_office: Office, busy_budget: float) -> None:
    holder = _hold_pg_write_lock(busy_budget + 2)
    started = time.monotonic()
    try:
        with pytest.raises(BusyError):
            store.log_interaction(pg_office.client, by=pg_office.anna, summary="Visit", rating=1)
        waited = time.monotonic() - started  # before waiting for the stuck desk to let go
    finally:
        holder.join(30)
    assert waited < busy_budget + 1.5
