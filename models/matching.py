"""When two clients are possibly the same person: their comparable keys, and how close two names are.

The one place duplicates, the new-client warning and the importer's dry run agree on. Keys are exact
(a national phone number, an email, a name's words in any order with nicknames read as the full name)
or *blocking* keys that bring together clients worth comparing fuzzily: the same organisation or
address plus a name word's first letters. Close names are scored with `rapidfuzz` (imported on first
use: start-up does not pay for it); everything else is models/normalise.py.
"""
from __future__ import annotations

from dataclasses import dataclass

from models.normalise import email_key, phone_key, words

# A name's words are compared by their first letters when blocking: a typo after them still meets.
PREFIX = 3
# token_sort_ratio (0-100) from which two names count as "close" (Aisha/Aysha Clarke: 92; different people
# with one shared surname such as Ann/Tom Walsh: about 70).
CLOSE_NAME = 85
# Words an organisation's name carries without telling it apart.
_ORG_NOISE = frozenset({"ltd", "limited", "inc", "llc", "plc", "gmbh", "ag", "sa", "co", "company", "the", "and"})

# Common English nicknames, read as the full name they stand for (both sides are compared this way).
_NICKNAMES: dict[str, str] = {}
for _full, _short in {
    "robert": "bob bobby rob robbie bert", "william": "bill billy will willie liam", "elizabeth": "liz lizzie beth "
    "betty bess eliza lisa", "margaret": "maggie meg peggy marge", "katherine": "kate katie kathy kat kathryn "
    "catherine cathy", "james": "jim jimmy jamie", "john": "jack johnny", "richard": "rick ricky dick rich",
    "michael": "mike mick mickey", "thomas": "tom tommy", "joseph": "joe joey", "charles": "charlie chuck",
    "edward": "ed eddie ted teddy ned", "anthony": "tony", "christopher": "chris kit", "daniel": "dan danny",
    "david": "dave davey", "matthew": "matt", "nicholas": "nick nicky", "patrick": "pat paddy", "peter": "pete",
    "stephen": "steve steven", "alexander": "alex sandy", "alexandra": "alex sandra", "andrew": "andy drew",
    "benjamin": "ben benny", "samuel": "sam sammy", "timothy": "tim timmy", "jonathan": "jon jonny",
    "gregory": "greg", "kenneth": "ken kenny", "ronald": "ron ronnie", "donald": "don donny", "francis": "frank",
    "frederick": "fred freddie", "henry": "harry hank", "lawrence": "larry", "leonard": "leo len lenny",
    "philip": "phil", "raymond": "ray", "gerald": "gerry jerry", "jennifer": "jen jenny", "jessica": "jess jessie",
    "rebecca": "becky becca", "susan": "sue susie", "deborah": "debbie deb", "patricia": "pat patty trish",
    "barbara": "barb barbie", "victoria": "vicky tori", "abigail": "abby", "samantha": "sam sammie",
    "christine": "chris chrissy", "dorothy": "dot dottie", "eleanor": "ellie nell", "helen": "nell",
    "josephine": "jo josie", "judith": "judy", "kimberly": "kim", "pamela": "pam", "teresa": "terri tess",
    "valerie": "val", "zachary": "zach zack", "mohammed": "mohamed muhammad mohammad", "aleksandr": "sasha",
}.items():
    for _nick in _short.split():
        _NICKNAMES.setdefault(_nick, _full)


def name_words(name: str) -> list[str]:
    """A name's folded words with nicknames read as the full name ("Bob O'Neil" -> ["robert", "oneil"])."""
    return [_NICKNAMES.get(w, w) for w in words(name)]


def name_key(name: str) -> str:
    """The name compared as a whole, in any word order: "Clarke, Aisha" and "aisha clarke" are one key."""
    return " ".join(sorted(set(name_words(name))))


def organisation_key(organisation: str) -> str:
    """An organisation as compared: folded words without "Ltd", "Inc", "The" ('' for none)."""
    return " ".join(w for w in words(organisation) if w not in _ORG_NOISE)


def address_key(address: str) -> str:
    """An address as compared: its folded words in order, any line breaks or commas aside ('' for none)."""
    return " ".join(words(address))


def _prefixes(name: str) -> set[str]:
    return {w[:PREFIX] for w in name_words(name) if not w.isdigit()}


# The stored keys two clients are compared by (the others only bring them together).
COMPARED_KINDS = ("phone", "email", "name", "org", "addr")


