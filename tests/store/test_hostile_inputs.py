"""Nothing escapes (issue 12): hostile values into every public store function and every parameter end in
a ValidationError naming the field, another sentence-carrying refusal (a conflict), or success — never
UnicodeEncodeError, OverflowError, TypeError, AttributeError, ValueError or the generic "Something went
wrong".

The functions and their parameters are enumerated from models.store itself (a new public function
without a baseline here fails test_every_public_function_is_covered). One sweep tries every hostile
value on every parameter (deterministic, with counts printed); a hypothesis property adds generated
values (text with surrogates and controls, unbounded integers, floats, aware datetimes of any offset)
with a fixed example count.
"""
from __future__ import annotations

import inspect
import math
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models import store
from models.errors import ConflictError, DatabaseError, StoreError, ValidationError
from tests.store.conftest import empty_location

# Process configuration and calls without parameters are not inputs: they are left out on purpose.
NOT_INPUTS = {"open", "close", "set_clock", "set_busy_listener", "utcnow", "backups_folder", "latest_change_id",
              "stale_scores", "list_backups"}
GENERIC = "Something went wrong"

BIG = "x" * 10_000_000
PLUS14 = timezone(timedelta(hours=14))
MINUS14 = timezone(-timedelta(hours=14))
HOSTILE: list[tuple[str, Any]] = [
    ("10 MB string", BIG),
    ("NUL byte", "a\x00b"),
    ("lone surrogate", "caf\udce9"),
    ("control characters", "\x1b[2J\x07"),
    ("empty string", ""),
    ("2**63", 2**63),
    ("2**63 - 1", 2**63 - 1),  # found by the explore profile: version + 1 overflowed
    ("-2**63 - 1", -(2**63) - 1),
    ("2**64", 2**64),
    ("10**100", 10**100),
    ("-1", -1),
    ("missing id", 987_654),
    ("True", True),
    ("NaN", math.nan),
    ("infinity", math.inf),
    ("1.5", 1.5),
    ("naive datetime", datetime(2026, 1, 1, 12, 0)),
    ("year 1 at +14:00", datetime(1, 1, 1, 0, 0, tzinfo=PLUS14)),
    ("year 9999 at -14:00", datetime(9999, 12, 31, 23, 59, tzinfo=MINUS14)),
    ("year 1 UTC", datetime(1, 1, 1, tzinfo=UTC)),
    ("year 9999 UTC", datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)),
    ("list of strings", ["a", "b"]),
    ("list of huge ints", [2**63, 2**70]),
    ("dict", {"a": 1}),
    ("bytes", b"\xff\xfe"),
    ("None", None),
    ("object", object()),
    ("path with NUL", Path("a\x00b.json")),
]


@dataclass
class Ids:
    """The records a baseline call refers to (refreshed before every call: earlier calls may delete them)."""

    anna: int
    ben: int
    client: int
    deleted_client: int
    interaction: int
    note: int
    promise: int
    promise_version: int
    client_version: int
    ben_version: int
    change_ids: tuple[int, ...]
    session: str
    folder: Path
    other_client: int  # a second live client (pairs: different people, merges)
    undone: tuple[int, ...]  # the change rows an undo returned: redo() takes them
    contacts: Path  # a small contact file to preview, import and save problems from
    import_id: int
    dry_run: Any  # the ImportReport of a dry run of `contacts`


def _fresh_ids(folder: Path, n: int = 0) -> Ids:
    anna = store.add_staff("Anna Keller").id if not store.list_staff() else store.list_staff()[0].id
    ben = store.add_staff(f"Ben Okafor {n}", by=anna).id
    client = store.add_client(name="Oliver Thompson", by=anna, phone="01632 960001").id
    gone = store.add_client(name="Gone Client", by=anna).id
    store.delete_client(gone, by=anna)
    interaction = store.log_interaction(client, by=anna, summary="Called", rating=1).id
    note = store.add_note(client, by=anna, text="A note").id
    made = store.make_promise(client, by=anna, text="Call back", due=store.utcnow() + timedelta(days=2))
    promise = made.id
    session = store.start_session(anna, app_version="test")
    other = store.add_client(name=f"Olivia Thomson {n}", by=anna, phone="01632 960002").id
    added = store.add_note(client, by=anna, text="Undone note")
    undone = store.undo(added.change_ids, by=anna).change_ids
    contacts = _contact_file(folder, n)
    import_id = store.import_contacts(contacts, by=anna).import_id
    dry_run = store.import_contacts(contacts, by=anna, dry_run=True)
    return Ids(anna, ben, client, gone, interaction, note, promise, store.get_promise(promise).version,
               store.get_client(client).version, store.get_staff(ben).version, made.change_ids, session, folder,
               other, undone, contacts, import_id, dry_run)


