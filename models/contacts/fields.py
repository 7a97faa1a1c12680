"""Rapport's fields a contact file's columns can go to, and the guess from a column's header.

Headers are recognised in English (Google, Outlook, Thunderbird, Apple, spreadsheets) and in the languages
the sample files and the UI meet: German, French, Spanish and Japanese. Unknown columns go to a note on
the client, so nothing in the file is dropped without the person seeing it in the wizard.
"""
from __future__ import annotations

import re

from models.normalise import fold

# Every target a column can be mapped to, with the words the wizard shows.
TARGETS: dict[str, str] = {
    "name": "Name",
    "given_name": "First name",
    "middle_name": "Middle name",
    "family_name": "Last name",
    "name_prefix": "Before the name (Dr., Mrs.)",
    "name_suffix": "After the name (Jr., PhD)",
    "nickname": "Nickname",
    "organisation": "Organisation",
    "department": "Department",
    "title": "Job title",
    "phone": "Phone",
    "email": "Email",
    "address": "Address (all of it)",
    "street": "Address: street",
    "city": "Address: town or city",
    "region": "Address: region or state",
    "postcode": "Address: postcode",
    "country": "Address: country",
    "birthday": "Birthday",
    "url": "Website",
    "label": "Kind of the value beside it (Work, Home ...)",
    "uid": "Contact ID (recognises the contact next time)",
    "more": "More contact details",
    "note": "A note on the client",
    "skip": "Not imported",
}
ADDRESS_PARTS = ("street", "city", "region", "postcode", "country")
# Targets whose values are labelled in More contact details (the client keeps one of each kind).
MULTI = ("phone", "email", "address", "url")
# How a kept value is labelled in More contact details.
KIND_LABELS = {"phone": "Phone", "email": "Email", "address": "Address", "url": "Website", "birthday": "Birthday",
               "title": "Job title", "department": "Department", "nickname": "Nickname"}

# Words in a label or header that say "work": the preferred value when no PREF says otherwise.
WORK_WORDS = re.compile(r"\b(work|business|company|office|arbeit\w*|geschaftlich|buro|dienstlich|travail|"
                        r"professionnel\w*|bureau|trabajo|oficina|empresa)\b|勤務先|会社", re.IGNORECASE)
FAX_WORDS = re.compile(r"\b(fax|telefax|pager|beeper|funkruf)\b|ファックス|ＦＡＸ", re.IGNORECASE)

