"""One contact read from a file, as Rapport will hold it: one phone, email and address on the client, the rest
in More contact details, the unmapped columns in a note; or the sentence that says why the row cannot be used.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from models.contacts.fields import FAX_WORDS, KIND_LABELS, WORK_WORDS
from models.rules.text import LONG_LIMIT, SHORT_LIMIT, check_email, check_phone

_PREF_WORDS = re.compile(r"^\*|\b(pref|preferred|primary|main|haupt\w*)\b", re.IGNORECASE)
# Labels that say nothing a person needs ("SMTP" is Outlook's kind of email; "INTERNET" vCard's).
_EMPTY_LABELS = {"smtp", "ex", "internet", "x400", "voice", "pref", "other", "*"}


# Outlook writes these for "no birthday"; Google's default group says nothing about the person.
_EMPTY_DATES = {"0/0/00", "0.0.00", "00.00.0000", "0000-00-00", "1/1/1601"}
_DEFAULT_GROUPS = {"* my contacts", "my contacts", "* starred", "* other contacts"}


def _is_default_group(item: Item) -> bool:
    parts = [p.strip() for p in item.value.split(":::")]
    kept = [p for p in parts if p.casefold() not in _DEFAULT_GROUPS]
    item.value = " ::: ".join(kept)
    return not kept


@dataclass(slots=True)
class Item:
    """One value from the file: what it is (a target of fields.TARGETS), its label, and whether it is preferred."""

    kind: str
    value: str
    label: str = ""
    pref: bool = False


@dataclass(slots=True)
class Contact:
    """A row or card, ready to import (or with `problem` set: the row is reported and not imported)."""

    row: int
    name: str = ""
    organisation: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    more: list[str] = field(default_factory=list)  # lines of More contact details
    note: str = ""  # the unmapped columns, as a note on the client
    uid: str = ""
    photos: int = 0
    problem: str = ""
    problem_field: str = ""
    notices: list[str] = field(default_factory=list)
    source: tuple[str, ...] = ()  # the row as it was in the file (for the problem rows' CSV)

    @property
    def more_details(self) -> str:
        return "\n".join(self.more)

    def fields(self) -> dict[str, str]:
        """The client fields this contact fills (empty ones left out)."""
        values = {"name": self.name, "organisation": self.organisation, "phone": self.phone, "email": self.email,
                  "address": self.address, "more_details": self.more_details}
        return {k: v for k, v in values.items() if v}


def clean_label(label: str) -> str:
    """'_$!<HomePage>!$_' -> 'HomePage'; '* Home' -> 'Home'; 'SMTP' -> ''."""
    label = re.sub(r"^_\$!<(.*)>!\$_$", r"\1", label.strip()).lstrip("* ").strip()
    return "" if label.casefold() in _EMPTY_LABELS else label


def one_line(value: str) -> str:
    return ", ".join(part.strip() for part in value.splitlines() if part.strip())


def tidy_phone(value: str) -> str:
    """A phone as written in a file, cleaned of URI syntax: 'tel:+1-418-656-9254;ext=102' -> '+1-418-656-9254 x102'."""
    value = value.strip()
    if value.lower().startswith("tel:"):
        value = value[4:]
    value = re.sub(r";ext=(\d+)", r" x\1", value, flags=re.IGNORECASE)
    return value.split(";")[0].strip()


def _rank(item: Item) -> tuple[int, int]:
    """Lower is better: preferred, then work, then anything but a fax or pager."""
    label = item.label
    fax = 1 if item.kind == "phone" and FAX_WORDS.search(label) else 0
    if item.pref or _PREF_WORDS.search(label):
        return fax, 0
    if WORK_WORDS.search(label):
        return fax, 1
    return fax, 2


def build(row: int, items: list[Item], *, source: tuple[str, ...] = ()) -> Contact:
    """Assemble a contact from a row's values: choose the one phone/email/address, keep every other value."""
    contact = Contact(row, source=source)
    by_kind: dict[str, list[Item]] = {}
    for item in items:
        if item.value.strip() in _EMPTY_DATES or (item.kind == "more" and _is_default_group(item)):
            continue
        value = item.value.replace("\r\n", "\n").replace("\r", "\n")
        value = value.strip() if item.kind not in ("note", "address") else value.strip("\n ")
        if not value:
            continue
        item.value = value
        by_kind.setdefault(item.kind, []).append(item)

    def first(kind: str) -> str:
        found = by_kind.get(kind)
        return found[0].value if found else ""

    for kind in ("phone", "email", "address", "url"):
        found = by_kind.get(kind, [])
        if kind == "phone":
            for item in found:
                item.value = tidy_phone(item.value)
        unique: list[Item] = []
        for item in found:  # the same value twice (Outlook's "Primary Phone" beside "Business Phone") is one
            if all(item.value.casefold() != u.value.casefold() for u in unique):
                unique.append(item)
        chosen = min(unique, key=_rank) if unique and kind != "url" else None
        if chosen is not None:
            setattr(contact, kind, chosen.value)
        for item in unique:
            if item is not chosen:
                contact.more.append(_line(kind, item))
    parts = [first(k) for k in ("name_prefix", "given_name", "middle_name", "family_name", "name_suffix")]
    contact.name = first("name") or " ".join(p for p in parts if p)
    contact.organisation = one_line(first("organisation"))
    for kind in ("department", "title", "nickname", "birthday"):
        for item in by_kind.get(kind, []):
            contact.more.append(_line(kind, item))
    for item in by_kind.get("organisation", [])[1:]:
        contact.more.append(_line("organisation", item))
    for item in by_kind.get("more", []):
        if item.label:
            contact.more.append(f"{item.label}: {one_line(item.value)}")
        else:
            contact.more.extend(line.strip() for line in item.value.splitlines() if line.strip())
    notes = [f"{item.label}: {item.value}" if item.label else item.value for item in by_kind.get("note", [])]
    contact.note = "\n".join(notes)
    contact.uid = first("uid")
    if not contact.name:
        nickname = first("nickname")
        contact.name = nickname or contact.organisation or contact.email
    _check(contact)
    return contact