def _contact_file(folder: Path, n: int) -> Path:
    path = folder / f"contacts{n}.csv"
    path.write_text(f"Name,Phone,Email\nImported Person {n},01632 960{n % 1000:03d},\n,,no name here\n",
                    encoding="utf-8")
    return path


def _fresh_pair(ids: Ids, n: int) -> tuple[int, int]:
    """Two new clients of their own (merging consumes them)."""
    return (store.add_client(name=f"Keep Me {n}", by=ids.anna).id,
            store.add_client(name=f"Merge Me {n}", by=ids.anna).id)


def _destructive(name: str, ids: Ids, n: int) -> dict[str, Any]:
    """Baselines of calls that use their records up (erase, merge, unmerge, revert): new records every call, so
    one hostile value's success never leaves the next call of the sweep a consumed record to be refused on."""
    if name == "erase_client":
        return dict(client_id=store.add_client(name=f"Erase Me {n}", by=ids.anna).id, by=ids.anna)
    if name == "merge_clients":
        keep, other = _fresh_pair(ids, n)
        return dict(keep=keep, other=other, by=ids.anna, fields={"phone": "other"})
    if name == "unmerge":
        keep, other = _fresh_pair(ids, n)
        return dict(merge_id=store.merge_clients(keep, other, by=ids.anna).id, by=ids.anna)
    if name == "revert_import":
        report = store.import_contacts(_contact_file(ids.folder, n), by=ids.anna)
        return dict(import_id=report.import_id, by=ids.anna, keep_touched=True)
    raise KeyError(name)


DESTRUCTIVE = {"erase_client", "merge_clients", "unmerge", "revert_import"}


def _settings_baseline(name: str, ids: Ids) -> dict[str, Any]:
    """The office settings as they are now (their version moves with every saved change)."""
    current = store.office_settings()
    if name == "rename_topic":
        return dict(old=current.topics[0], new=current.topics[0] + " ", version=current.version, by=ids.anna)
    values = {k: getattr(current, k) for k in store.setting_names()}
    return dict(version=current.version, by=ids.anna, **values)


