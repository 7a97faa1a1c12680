"""vCard 2.1, 3.0 and 4.0, read and written with `vobject`.

Real files bend the standard, so the bytes are tidied first, line by line, before vobject parses each card:
folded lines are joined as bytes (a fold may split a UTF-8 character), quoted-printable values with soft
line breaks are decoded in their declared CHARSET, photos and keys are left out (and counted), and a card
vobject cannot read becomes a problem of its own instead of stopping the file.
"""
from __future__ import annotations

import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from models.contacts.decode import FileProblem, sniff_encoding
from models.contacts.entry import Contact, Item, build, clean_label

_BINARY = {"PHOTO", "LOGO", "SOUND", "KEY"}
# Properties that say nothing a person needs (or that the client's fields already hold).
_TECHNICAL = {"VERSION", "PRODID", "REV", "X-ABUID", "X-ABSHOWAS", "X-MS-OL-DESIGN", "X-MS-OL-DEFAULT-POSTAL-ADDRESS",
              "X-ABLABEL", "X-ABADR", "LABEL", "FN", "N", "SORT-STRING", "X-PHONETIC-FIRST-NAME",
              "X-PHONETIC-LAST-NAME", "CLASS", "SOURCE", "KIND", "XML", "CLIENTPIDMAP", "MAILER", "NAME",
              "PROFILE", "X-EVOLUTION-FILE-AS", "X-MOZILLA-HTML", "X-MS-CARDPICTURE"}
_DEFAULT_GROUPS = {"my contacts", "* my contacts", "starred in android", "mycontacts"}
_NAME = re.compile(rb"^(?:[\w-]+\.)?([\w-]+)", re.ASCII)
_LISTS = {"CATEGORIES", "NICKNAME"}  # where a comma separates values
_BARE_COMMA = re.compile(r"(?<!\\),")


@dataclass(frozen=True, slots=True)
class Card:
    """One card's tidied text (vobject's input) and what the tidying met."""

    row: int
    text: str
    photos: int
    skipped: tuple[str, ...]  # lines that could not be read at all


def looks_like_vcard(data: bytes) -> bool:
    head = data[:4096]
    if b"\x00" in head:
        try:
            head = head.decode(sniff_encoding(data[:4096])[0], errors="ignore").encode()
        except LookupError:
            return False
    return b"BEGIN:VCARD" in head.upper()


def _to_utf8_lines(data: bytes) -> list[bytes]:
    """The file as lines of ASCII-compatible bytes (a UTF-16 or UTF-32 file is re-encoded as UTF-8 first)."""
    encoding, _ = sniff_encoding(data[:65536] if len(data) > 65536 else data)
    if encoding.startswith(("utf-16", "utf-32")):
        data = data.decode(encoding, errors="replace").lstrip("\ufeff").encode("utf-8")
    elif data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    data = data.replace(b"\r\r\n", b"\n").replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    data = re.sub(rb"\n[ \t]", b"", data)  # unfold (RFC 2425/6350): as bytes, so a split character rejoins
    return data.split(b"\n")


def _fallback_charset(data: bytes) -> str:
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def _decode(value: bytes, charset: str, fallback: str) -> str:
    for name in (charset, "utf-8", fallback):
        if not name:
            continue
        try:
            return value.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
    return value.decode("utf-8", errors="replace")


def _split_property(line: bytes) -> tuple[bytes, bytes] | None:
    """(name and parameters, value) at the first colon outside quotes; None for a line with no colon."""
    quoted = False
    for i, ch in enumerate(line):
        if ch == 0x22:
            quoted = not quoted
        elif ch == 0x3A and not quoted:
            return line[:i], line[i + 1:]
    return None


