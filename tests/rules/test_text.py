"""The sentences models/rules/text.py gives a form: right for a singular label and for a plural one."""
from __future__ import annotations

import pytest

from models.rules.text import check_text, too_long


@pytest.mark.parametrize(("label", "plural", "verb"), [("The summary", False, "is"), ("The details", True, "are")])
def test_too_long_agrees_with_the_label(label: str, plural: bool, verb: str) -> None:
    assert check_text("x" * 501, label, plural=plural) == (
        "x" * 501, f"{label} {verb} too long: at most 500 characters, and this is 501.")
    blob = "x" * 5_000_000  # refused before any cleaning
    assert check_text(blob, label, multiline=True, plural=plural)[1] == (
        f"{label} {verb} too long: at most 100,000 characters, and this is 5,000,000.")
    assert too_long(label, 4, 5, plural=plural) == f"{label} {verb} too long: at most 4 characters, and this is 5."


@pytest.mark.parametrize(("label", "plural", "verb"), [("The note", False, "contains"),
                                                       ("The details", True, "contain")])
def test_control_characters_agree_with_the_label(label: str, plural: bool, verb: str) -> None:
    assert check_text("Bad\x07bell", label, multiline=True, plural=plural)[1] == (
        f"{label} {verb} invisible control characters (often from copying a document). Please retype or remove them.")


def test_sentences_that_need_no_verb_agreement_are_the_same_either_way() -> None:
    assert check_text("", "The details", required=True, plural=True)[1] == "The details cannot be empty."
    assert check_text(3, "The details", plural=True)[1] == "The details must be text."
    assert check_text("Fine", "The details", plural=True) == ("Fine", None)