def baseline(name: str, ids: Ids, n: int) -> dict[str, Any]:
    """Valid arguments for one call of `name` (`n` makes file names unique)."""
    if name in DESTRUCTIVE:
        return _destructive(name, ids, n)
    if name in ("rename_topic", "update_office_settings"):
        return _settings_baseline(name, ids)
    now = store.utcnow()
    later = now + timedelta(days=3)
    f = ids.folder
    return {
        "add_client": dict(name="Ada Lovelace", by=ids.anna, organisation="", phone="", email="", address="",
                           preferred_channel="", caution="", usual_handler=None, more_details=""),
        "add_note": dict(client_id=ids.client, by=ids.anna, text="Rang", at=None, pinned=False),
        "add_staff": dict(name=f"Zed {n}", by=ids.anna, initials="", role="staff", pin=None),
        "backup_now": dict(reason="scheduled", keep=10),
        "cancel_promise": dict(promise_id=ids.promise, by=ids.anna, reason="Not needed", version=None),
        "changes_since": dict(after_id=0, skip_origin=None),
        "check_integrity": dict(full=False),
        "check_pin": dict(staff_id=ids.anna, pin="1234", desk=None),
        "client_record": dict(client_id=ids.client),
        "client_promises": dict(client_id=ids.client, include_closed=False),
        "client_score": dict(client_id=ids.client),
        "copy_office": dict(target_location=f / f"copy{n}.db"),
        "delete_client": dict(client_id=ids.client, by=ids.anna),
        "delete_entry": dict(kind="note", entry_id=ids.note, by=ids.anna),
        "delete_promise": dict(promise_id=ids.promise, by=ids.anna),
        "describe": dict(change_ids=ids.change_ids),
        "desk_day": dict(staff_id=None, days=7),
        "different_people": dict(a=ids.client, b_id=ids.other_client),
        "edit_interaction": dict(interaction_id=ids.interaction, by=ids.anna, summary=None, details=None,
                                 rating=None, channel=None, topic=None),
        "edit_note": dict(note_id=ids.note, by=ids.anna, text=None, pinned=None),
        "edit_promise": dict(promise_id=ids.promise, by=ids.anna, text="Call back soon", version=None),
        "erasure_key": dict(name="Ada Lovelace", phone="01632 960003", email="ada@example.org", country="GB"),
        "end_session": dict(session_id=ids.session),
        "export_client": dict(client_id=ids.client, path=f / f"client{n}.json"),
        "export_clients_csv": dict(path=f / f"clients{n}.csv", client_ids=[ids.client, ids.other_client],
                                   columns=[("phone", "Telefon"), "name", "uid"]),
        "export_history": dict(path=f / f"history{n}.csv", client=ids.client, staff=None, kinds=(), since=None,
                               until=None, page=500),
        "export_office": dict(path=f / f"office{n}.json"),
        "export_steps": dict(path=f / f"steps{n}.csv", client_ids=[ids.client, ids.other_client], kind="csv",
                             columns=["name", ("phone", "Telefon")], one_per_file=False),
        "export_vcards": dict(path=f / f"clients{n}.vcf", client_ids=[ids.client, ids.other_client],
                              version="3.0", one_per_file=False),
        "find_duplicates": dict(limit=100),
        "first_look": dict(location=f / "office.db", limit=5),
        "get_client": dict(client_id=ids.client, include_deleted=True),
        "get_promise": dict(promise_id=ids.promise),
        "get_staff": dict(staff_id=ids.anna),
        "handoff_card": dict(client_id=ids.client),
        "heartbeat": dict(session_id=ids.session, staff_id=ids.anna, client_id=ids.client),
        "history": dict(client=None, staff=ids.anna, kinds=("client",), since=now - timedelta(days=1), until=None,
                        limit=50, before=None),
        "import_contacts": dict(path=ids.contacts, by=ids.anna, mapping=None, encoding=None, dry_run=False,
                                progress=None, bring_back=(), same_as=None, batch=None),
        "import_steps": dict(path=ids.contacts, by=ids.anna, mapping=None, encoding=None, dry_run=False,
                             bring_back=(), same_as=None, batch=None),
        "import_targets": {},
        "is_erased": dict(name="Ada Lovelace", phone="", email=""),
        "import_office": dict(path=f / "missing.json", by=ids.anna),
        "keep_promise": dict(promise_id=ids.promise, by=ids.anna, apology=False, at=None, version=None),
        "list_clients": dict(text="", deleted=False, limit=None, ids=None),
        "list_imports": dict(limit=200),
        "list_staff": dict(include_inactive=False),
        "log_interaction": dict(client_id=ids.client, by=ids.anna, summary="Called", rating=0, channel="phone",
                                at=None, details="", encounter=None, recovers=None, apology=False, topic=None),
        "mark_different": dict(a=ids.client, b_id=ids.other_client, by=ids.anna),
        "merges": dict(client_id=ids.client),
        "office_settings": {},
        "make_promise": dict(client_id=ids.client, by=ids.anna, text="Call back", due=later, owner=None,
                             origin=None),
        "online": dict(exclude=None),
        "poll": dict(after_id=0, skip_origin=None),
        "preview_import": dict(path=ids.contacts, mapping=None, encoding=None, limit=20),
        "probe": dict(location=f / f"probe{n}.db", allow_cloud=False),
        "reassign_promise": dict(promise_id=ids.promise, by=ids.anna, owner=ids.ben, version=None),
        "redo": dict(change_ids=ids.undone, by=ids.anna),
        "refresh_scores": dict(limit=50, client_ids=None),
        "renegotiate_promise": dict(promise_id=ids.promise, by=ids.anna, due=later, version=None, reason=""),
        "restore": dict(kind="client", item_id=ids.deleted_client, by=ids.anna),
        "restore_backup": dict(path=f / "no-backup.db", by=ids.anna),
        "restore_client": dict(client_id=ids.deleted_client, by=ids.anna),
        "restore_entry": dict(kind="note", entry_id=ids.note, by=ids.anna),
        "review": dict(since=now - timedelta(days=7), until=now, now=None, clients=True),
        "review_clients": dict(since=now - timedelta(days=7), until=now, now=None, start="Green", end=None,
                               at_risk=False),
        "review_events": dict(figure="interactions", group=("office", None), since=now - timedelta(days=7),
                              until=now, now=None, side="count"),
        "review_job": dict(since=now - timedelta(days=7), until=now, now=None, clients=True),
        "review_nudge": dict(staff_id=ids.anna, now=None),
        "review_trend": dict(weeks=12, now=None),
        "topic_uses": dict(topic="Billing"),
        "save_import_problems": dict(path=ids.contacts, report=ids.dry_run, out_path=f / f"problems{n}.csv",
                                     mapping=None, encoding=None),
        "score_history": dict(client_id=ids.client, weeks=26),
        "set_away": dict(staff_id=ids.ben, by=ids.anna, away_from=None, away_until=None, reason=""),
        "setting_names": {},
        "similar_clients": dict(name="Oliver Thompson", phone="01632 960001", email="", organisation="", address="",
                                limit=5, exclude=None),
        "start_session": dict(staff_id=ids.anna, app_version="test", host=None),
        "timeline": dict(client_id=ids.client, limit=50, before=None, around=None, after=None),
        "search": dict(text="oliver", limit=50, client=None, kinds=None, since=None, until=None, staff=None),
        "matching_clients": dict(text="oliver"),
        "rebuild_search_index": dict(clients=None),
        "catch_up_search_index": {},
        "touched_since_import": dict(import_id=ids.import_id),
        "trash": dict(limit=200),
        "trend_bounds": dict(weeks=12, now=now),
        "undo": dict(change_ids=ids.change_ids, by=ids.anna),
        "update_client": dict(client_id=ids.client, version=ids.client_version, by=ids.anna, name="Oliver T",
                              organisation="", phone="", email="", address="", preferred_channel="", caution="",
                              usual_handler=None, more_details=""),
        "update_staff": dict(staff_id=ids.ben, version=ids.ben_version, by=ids.anna, name=None, initials=None,
                             role=None, active=None, pin=None),
    }[name]