def cards(data: bytes) -> Iterator[Card]:
    """The tidied cards of a vCard file, numbered from 1."""
    lines = _to_utf8_lines(data)
    fallback = _fallback_charset(b"\n".join(lines))
    row = 0
    current: list[str] | None = None
    photos = 0
    skipped: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line.strip():
            continue
        upper = line.strip().upper()
        if upper == b"BEGIN:VCARD":
            row += 1
            current, photos, skipped = ["BEGIN:VCARD"], 0, []
            continue
        if current is None:
            continue  # text outside a card (Tine's "ENCODING:UTF-8" before the first one)
        if upper == b"END:VCARD":
            current.append("END:VCARD")
            yield Card(row, "\r\n".join(current) + "\r\n", photos, tuple(skipped))
            current = None
            continue
        parts = _split_property(line)
        if parts is None:
            skipped.append(_decode(line, "", fallback).strip())
            continue
        head, value = parts
        params = head.upper().split(b";")
        match = _NAME.match(params[0])
        name = match.group(1).decode() if match else ""
        if not match or match.end() != len(params[0]):
            skipped.append(_decode(line, "", fallback).strip())
            continue
        qp = any(p in (b"QUOTED-PRINTABLE", b"ENCODING=QUOTED-PRINTABLE") for p in params[1:])
        if qp:
            while value.endswith(b"=") and i < len(lines):  # a soft line break: the value goes on
                value = value[:-1] + lines[i]
                i += 1
        if name in _BINARY:
            if name == "PHOTO" and (value.strip() or b"VALUE=URI" in head.upper()):
                photos += 1
            if b"BASE64" in head.upper() or b"ENCODING=B" in head.upper():
                while i < len(lines) and lines[i].strip() and _split_property(lines[i]) is None:
                    i += 1  # vCard 2.1 base64 goes on until a blank line
            continue
        charset = ""
        kept: list[bytes] = []
        for p in head.split(b";")[1:]:
            key = p.upper()
            if key.startswith(b"CHARSET="):
                charset = p.split(b"=", 1)[1].decode("ascii", "ignore").strip('"')
            elif key in (b"QUOTED-PRINTABLE", b"ENCODING=QUOTED-PRINTABLE", b"ENCODING=8BIT"):
                continue
            else:
                kept.append(p)
        if qp:
            raw = quopri.decodestring(value)
            text = _decode(raw, charset, fallback).replace("\r\n", "\n").replace("\r", "\n")
            text = text.replace("\\", "\\\\").replace("\n", "\\n") if name not in ("N", "ADR", "ORG") else \
                text.replace("\n", "\\n")
        else:
            text = _decode(value, charset, fallback)
        if name not in _LISTS:
            text = _BARE_COMMA.sub(r"\\,", text)  # vobject keeps only what comes before a bare comma
        current.append(b";".join([head.split(b";")[0], *kept]).decode("ascii", "ignore") + ":" + text)
    if current is not None:
        skipped.append("the last card has no END:VCARD")
        current.append("END:VCARD")
        yield Card(row, "\r\n".join(current) + "\r\n", photos, tuple(skipped))


def _params(prop: object) -> tuple[str, bool]:
    """A property's type label ('work', 'cell') and whether it is preferred."""
    types: list[str] = []
    pref = False
    for key, values in getattr(prop, "params", {}).items():
        key = key.upper()
        if key == "PREF":
            pref = True
        for value in values:
            for part in str(value).split(","):
                part = part.strip().strip('"')
                if key == "TYPE" and part.lower() == "pref":
                    pref = True
                elif key in ("TYPE", "LABEL") and part and part.lower() not in ("internet", "voice", "x400"):
                    types.append(part.lower())
    for value in getattr(prop, "singletonparams", []):
        upper = str(value).upper()
        if upper == "PREF":
            pref = True
        elif upper not in ("INTERNET", "VOICE", "QUOTED-PRINTABLE", "BASE64", "CHARSET"):
            types.append(str(value).lower())
    return ", ".join(dict.fromkeys(types)), pref


def _text(value: object) -> str:
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value if _text(v))
    if isinstance(value, bytes):
        return ""
    return str(value).strip()


def _adr(value: object) -> str:
    parts = [getattr(value, k, "") for k in ("box", "extended", "street", "city", "region", "code", "country")]
    box, extended, street, city, region, code, country = (_text(p) for p in parts)
    lines = [p for p in (box, extended, street) if p]
    town = " ".join(p for p in (code, city) if p)
    lines += [p for p in (town, region, country) if p]
    return "\n".join(lines)


def _pretty_name(name: str) -> str:
    name = re.sub(r"^X-(MS-|AB|ANDROID-|EVOLUTION-|MOZILLA-|KADDRESSBOOK-)?", "", name.upper())
    return name.replace("-", " ").capitalize()


