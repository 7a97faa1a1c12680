"""Scores through the store: the SPEC.md cases end to end, the cache equal to a full recompute, reasons."""
from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import peewee as pw
import pytest

from models import store
from models import tables as t
from models.rules import impression as imp
from models.store.scores import day_of_us, events_for

CASES = json.loads((Path(__file__).resolve().parents[1] / "data" / "cases.json").read_text())
BASE = datetime(2026, 1, 5, tzinfo=UTC)
# Cases whose events the desk can log as they are (a recovery in the app is also an interaction).
END_TO_END = [c for c in CASES if not any(e["kind"] == "recovery" for e in c["events"])]


def at_day(day: float) -> datetime:
    return BASE + timedelta(days=day)


def replay(case: dict, clock, by: int) -> int:
    """Log a JSON case through the store, in time order, with the clock following the events."""
    cid = store.add_client(name=case["case"][:80], by=by).id
    promises: dict[str, int] = {}
    for event in sorted(case["events"], key=lambda e: e["day"]):
        clock.now = at_day(event["day"])
        if event["kind"] == "interaction":
            store.log_interaction(cid, by=by, summary=event.get("label", "touch"), rating=event["valence"],
                                  at=clock.now, encounter=event.get("encounter") or f"day{int(event['day'])}")
        elif event["kind"] == "promise":
            promises[event["id"]] = store.make_promise(cid, by=by, text=event.get("label", "promise"),
                                                       due=at_day(event["due"])).id
        elif event["kind"] == "promise_kept":
            store.keep_promise(promises[event["links"]], by=by, apology=event.get("apology", False), at=clock.now)
    clock.now = at_day(case["as_of_day"])
    return cid


@pytest.mark.parametrize("case", END_TO_END, ids=lambda c: c["case"])
def test_a_case_logged_at_the_desk_scores_as_specified(case: dict, clock, anna: int) -> None:
    cid = replay(case, clock, anna)
    result = store.client_score(cid)
    expected = case["expected"]
    assert (result.badge.score, result.badge.band, list(result.badge.flags), result.badge.trend30,
            result.badge.trend) == (expected["score"], expected["band"], expected["flags"], expected["trend30"],
                                    expected["trend"])
    assert len(result.reasons) == len(expected["reasons"])
    store.refresh_scores()
    row = store.list_clients(ids=[cid])[0]
    assert (row.score, row.band, row.trend, list(row.flags)) == (
        expected["score"], expected["band"], expected["trend"], expected["flags"])


def test_there_are_enough_end_to_end_cases() -> None:
    assert len(END_TO_END) >= 12


def test_reasons_name_their_events_and_caps_read_as_sentences(clock, anna: int) -> None:
    cid = store.add_client(name="Oliver Thompson", by=anna).id
    clock.now = at_day(0)
    store.log_interaction(cid, by=anna, summary="Kick-off meeting", rating=2, channel="meeting", at=clock.now)
    clock.now = at_day(10)
    pid = store.make_promise(cid, by=anna, text="Call back about the invoice", due=at_day(11)).id
    clock.now = at_day(12)
    score = store.client_score(cid)
    assert [r.kind for r in score.reasons] == ["encounter", "cap_overdue_promise"]  # not binding: listed after
    cap = score.reasons[1]
    assert cap.is_cap
    assert cap.entry_kind == "promise" and cap.entry_id == pid
    assert cap.sentence.startswith("Can't be green while the promise 'Call back about the invoice'")
    assert "overdue" in cap.sentence
    meeting = next(r for r in score.reasons if r.kind == "encounter")
    assert meeting.entry_kind == "interaction" and meeting.staff_name == "Anna Keller"
    assert meeting.summary == "Kick-off meeting" and meeting.at == at_day(0)
    assert meeting.sentence == f"'Kick-off meeting' {meeting.points:+.0f} points"  # points, said as points


