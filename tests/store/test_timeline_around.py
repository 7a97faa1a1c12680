"""store.timeline(around=...): the page holding an old entry, with cursors both ways that meet the ordinary pages."""
from __future__ import annotations

from datetime import timedelta

import pytest

from models import store
from models.errors import ValidationError
from tests.store.conftest import Clock


def keys(page: store.TimelinePage) -> list[tuple[str, int]]:
    return [(e.kind, e.id) for e in page.entries]


def whole_timeline(client: int) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    page = store.timeline(client, limit=7)
    while True:
        out += keys(page)
        if page.before is None:
            return out
        page = store.timeline(client, limit=7, before=page.before)


@pytest.fixture
def busy(anna: int, client: int, clock: Clock) -> dict[str, int]:
    """A client with interactions, notes and promises over many days (some at the same moment)."""
    start = clock.now
    marks: dict[str, int] = {}
    for day in range(40):
        clock.now = start + timedelta(days=day)
        store.log_interaction(client, by=anna, summary=f"Call {day}", rating=1, at=clock.now)
        if day % 3 == 0:
            note = store.add_note(client, by=anna, text=f"Note {day}", at=clock.now).id  # same moment as the call
            marks.setdefault("note", note)
        if day % 7 == 0:
            promise = store.make_promise(client, by=anna, text=f"Promise {day}", due=clock.now + timedelta(days=1)).id
            marks.setdefault("promise", promise)
        if day == 5:
            marks["interaction"] = store.log_interaction(client, by=anna, summary="The old one", rating=0,
                                                         at=clock.now).id
    return marks


@pytest.mark.parametrize("kind", ["interaction", "note", "promise"])
def test_the_page_around_an_old_entry_holds_it_and_its_cursors_meet_the_rest(busy: dict[str, int], client: int,
                                                                              kind: str) -> None:
    everything = whole_timeline(client)
    page = store.timeline(client, limit=10, around=(kind, busy[kind]))
    ids = keys(page)
    if kind == "promise":
        target = next(i for i, e in enumerate(page.entries)
                      if e.kind == "promise" and e.promise_id == busy[kind] and e.action == "made")
    else:
        target = ids.index((kind, busy[kind]))
    assert len(ids) == 10
    assert 3 <= target <= 6 if kind == "interaction" else target >= 5  # half the page newer, unless near the end
    assert page.after is not None and (page.before is not None or kind != "interaction")
    start = everything.index(ids[0])
    assert everything[start:start + 10] == ids  # a slice of the real timeline, in its order
    newer: list[tuple[str, int]] = []
    cursor = page.after
    while cursor is not None:
        above = store.timeline(client, limit=4, after=cursor)
        newer = keys(above) + newer
        cursor = above.after
    older: list[tuple[str, int]] = []
    cursor = page.before
    while cursor is not None:
        below = store.timeline(client, limit=6, before=cursor)
        older += keys(below)
        cursor = below.before
    assert newer + ids + older == everything


def test_around_the_newest_entry_is_the_first_page(busy: dict[str, int], client: int) -> None:
    first = store.timeline(client, limit=10)
    newest = first.entries[0]
    page = store.timeline(client, limit=10, around=(newest.kind, newest.id))
    assert keys(page) == keys(first) and page.after is None and page.before == first.before


def test_around_an_entry_that_is_not_there_says_so(busy: dict[str, int], client: int, anna: int) -> None:
    store.delete_entry("note", busy["note"], by=anna)
    with pytest.raises(ValidationError) as gone:
        store.timeline(client, around=("note", busy["note"]))
    assert gone.value.message == "That entry is no longer on this client's timeline."
    with pytest.raises(ValidationError):
        store.timeline(client, around=("email", 1))  # type: ignore[arg-type]