def contact_of(card: Card) -> Contact:
    """A Contact from a tidied card (vobject parses it; a card it cannot read is a problem row)."""
    import vobject  # noqa: PLC0415 - only when a vCard is read

    try:
        component = vobject.readOne(card.text, ignoreUnreadable=True, allowQP=True)
    except Exception as exc:  # vobject raises many kinds; any of them means this card cannot be read  # noqa: BLE001
        contact = Contact(card.row, source=(card.text,))
        contact.problem, contact.problem_field = f"the card cannot be read ({str(exc)[:120]})", "card"
        return contact
    labels: dict[str, str] = {}
    for child in component.getChildren():
        if child.name.upper() == "X-ABLABEL" and child.group:
            labels[child.group] = clean_label(_text(child.value))
    items: list[Item] = []
    for child in component.getChildren():
        name = child.name.upper()
        label, pref = _params(child)
        if child.group and child.group in labels:
            label = labels[child.group] or label
        value = child.value
        if name == "FN":
            items.append(Item("name", _text(value)))
        elif name == "N":
            for kind, attr in (("name_prefix", "prefix"), ("given_name", "given"), ("middle_name", "additional"),
                               ("family_name", "family"), ("name_suffix", "suffix")):
                items.append(Item(kind, " ".join(_text(getattr(value, attr, "")).split())))
        elif name == "NICKNAME":
            items.append(Item("nickname", _text(value)))
        elif name == "ORG":
            org = [_text(v) for v in (value if isinstance(value, list) else [value]) if _text(v)]
            if org:
                items.append(Item("organisation", org[0]))
                items.extend(Item("department", v) for v in org[1:])
        elif name in ("TITLE", "ROLE"):
            items.append(Item("title", _text(value), "" if name == "TITLE" else "role"))
        elif name == "TEL":
            items.append(Item("phone", _text(value), label, pref))
        elif name == "EMAIL":
            items.append(Item("email", _text(value), label, pref))
        elif name == "ADR":
            items.append(Item("address", _adr(value), label, pref))
        elif name == "URL":
            items.append(Item("url", _text(value).replace("\\:", ":"), label, pref))
        elif name == "BDAY":
            items.append(Item("birthday", read_birthday(_text(value))))
        elif name == "NOTE":
            items.append(Item("note", _text(value)))
        elif name == "UID":
            items.append(Item("uid", _text(value)))
        elif name == "X-RAPPORT-MORE":
            items.append(Item("more", _text(value)))
        elif name == "CATEGORIES":
            groups = [g for g in (_text(v) for v in (value if isinstance(value, list) else [value]))
                      if g and g.casefold() not in _DEFAULT_GROUPS]
            if groups:
                items.append(Item("more", ", ".join(groups), "Groups"))
        elif name in _TECHNICAL or name in ("BEGIN", "END"):
            continue
        else:
            text = _text(value)
            if text:
                items.append(Item("more", text, label.capitalize() if name.startswith("X-AB") and label
                                  else _pretty_name(name)))
    contact = build(card.row, items, source=(card.text,))
    contact.photos = card.photos
    if card.skipped:
        shown = "; ".join(repr(s[:40]) for s in card.skipped[:3])
        contact.notices.append(f"{len(card.skipped)} line(s) of the card could not be read and were left out: "
                               f"{shown}")
    return contact


def read_cards(data: bytes) -> list[Card]:
    found = list(cards(data))
    if not found:
        raise FileProblem("The file has no contact cards in it (no BEGIN:VCARD).")
    return found


# --- writing -----------------------------------------------------------------------------------------

_MORE_LINE = re.compile(r"^(Phone|Email|Address|Website)(?: \((.+)\))?: (.+)$")
_SIMPLE_LINE = re.compile(r"^(Job title|Department|Nickname|Birthday): (.+)$")
PRODID = "-//Rapport//Rapport contacts//EN"


@dataclass(frozen=True, slots=True)
class OutCard:
    """What a client contributes to a vCard."""

    uid: str
    name: str
    organisation: str
    phone: str
    email: str
    address: str
    more_details: str


# A phone's label as a vCard TEL type (Outlook drops a TEL that has no TYPE; Apple and Google read X-ABLabel).
_TEL_TYPES = (("fax", re.compile(r"fax", re.I)), ("pager", re.compile(r"pager|beeper", re.I)),
              ("cell", re.compile(r"mobil|cell|handy|portable|movil|iphone", re.I)),
              ("home", re.compile(r"home|privat|maison|casa", re.I)),
              ("work", re.compile(r"work|business|office|arbeit|gesch|bureau|travail|trabajo|company", re.I)))
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$")
_ISO_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})$")
_NO_YEAR = re.compile(r"^--(\d{2})-?(\d{2})$")
FOLD_OCTETS = 75


def _tel_type(label: str) -> str:
    return next((kind for kind, words in _TEL_TYPES if words.search(label)), "voice")


def _birthday(text: str, v4: bool) -> tuple[str, bool] | None:
    """A birthday as BDAY writes it: (value, is text); None when vCard 3.0 has no way to say it (a date only)."""
    import datetime as dt  # noqa: PLC0415

    if found := _ISO_DATE.match(text):
        year, month, day = found.groups()
        try:
            dt.date(int(year), int(month), int(day))
        except ValueError:
            found = None
        else:
            return (f"{year}{month}{day}" if v4 else f"{year}-{month}-{day}"), False
    if (no_year := _NO_YEAR.match(text)) and v4:
        return f"--{no_year.group(1)}{no_year.group(2)}", False
    return (text, True) if v4 else None


