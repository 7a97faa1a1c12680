"""The hand-off card, and the desk's day it shares its promise rows with."""
from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from models import store
from models.errors import ValidationError
from models.rules import promises as rules
from models.store import promises as promises_module
from models.store.records import InteractionEntry


def test_the_card_has_everything_a_colleague_needs(clock, anna: int, ben: int, client: int) -> None:
    details = store.get_client(client)
    store.update_client(client, version=details.version, by=anna, caution="Upset about the March invoice",
                        preferred_channel="phone", usual_handler=ben)
    start = clock.now
    for n in range(7):
        clock.advance(hours=5)
        store.log_interaction(client, by=ben if n % 2 else anna, summary=f"Call {n}", rating=-2 if n == 5 else 1)
    clock.advance(hours=1)
    pinned_old = store.add_note(client, by=anna, text="Prefers calls after 5 pm", pinned=True).id
    clock.advance(hours=1)
    store.add_note(client, by=anna, text="Not pinned")
    clock.advance(hours=1)
    pinned_new = store.add_note(client, by=ben, text="Has a dog", pinned=True).id
    gone = store.add_note(client, by=ben, text="Deleted and pinned", pinned=True).id
    store.delete_entry("note", gone, by=ben)
    later = store.make_promise(client, by=anna, text="Send the brochure", due=clock.now + timedelta(days=3)).id
    late = store.make_promise(client, by=anna, text="Call back", due=clock.now + timedelta(hours=1), owner=ben).id
    kept = store.make_promise(client, by=anna, text="Done already", due=clock.now + timedelta(hours=2)).id
    store.keep_promise(kept, by=anna)
    clock.advance(hours=4)

    card = store.handoff_card(client)
    assert isinstance(card, store.HandoffCard)
    assert card.client.name == "Oliver Thompson" and card.client.caution == "Upset about the March invoice"
    assert (card.client.preferred_channel, card.client.usual_handler_name) == ("phone", "Ben Okafor")
    assert card.score == store.client_score(client)
    assert card.score.reasons and all(r.sentence for r in card.score.reasons)
    assert [p.id for p in card.promises] == [late, later]  # open only, overdue first
    assert card.promises[0].status == "overdue" and card.promises[0].owner_name == "Ben Okafor"
    assert all(isinstance(i, InteractionEntry) for i in card.interactions)
    assert [i.summary for i in card.interactions] == ["Call 6", "Call 5", "Call 4", "Call 3", "Call 2"]
    assert card.interactions[1].rating == -2
    assert [n.id for n in card.pinned_notes] == [pinned_new, pinned_old]
    assert all(n.pinned for n in card.pinned_notes)
    assert card.generated_at == clock.now and card.generated_at > start


def test_a_new_client_has_an_empty_card(clock, anna: int, client: int) -> None:
    card = store.handoff_card(client)
    assert card.promises == () and card.interactions == () and card.pinned_notes == ()
    assert "new" in card.score.badge.flags


def test_a_client_in_the_trash_still_has_a_card_that_says_so(clock, anna: int, client: int) -> None:
    store.make_promise(client, by=anna, text="Call back", due=clock.now + timedelta(days=1))
    store.delete_client(client, by=anna)
    card = store.handoff_card(client)
    assert card.client.deleted_at is not None
    assert card.promises == ()  # a deleted client's promises are nobody's work today


def test_an_unknown_client_is_a_sentence(office: str) -> None:
    with pytest.raises(ValidationError, match="That client does not exist"):
        store.handoff_card(4242)
    with pytest.raises(ValidationError, match="not a record number"):
        store.handoff_card("seven")  # type: ignore[arg-type]


# --- the desk's day -----------------------------------------------------------------------------------

def test_the_integer_status_agrees_with_the_rules() -> None:
    """desk_day computes open promises' status on integers; it must say exactly what the rules say."""
    rng = random.Random(5)
    clock = promises_module._LocalClock()
    base = datetime(2026, 3, 1, tzinfo=UTC)
    for _ in range(3000):
        now = base + timedelta(minutes=rng.randint(0, 400 * 24 * 60), microseconds=rng.randint(0, 999_999))
        due = now + timedelta(minutes=rng.choice((rng.randint(-4000, 12000), rng.choice((0, -2880, 2880)))),
                              microseconds=rng.choice((0, 1, -1)))
        now_us, due_us = store_us(now), store_us(due)
        expected = rules.promise_status(promises_module.local_naive(due), None, promises_module.local_naive(now))
        assert promises_module._open_status(clock.local_us(due_us), clock.local_us(now_us)) == expected, (due, now)


def store_us(value: datetime) -> int:
    return (value - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)


LOCAL_NOON = datetime(2026, 11, 23, 12, 0).astimezone().astimezone(UTC)  # "today" is this desk's day


def test_desk_day_sections_and_covering(clock, anna: int, ben: int, client: int) -> None:
    now = clock.now = LOCAL_NOON
    late = store.make_promise(client, by=anna, text="Late", due=now - timedelta(hours=2)).id
    soon = store.make_promise(client, by=anna, text="Soon", due=now + timedelta(hours=3)).id
    next_week = store.make_promise(client, by=anna, text="Next week", due=now + timedelta(days=6)).id
    store.make_promise(client, by=anna, text="Too far", due=now + timedelta(days=9))
    bens = store.make_promise(client, by=anna, text="Ben's", due=now + timedelta(days=2), owner=ben).id
    day = store.desk_day(staff_id=anna)
    assert ([r.id for r in day.overdue], [r.id for r in day.today], [r.id for r in day.upcoming]) == \
        ([late], [soon], [next_week])
    assert day.covering == ()
    store.set_away(ben, by=anna, away_from=now + timedelta(days=1), away_until=now + timedelta(days=5))
    day = store.desk_day(staff_id=anna)
    assert [r.id for r in day.covering] == [bens]
    assert day.covering[0].owner_name == "Ben Okafor" and day.covering[0].made_by_name == "Anna Keller"
    everyone = store.desk_day()
    assert [r.id for r in everyone.upcoming] == [bens, next_week]


def test_desk_day_follows_the_clock_and_writes(clock, anna: int, client: int) -> None:
    clock.now = LOCAL_NOON
    pid = store.make_promise(client, by=anna, text="Ring back", due=clock.now + timedelta(hours=1)).id
    first = store.desk_day().today[0]
    assert store.desk_day().today[0] is first  # an unchanged row is not built again
    clock.advance(hours=2)
    assert store.desk_day().overdue[0].status == "overdue"
    store.renegotiate_promise(pid, by=anna, due=clock.now + timedelta(days=2))
    row = store.desk_day().upcoming[0]
    assert (row.id, row.version, row.status) == (pid, 2, "pending")


def test_desk_day_shows_a_cached_badge_only_while_it_is_current(clock, anna: int, client: int) -> None:
    clock.now = LOCAL_NOON
    store.log_interaction(client, by=anna, summary="Lovely visit", rating=2, channel="visit")
    store.make_promise(client, by=anna, text="Send photos", due=clock.now + timedelta(hours=2))
    assert store.desk_day().today[0].client_score is None
    store.refresh_scores(client_ids=[client])
    row = store.desk_day().today[0]
    badge = store.client_score(client).badge
    assert (row.client_score, row.client_band) == (badge.score, badge.band)
    store.log_interaction(client, by=anna, summary="Went wrong", rating=-2)  # drops the cached badge
    assert store.desk_day().today[0].client_score is None