def public_functions() -> list[str]:
    names = [n for n in store.__all__ if inspect.isfunction(getattr(store, n)) and n not in NOT_INPUTS]
    return sorted(names)


def parameters(name: str) -> list[str]:
    """Every parameter of `name`; for **fields, the client fields."""
    from models.store.clients import FIELDS

    out: list[str] = []
    for p in inspect.signature(getattr(store, name)).parameters.values():
        if p.kind is p.VAR_KEYWORD:
            keys = store.setting_names() if name == "update_office_settings" else FIELDS
            out += [f for f in keys if f not in out]
        else:
            out.append(p.name)
    return out


@dataclass
class Outcome:
    tried: int = 0
    escaped: int = 0
    examples: list[str] | None = None

    def record(self, problem: str | None) -> None:
        self.tried += 1
        if problem:
            self.escaped += 1
            if self.examples is None:
                self.examples = []
            self.examples.append(problem)


# Generator functions (jobs the UI drives step by step): a call runs them to the end, so their work really runs.
JOBS = {"export_steps", "import_steps", "review_job", "catch_up_search_index"}


def invoke(name: str, kwargs: dict[str, Any]) -> Any:
    """Call store.<name>(**kwargs); a job is driven to its end and its final value returned."""
    result = getattr(store, name)(**kwargs)
    if name not in JOBS:
        return result
    last = None
    try:
        while True:
            last = next(result)
    except StopIteration as end:
        return end.value if end.value is not None else last


