"""store.review / review_events / review_trend on both engines: the hand office of tests/rules/test_review.py,
made through the store; topics on interactions and renaming one."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from models import store
from models.store import Share
from tests.store.conftest import Clock

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
SINCE, UNTIL = datetime(2026, 11, 16, tzinfo=UTC), datetime(2026, 11, 23, tzinfo=UTC)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def hand(office: str) -> dict[str, int]:
    clock = Clock(at(10, 9))
    store.set_clock(clock)
    anna = store.add_staff("Anna Keller").id
    ben = store.add_staff("Ben Okafor", by=anna).id
    c = [store.add_client(name=n, by=anna).id for n in ("Oliver", "Isla", "George", "Ava")]
    p = [store.make_promise(c[k], by=anna, text=f"P{n}", due=due, owner=owner).id
         for n, k, due, owner in ((1, 0, at(17, 17), ben), (2, 1, at(18, 17), ben), (3, 2, at(19, 17), anna),
                                  (4, 0, at(22, 17), ben), (5, 1, at(20, 17), anna), (6, 3, at(16, 10), anna))]
    clock.now = at(20, 9)
    store.reassign_promise(p[1], by=anna, owner=anna)
    store.cancel_promise(p[4], by=anna, reason="No longer needed")
    clock.now = at(23, 14)

    def log(client: int, when: datetime, by: int, channel: str, topic: str | None, rating: int, enc: str | None,
            **kw: object) -> int:
        return store.log_interaction(client, by=by, summary=f"{channel} {rating}", rating=rating, channel=channel,
                                     at=when, topic=topic, encounter=enc, **kw).id
    i1 = log(c[0], at(17, 10), ben, "phone", "Billing", -2, "2026-11-17")
    log(c[0], at(18, 9), anna, "phone", "billing", 1, None, recovers=i1, apology=True)
    log(c[1], at(19, 9), anna, "email", None, -2, "2026-11-19")
    log(c[1], at(19, 9, 30), anna, "email", None, 2, "2026-11-19")
    log(c[2], at(20, 14), ben, "invoice", "Billing", -1, "2026-11-20")
    i6 = log(c[3], at(1, 10), ben, "phone", None, -2, "2026-11-01")
    i7 = log(c[3], at(21, 11), anna, "visit", "Complaint", -2, "2026-11-21")
    log(c[0], at(23, 9), anna, "phone", None, 1, "2026-11-23")
    log(c[2], at(23, 13), anna, "phone", None, 2, "2026-11-23")  # after NOW
    store.keep_promise(p[0], by=ben, at=at(17, 12))
    store.keep_promise(p[1], by=anna, at=at(19, 10))
    store.keep_promise(p[5], by=anna, at=at(18, 11), apology=True)
    return {"anna": anna, "ben": ben, "i1": i1, "i6": i6, "i7": i7, "p3": p[2], "p6": p[5]}


def test_the_hand_office_through_the_store(hand: dict[str, int]) -> None:
    review = store.review(SINCE, UNTIL, now=NOW)
    office = review.office
    assert (office.interactions, office.went_well, office.went_wrong) == (6, Share(2, 6), Share(4, 6))
    assert (office.last_impressions, office.failures, office.fixed_in_time) == (Share(2, 5), 4, Share(2, 3, 1))
    assert office.time_to_fix_hours == 12.0 and office.second_impressions == Share(0, 0, 2)
    assert (office.promises_due, office.kept_on_time, office.kept_late, office.broken) == (
        5, Share(1, 4, 1), Share(1, 4, 1), Share(2, 4, 1))
    ben = review.by_staff[hand["ben"]]
    assert (ben.promises_due, ben.kept_on_time) == (3, Share(1, 2, 1))
    assert review.by_topic["Billing"].interactions == 3  # "billing" was stored in the office's spelling
    assert review.by_channel["promise"].failures == 2
    unfixed = review.attention[0]
    assert unfixed.kind == "unfixed" and unfixed.count == 2
    assert [e.id for e in unfixed.events] == [hand["i7"], hand["i6"]]  # newest first
    assert unfixed.sentence == "2 problems still unfixed after 48 hours."
    assert review.band_moves is not None and sum(review.band_moves.at_until.values()) == 4


def test_every_number_lists_its_events(hand: dict[str, int]) -> None:
    events = store.review_events("fixed_in_time", ("office", None), SINCE, UNTIL, now=NOW, side="of")
    assert [(e.kind, e.id) for e in events] == [("interaction", hand["i1"]), ("promise", hand["p6"]),
                                                ("interaction", hand["i7"])]
    assert events[0].client_name == "Oliver" and events[0].staff_name == "Ben Okafor"
    assert events[0].note == "fixed after 23 h" and events[1].summary == "P6"
    broken = store.review_events("broken", ("staff", hand["anna"]), SINCE, UNTIL, now=NOW)
    assert [e.id for e in broken] == [hand["p6"], hand["p3"]]
    with pytest.raises(store.ValidationError):
        store.review_events("nonsense", ("office", None), SINCE, UNTIL, now=NOW)
    with pytest.raises(store.ValidationError):
        store.review(UNTIL, SINCE)


def test_the_band_counts_and_moves_list_their_clients(hand: dict[str, int]) -> None:
    moves = store.review(SINCE, UNTIL, now=NOW).band_moves
    assert moves is not None
    assert sum(moves.moves.values()) == 4 and len(moves.moves) == 9
    for band in ("Green", "Amber", "Red"):
        assert sum(moves.moves[band, end] for end in ("Green", "Amber", "Red")) == moves.at_since[band]
        assert sum(moves.moves[start, band] for start in ("Green", "Amber", "Red")) == moves.at_until[band]
        started = store.review_clients(SINCE, UNTIL, now=NOW, start=band)
        ended = store.review_clients(SINCE, UNTIL, now=NOW, end=band)
        assert (len(started), len(ended)) == (moves.at_since[band], moves.at_until[band])
        assert all(e.kind == "client" and e.summary.startswith(band) for e in started)
        for end in ("Green", "Amber", "Red"):
            moved = store.review_clients(SINCE, UNTIL, now=NOW, start=band, end=end)
            assert len(moved) == moves.moves[band, end]
            assert all(e.summary == f"{band} → {end}" for e in moved)
    everyone = store.review_clients(SINCE, UNTIL, now=NOW)
    assert sorted(e.client_name for e in everyone) == ["Ava", "George", "Isla", "Oliver"]
    review = store.review(SINCE, UNTIL, now=NOW)
    risky = store.review_clients(SINCE, UNTIL, now=NOW, at_risk=True)
    assert [e.client_id for e in risky] == sorted((r.client_id for r in review.at_risk),
                                                  key=lambda c: next(e.client_name for e in everyone if e.id == c))
    with pytest.raises(store.ValidationError):
        store.review_clients(SINCE, UNTIL, now=NOW, start="Purple")


def test_the_client_lists_after_a_review_are_its_own_until_something_changes(hand: dict[str, int]) -> None:
    """A click on a band count reuses the review's scores (no second scoring of every client), and a write made
    since is seen: the lists are the same as scored afresh, before and after the write."""
    from models.store import reviews

    def lists() -> tuple[object, ...]:
        return (store.review_clients(SINCE, UNTIL, now=NOW, end="Red"),
                store.review_clients(SINCE, UNTIL, now=NOW, at_risk=True),
                store.review_events("into_red", ("office", None), SINCE, UNTIL, now=NOW))

    def fresh() -> tuple[object, ...]:
        reviews._SCORED.clear()
        return lists()

    review = store.review(SINCE, UNTIL, now=NOW)
    assert review.band_moves is not None and reviews._SCORED  # remembered
    warm = lists()
    assert warm == fresh()
    assert [e.client_id for e in warm[2]] == [m.client_id for m in review.band_moves.into_red]
    assert [e.summary for e in warm[2]] == [m.reason for m in review.band_moves.into_red]
    store.review(SINCE, UNTIL, now=NOW)
    red = {e.client_id for e in warm[0]}
    calm = next(e for e in store.review_clients(SINCE, UNTIL, now=NOW) if e.client_id not in red)
    for day in (17, 18, 19, 20, 21, 22):  # a client's week goes badly: Red at the end of the period
        store.log_interaction(calm.id, by=hand["anna"], summary="Angry call", rating=-2, at=at(day, 10),
                              encounter=f"bad-{day}")
    after = lists()
    assert calm.id in {e.client_id for e in after[0]} and calm.id in {e.client_id for e in after[2]}
    assert after == fresh()
    moves = store.review(SINCE, UNTIL, now=NOW).band_moves
    assert moves is not None and len(after[0]) == moves.at_until["Red"]


def test_the_trend_is_one_figures_per_week(hand: dict[str, int]) -> None:
    weeks = store.review_trend(4, now=NOW)
    bounds = store.trend_bounds(4, NOW)
    assert len(weeks) == 4 and len(bounds) == 5
    for k, fig in enumerate(weeks):
        assert fig == store.review(bounds[k], bounds[k + 1], now=NOW, clients=False).office
    assert sum(f.interactions for f in weeks) == 8  # all but the one after NOW


def test_a_topic_must_be_the_offices_and_renaming_it_renames_past_interactions(anna: int, client: int) -> None:
    first = store.log_interaction(client, by=anna, summary="Invoice query", rating=0, topic="billing").id
    with pytest.raises(store.ValidationError) as caught:
        store.log_interaction(client, by=anna, summary="x", rating=0, topic="Gardening")
    assert caught.value.field == "topic"
    store.log_interaction(client, by=anna, summary="Second query", rating=0, topic="Billing")
    store.log_interaction(client, by=anna, summary="Booked", rating=0, topic="Booking")
    assert (store.topic_uses("billing"), store.topic_uses("Billing"), store.topic_uses("Gardening")) == (2, 2, 0)
    settings = store.office_settings()
    store.rename_topic("Billing", "Invoices", version=settings.version, by=anna)
    assert (store.topic_uses("Billing"), store.topic_uses("Invoices")) == (0, 2)
    after = store.office_settings()
    assert "Invoices" in after.topics and "Billing" not in after.topics
    assert [e.topic for e in store.timeline(client).entries if e.kind == "interaction"] == [
        "Booking", "Invoices", "Invoices"]
    store.edit_interaction(first, by=anna, topic=None)
    assert next(e for e in store.timeline(client).entries if e.id == first).topic is None
    store.edit_interaction(first, by=anna, summary="Invoice query!")
    with pytest.raises(store.ConflictError):
        store.rename_topic("Invoices", "Billing", version=settings.version, by=anna)
    store.update_office_settings(version=after.version, by=anna, hidden_topics=["Quote"])
    store.log_interaction(client, by=anna, summary="Old topic still allowed on edits", rating=0, topic="Quote")


def test_each_administrator_is_told_once_on_the_review_day(anna: int, ben: int) -> None:
    monday = datetime(2026, 11, 23, 12, tzinfo=UTC).astimezone()
    monday = monday - timedelta(days=monday.weekday())  # the local Monday (review_day 0 by default)
    assert store.review_nudge(anna, now=monday) is True
    assert store.review_nudge(anna, now=monday + timedelta(hours=1)) is False  # told once, at any desk
    assert store.review_nudge(ben, now=monday) is False  # not an administrator
    assert store.review_nudge(anna, now=monday + timedelta(days=1)) is False  # not the review day
    assert store.review_nudge(anna, now=monday + timedelta(days=7)) is True  # next week


def test_removing_a_topic_in_the_settings_only_hides_it(anna: int, client: int) -> None:
    settings = store.office_settings()
    store.log_interaction(client, by=anna, summary="Quote for the clean", rating=1, topic="Quote")
    store.update_office_settings(version=settings.version, by=anna,
                                 topics=[n for n in settings.topics if n != "Quote"])
    after = store.office_settings()
    assert "Quote" not in after.topics and after.hidden_topics == ("Quote",)
    assert store.timeline(client).entries[0].topic == "Quote"  # past interactions keep it
    store.update_office_settings(version=after.version, by=anna, topics=[*after.topics, "quote"])
    assert store.office_settings().hidden_topics == ()  # listed again: offered again


def test_the_review_job_yields_the_figures_first_then_the_clients(hand: dict[str, int]) -> None:
    steps = list(store.review_job(SINCE, UNTIL, now=NOW))
    done, total, first = steps[0]
    assert (done, total) == (1, 5) and first is not None and first.band_moves is None  # figures at once
    assert first.office == steps[-1][2].office and steps[-1][2].band_moves is not None
    assert [s[0] for s in steps] == [1, 5, 5]  # four clients: one batch, then the whole review