def test_a_fix_with_an_apology_lifts_the_score(clock, anna: int) -> None:
    cid = store.add_client(name="Isla Walsh", by=anna).id
    for d in range(0, 60, 10):
        clock.now = at_day(d)
        store.log_interaction(cid, by=anna, summary="Good call", rating=1, at=clock.now, encounter=f"c{d}")
    clock.now = at_day(100)
    bad = store.log_interaction(cid, by=anna, summary="Charged twice", rating=-2, at=clock.now).id
    before = store.client_score(cid).badge.score
    clock.now = at_day(101)
    store.log_interaction(cid, by=anna, summary="Refund confirmed", rating=1, at=clock.now, recovers=bad,
                          apology=True)
    after = store.client_score(cid)
    assert after.badge.score > before
    assert any(r.kind == "recovery_bonus" for r in after.reasons)


def test_a_promise_cancelled_before_it_broke_is_ignored_after_it_broke_it_stands(clock, anna: int) -> None:
    ignored = store.add_client(name="A", by=anna).id
    stands = store.add_client(name="B", by=anna).id
    for cid in (ignored, stands):
        clock.now = at_day(0)
        store.log_interaction(cid, by=anna, summary="Call", rating=1, at=clock.now)
    clock.now = at_day(1)
    early = store.make_promise(ignored, by=anna, text="Send the form", due=at_day(2)).id
    late = store.make_promise(stands, by=anna, text="Send the form", due=at_day(2)).id
    clock.now = at_day(3)
    store.cancel_promise(early, by=anna, reason="Client no longer needs it")
    clock.now = at_day(5)
    store.cancel_promise(late, by=anna, reason="Too late now")
    clock.now = at_day(6)
    assert store.client_score(ignored).badge.score > store.client_score(stands).badge.score
    assert not any(isinstance(e, imp.Promise) for e in _events(ignored))
    assert any(isinstance(e, imp.Promise) for e in _events(stands))


def _events(cid: int) -> list:
    return events_for(cid)


def _random_history(rng: random.Random, cid: int, anna: int, clock, days: int) -> None:
    failed: list[int] = []
    promises: list[int] = []
    day = 0.0
    while day < days:
        day += rng.uniform(0.2, 9.0)
        clock.now = at_day(day)
        roll = rng.random()
        if roll < 0.6:
            rating = rng.choice((-2, -1, 0, 1, 1, 2))
            iid = store.log_interaction(cid, by=anna, summary=f"touch {day:.1f}", rating=rating, at=clock.now,
                                        encounter=f"d{int(day)}" if rng.random() < 0.7 else None).id
            if rating == -2:
                failed.append(iid)
        elif roll < 0.75 and failed:
            store.log_interaction(cid, by=anna, summary="fix", rating=1, at=clock.now, recovers=failed.pop(),
                                  apology=rng.random() < 0.5)
        elif roll < 0.9:
            promises.append(store.make_promise(cid, by=anna, text="call back",
                                               due=clock.now + timedelta(days=rng.uniform(0.5, 6))).id)
        elif promises:
            pid = promises.pop(0)
            if store.get_promise(pid).record_status == "open":
                store.keep_promise(pid, by=anna, apology=rng.random() < 0.5)


@pytest.mark.parametrize("seed", range(6))
def test_the_cached_badge_always_equals_a_full_recompute(clock, anna: int, seed: int) -> None:
    """SPEC.md invariant 5 through the store: random histories, then the list at many later times."""
    rng = random.Random(seed)
    cids = [store.add_client(name=f"Random {seed}-{k}", by=anna).id for k in range(3)]
    for cid in cids:
        clock.now = BASE
        _random_history(rng, cid, anna, clock, days=rng.choice((20, 90, 200)))
    clock.now = BASE + timedelta(days=210)
    for _ in range(25):
        clock.now += timedelta(hours=rng.uniform(1, 24 * 12))
        store.refresh_scores(limit=500)
        rows = {r.id: r for r in store.list_clients(ids=cids)}
        for cid in cids:
            full = imp.evaluate(events_for(cid), day_of_us(t.to_micros(clock.now)))
            row = rows[cid]
            assert row.score is not None
            assert (row.score, row.band, row.trend, row.flags) == (full.value, full.band, full.trend,
                                                                    tuple(full.flags)), (seed, cid, clock.now)


