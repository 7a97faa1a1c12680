"""Comparable forms of names, phones and emails: the one place search, import and duplicates agree on.

"Zoë Ó'Brien" and "zoe obrien" fold to the same words; "+44 1632 960407", "01632960407" and
"1632 960 407" are one national number for an office in GB. Phone numbers are read with the
`phonenumbers` library (Google's libphonenumber data), imported on first use so start-up does not pay
for its metadata; a number it cannot read falls back to its digits.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters NFKD does not take apart into a base letter and a mark.
_LETTERS = str.maketrans({"ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ħ": "h", "ı": "i",
                          "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "Þ": "th", "ß": "ss"})
_APOSTROPHES = re.compile(r"['’ʼ`´‘]")
_WORD = re.compile(r"\w+")
_DIGITS = re.compile(r"\D+")


def fold(text: str) -> str:
    """Lower case without accents: 'Zoë Ó'Brien' -> 'zoe o'brien' (punctuation kept)."""
    if text.isascii():  # most text: nothing to decompose or translate, and casefold is lower
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    """The folded words of a text, apostrophes dropped inside words ("O'Brien" -> "obrien").

    A hyphenated or dotted name gives its parts and the joined whole ("Smith-Jones" -> "smith", "jones",
    "smithjones"), so either way of typing it matches.
    """
    folded = _APOSTROPHES.sub("", fold(text))
    out: list[str] = []
    for chunk in folded.split():
        parts = _WORD.findall(chunk)
        out.extend(parts)
        if len(parts) > 1:
            out.append("".join(parts))
    return out


def email_key(email: str) -> str:
    """An email address as compared: trimmed and in lower case ('' for none)."""
    return email.strip().casefold()


@lru_cache(maxsize=4096)
def phone_key(phone: str, country: str = "") -> str:
    """A phone number as compared: its national significant number ('1632960407'), '' for none.

    `country` is the office's two-letter region (OfficeSettings.country) for numbers written without
    an international prefix. Numbers the library cannot read compare by their digits, without the
    leading zeros of a trunk or international prefix.
    """
    digits = _DIGITS.sub("", phone)
    if not digits:
        return ""
    if len(digits) > 17 or len(phone) > 60:
        return digits.lstrip("0")
    import phonenumbers  # noqa: PLC0415 - its metadata is large; loaded when first needed

    try:
        number = phonenumbers.parse(phone, country.upper() or None)
    except phonenumbers.NumberParseException:
        return digits.lstrip("0")
    national = phonenumbers.national_significant_number(number)
    return national or digits.lstrip("0")


def phone_region(phone: str, country: str = "") -> str:
    """The two-letter region a phone number belongs to, as far as it can be told ('' when not)."""
    if not _DIGITS.sub("", phone) or len(phone) > 60:
        return ""
    import phonenumbers  # noqa: PLC0415

    try:
        number = phonenumbers.parse(phone, country.upper() or None)
    except phonenumbers.NumberParseException:
        return ""
    return phonenumbers.region_code_for_number(number) or ""