@dataclass(frozen=True, slots=True)
class ClientKeys:
    """What one client (or a form being typed) is compared by."""

    name: str
    phone: str
    email: str
    organisation: str
    address: str
    words: tuple[str, ...]  # name_words(name), for the fuzzy comparison

    def rows(self) -> set[tuple[str, str]]:
        """(kind, key) pairs for the keys table: exact keys, and blocking keys for close names."""
        out: set[tuple[str, str]] = set()
        for kind, key in (("phone", self.phone), ("email", self.email), ("name", self.name),
                          ("org", self.organisation), ("addr", self.address)):
            if key:
                out.add((kind, key[:200]))
        for prefix in _prefixes(" ".join(self.words)):
            if self.organisation:
                out.add(("orgname", f"{self.organisation[:190]}|{prefix}"))
            if self.address:
                out.add(("addrname", f"{self.address[:190]}|{prefix}"))
        return out


def client_keys(*, name: str = "", phone: str = "", email: str = "", organisation: str = "", address: str = "",
                country: str = "") -> ClientKeys:
    """The keys of a client's details; `country` is the office's region for phones without a prefix."""
    return ClientKeys(name_key(name), phone_key(phone, country) if phone.strip() else "", email_key(email),
                      organisation_key(organisation), address_key(address), tuple(name_words(name)))


def key_from_rows(rows: set[tuple[str, str]]) -> ClientKeys:
    """ClientKeys rebuilt from the stored (kind, key) rows of one client.

    The name's words come from its name key (sorted, without repeats): the comparison sorts them anyway.
    """
    exact = {kind: key for kind, key in rows if kind in COMPARED_KINDS}
    name = exact.get("name", "")
    return ClientKeys(name, exact.get("phone", ""), exact.get("email", ""), exact.get("org", ""),
                      exact.get("addr", ""), tuple(name.split()))


def pair_keys(name_a: str, name_b: str, shared: set[str]) -> tuple[ClientKeys, ClientKeys]:
    """Two clients' keys as far as assess() needs them, from their name keys and the kinds of key they share
    (a shared "orgname" key means the same organisation; "addrname" the same address)."""
    same = {"phone": "phone" in shared, "email": "email" in shared, "organisation": "orgname" in shared,
            "address": "addrname" in shared}
    common = {field: "=" if equal else "" for field, equal in same.items()}
    return (ClientKeys(name_a, words=tuple(name_a.split()), **common),
            ClientKeys(name_b, words=tuple(name_b.split()), **common))


def name_closeness(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """How close two names are, 0-1, in any word order, forgiving typos (rapidfuzz's token sort ratio).

    Numbers in a name ("Flat 2", "Client 00042") must agree exactly: they tell people apart.
    """
    if not a or not b:
        return 0.0
    if sorted(w for w in a if w.isdigit()) != sorted(w for w in b if w.isdigit()):
        return 0.0
    from rapidfuzz import fuzz  # noqa: PLC0415 - imported on first comparison, not at start-up

    return fuzz.token_sort_ratio(" ".join(a), " ".join(b)) / 100.0


# How much each piece of evidence says on its own (0-1); several combine as independent evidence.
EMAIL = 0.95
PHONE = 0.9
SAME_NAME = 0.5
CLOSE_AT_PLACE = 0.6  # a close name at the same organisation or address, scaled by how close


def assess(a: ClientKeys, b: ClientKeys) -> tuple[float, str] | None:
    """How strongly two clients look like one person (0-1) and why, in words; None when they do not."""
    reasons: list[tuple[float, str]] = []
    if a.email and a.email == b.email:
        reasons.append((EMAIL, "same email address"))
    if a.phone and a.phone == b.phone:
        reasons.append((PHONE, "same phone number"))
    same_name = bool(a.name) and a.name == b.name
    closeness = 1.0 if same_name else name_closeness(a.words, b.words)
    close = closeness * 100 >= CLOSE_NAME
    places = [label for label, x, y in (("organisation", a.organisation, b.organisation),
                                        ("address", a.address, b.address)) if x and x == y]
    if close and places:
        reasons.append((CLOSE_AT_PLACE + (1 - CLOSE_AT_PLACE) * closeness * 0.8,
                        f"{'same' if same_name else 'a similar'} name at the same {' and '.join(places)}"))
    elif same_name:
        reasons.append((SAME_NAME, "same name"))
    elif close and reasons:
        reasons.append((0.3 * closeness, "a similar name"))
    if not reasons:
        return None
    doubt = 1.0
    for strength, _ in reasons:
        doubt *= 1 - strength
    return round(1 - doubt, 3), " and ".join(why for _, why in reasons)