def escape_of(call: Callable[[], Any]) -> str | None:
    """None when `call` succeeded or was refused properly; otherwise what escaped."""
    try:
        call()
    except ValidationError as exc:
        # field "" is a refusal of the whole action (errors.py), such as "this office already holds data"
        if not (isinstance(exc.field, str) and exc.message.strip().endswith((".", "?", ")"))):
            return f"ValidationError without a field or a sentence: {exc.field!r} {exc.message!r}"
    except ConflictError:
        pass
    except DatabaseError as exc:
        if GENERIC in exc.message:
            return f"generic DatabaseError: {exc.message[:80]}"
    except StoreError:
        pass
    except Exception as exc:  # noqa: BLE001 - this is exactly what must not happen
        return f"{type(exc).__name__}: {str(exc)[:100]}"
    return None


class Harness:
    """An office with its records; one hostile call at a time, re-seeding what earlier calls consumed."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.n = 0
        self.ids = _fresh_ids(folder)

    def call(self, name: str, param: str, value: Any) -> str | None:
        self.n += 1
        if self.n % 25 == 0:  # earlier calls delete, restore and keep: give later ones live records
            self.ids = _fresh_ids(self.folder, self.n)
        kwargs = baseline(name, self.ids, self.n)
        kwargs[param] = value
        problem = escape_of(lambda: invoke(name, kwargs))
        return None if problem is None else f"{name}({param}={_short(value)}): {problem}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 60 else text[:40] + f"... ({len(text):,} characters)"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def harness(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    folder = tmp_path_factory.mktemp("hostile")
    location = str(folder / "office.db") if request.param == "sqlite" else empty_location("postgresql", folder)
    old = os.environ.get("RAPPORT_DATA_DIR")
    os.environ["RAPPORT_DATA_DIR"] = str(folder / "data")
    cwd = os.getcwd()
    os.chdir(folder)  # a relative path among the hostile values lands here, not in the checkout
    store.open(location)
    try:
        yield Harness(folder)
    finally:
        store.close()
        os.chdir(cwd)
        if old is None:
            os.environ.pop("RAPPORT_DATA_DIR", None)
        else:
            os.environ["RAPPORT_DATA_DIR"] = old


def test_every_public_function_is_covered(harness: Harness) -> None:
    for name in public_functions():
        assert set(parameters(name)) <= set(baseline(name, harness.ids, 0)), name
        assert escape_of(lambda n=name: invoke(n, baseline(n, harness.ids, harness.n))) is None, name


def test_no_hostile_value_escapes_any_store_function(harness: Harness) -> None:
    outcome = Outcome()
    for name in public_functions():
        for param in parameters(name):
            for _, value in HOSTILE:
                outcome.record(harness.call(name, param, value))
    print(f"\nhostile store calls: {outcome.tried} tried, {outcome.escaped} escaped")
    report = os.environ.get("RAPPORT_HOSTILE_REPORT")
    if report:  # the whole list, for a person fixing them
        Path(report).write_text("\n".join(outcome.examples or []))
    assert outcome.escaped == 0, "\n".join((outcome.examples or [])[:60])


hostile_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=40) | st.sampled_from(
    [BIG, "\udfff", "\x00", "a" * 501, "\u202e\u0000"])
hostile_int = st.integers() | st.sampled_from([2**63 - 1, 2**63, -(2**63), 2**64 + 1])
hostile_time = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30),
                            timezones=st.timezones() | st.just(UTC) | st.none()) | st.sampled_from(
    [datetime.min, datetime.max, datetime.min.replace(tzinfo=PLUS14), datetime.max.replace(tzinfo=MINUS14)])
hostile_value = (hostile_text | hostile_int | hostile_time | st.floats() | st.booleans() | st.none()
                 | st.lists(hostile_int | hostile_text, max_size=3) | st.sampled_from([v for _, v in HOSTILE]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_generated_hostile_values_never_escape(harness: Harness, data: st.DataObject) -> None:
    # functions without parameters (import_targets, office_settings ...) take no input: their baseline call is
    # test_every_public_function_is_covered's
    name = data.draw(st.sampled_from([n for n in public_functions() if parameters(n)]), label="function")
    param = data.draw(st.sampled_from(parameters(name)), label="parameter")
    value = data.draw(hostile_value, label="value")
    problem = harness.call(name, param, value)
    assert problem is None, problem
