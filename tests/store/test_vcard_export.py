"""Rapport's vCard exports checked against the standards (issue 15), by code that is not the code that writes them.

Apple Contacts, Google and Outlook cannot run here, so the strongest honest check is:
- vCard 3.0: the independent strict RFC 2426 validator `vcard` (PyPI, by l0b0; a test extra) reads every card.
  It reads text, not octets, and knows only Latin-1 beyond ASCII, while RFC 2426's grammar is over octets
  (NON-ASCII = %x80-FF): so each card is handed to it as its octets (Latin-1, one character per octet).
  It also takes a group (`item1.`) to belong to the whole card, while RFC 2426 section 4 puts `[group "."]`
  on each content line (Apple's `item1.TEL` / `item1.X-ABLabel`); the groups are checked here and removed
  before it reads the card.
- vCard 4.0 (and 3.0 as well): the rules of RFC 6350 checked line by line below: CRLF line ends, lines folded
  at 75 octets without splitting a UTF-8 character, BEGIN then VERSION first, exactly one FN, N with 5
  components, escaping of backslash, comma, semicolon and newline, PREF=n rather than TYPE=pref, date values
  in the RFC's form, a UID that is a URI or says VALUE=text.
- The known quirks of the three apps (sources in the README): Outlook drops a TEL without a TYPE and reads one
  card per file; Apple labels values through `itemN.X-ABLabel`.
"""
from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

from models import store

# Values that break naive writers: every character vCard escapes, lines far past 75 octets in 1-, 2-, 3- and
# 4-byte UTF-8, a one-word name, an organisation with a department separator inside it.
CLIENTS = [
    dict(name="Zoë Ó'Brien-Ní Bhriain", organisation="Harbour Bakery, Ltd; Dublin \\ Cork",
         phone="+353 1 555 0101", email="zoe@example.ie", address="1 Quay Street, Unit 4\nDublin 2; D02\nIreland",
         more_details="Phone (Mobile): +353 87 555 0102\nPhone (Fax): +353 1 555 0109\nPhone: +353 1 555 0110\n"
                      "Email (home): zoe@home.example\nAddress (home): 4 Lane, Cork\n"
                      "Website: https://bakery.example/a,b;c\nWebsite (blog): bakery.example\n"
                      "Job title: Owner, baker; boss\nDepartment: Ovens\nNickname: Zo\nBirthday: 1980-02-03\n"
                      "Spouse: Cian, who bakes; a\\b\n" + "Long: " + "ü" * 80),
    dict(name="山田 太郎", organisation="株式会社テスト" * 12,
         more_details="Birthday: 3 March\nメモ: " + "日本語" * 40),
    dict(name="Prince", more_details="Emoji: " + "🙂" * 40 + "\nBirthday: --04-12"),
    dict(name="A " + "Very" * 30 + " Long-Named Person", email="very.long@example.com"),
]


@pytest.fixture
def exported(sqlite_office: Path, tmp_path: Path) -> dict[str, bytes]:
    anna = store.add_staff("Anna Keller", role="admin").id
    for values in CLIENTS:
        store.add_client(by=anna, **values)
    # a client whose UID came from another program's card (not a URI): kept, and said to be text in 4.0
    card = tmp_path / "android.vcf"
    card.write_bytes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:3a5b-7781@android\r\nFN:Tom Reid\r\n"
                     b"N:Reid;Tom;;;\r\nTEL;TYPE=CELL:+44 7700 900123\r\nEND:VCARD\r\n")
    assert store.import_contacts(card, by=anna).created == 1
    out = {}
    for version in ("3.0", "4.0"):
        path = tmp_path / f"all-{version}.vcf"
        assert store.export_vcards(path, version=version) == len(CLIENTS) + 1
        out[version] = path.read_bytes()
    return out


# --- the rules, written from the RFCs (not from vobject, which writes the files) ------------------------