def test_a_write_drops_the_cached_badge_in_the_same_transaction(clock, client: int, anna: int) -> None:
    store.log_interaction(client, by=anna, summary="Call", rating=1)
    store.refresh_scores()
    assert store.list_clients(ids=[client])[0].score is not None
    store.log_interaction(client, by=anna, summary="Complaint", rating=-2)
    assert store.list_clients(ids=[client])[0].score is None
    assert store.stale_scores() == 1
    changes = store.refresh_scores()
    assert changes.clients == {client} and changes.kinds == {"score"}
    assert store.stale_scores() == 0
    assert store.refresh_scores() == store.Changes()



def _stale_by_a_pass_over_every_client() -> int:
    """What stale_scores() answered before schema step 9: every live client with no badge or one run out."""
    c, s = t.Client, t.ScoreCache
    now_us = t.to_micros(store.utcnow())
    return (c.select().join(s, pw.JOIN.LEFT_OUTER, on=(s.client == c.id))
            .where(c.deleted_at.is_null() & (s.client.is_null() | (s.stable_until <= now_us))).count())


def test_stale_scores_counts_new_run_out_and_forgotten_badges_but_not_the_trash(clock, client: int, anna: int) -> None:
    """stale_scores() answers from the score cache's indexes (schema step 9), the same as a pass over every client:
    each kind of stale badge is counted, a client in the Trash is not, and refresh_scores finds every one."""
    def stale() -> int:
        answer = store.stale_scores()
        assert answer == _stale_by_a_pass_over_every_client()
        return answer

    store.log_interaction(client, by=anna, summary="Complaint", rating=-2)
    assert stale() == 1  # never scored
    store.refresh_scores()
    assert stale() == 0
    second = store.add_client(name="Nadia", by=anna).id
    third = store.add_client(name="Tomas", by=anna).id
    assert stale() == 2  # two new clients
    store.refresh_scores()
    assert stale() == 0
    store.log_interaction(second, by=anna, summary="Complaint", rating=-2)  # forgotten by the write
    store.log_interaction(third, by=anna, summary="Complaint", rating=-2)
    store.delete_client(third, by=anna)  # a stale badge in the Trash does not count
    assert stale() == 1
    clock.now += timedelta(days=400)  # the complaint about the first client has faded: its badge ran out
    assert stale() == 2
    changes = store.refresh_scores()
    assert changes.clients == {client, second}
    assert stale() == 0 and store.refresh_scores() == store.Changes()
    store.restore_client(third, by=anna)
    assert stale() == 1 and store.refresh_scores().clients == {third}
    assert stale() == 0

def test_history_has_weekly_points_ending_now_with_failures_marked(clock, anna: int) -> None:
    cid = store.add_client(name="Oliver", by=anna).id
    clock.now = BASE
    store.log_interaction(cid, by=anna, summary="Start", rating=1, at=clock.now)
    clock.now = BASE + timedelta(days=100)
    bad = store.log_interaction(cid, by=anna, summary="Boiler still broken", rating=-2, at=clock.now).id
    clock.now += timedelta(days=1)
    store.log_interaction(cid, by=anna, summary="Engineer sent", rating=1, recovers=bad, apology=True, at=clock.now)
    clock.now = BASE + timedelta(days=150)
    history = store.score_history(cid)
    assert len(history.points) == 27
    assert history.points[-1] == (clock.now, store.client_score(cid).badge.score)
    assert [label for _, label in history.failures] == ["Boiler still broken"]
    assert len(history.recoveries) == 1
