"""Bytes of a contact file into text: byte-order marks, UTF-16 without one, UTF-8, else charset-normalizer's guess.

Also tells a contact file from other things named .csv or .vcf (a workbook, a PDF, binary junk), with a
sentence a receptionist can act on.
"""
from __future__ import annotations

import codecs
import os
from dataclasses import dataclass

MAX_BYTES = 50 * 1024 * 1024  # refused up front: a 50 MB CSV is a quarter of a million contacts
SAMPLE = 256 * 1024  # what charset-normalizer looks at

# The character sets a person may choose in the wizard (the guess is added if it is not among them).
ENCODINGS: dict[str, str] = {
    "utf-8": "Unicode (UTF-8)",
    "utf-8-sig": "Unicode (UTF-8 with BOM)",
    "utf-16": "Unicode (UTF-16)",
    "utf-16-le": "Unicode (UTF-16, little-endian, no BOM)",
    "utf-16-be": "Unicode (UTF-16, big-endian, no BOM)",
    "cp1252": "Western European (Windows-1252)",
    "latin-1": "Western European (ISO 8859-1)",
    "cp1250": "Central European (Windows-1250)",
    "cp1251": "Cyrillic (Windows-1251)",
    "shift_jis": "Japanese (Shift_JIS)",
    "cp932": "Japanese (Windows-31J)",
    "euc_jp": "Japanese (EUC-JP)",
    "gb18030": "Chinese (GB18030)",
    "big5": "Chinese (Big5)",
    "mac_roman": "Western European (Mac OS Roman)",
}


class FileProblem(Exception):
    """The file cannot be imported at all; `message` is the sentence to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str  # a Python codec name, as `ENCODINGS` lists them
    guessed: bool  # True when no BOM said it


_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "This is an Excel workbook or another zipped file, not a CSV or vCard file. In Excel, choose "
                    "File > Save As and the type \"CSV UTF-8\", then import that file."),
    (b"\xd0\xcf\x11\xe0", "This is an old Excel or Word file, not a CSV or vCard file. In Excel, choose File > Save As "
                          "and the type \"CSV UTF-8\", then import that file."),
    (b"%PDF", "This is a PDF document, not a contact list. Export the contacts as CSV or vCard and import that."),
    (b"\x89PNG", "This is a picture, not a contact list. Choose a CSV or vCard file."),
    (b"\xff\xd8\xff", "This is a picture, not a contact list. Choose a CSV or vCard file."),
    (b"GIF8", "This is a picture, not a contact list. Choose a CSV or vCard file."),
    (b"SQLite format 3", "This is a database file, not a contact list. Choose a CSV or vCard file."),
    (b"\x1f\x8b", "This is a compressed file. Unpack it first, then import the CSV or vCard file inside."),
)


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The file's bytes, refused with a sentence when it is missing, empty or too large."""
    try:
        size = os.path.getsize(path)
    except OSError:
        raise FileProblem("Rapport cannot find or open that file. Check that it is still there.") from None
    if size == 0:
        raise FileProblem("The file is empty: there are no contacts in it.")
    if size > MAX_BYTES:
        raise FileProblem(f"The file is {size / 1024 / 1024:,.0f} MB; Rapport imports contact files of up to "
                          f"{MAX_BYTES // 1024 // 1024} MB at a time. Split it into smaller files "
                          "(for example by the first letter of the name) and import them one after another.")
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise FileProblem(f"Rapport could not read the file ({exc.strerror or exc}).") from None


def check_kind(data: bytes) -> None:
    """Refuse files that are plainly something else, with what to do instead."""
    for magic, sentence in _MAGIC:
        if data.startswith(magic):
            raise FileProblem(sentence)


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when NUL bytes sit on every other position (text mostly in Latin script)."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > half * 0.6 and even < half * 0.1:
        return "utf-16-le"
    if even > half * 0.6 and odd < half * 0.1:
        return "utf-16-be"
    return None


def sniff_encoding(data: bytes) -> tuple[str, bool]:
    """(codec name, guessed?) for a contact file's bytes."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", False
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) and len(data) % 4 == 0:
        return "utf-32", False
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", False
    wide = _utf16_without_bom(data)
    if wide:
        return wide, True
    try:
        data.decode("utf-8")
        return "utf-8", True
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and len(data) > SAMPLE:
            return "utf-8", True  # cut in the middle of a character by the sample
    sample = data[:SAMPLE]
    if _reads_as_japanese(sample):
        return "cp932", True
    if _reads_as_western(sample):
        return "cp1252", True
    from charset_normalizer import from_bytes  # noqa: PLC0415 - only for files that are not UTF-8

    best = from_bytes(sample, cp_isolation=_CANDIDATES).best()
    if best is None:
        return "cp1252", True
    return _tidy(best.encoding), True


# Legacy character sets offices' files come in; limiting the guess to these keeps charset-normalizer from
# choosing an exotic code page for a short Latin-1 file.
_CANDIDATES = ["cp1252", "latin_1", "cp1250", "cp1251", "shift_jis", "cp932", "euc_jp", "gb18030", "big5",
               "euc_kr", "iso8859_15", "iso8859_2", "mac_roman", "koi8_r", "cp850"]


def _reads_as_japanese(sample: bytes) -> bool:
    """Shift_JIS (Windows' cp932) that decodes cleanly into mostly kana and kanji."""
    try:
        text = sample.decode("cp932")
    except UnicodeDecodeError:
        return False
    wide = [ch for ch in text if ord(ch) > 127]
    japanese = sum(1 for ch in wide if "\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff")
    return bool(wide) and japanese >= 0.8 * len(wide)


def _reads_as_western(sample: bytes) -> bool:
    """Windows-1252 where the accented letters sit inside words of plain letters ('Özdemir', 'Weiß').

    In a Cyrillic or Greek file read this way, whole words are accented gibberish instead.
    """
    try:
        text = sample.decode("cp1252")
    except UnicodeDecodeError:
        return False
    wide = [i for i, ch in enumerate(text) if ord(ch) > 127]
    if not wide:
        return True
    beside_ascii = sum(1 for i in wide if any(0 <= j < len(text) and text[j].isascii() and text[j].isalpha()
                                               for j in (i - 1, i + 1)))
    return beside_ascii >= 0.6 * len(wide)


def _tidy(name: str) -> str:
    name = name.lower().replace("_", "-")
    return {"latin-1": "latin-1", "iso8859-1": "latin-1", "windows-1252": "cp1252", "shift-jis": "shift_jis",
            "euc-jp": "euc_jp"}.get(name, name)


def decode(data: bytes, encoding: str | None = None) -> Decoded:
    """The text of a contact file in the given (or guessed) character set; FileProblem when it is not text."""
    check_kind(data)
    guessed = encoding is None
    if encoding is None:
        encoding, guessed = sniff_encoding(data)
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise FileProblem(f"Rapport does not know the character set {encoding!r}. Choose one from the list.") from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        if not guessed:
            label = ENCODINGS.get(encoding, encoding)
            raise FileProblem(f"The file cannot be read as {label}. Choose another character set.") from None
        text = data.decode(encoding, errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    if _looks_binary(text):
        raise FileProblem("This file does not hold text: it is not a CSV or vCard file (perhaps a program or a "
                          "damaged file). Choose the contacts file that was exported.")
    return Decoded(text, encoding, guessed)


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    if not sample:
        return False
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\r\n\f") or ch == "\ufffd")
    return bad > max(8, len(sample) // 50)
