"""Every real-world contact file in ../shared/contacts imports with the right people, and importing it again
creates nothing (issue 15). The files are read where they are: several are GPL/AGPL and stay out of the project.

The expectations below were written by reading each file (and SOURCES.json) by hand.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from models import store

_ROOT = Path(__file__).resolve().parents[2]
# ../shared beside the checkout (CI), or the session's /work/shared beside the worktrees
CONTACTS = next((p for p in (_ROOT.parent / "shared" / "contacts", _ROOT.parent.parent / "shared" / "contacts")
                 if p.exists()), _ROOT.parent / "shared" / "contacts")

# file: (created, problem sentences (parts), photos skipped, {name: (phone, email)} that must be among the clients)
EXPECTED: dict[str, tuple[int, tuple[str, ...], int, dict[str, tuple[str, str]]]] = {
    "aosp__v30_ios_613_multiline.vcf": (1, (), 1, {"Bob Smith": ("(650) 555-1212", "bob@smithauto.com")}),
    "eds__libebook_vcard_12.vcf": (1, (), 0, {"Michael Brüning": ("+491622433834", "ext-michael.bruning@nokia.com")}),
    # cards 4 and 5 share the phone 123456 and (folded) the name's letters: one client, which card 5 updates
    "ezvcard__John_Doe_ANDROID.vcf": (5, (), 1, {
        "john.doe@company.com": ("", "john.doe@company.com"), "jane.doe@company.com": ("", "jane.doe@company.com"),
        "Ñ Ñ Ñ Ñ Ñ": ("123456789", ""), "Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ": ("123456", "bob@company.com"),
        "ÑÑÑÑ": ("55556666", "henry@company.com")}),
    "ezvcard__John_Doe_IPHONE.vcf": (1, (), 1, {"Mr. John Richter James Doe Sr.": ("905-555-1234",
                                                                                   "john.doe@ibm.com")}),
    "ezvcard__gmail-list.vcf": (3, (), 0, {"Arnold Smith": ("", "asmithk@gmail.com"),
                                           "Chris Beatle": ("", "chrisy55d@yahoo.com"),
                                           "Doug White": ("", "dwhite@gmail.com")}),
    "ezvcard__gmail-single.vcf": (1, (), 0, {"Greg Dartmouth": ("555 555 1111", "gdartmouth@hotmail.com")}),
    "ezvcard__outlook-2007.vcf": (1, (), 1, {"Mr. Michael Angstadt Jr.": ("(111) 555-1111",
                                                                           "mike.angstadt@gmail.com")}),
    "ezvcard__rfc6350-example.vcf": (1, (), 0, {"Simon Perreault": ("+1-418-656-9254 x102",
                                                                    "simon.perreault@viagenie.ca")}),
    "ezvcard__thunderbird-MoreFunctionsForAddressBook-extension.vcf": (1, (), 1, {
        "John Doe": ("555-555-1111", "doe.john@hotmail.com")}),
    "horde__bug_6311_outlook.csv": (1, (), 0, {"John Smith": ("(123) 555-2222", "john@example.com")}),
    "kcontacts__vcard10.vcf": (5, (), 0, {"Bike Shop": ("", ""), "Field after Address broken": ("", ""),
                                          "Field after Address not broken": ("", ""),
                                          "Dr. med. Surname Name": ("", ""), "Second Doctor": ("", "")}),
    "kcontacts__vcard9.vcf": (1, (), 0, {"βγδεαβγδ1" * 11: ("", "")}),
    "monica__vcard_stub.vcf": (3, (), 0, {"Bono": ("+1 202-555-0191", "bono@example.com"),
                                          "John Doe": ("", "john.doe@example.com"), "Johnny": ("", "")}),
    "rolomind__custom.csv": (4, (), 0, {"John Doe": ("(555) 123-4567", "john.doe@acme.com"),
                                        "Jane Smith": ("555.987.6543", "jsmith@techco.com"),
                                        "Robert Wilson": ("", "rwilson@startup.co"),
                                        "Alice Brown": ("+1-555-321-9876", "alice@ailabs.org")}),
    "rolomind__google.csv": (4, (), 0, {"John Doe": ("+1-555-0123", "john@example.com"),
                                        "Jane Smith": ("+1-555-0124", "jane@example.com"),
                                        "Bob Wilson": ("", "bob@startup.com"),
                                        "Alice Brown": ("+1-555-0125", "alice.brown@email.com")}),
    "roundcube__apple.vcf": (1, (), 1, {"Apple Computer AG": ("", "")}),
    "roundcube__gmail.csv": (0, ("row 2: the phone number 'mainphone' is not a phone number",), 0, {}),
    "roundcube__johndoe.vcf": (1, (), 0, {"John Doë": ("+123456789", "roundcube@gmail.com")}),
    "roundcube__utf-16_sample.vcf": (1, (), 0, {"Ǽgean ĽdaMonté": ("", "")}),
    "sabre__issue153.vcf": (1, (), 1, {"Test Benutzer": ("", "")}),
    "thunderbird__export.csv": (0, ("row 2: the email 'contact1@invalid' is not an email address",
                                    "row 3: the email 'contact2@invalid' is not an email address"), 0, {}),
    "thunderbird__quote.csv": (1, (), 0, {"Acer America": ("(800) 000-0000", "")}),
    "thunderbird__shiftjis_addressbook.csv": (1, (), 0, {"名無しの権兵衛": ("", "名無しの権兵衛@host.invalid")}),
    "tine20__HerrFalkMuenchen.vcf": (1, (), 0, {"München, Falk": ("12212/1212", "falk.muenchoen@landtag.xyz.de")}),
    "tine20__adb_mac_import.csv": (1, (), 0, {"Max Mustermann": ("04012345", "max@muster.de")}),
    "tine20__contacts.vcf": (2, (), 1, {"alex spass": ("+49732121258035", "alex@spass.net"),
                                        "jan gerber": ("0123233838592", "gerber.jan@web.de")}),
    "tine20__google_contacts.csv": (5, (), 0, {"Ando": ("+49227913452", ""), "Anna": ("+494471707801", ""),
                                               "Anne": ("01235684494", ""), "axel": ("+4921234435", "abc@here.de"),
                                               "Bus Winsen": ("021224351809", "")}),
    "tine20__importtest_outlook2013.csv": (2, (), 0, {
        "Christian Baumann": ("+49 (0) 40 6432131-550", "c.baumann@unittest.de"),
        "Cornelius Weiß": ("040 6432131545", "c.weiss@unittest.de")}),
    "tine20__importtest_win1252.csv": (4, (), 0, {"Peter Pan": ("", "peter.pan@ecologic.eu"),
                                                  "ÖzdemirÖ Üglü": ("", "oezdemir@ueglue.tu"),
                                                  "Weiss Cornelius": ("", "c.weiss@metaways.de")}),
    "tine20__testklasse.csv": (7, (), 0, {"Fritz Altemöller": ("", ""), "Janina Hegemann": ("", "")}),
}


def test_every_shared_file_has_an_expectation() -> None:
    listed = {entry["file"] for entry in json.loads((CONTACTS / "SOURCES.json").read_text())}
    assert listed == set(EXPECTED) and len(listed) == 30


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_real_file_imports_the_right_people_and_again_creates_nothing(name: str, sqlite_office: Path) -> None:
    created, problems, photos, people = EXPECTED[name]
    anna = store.add_staff("Anna Keller").id
    report = store.import_contacts(CONTACTS / name, by=anna)
    assert (report.created, report.photos_skipped) == (created, photos)
    assert tuple(p.sentence for p in report.problems) == problems
    assert report.import_id is not None and not report.cancelled
    clients = {c.name: c for c in store.list_clients()}
    assert len(store.list_clients()) == created
    for person, (phone, email) in people.items():
        assert person in clients, f"{person!r} not among {sorted(clients)}"
        assert (clients[person].phone, clients[person].email) == (phone, email)
    again = store.import_contacts(CONTACTS / name, by=anna)
    assert (again.created, again.updated, again.unchanged) == (0, 0, report.total - len(problems))
    assert len(store.list_clients()) == report.created
