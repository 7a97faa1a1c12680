"""The comparable forms search, import and duplicates share: folded names, national phone numbers."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models import normalise, search_index
from models.normalise import email_key, fold, phone_key, phone_region, words


def test_names_fold_without_accents_case_or_apostrophes() -> None:
    assert words("Zoë Ó'Brien") == words("zoe obrien") == ["zoe", "obrien"]
    assert words("ZOE O’BRIEN") == ["zoe", "obrien"]
    assert fold("Łukasz Søren Straße") == "lukasz soren strasse"


def test_a_hyphenated_name_matches_its_parts_and_its_whole() -> None:
    assert words("Smith-Jones") == ["smith", "jones", "smithjones"]


@pytest.mark.parametrize("written", ["+44 1632 960407", "01632960407", "1632 960 407", "01632 960407",
                                     "(01632) 960-407", "0044 1632 960407"])
def test_one_phone_number_however_it_is_written(written: str) -> None:
    assert phone_key(written, "GB") == "1632960407"


def test_phone_numbers_without_a_country_or_unreadable_compare_by_digits() -> None:
    assert phone_key("+49 30 1234567") == "301234567"
    assert phone_key("ext 12") == "12"
    assert phone_key("") == phone_key("no number") == ""
    assert phone_key("9" * 40) == "9" * 40  # too long for the library: digits, no exception


def test_regions_and_emails() -> None:
    assert phone_region("+49 30 1234567") == "DE"
    assert phone_region("020 7123 4567", "GB") == "GB"
    assert phone_region("") == ""
    assert email_key("  Oliver@Example.COM ") == "oliver@example.com"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127)) | st.text())
def test_folding_takes_a_short_road_for_ascii_with_the_same_answer(text: str) -> None:
    """ASCII text folds to its lower case (nothing to decompose, translate or casefold further): the short road
    every write and search takes for most text gives what the full folding gives."""
    full = "".join(c for c in unicodedata.normalize("NFKD", text.translate(normalise._LETTERS))
                   if not unicodedata.combining(c)).casefold()
    assert fold(text) == full
    marks_stripped = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()
    assert search_index._strip_marks(text) == marks_stripped