_NOTES = r"^(notes?|anmerkungen|notizen|notiz|bemerkungen?|remarques?|notas?|メモ|備考|comments?)$"
# Columns whose lines are taken as they are, without the header as a label (notes; Rapport's own export).
_VERBATIM = re.compile(_NOTES + r"|^(more contact details|more details|weitere kontaktdaten)$")
# (pattern over the folded header, target, the words removed to find the column's group)
_RULES: tuple[tuple[str, str], ...] = (
    # types/labels first: "Phone 1 - Type", "E-mail 2 - Label", "E-Mail-Typ"
    # Rapport's own export (what the client list computes) and problem file
    (r"^(rapport problem|last contact|next promise due|score|impression score)$", "skip"),
    (r"^(more contact details|more details|weitere kontaktdaten)$", "more"),
    (r"^e ?mail( \d)? (display name|angezeigter name)$", "skip"),
    (r"(^| )(type|label|typ|art)$", "label"),
    (r"^(uid|id|contact id|rapport id|vcard uid)$", "uid"),
    (r"^(name|full name|display name|displayname|names?|fn|contact|contact name|kontakt|anzeigename|"
     r"vollstandiger name|nom complet|nom et prenom|nombre completo|nombre y apellidos|氏名|名前|表示名|フルネーム)$",
     "name"),
    (r"^(first name|given name|first|firstname|forename|vorname|prenom|nombre|名|名前 名|ファーストネーム)$",
     "given_name"),
    (r"^(middle name|additional name|middle|weitere vornamen|zweiter vorname|deuxieme prenom|segundo nombre|"
     r"ミドルネーム)$", "middle_name"),
    (r"^(last name|family name|surname|last|lastname|nachname|familienname|name 2|nom|nom de famille|apellidos?|"
     r"姓|苗字|名字|ラストネーム)$", "family_name"),
    (r"^(title|name prefix|prefix|anrede|titel|civilite|titre|tratamiento|敬称)$", "name_prefix"),
    (r"^(suffix|name suffix|namenszusatz|suffixe|sufijo)$", "name_suffix"),
    (r"^(nickname|nick name|spitzname|surnom|apodo|ニックネーム)$", "nickname"),
    (r"^(company|organization|organisation|organization name|organization \d+ name|business|firma|unternehmen|"
     r"societe|entreprise|empresa|compania|会社|会社名|勤務先)$", "organisation"),
    (r"^(department|organization \d+ department|abteilung|service|departement|departamento|部署)$", "department"),
    (r"^(job title|organization title|organization \d+ title|position|berufsbezeichnung|fonction|poste|puesto|"
     r"cargo|役職)$", "title"),
    (_NOTES, "note"),
    (r"^(birthday|birth date|date of birth|geburtstag|anniversaire|date de naissance|cumpleanos|"
     r"fecha de nacimiento|誕生日)$", "birthday"),
    (r"^(anniversary|jahrestag)$|^(birth (year|month|day))$", "more"),
    (r"(web ?page|website|homepage|home page|url|webseite|site web|sitio web|ホームページ|ウェブサイト)"
     r"(\s\d+)?( value)?$", "url"),
    (r"^(e ?mail|email|courriel|correo|メール|電子メール)( \d+)?( address| adresse| value)?$|"
     r"^(primary|secondary|work|home|other|arbeit|privat|andere) e ?mail$|e mail adresse$|^contact email$", "email"),
    (r"(phone|fax|mobile|cell|pager|telefon|telephone|telefono|handy|mobil|movil|portable|callback|isdn|telex|"
     r"ruckmeldung|hauptnummer|nummer|電話|携帯|ファックス)", "phone"),
    (r"(^| )(aim|jabber|msn|yahoo|icq|skype|im|xmpp|instant messag\w*)$", "more"),
    (r"(formatted|^address$|^adresse$|^direccion$|^住所$|^address \d+$)", "address"),
    (r"(street|strasse|po box|pobox|postfach|extended address|rue|calle|address(\s\d)?$|adresse(\s\d)?$|"
     r"番地|町名)(\s\d)?", "street"),
    (r"(^| )(country region|country|land region|land|pays|pais|国)( |$)", "country"),
    (r"(^| )(city|town|stadt|ort|ville|ciudad|localidad|市区町村)( |$)", "city"),
    (r"(state|region|bundesland|province|provincia|都道府県)( |$)", "region"),
    (r"(postal code|postcode|post code|zip ?code|zip|plz|postleitzahl|code postal|codigo postal|郵便番号)( |$)",
     "postcode"),
    (r"(e ?mail|email|courriel|correo|メール|電子メール)", "email"),
    (r"(phone|fax|mobile|cell|pager|telefon|telephone|telefono|handy|mobil|movil|portable|電話|携帯|ファックス)",
     "phone"),
    (r"^(categories|category|group membership|groups?|kategorien|categorie|categoria|グループ)$", "more"),
    (r"^(initials|initialen|gender|geschlecht|priority|prioritat|sensitivity|vertraulichkeit|private|privat|"
     r"mileage|reisekilometer|billing information|abrechnungsinformationen|directory server|verzeichnisserver|"
     r"yomi name|given name yomi|additional name yomi|family name yomi|ausspracheform vorname|"
     r"ausspracheform nachname|screen name)$", "skip"),
)
_COMPILED = tuple((re.compile(p), target) for p, target in _RULES)

# The words removed from a header to find which values belong together ("Business Street 2" and
# "Business City" are one address; "Phone 1 - Type" labels "Phone 1 - Value").
_PART_WORDS = (r"street|strasse|po box|pobox|postfach|extended address|city|town|stadt|ort|state|region|bundesland|"
               r"province|postal code|postcode|zip ?code|zip|plz|postleitzahl|country region|country|land region|"
               r"land|rue|ville|pays|calle|ciudad|pais")
_ROLE_WORDS = re.compile(rf"\b(type|label|typ|value|formatted|{_PART_WORDS})\b")
_PART_THEN_NUMBER = re.compile(rf"\b({_PART_WORDS})\b.*\s\d$")
_TRAILING_ADDRESS = re.compile(r"(?<=\w)\s(address|adresse)(\s\d)?$")


def normal_header(header: str) -> str:
    """A header as the rules read it: folded, punctuation as spaces ('E-mail 1 - Value' -> 'e mail 1 value')."""
    return " ".join(re.sub(r"[^\w]+", " ", fold(header)).split())


def guess(header: str) -> str:
    """The target a column with this header most likely holds ('note' when nothing fits)."""
    key = normal_header(header)
    if not key:
        return "note"
    for pattern, target in _COMPILED:
        if pattern.search(key):
            return target
    return "note"


def is_notes_header(header: str) -> bool:
    """A column of notes or of Rapport's More contact details: its text is taken without the header as a label."""
    return bool(_VERBATIM.search(normal_header(header)))


def group_of(header: str) -> str:
    """The group a column belongs to: its header without the part word ('Home City' -> 'home')."""
    key = normal_header(header)
    if _PART_THEN_NUMBER.search(key):  # "Straße geschäftlich 2" is the second line of the business street
        key = key[:-2]
    group = " ".join(_ROLE_WORDS.sub(" ", key).split())
    group = _TRAILING_ADDRESS.sub("", group)
    return group or "address"


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """The guessed target of every column (by its header)."""
    mapping = {h: guess(h) for h in headers}
    targets = set(mapping.values())
    if "given_name" in targets and "name" in targets and "family_name" not in targets:
        # "Vorname; Name": beside a first name, a lone "Name" column is the surname
        mapping = {h: ("family_name" if target == "name" else target) for h, target in mapping.items()}
    return mapping