_REPEATS = re.compile(r"\b(phone|telephone|telefon|e-?mail|number|nummer|address|adresse|value|web ?page|website)\b"
                      r"|\b\d+\b|[-:]", re.IGNORECASE)


def _line(kind: str, item: Item) -> str:
    label = KIND_LABELS.get(kind, kind.capitalize())
    # "Mobile Phone" says "Phone (Mobile)"; a header that only repeats the kind ("E-mail 2 Address") adds nothing
    extra = " ".join(_REPEATS.sub(" ", clean_label(item.label)).split())
    if extra and extra.casefold() != label.casefold():
        label = f"{label} ({extra})"
    return f"{label}: {one_line(item.value)}"


def _check(contact: Contact) -> None:
    """Set the contact's problem: the first thing that stops it from being a client, in words."""
    def fail(field_name: str, sentence: str) -> None:
        if not contact.problem:
            contact.problem, contact.problem_field = sentence, field_name

    if not contact.name:
        fail("name", "it has no name, organisation or email address, so Rapport cannot tell who it is")
    for name, limit in (("name", SHORT_LIMIT), ("organisation", SHORT_LIMIT), ("phone", SHORT_LIMIT),
                        ("email", SHORT_LIMIT), ("address", LONG_LIMIT)):
        value = getattr(contact, name)
        if len(value) > limit:
            fail(name, f"the {_WORD[name]} is {len(value):,} characters long; at most {limit:,} fit")
    if len(contact.more_details) > LONG_LIMIT:
        fail("more_details", f"its other contact details are {len(contact.more_details):,} characters long; "
                             f"at most {LONG_LIMIT:,} fit")
    if len(contact.note) > LONG_LIMIT:
        fail("note", f"its notes are {len(contact.note):,} characters long; at most {LONG_LIMIT:,} fit")
    if contact.email and check_email(contact.email):
        fail("email", f"the email {_quote(contact.email)} is not an email address")
    if contact.phone and check_phone(contact.phone):
        fail("phone", f"the phone number {_quote(contact.phone)} is not a phone number")
    if not contact.problem:
        for name in ("name", "organisation", "phone", "email"):
            setattr(contact, name, " ".join(getattr(contact, name).split()))
        if _CONTROL.search(contact.name + contact.organisation + contact.address + contact.more_details + contact.note):
            fail("name", "it holds invisible control characters, which usually means the file is damaged there")


_WORD = {"name": "name", "organisation": "organisation", "phone": "phone number", "email": "email address",
         "address": "address"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _quote(value: str) -> str:
    return f"'{value[:60]}…'" if len(value) > 60 else f"'{value}'"
