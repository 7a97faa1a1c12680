"""The change log in words: one sentence per change row, saying what was done and before -> after.

Pure: standard library and models.rules only, no clock (`today` is a parameter) and no time zone of its
own (`to_local` turns a stored UTC time into the desk's). The store's `history()` and the report use it;
who did it and when are columns of their own, so a sentence starts with the verb: "Changed the client's
phone: "01632 960001" -> "020 7946 0000"".
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from models.rules import words
from models.rules.vocab import ROLES, channel_label, rating_label

QUOTE_LIMIT = 160  # a long text is cut here in a sentence (the report shows it whole)
ERASED = "(erased)"

# The kinds a person filters the history by, with what they read.
KIND_LABELS: dict[str, str] = {
    "client": "Client details",
    "interaction": "Interactions",
    "note": "Notes",
    "promise": "Promises",
    "staff": "Team",
    "pin": "PIN entries",
    "settings": "Office settings",
    "office": "Backups and imports",
    "merge": "Merges",  # issue 16
}

FIELD_LABELS: dict[str, str] = {
    "name": "name", "organisation": "organisation", "phone": "phone", "email": "email", "address": "address",
    "preferred_channel": "preferred channel", "caution": "caution note", "usual_handler": "usual handler",
    "summary": "summary", "details": "details", "rating": "rating", "channel": "channel", "text": "text",
    "pinned": "pinned", "due": "due", "owner": "owner", "status": "status", "initials": "initials",
    "role": "role", "active": "on the team", "pin": "PIN", "reason": "reason", "away_from": "away from",
    "away_until": "back on", "away_reason": "reason away",
}

# The change log's keys that hold what a person wrote about a client (erasure blanks them).
PERSONAL_KEYS = frozenset({"name", "organisation", "phone", "email", "address", "caution", "summary", "details",
                           "text", "reason", "cancel_reason", "encounter", "backup"})

Local = Callable[[datetime], datetime]
# "Logged a phone call: ..." — what an interaction on each channel is called in a sentence.
CHANNEL_NOUNS = {"phone": "a phone call", "email": "an email", "visit": "a visit", "meeting": "a meeting",
                 "letter": "a letter", "invoice": "an invoice", "website": "a contact through the website",
                 "other": "a contact"}


def quote(text: object, limit: int = QUOTE_LIMIT) -> str:
    """A text in quotation marks, on one line, cut with an ellipsis past `limit`."""
    flat = " ".join(str(text).split())
    if not flat:
        return "(empty)"
    if len(flat) > limit:
        flat = flat[:limit - 1].rstrip() + "…"
    return f"“{flat}”"


def _when(value: object, to_local: Local, today: date) -> str:
    if not isinstance(value, str) or not value:
        return "(none)"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = to_local(moment)
    return f"{words.short_date(moment, today)}, {words.clock(moment)}"


def value_words(key: str, value: object, names: Mapping[int, str], to_local: Local, today: date,
                limit: int = QUOTE_LIMIT) -> str:
    """One stored value as a person reads it."""
    if value is None or value == "":
        return "(none)"
    if key in ("usual_handler", "owner", "new_owner", "old_owner"):
        return names.get(value, f"colleague {value}") if isinstance(value, int) else str(value)
    if key == "rating" and isinstance(value, int):
        return f"{value:+d} {rating_label(value)}" if value else f"0 {rating_label(0)}"
    if key in ("channel", "preferred_channel"):
        return channel_label(str(value))
    if key == "role":
        return ROLES.get(str(value), str(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key in ("due", "at", "kept_at", "away_from", "away_until"):
        return _when(value, to_local, today)
    if isinstance(value, str):
        return quote(value, limit)
    return str(value)


def _changes(before: Mapping[str, Any], after: Mapping[str, Any], names: Mapping[int, str], to_local: Local,
             today: date, limit: int) -> str:
    """ "phone “a” → “b”; rating +1 Good → −1 Not great" for the keys that changed."""
    parts = []
    for key, new in after.items():
        label = FIELD_LABELS.get(key, key.replace("_", " "))
        if key == "pin":
            parts.append(f"PIN {new}")
            continue
        old = before.get(key)
        if key in before:
            parts.append(f"{label} {value_words(key, old, names, to_local, today, limit)} → "
                         f"{value_words(key, new, names, to_local, today, limit)}")
        else:
            parts.append(f"{label} {value_words(key, new, names, to_local, today, limit)}")
    return "; ".join(parts)


def describe(entity: str, action: str, entity_id: int | None, before: Mapping[str, Any] | None,
             after: Mapping[str, Any] | None, *, names: Mapping[int, str], today: date,
             to_local: Local = lambda moment: moment, limit: int = QUOTE_LIMIT) -> str:
    """What one change-log row did, as a sentence starting with the verb (who and when are shown beside it).

    Texts are quoted up to `limit` characters (the report passes a large one: the earlier text in full).
    """
    before, after = before or {}, after or {}
    staff = names.get(entity_id, "a colleague") if entity_id is not None else "a colleague"

    def changes() -> str:
        return _changes(before, after, names, to_local, today, limit)

    def val(key: str, source: Mapping[str, Any] = after) -> str:
        return value_words(key, source.get(key), names, to_local, today, limit)

    simple = {
        ("client", "delete"): "Moved the client to the Trash",
        ("client", "restore"): "Brought the client back from the Trash",
        ("client", "erase"): "Erased the client's personal data (this cannot be undone)",
        ("interaction", "delete"): "Moved an interaction to the Trash",
        ("interaction", "restore"): "Brought an interaction back from the Trash",
        ("note", "delete"): "Moved a note to the Trash",
        ("note", "restore"): "Brought a note back from the Trash",
        ("promise", "delete"): "Moved a promise to the Trash",
        ("promise", "restore"): "Brought a promise back from the Trash",
        ("pin", "wrong"): f"A wrong PIN was typed for {staff}",
        ("pin", "right"): f"The right PIN was typed for {staff} after wrong ones",
    }
    if (entity, action) in simple:
        return simple[(entity, action)]
    if action == "undo":
        return f"Undid an earlier action on this {entity} (change {before.get('undid', '?')})"
    if entity == "client":
        if action == "add":
            return f"Added the client {val('name')}"
        if action == "edit":
            return f"Changed the client's details: {changes()}" if after else "Saved the client's details unchanged"
    if entity == "interaction":
        if action == "add":
            fix = " as the fix of a problem" if after.get("recovers") else ""
            sorry = ", with an apology" if after.get("apology") else ""
            noun = CHANNEL_NOUNS.get(str(after.get("channel")), "a contact")
            return (f"Logged {noun}{fix}: {val('summary')} "
                    f"({val('rating')}{sorry})")
        if action == "edit":
            return f"Corrected an interaction: {changes()}"
    if entity == "note":
        if action == "add":
            return f"Added a note: {val('text')}" + (" (pinned)" if after.get("pinned") else "")
        if action == "edit":
            return f"Changed a note: {changes()}"
    if entity == "promise":
        if action == "add":
            return f"Promised {val('text')}, due {val('due')}, owner {val('owner')}"
        if action == "keep":
            return f"Marked a promise kept ({val('kept_at')})"
        if action == "renegotiate":
            return f"Agreed a new due date for a promise: {val('due', before)} → {val('due')}"
        if action == "reassign":
            return f"Handed a promise over: {val('owner', before)} → {val('owner')}"
        if action == "cancel":
            return f"Cancelled a promise: {val('reason')}"
    if entity == "staff":
        who = names.get(entity_id, after.get("name", "a colleague")) if entity_id is not None else "a colleague"
        if action == "add":
            return f"Added {who} to the team ({val('role')})"
        if action == "edit":
            return f"Changed {who}: {changes()}"
        if action == "away":
            if after.get("away_from"):
                return f"Marked {who} away from {val('away_from')}, back {val('away_until')}"
            return f"Marked {who} back at work"
    if entity == "merge":  # issue 16
        if action == "merge":
            return (f"Merged {val('name', before)} into this client ({after.get('moved', 0)} interactions, notes "
                    "and promises came over)")
        if action == "merged-away":
            return "Merged into another client"
        if action == "unmerge":
            return "Un-merged: both clients are back as they were"
    if entity == "not_same" and action == "add":  # issue 16
        return "Said two possibly duplicate clients are different people"
    if entity == "settings":
        return f"Changed the office settings: {changes()}"
    if entity == "office":
        if action == "restore":
            return f"Restored a backup ({after.get('backup', 'a file')})"
        if action == "import":
            return "Loaded an export into this office"
    text = f"{action.capitalize()} ({entity})"
    return f"{text}: {changes()}" if after else text


def blank_personal(values: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A change row's before/after with what a person wrote about a client replaced by ERASED."""
    if values is None:
        return None
    return {k: (ERASED if k in PERSONAL_KEYS and isinstance(v, str) and v else v) for k, v in values.items()}
