"""The front-desk corpus (tests/data/due_corpus.py) read by the due-date rules: how much is understood
exactly, and that nothing is ever read silently as another moment.

`python -m tests.rules.test_due_corpus` prints the measurement and every phrase not understood.
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime

import pytest

from models.rules.due_phrases import due_choices, parse_due
from tests.data.due_corpus import CORPUS

NOWS = {"W": datetime(2026, 3, 11, 10, 0), "F": datetime(2026, 3, 13, 9, 0)}
# DUE-DATES.md asks at least this much of its held-back list; this corpus holds us to the same bar for
# the phrases that have one reading (the vague ones are expected to be refused, and are counted apart).
UNDERSTOOD_AT_LEAST = 0.85


def _moment(text: str) -> datetime:
    return datetime.strptime(text.strip(), "%Y-%m-%d %H:%M")


def verdict(text: str, now_key: str, reading: str | None) -> str:
    """exact / asked / refused (all right), or missed (not understood) or WRONG (silently another moment)."""
    now = NOWS[now_key]
    got, choices = parse_due(text, now), due_choices(text, now)
    if reading is None:  # means no one moment: any moment is a guess
        return "refused" if got is None and not choices else "WRONG"
    if reading.startswith("ask:"):
        wanted = tuple(_moment(part) for part in reading[4:].split("|"))
        if got is not None:
            return "WRONG"
        return "asked" if choices == wanted else ("missed" if not choices else "WRONG")
    if got is None:
        return "missed" if not choices or _moment(reading) in choices else "WRONG"
    return "exact" if got == _moment(reading) else "WRONG"


def measure() -> tuple[Counter[str], list[tuple[str, str, str | None, str, str]]]:
    counts: Counter[str] = Counter()
    rows = []
    for text, now_key, reading, source in CORPUS:
        result = verdict(text, now_key, reading)
        counts[result] += 1
        rows.append((text, now_key, reading, source, result))
    return counts, rows


def test_the_corpus_is_big_and_sourced() -> None:
    assert len(CORPUS) >= 150
    assert {source for *_, source in CORPUS} >= {"duckling", "chrono", "parsedatetime", "ctparse", "dateparser",
                                                  "dateutil", "desk"}
    assert len({(text, now) for text, now, *_ in CORPUS}) == len(CORPUS)  # no row twice


def test_nothing_in_the_corpus_is_silently_read_as_another_moment() -> None:
    _counts, rows = measure()
    wrong = [(text, now, reading) for text, now, reading, _source, result in rows if result == "WRONG"]
    assert wrong == []


def test_most_of_the_corpus_is_understood_exactly() -> None:
    counts, _rows = measure()
    meant = counts["exact"] + counts["asked"] + counts["missed"]
    assert (counts["exact"] + counts["asked"]) / meant >= UNDERSTOOD_AT_LEAST


@pytest.mark.parametrize(("text", "now_key", "reading", "source"), CORPUS,
                         ids=[f"{text!r} ({now})" for text, now, *_ in CORPUS])
def test_each_phrase_never_raises(text: str, now_key: str, reading: str | None, source: str) -> None:
    verdict(text, now_key, reading)


if __name__ == "__main__":
    counts, rows = measure()
    meant = counts["exact"] + counts["asked"] + counts["missed"]
    print(f"{len(rows)} phrases: {counts['exact']} exact, {counts['asked']} asked (two readings offered), "
          f"{counts['missed']} not understood, {counts['refused']} vague ones refused, {counts['WRONG']} wrong")
    print(f"understood exactly: {counts['exact'] + counts['asked']}/{meant} = "
          f"{(counts['exact'] + counts['asked']) / meant:.1%} of the phrases with one meaning")
    for text, now, reading, source, result in rows:
        if result in ("missed", "WRONG"):
            print(f"  {result:7} {text!r} ({now}, {source}): meant {reading}")
