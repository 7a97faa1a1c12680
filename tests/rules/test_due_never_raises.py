"""The due-date reader never raises (issue 12): whatever is typed, it answers a date or None."""
from __future__ import annotations

from datetime import datetime

from hypothesis import example, given, settings
from hypothesis import strategies as st

from models.rules import promises

NOW = datetime(2026, 12, 31, 23, 59, 59)
typed = st.text(st.characters(codec=None), max_size=30) | st.from_regex(
    r"\A(\d{1,6}[-/.]\d{1,3}[-/.]\d{1,6}|in \d{1,25} (days|weeks|months)|(mon|fri) \d{1,3}(am|pm|:\d\d)?)\Z")


@settings(max_examples=400)
@given(typed, st.datetimes(min_value=datetime(1901, 1, 1), max_value=datetime(2199, 12, 31)))
@example("0000-01-01", NOW)
@example("9999-12-31", datetime(9999, 12, 30))
@example("in 99999999999999999999 days", NOW)
@example("31/12/9999 11pm", NOW)
@example("\x00\udce9", NOW)
def test_parse_due_answers_a_date_or_none_and_never_raises(text: str, now: datetime) -> None:
    result = promises.parse_due(text, now)
    assert result is None or isinstance(result, datetime)
