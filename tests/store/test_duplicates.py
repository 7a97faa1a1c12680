"""Possible duplicates: clients like the one typed, found by normalised keys (never a fuzzy pass over everyone)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models import matching, store
from tests.store.test_upgrades import V1_OFFICE


@pytest.fixture
def aisha(anna: int) -> int:
    return store.add_client(name="Aisha Clarke", by=anna, phone="01632 960703", email="Aisha.Clarke@example.com",
                            organisation="Quayside Dental Ltd", address="4 Harbour Row\nPortsmouth").id


def test_the_same_phone_written_another_way_is_found(aisha: int) -> None:
    (hit,) = store.similar_clients(name="A. Clarke", phone="+44 (0)1632 960703")
    assert (hit.client_id, hit.name, hit.why, hit.phone) == (aisha, "Aisha Clarke", "same phone number",
                                                             "01632 960703")
    assert 0 < hit.strength <= 1


def test_the_same_email_in_other_letters_is_found(aisha: int) -> None:
    (hit,) = store.similar_clients(email="  aisha.clarke@EXAMPLE.com ")
    assert hit.client_id == aisha and hit.why == "same email address"


@pytest.mark.parametrize(("name", "organisation", "address"), [
    ("Aysha Clarke", "Quayside Dental", ""),  # a typo, the organisation without "Ltd"
    ("Clarke Aisha", "quayside dental ltd", ""),  # word order, letter case
    ("Aisha Clark", "", "4 Harbour Row, Portsmouth"),  # a typo at the same address
])
def test_a_close_name_at_the_same_organisation_or_address_is_found(aisha: int, name: str, organisation: str,
                                                                     address: str) -> None:
    hits = store.similar_clients(name=name, organisation=organisation, address=address)
    assert [h.client_id for h in hits] == [aisha]
    assert "name at the same" in hits[0].why


def test_accents_and_nicknames_read_as_the_same_name(anna: int) -> None:
    zoe = store.add_client(name="Zoë Ó'Brien", by=anna).id
    bob = store.add_client(name="Robert Walsh", by=anna, organisation="Northgate Plumbing").id
    assert [(h.client_id, h.why) for h in store.similar_clients(name="zoe obrien")] == [(zoe, "same name")]
    (hit,) = store.similar_clients(name="Bob Walsh", organisation="Northgate Plumbing")
    assert (hit.client_id, hit.why) == (bob, "same name at the same organisation")


def test_a_close_name_alone_or_nothing_typed_finds_nobody(aisha: int) -> None:
    assert store.similar_clients(name="Aysha Clarke") == ()  # a typo, but nothing else in common
    assert store.similar_clients(name="Aisha Clarke", organisation="Bayview Holdings")[0].why == "same name"
    assert store.similar_clients() == ()
    assert store.similar_clients(name="Tom Evans", organisation="Quayside Dental") == ()


def test_strongest_first_limited_and_excluding(anna: int, aisha: int) -> None:
    other = store.add_client(name="Aisha Clarke", by=anna).id  # the same name only
    hits = store.similar_clients(name="Aisha Clarke", phone="01632960703")
    assert [h.client_id for h in hits] == [aisha, other]
    assert hits[0].strength > hits[1].strength
    assert hits[0].why == "same phone number and same name"
    assert [h.client_id for h in store.similar_clients(name="Aisha Clarke", limit=1)] == [aisha]
    assert [h.client_id for h in store.similar_clients(name="Aisha Clarke", exclude=aisha)] == [other]
    assert store.similar_clients(name="Aisha Clarke", exclude=[aisha, other]) == ()


def test_a_different_person_is_remembered_for_the_pair(anna: int, aisha: int) -> None:
    other = store.add_client(name="Aisha Clarke", by=anna, phone="01632 960703").id
    assert [h.client_id for h in store.similar_clients(name="Aisha Clarke", exclude=other)] == [aisha]
    assert [(p.a, p.b) for p in store.find_duplicates()] == [(aisha, other)]
    store.mark_different(other, aisha, by=anna)
    assert store.different_people(aisha, other)
    assert store.similar_clients(name="Aisha Clarke", exclude=other) == ()
    assert store.find_duplicates() == ()


def test_keys_follow_edits_and_deleted_clients_are_not_offered(anna: int, aisha: int) -> None:
    details = store.get_client(aisha)
    store.update_client(aisha, version=details.version, by=anna, phone="01632 960999")
    assert store.similar_clients(phone="01632 960703") == ()
    assert [h.client_id for h in store.similar_clients(phone="01632 960999")] == [aisha]
    store.delete_client(aisha, by=anna)
    assert store.similar_clients(phone="01632 960999") == ()
    store.restore_client(aisha, by=anna)
    assert [h.client_id for h in store.similar_clients(phone="01632 960999")] == [aisha]


def test_candidates_are_found_by_keys_not_by_comparing_everyone(anna: int, aisha: int,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(60):
        store.add_client(name=f"Person {n} Example", by=anna, organisation=f"Firm {n}", phone=f"0161 496 {n:04d}")
    compared: list[tuple[str, ...]] = []
    real = matching.name_closeness

    def counting(a: tuple[str, ...], b: tuple[str, ...]) -> float:
        compared.append(b)
        return real(a, b)
    monkeypatch.setattr(matching, "name_closeness", counting)
    hits = store.similar_clients(name="Aysha Clarke", organisation="Quayside Dental", phone="0161 555 0000")
    assert [h.client_id for h in hits] == [aisha]
    assert compared == [("aisha", "clarke")]  # the one client at that organisation whose name starts alike


def test_an_upgraded_office_finds_its_existing_clients(tmp_path: Path) -> None:
    path = tmp_path / "office.db"
    shutil.copyfile(V1_OFFICE, path)
    store.open(path)
    try:
        (hit,) = store.similar_clients(phone="+44 1632 960001")
        assert hit.name == "Oliver Thompson"
        assert [h.name for h in store.similar_clients(name="Isla Walsh")] == ["Isla Walsh"]
    finally:
        store.close()


def test_find_duplicates_strongest_first_and_a_switchboard_number_is_not_evidence(anna: int, aisha: int) -> None:
    twin = store.add_client(name="Aisha Clarke", by=anna, email="aisha.clarke@example.com").id
    namesake = store.add_client(name="Clarke, Aisha", by=anna).id
    for n in range(26):  # everybody at the council calls from its switchboard
        store.add_client(name=f"Officer {n}", by=anna, phone="0161 496 0000")
    pairs = store.find_duplicates()
    assert [(p.a, p.b, p.why) for p in pairs] == [
        (aisha, twin, "same email address and same name"), (aisha, namesake, "same name"),
        (twin, namesake, "same name")]
    assert pairs[0].strength > pairs[1].strength and pairs[1].a_name == "Aisha Clarke"
    assert [(p.a, p.b) for p in store.find_duplicates(limit=1)] == [(aisha, twin)]


def test_choosing_the_office_country_reads_old_numbers_again(anna: int) -> None:
    abroad = store.add_client(name="Mia Scott", by=anna, phone="0044 1632 960704").id
    assert store.similar_clients(phone="01632 960704") == ()  # no country: "0044" is not known as a prefix
    store.update_office_settings(version=store.office_settings().version, by=anna, country="GB")
    assert [h.client_id for h in store.similar_clients(phone="01632 960704")] == [abroad]
    assert [h.client_id for h in store.similar_clients(phone="+44 1632 960704")] == [abroad]


def test_a_name_without_letters_still_pairs_by_phone(anna: int, aisha: int) -> None:
    odd = store.add_client(name="???", by=anna, phone="01632 960703").id
    assert [(p.a, p.b, p.why) for p in store.find_duplicates()] == [(aisha, odd, "same phone number")]


def test_an_import_dry_run_offers_the_same_possible_duplicates(anna: int, aisha: int, tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text("Name,Phone,Organisation\nAysha Clark,+44 1632 960703,\nTom Evans,,Quayside Dental\n",
                    encoding="utf-8")
    report = store.import_contacts(path, by=anna, dry_run=True)
    offered = {row.name: row.similar for row in report.rows}
    assert offered["Aysha Clark"] == ((aisha, "Aisha Clarke"),)
    assert offered["Tom Evans"] == ()
    same = store.similar_clients(name="Aysha Clark", phone="+44 1632 960703")
    assert [(s.client_id, s.name) for s in same] == list(offered["Aysha Clark"])
    assert [r.name for r in report.duplicates] == ["Aysha Clark"]


@given(name=st.text(max_size=80), phone=st.text(max_size=40), email=st.text(max_size=40),
       organisation=st.text(max_size=40))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_anything_typed_is_looked_up_without_an_error(aisha: int, name: str, phone: str, email: str,
                                                      organisation: str) -> None:
    hits = store.similar_clients(name=name, phone=phone, email=email, organisation=organisation)
    assert all(h.client_id == aisha and 0 < h.strength <= 1 and h.why for h in hits)


@pytest.mark.parametrize("text", ["\x00", "Aisha\x00 Clarke", "\u202e\u0000\ud7ff", "'; DROP TABLE client; --", "%_\\"])
def test_odd_characters_are_looked_up_without_an_error(aisha: int, text: str) -> None:
    hits = store.similar_clients(name=text, phone=text, email=text, organisation=text, address=text)
    assert [h.why for h in hits] == (["same name"] if text.startswith("Aisha") else [])
