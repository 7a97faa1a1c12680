"""Checks for what a person types: lengths, empty names, invisible control characters."""
from __future__ import annotations

import re
import unicodedata

# DESIGN.md, "Interfaces: Limits".
SHORT_LIMIT = 500  # names, summaries, one-line fields
LONG_LIMIT = 100_000  # notes, details, addresses
# A search looks in names, organisations, phone numbers and email addresses, each at most SHORT_LIMIT long.
SEARCH_LIMIT = SHORT_LIMIT

# C0 controls except tab/newline/carriage return, DEL, and the C1 block: never typed on purpose. The patterns are
# compiled when first used (re keeps them), not at start-up: ~1 ms (issue 10).
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
_SPACES = r"\s+"
# Half of a UTF-16 pair on its own (a broken copy and paste): no encoding can save it.
_SURROGATE = "[\ud800-\udfff]"


def check_text(value: object, label: str, *, required: bool = False, multiline: bool = False,
               limit: int | None = None, plural: bool = False) -> tuple[str, str | None]:
    """Clean one typed value; returns (cleaned text, a sentence saying what is wrong, or None).

    One-line fields have their runs of spaces, tabs and line breaks folded into single spaces (a
    pasted name often carries them); multi-line fields keep their lines. Other control characters
    are refused rather than silently dropped, so nothing the person meant is lost without a word.
    `plural` says the label is a plural noun ("The details"), so the sentences say "are", not "is".
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        return "", f"{label} must be text."
    limit = limit or (LONG_LIMIT if multiline else SHORT_LIMIT)
    if len(value) > limit * 4:  # decide quickly on a pasted 10 MB blob, before any cleaning
        return value, too_long(label, limit, len(value), plural=plural)
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    if re.search(_CONTROL, text):
        return value, (f"{label} {'contain' if plural else 'contains'} invisible control characters (often from "
                       "copying a document). Please retype or remove them.")
    if re.search(_SURROGATE, text):
        return value, (f"{label} {'contain' if plural else 'contains'} broken characters (often from copying "
                       "and pasting) that cannot be saved. Please retype them.")
    text = unicodedata.normalize("NFC", text)
    text = text.strip() if multiline else re.sub(_SPACES, " ", text).strip()
    if required and not text:
        return text, f"{label} cannot be empty."
    if len(text) > limit:
        return value, too_long(label, limit, len(text), plural=plural)
    return text, None


def too_long(label: str, limit: int, length: int, *, plural: bool = False) -> str:
    """The sentence for text over its limit: the field, the limit, and how long this text is."""
    return f"{label} {'are' if plural else 'is'} too long: at most {limit:,} characters, and this is {length:,}."


_EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$"
_PHONE_CHARS = r"(?i)^[0-9+()\-./ ]+(\s*(x|ext\.?)\s*\d+)?$"


def check_email(value: str) -> str | None:
    """A sentence when a non-empty email address cannot be right."""
    if value and not re.match(_EMAIL, value):
        return "The email address does not look right; it should be like name@example.com."
    return None


def check_phone(value: str) -> str | None:
    """A sentence when a non-empty phone number holds something other than digits and separators."""
    if not value:
        return None
    if not re.match(_PHONE_CHARS, value):
        return "The phone number may hold only digits, spaces, + - ( ) . / and an extension (x123)."
    digits = sum(ch.isdigit() for ch in value)
    if digits < 3 or digits > 20:
        return "The phone number should have between 3 and 20 digits."
    return None


def initials_of(name: str) -> str:
    """Initials for a staff badge: 'Anna Smith' -> 'AS', 'Li' -> 'LI'."""
    words = [w for w in re.split(r"[\s\-]+", name) if w and w[0].isalnum()]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:2].upper()
    return (words[0][0] + words[-1][0]).upper()


def search_key(*parts: str) -> str:
    """What the client filter matches against: lower-case words, and a phone's digits run together."""
    text = " ".join(p for p in parts if p).casefold()
    digits = "".join(ch for p in parts for ch in p if ch.isdigit())
    return f"{text} {digits}" if digits else text
