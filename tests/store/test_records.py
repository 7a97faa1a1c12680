"""The rows the store returns stay frozen dataclasses, however they are built."""
from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from models.store.dataclass_init import fast_init
from models.store.records import PromiseRow

WHEN = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ARGS = (1, 2, "Oliver Thompson", "Ring back", WHEN, 3, "Anna Keller", 4, "Ben Okafor", WHEN, "open", "pending",
        None, 1)


def test_a_fast_built_row_equals_the_same_row_built_by_keyword() -> None:
    row = PromiseRow(*ARGS)
    names = [f.name for f in dataclasses.fields(PromiseRow)]
    by_keyword = PromiseRow(**dict(zip(names, ARGS, strict=False)))
    assert row == by_keyword and hash(row) == hash(by_keyword)
    assert (row.client_score, row.client_band) == (None, "")  # the defaults still apply
    assert PromiseRow(*ARGS, 72, "green").client_band == "green"
    assert dataclasses.replace(row, text="Send the form").text == "Send the form"


def test_a_fast_built_row_is_still_frozen() -> None:
    row = PromiseRow(*ARGS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.text = "changed"  # type: ignore[misc]
    with pytest.raises(TypeError):
        PromiseRow(*ARGS[:-1])  # a missing field is refused as before


def test_a_class_with_a_default_factory_keeps_its_own_init() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Holder:
        items: list[int] = dataclasses.field(default_factory=list)

    original = Holder.__init__
    assert fast_init(Holder).__init__ is original
    assert Holder().items == []