def physical_lines(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n"), "the file ends with CRLF"
    lines = data[:-2].split(b"\r\n")
    for n, line in enumerate(lines, 1):
        assert b"\r" not in line and b"\n" not in line, f"line {n} has a bare CR or LF"
        assert len(line) <= 75, f"line {n} is {len(line)} octets (RFC 6350 3.2: at most 75)"
        line.decode("utf-8")  # a fold inside a UTF-8 character would fail here (RFC 6350 3.2)
        if n < len(lines) and lines[n][:1] == b" ":  # folded as late as a whole character allows
            assert len(line) + len(lines[n][1:].decode("utf-8")[0].encode()) > 75, f"line {n} is folded early"
    return lines


def unfold(lines: list[bytes]) -> list[str]:
    logical: list[bytes] = []
    for line in lines:
        if line[:1] in (b" ", b"\t"):
            assert logical, "a continuation line opens the file"
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return [line.decode("utf-8") for line in logical]


CONTENT_LINE = re.compile(r"^(?:(?P<group>[A-Za-z0-9-]+)\.)?(?P<name>[A-Za-z0-9-]+)(?P<params>(?:;[^:]*)?):"
                          r"(?P<value>.*)$")


def split_unescaped(value: str, sep: str) -> list[str]:
    parts, current, escaped = [], [], False
    for ch in value:
        if escaped:
            current.append(ch)
            escaped = False
        elif ch == "\\":
            current.append(ch)
            escaped = True
        elif ch == sep:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    return [*parts, "".join(current)]


def cards(data: bytes) -> list[list[re.Match[str]]]:
    logical = unfold(physical_lines(data))
    out: list[list[re.Match[str]]] = []
    for line in logical:
        match = CONTENT_LINE.match(line)
        assert match, f"not a content line: {line!r}"
        if match["name"].upper() == "BEGIN":
            assert match["value"] == "VCARD"
            out.append([])
        out[-1].append(match)
    return out


ESCAPE = re.compile(r"\\(.)")
DATE_40 = re.compile(r"^(\d{8}|\d{4}-\d{2}|\d{4}|--\d{4}|--\d{2}|---\d{2})$")
URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
COMPONENTS = {"N": 5, "ADR": 7}
TEL_TYPES = {"home", "msg", "work", "pref", "voice", "fax", "cell", "video", "pager", "bbs", "modem", "car", "isdn",
             "pcs", "text", "textphone"}


def rfc_check(card: list[re.Match[str]], version: str) -> None:
    names = [m["name"].upper() for m in card]
    assert names[0] == "BEGIN" and names[-1] == "END"
    assert card[1]["name"].upper() == "VERSION" and card[1]["value"] == version  # 6350 6.7.9: right after BEGIN
    assert names.count("FN") == 1 and names.count("N") == 1
    groups = {m["group"] for m in card if m["group"]}
    for group in groups:  # Apple's labels: each group is one value and its X-ABLabel
        members = sorted(m["name"].upper() for m in card if m["group"] == group)
        assert len(members) == 2 and "X-ABLABEL" in members, members
    for m in card[1:-1]:
        name, params, value = m["name"].upper(), m["params"].upper(), m["value"]
        for escaped in ESCAPE.findall(value):  # 6350 3.4: only \\ \, \; \n (and \N) are escapes
            assert escaped in "\\,;nN", f"{name}: a backslash before {escaped!r} in {value!r}"
        if name in COMPONENTS:
            assert len(split_unescaped(value, ";")) == COMPONENTS[name], f"{name}: {value!r}"
        elif name not in ("ORG",):
            assert len(split_unescaped(value, ";")) == 1, f"{name}: an unescaped ';' in {value!r}"
        if version == "4.0" and name not in ("NICKNAME", "CATEGORIES"):  # 6350 3.4: a comma in a value is escaped
            for part in split_unescaped(value, ";"):
                assert len(split_unescaped(part, ",")) == 1 or name in ("URL", "UID"), f"{name}: {value!r}"
        if name == "TEL":  # Outlook drops a TEL without a TYPE
            types = re.findall(r"TYPE=([^;:]+)", params)
            assert types and all(t.lower() in TEL_TYPES for t in ",".join(types).split(",")), params
        if version == "4.0":
            assert "TYPE=PREF" not in params and "CHARSET" not in params and "ENCODING" not in params
            if name == "BDAY" and "VALUE=TEXT" not in params:
                assert DATE_40.match(value), f"BDAY {value!r} is not a date as RFC 6350 4.3.1 writes it"
            if name in ("UID", "URL") and "VALUE=TEXT" not in params:
                assert URI.match(value), f"{name} {value!r} is not a URI"
            pref = re.findall(r"PREF=([^;:]+)", params)
            assert all(p.isdigit() and 1 <= int(p) <= 100 for p in pref)
        else:
            assert "PREF=" not in params
            if name == "BDAY":
                assert re.match(r"^\d{4}-?\d{2}-?\d{2}$", value), f"BDAY {value!r}"
            if name == "URL":
                assert URI.match(value) and not params


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_every_card_keeps_the_rfc_rules(exported: dict[str, bytes], version: str) -> None:
    found = cards(exported[version])
    assert len(found) == len(CLIENTS) + 1
    for card in found:
        rfc_check(card, version)
    text = exported[version].decode("utf-8")
    assert sum(len(line.encode()) == 75 for line in text.split("\r\n")) >= 2  # long lines were folded, full


def test_the_rules_catch_what_they_are_for() -> None:
    """The checker fails on the faults it is for (a check that cannot fail proves nothing)."""
    good = b"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:A\r\nN:A;;;;\r\nTEL;TYPE=voice:1\r\nEND:VCARD\r\n"
    for card in cards(good):
        rfc_check(card, "4.0")
    bad = [
        good.replace(b"\r\n", b"\n"),
        good.replace(b"FN:A", b"FN:" + "é".encode() * 40),  # 80 octets, not folded
        good.replace(b"FN:A", b"FN:" + "é".encode() * 36 + b"\r\n " + "é".encode()[:1]),  # fold inside a character
        good.replace(b"VERSION:4.0\r\nFN:A", b"FN:A\r\nVERSION:4.0"),
        good.replace(b"N:A;;;;", b"N:A;;;"),
        good.replace(b"FN:A", b"FN:A, B"),
        good.replace(b"FN:A", b"FN:A\\: B"),
        good.replace(b"TEL;TYPE=voice", b"TEL"),
        good.replace(b"TEL;TYPE=voice", b"TEL;TYPE=pref"),
        good.replace(b"N:A;;;;", b"N:A;;;;\r\nBDAY:1980-02-03"),
        good.replace(b"N:A;;;;", b"N:A;;;;\r\nUID:12345"),
    ]
    for data in bad:
        with pytest.raises((AssertionError, UnicodeDecodeError)):
            for card in cards(data):
                rfc_check(card, "4.0")


# --- the independent strict validator (RFC 2426) ---------------------------------------------------------

def test_every_vcard_30_passes_the_strict_rfc_2426_validator(exported: dict[str, bytes]) -> None:
    validator = pytest.importorskip("vcard.vcard_validator", reason="the test extra `vcard` (pip install -e .[test])")
    errors = pytest.importorskip("vcard.vcard_errors")
    text = exported["3.0"].decode("latin-1")  # its grammar is over octets: one character per octet
    found = re.findall(r"BEGIN:VCARD\r\n.*?END:VCARD\r\n", text, re.S)
    assert len(found) == len(CLIENTS) + 1
    for card in found:
        ungrouped = re.sub(r"(?m)^item\d+\.", "", card)  # per-line groups: checked by rfc_check above
        with warnings.catch_warnings(record=True) as said:
            warnings.simplefilter("always")
            try:
                validator.VCard(ungrouped)
            except errors.VCardError as error:
                pytest.fail(f"the validator refuses a card: {error}\n{card}")
        # it warns about TYPE=voice (the default, written for Outlook), a name of several words, and a fold
        # before 75 octets (where the next character would not fit whole: physical_lines checks that); nothing else
        assert all(str(w.message).startswith(("Using default TYPE value", "Possible split name",
                                              "Short folded line")) for w in said), [str(w.message) for w in said]


def test_the_validator_refuses_what_rapport_wrote_before(tmp_path: Path) -> None:
    """What the 3.0 writer got wrong before this change is what the validator catches (so it can fail)."""
    validator = pytest.importorskip("vcard.vcard_validator", reason="the test extra `vcard` (pip install -e .[test])")
    errors = pytest.importorskip("vcard.vcard_errors")
    before = ("BEGIN:VCARD\r\nVERSION:3.0\r\nBDAY:3 March\r\nFN:A\r\nN:A;;;;\r\n"
              "URL:bakery.example\r\nEND:VCARD\r\n")
    for wrong in (before, before.replace("BDAY:3 March\r\n", ""), before.replace("URL:bakery.example\r\n", "")):
        with pytest.raises(errors.VCardError):
            validator.VCard(wrong)


# --- what comes back ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_the_exports_import_back_into_an_empty_office_as_they_were(exported: dict[str, bytes], tmp_path: Path,
                                                                     version: str) -> None:
    originals = {c.name: store.get_client(c.id) for c in store.list_clients()}
    store.close()
    store.open(tmp_path / f"other-{version}.db")
    ola = store.add_staff("Ola Berg").id
    path = tmp_path / f"in-{version}.vcf"
    path.write_bytes(exported[version])
    report = store.import_contacts(path, by=ola)
    assert (report.created, report.problems) == (len(CLIENTS) + 1, ())
    fields = ("name", "organisation", "phone", "email", "address")
    for copy in store.list_clients():
        original, back = originals[copy.name], store.get_client(copy.id)
        assert [getattr(back, f) for f in fields] == [getattr(original, f) for f in fields]
        # every line of More contact details comes back as it was (in the order vCard properties are written)
        assert sorted(back.more_details.splitlines()) == sorted(original.more_details.splitlines())
    assert store.import_contacts(path, by=ola).created == 0


