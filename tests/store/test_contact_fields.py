"""Column headers in the UI's languages map to Rapport's fields (models/contacts/fields.py, issue 15)."""
from __future__ import annotations

import pytest

from models.contacts.fields import group_of, guess, guess_mapping


@pytest.mark.parametrize(("header", "target"), [
    # English: Google, Outlook, Thunderbird, spreadsheets
    ("Name", "name"), ("Given Name", "given_name"), ("Family Name", "family_name"), ("E-mail 1 - Value", "email"),
    ("Phone 1 - Type", "label"), ("Business Phone", "phone"), ("Business Country/Region", "country"),
    ("Home Postal Code", "postcode"), ("Address 1 - Formatted", "address"), ("Web Page", "url"),
    ("Notes", "note"), ("E-mail Display Name", "skip"), ("Organization Name", "organisation"),
    ("Favourite colour", "note"),
    # German (Outlook, Apple)
    ("Vorname", "given_name"), ("Nachname", "family_name"), ("Firma", "organisation"), ("E-Mail-Adresse", "email"),
    ("Telefon geschäftlich", "phone"), ("Mobiltelefon", "phone"), ("Postleitzahl privat", "postcode"),
    ("Land/Region geschäftlich", "country"), ("Bundesland/Kanton privat", "region"), ("Notizen", "note"),
    ("Geburtstag", "birthday"),
    # French and Spanish
    ("Prénom", "given_name"), ("Nom de famille", "family_name"), ("Société", "organisation"),
    ("Téléphone", "phone"), ("Courriel", "email"), ("Code postal", "postcode"), ("Ville", "city"),
    ("Nombre", "given_name"), ("Apellidos", "family_name"), ("Empresa", "organisation"), ("Teléfono", "phone"),
    ("Correo electrónico", "email"), ("Código postal", "postcode"), ("Ciudad", "city"),
    # Japanese
    ("姓", "family_name"), ("名", "given_name"), ("会社名", "organisation"), ("電話番号", "phone"),
    ("メールアドレス", "email"), ("郵便番号", "postcode"), ("住所", "address"), ("誕生日", "birthday"),
])
def test_a_header_is_guessed(header: str, target: str) -> None:
    assert guess(header) == target


def test_parts_of_one_address_share_a_group_and_a_lone_name_beside_a_first_name_is_the_surname() -> None:
    assert {group_of(h) for h in ("Business Street", "Business Street 2", "Business City")} == {"business"}
    assert group_of("Address 1 - Street") == group_of("Address 1 - Type") != group_of("Address 2 - Street")
    assert group_of("Straße geschäftlich 2") == group_of("Ort geschäftlich")
    assert guess_mapping(["VORNAME", "NAME"]) == {"VORNAME": "given_name", "NAME": "family_name"}