def read_birthday(text: str) -> str:
    """A BDAY as a person writes it: RFC 6350's 19800203 and --0412 as 1980-02-03 and --04-12."""
    if found := re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text):
        return "-".join(found.groups())
    if found := re.fullmatch(r"--(\d{2})(\d{2})", text):
        return f"--{found.group(1)}-{found.group(2)}"
    return text


def fold(text: str) -> str:
    """Fold every line at 75 octets, never inside a UTF-8 character (RFC 6350 3.2, RFC 2425 5.8.1): vobject
    folds by characters, which leaves lines of emoji twice too long."""
    out: list[str] = []
    for line in text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n"):
        if not line:
            continue
        part: list[str] = []
        size = 0
        for ch in line:
            octets = len(ch.encode("utf-8"))
            if size + octets > FOLD_OCTETS:
                out.append("".join(part))
                part, size = [" "], 1
            part.append(ch)
            size += octets
        out.append("".join(part))
    return "\r\n".join(out) + "\r\n"


def write_card(card: OutCard, version: str = "3.0") -> str:
    """One client as a vCard 3.0 or 4.0 that Apple Contacts, Google and Outlook read.

    Other details become ordinary properties where vCard has one (TEL with a TYPE, EMAIL, ADR, URL with an Apple
    X-ABLabel for their label; TITLE, BDAY, NICKNAME); anything else, and what the version cannot say (a website
    that is no URI, a birthday that is no date in 3.0), is kept in X-RAPPORT-MORE lines, which Rapport reads back
    as they were. tests/store/test_vcard_export.py checks the RFC rules (and RFC 2426 with a strict validator).
    """
    import vobject  # noqa: PLC0415

    v4 = version == "4.0"
    vc = vobject.vCard()
    vc.add("version").value = version
    vc.add("prodid").value = PRODID
    uid = vc.add("uid")
    uid.value = card.uid
    if v4 and not _URI.match(card.uid):  # 4.0's UID is a URI unless it says it is text
        uid.params["VALUE"] = ["text"]
    vc.add("fn").value = card.name
    words = card.name.split()
    vc.add("n").value = vobject.vcard.Name(family=words[-1] if len(words) > 1 else card.name,
                                           given=" ".join(words[:-1]) if len(words) > 1 else "")
    department = ""
    items = 0

    def typed(name: str, value: Any, label: str = "", pref: bool = False) -> None:
        nonlocal items
        prop = vc.add(name)
        prop.value = value
        if label:  # Apple's way of labelling a value, which Google reads too
            items += 1
            prop.group = f"item{items}"
            tag = vc.add("x-ablabel")
            tag.group = f"item{items}"
            tag.value = label
        types = [_tel_type(label)] if name == "tel" else []
        if pref and v4:
            prop.params["PREF"] = ["1"]
        elif pref:
            types.append("pref")
        if types:
            prop.params["TYPE"] = types

    def address(text: str) -> Any:
        return vobject.vcard.Address(street="\n".join(text.splitlines()))

    if card.phone:
        typed("tel", card.phone, pref=True)
    if card.email:
        typed("email", card.email, pref=True)
    if card.address:
        typed("adr", address(card.address), pref=True)
    for line in card.more_details.splitlines():
        line = line.strip()
        if not line:
            continue
        found = _MORE_LINE.match(line)
        simple = _SIMPLE_LINE.match(line)
        if found and (found.group(1) != "Website" or _URI.match(found.group(3))):
            kind, label, value = found.groups()
            name = {"Phone": "tel", "Email": "email", "Address": "adr", "Website": "url"}[kind]
            typed(name, address(value) if name == "adr" else value, label or "")
        elif simple and simple.group(1) == "Department" and not department:
            department = simple.group(2)
        elif simple and simple.group(1) == "Job title" and "title" not in vc.contents:
            vc.add("title").value = simple.group(2)
        elif simple and simple.group(1) == "Nickname" and "nickname" not in vc.contents:
            vc.add("nickname").value = simple.group(2)
        elif simple and simple.group(1) == "Birthday" and "bday" not in vc.contents and (
                birthday := _birthday(simple.group(2), v4)) is not None:
            prop = vc.add("bday")
            prop.value = birthday[0]
            if birthday[1]:
                prop.params["VALUE"] = ["text"]
        else:
            vc.add("x-rapport-more").value = line
    if card.organisation or department:
        vc.add("org").value = [card.organisation, department] if department else [card.organisation]
    return fold(vc.serialize())