# --- Outlook: one card per file ------------------------------------------------------------------------------

def test_one_file_per_client_for_outlook(exported: dict[str, bytes], tmp_path: Path) -> None:
    """Outlook reads only the first card of a file: each client gets a file of their own, named after them; a
    file already in the folder is never replaced."""
    folder = tmp_path / "cards"
    folder.mkdir()
    (folder / "Prince.vcf").write_text("someone else's card", encoding="utf-8")
    ids = [c.id for c in store.list_clients()]
    shared = store.add_client(name="Prince", by=store.list_staff()[0].id).id  # two clients of one name
    odd = store.add_client(name='CON', by=store.list_staff()[0].id).id  # a name Windows keeps for itself
    slash = store.add_client(name='A/B: "C"?', by=store.list_staff()[0].id).id
    assert store.export_vcards(folder, [*ids, shared, odd, slash], version="3.0", one_per_file=True) == len(ids) + 3
    names = sorted(p.name for p in folder.iterdir())
    assert (folder / "Prince.vcf").read_text(encoding="utf-8") == "someone else's card"
    assert {"Prince (2).vcf", "Prince (3).vcf", "CON (client).vcf", "A B C.vcf", "山田 太郎.vcf"} <= set(names)
    assert len(names) == len(ids) + 4
    for path in folder.iterdir():
        if path.name != "Prince.vcf":
            data = path.read_bytes()
            assert data.count(b"BEGIN:VCARD") == 1
            for card in cards(data):
                rfc_check(card, "3.0")
    with pytest.raises(store.ValidationError) as error:
        store.export_vcards(folder / "missing", one_per_file=True)
    assert error.value.field == "path" and "folder" in error.value.message
    for path in folder.iterdir():  # each file brings back its client, and only that one
        if path.name != "Prince.vcf":
            assert store.import_contacts(path, by=store.list_staff()[0].id).created == 0
