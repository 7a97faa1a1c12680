"""Office-wide settings, kept in the office database so every desk shares them (DESIGN.md, "The upper floor").

One versioned `setting` row per key holds its value as JSON; the settings as a whole carry the highest
row version, so `update_office_settings(version=...)` refuses (ConflictError) when a colleague changed
any setting since the caller read them. Keys nobody has set read as their defaults. A desk's own
preferences (window, idle lock) are not here: they live in QSettings (ui/settings.py).

To add a setting: a field on OfficeSettings (with its default) and a checker in `_CHECKS`.
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import time
from typing import Any

from models import tables as t
from models.errors import ConflictError, ValidationError
from models.rules.text import SHORT_LIMIT, check_text
from models.store import _base as b
from models.store.records import ChangeKind, Changes

SETTINGS_KINDS = (ChangeKind.SETTINGS,)
DEFAULT_TOPICS = ("Enquiry", "Quote", "Booking", "Billing", "Complaint", "Follow-up")


@dataclass(frozen=True)
class OfficeSettings:
    """The office's shared settings; `version` is what `update_office_settings` must be given back."""

    version: int = 0
    office_name: str = ""
    # ISO 3166 two-letter region used to read phone numbers ("GB", "DE", "US"); "" = not chosen yet (the
    # desk suggests one from its locale and asks at first start).
    country: str = ""
    opens: time = time(9, 0)  # office hours: a due date outside them is pointed out
    closes: time = time(17, 0)
    day_ends: time = time(17, 0)  # the time a due date typed without a time means (DUE-DATES.md)
    review_day: int = 0  # the weekday of the weekly review, Monday = 0 (REPORTS.md)
    topics: tuple[str, ...] = DEFAULT_TOPICS  # offered when logging an interaction
    hidden_topics: tuple[str, ...] = ()  # removed from the pick list, still on past interactions
    # "Needs attention" thresholds (REPORTS.md); percentages are whole points.
    attention_min_interactions: int = 10
    attention_wrong_ratio: float = 1.5
    attention_wrong_points: int = 5
    attention_min_promises: int = 5
    attention_kept_points: int = 15
    attention_min_second: int = 4
    attention_second_below: int = 50


_DEFAULTS = OfficeSettings()
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def _text(label: str) -> Callable[[object], str]:
    def check(value: object) -> str:
        text, problem = check_text(value, label, limit=SHORT_LIMIT)
        if problem:
            raise ValueError(problem)
        return text
    return check


def _country(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("The country must be a two-letter code such as GB, DE or US.")
    code = value.strip().upper()
    if code and not _COUNTRY.match(code):
        raise ValueError("The country must be a two-letter code such as GB, DE or US.")
    return code


def _time(label: str) -> Callable[[object], time]:
    def check(value: object) -> time:
        if isinstance(value, time) and value.tzinfo is None:
            return value.replace(second=0, microsecond=0)
        if isinstance(value, str) and _TIME.match(value.strip()):
            hours, minutes = value.strip().split(":")
            return time(int(hours), int(minutes))
        raise ValueError(f"{label} must be a time of day such as 17:00.")
    return check


def _whole(label: str, low: int, high: int) -> Callable[[object], int]:
    def check(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"{label} must be a whole number from {low} to {high}.")
        return value
    return check


def _ratio(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) \
            or not 1.0 <= value <= 10.0:
        raise ValueError("The ratio must be a number from 1 to 10.")
    return float(value)


def _topics(label: str) -> Callable[[object], tuple[str, ...]]:
    one = _text("A topic")

    def check(value: object) -> tuple[str, ...]:
        if isinstance(value, str) or not isinstance(value, list | tuple):
            raise ValueError(f"{label} must be a list of names.")
        if len(value) > 100:
            raise ValueError(f"{label} can have at most 100 names.")
        out: list[str] = []
        for item in value:
            name = one(item)
            if not name:
                raise ValueError("A topic cannot be empty.")
            if name.casefold() in (o.casefold() for o in out):
                raise ValueError(f"The topic '{name}' is in the list twice.")
            out.append(name)
        return tuple(out)
    return check


_CHECKS: dict[str, Callable[[object], Any]] = {
    "office_name": _text("The office name"),
    "country": _country,
    "opens": _time("The opening time"),
    "closes": _time("The closing time"),
    "day_ends": _time("The default due time"),
    "review_day": _whole("The review day", 0, 6),
    "topics": _topics("The topics"),
    "hidden_topics": _topics("The hidden topics"),
    "attention_min_interactions": _whole("The number of interactions", 1, 10_000),
    "attention_wrong_ratio": _ratio,
    "attention_wrong_points": _whole("The points", 0, 100),
    "attention_min_promises": _whole("The number of promises", 1, 10_000),
    "attention_kept_points": _whole("The points", 0, 100),
    "attention_min_second": _whole("The number of cases", 1, 10_000),
    "attention_second_below": _whole("The percentage", 0, 100),
}


def _encode(value: Any) -> str:
    if isinstance(value, time):
        return json.dumps(value.strftime("%H:%M"))
    if isinstance(value, tuple):
        return json.dumps(list(value))
    return json.dumps(value)


def _decode(key: str, raw: str) -> Any:
    """A stored value as its field's type; a value that no longer passes its check reads as the default."""
    try:
        return _CHECKS[key](json.loads(raw))
    except (ValueError, TypeError, json.JSONDecodeError):
        return getattr(_DEFAULTS, key)


def _current() -> OfficeSettings:
    values: dict[str, Any] = {}
    version = 0
    for row in t.Setting.select():
        version = max(version, row.version)
        if row.key in _CHECKS:
            values[row.key] = _decode(row.key, row.value)
    return replace(_DEFAULTS, version=version, **values)


def current_settings() -> OfficeSettings:
    """The settings as the open transaction sees them (for checks inside a write)."""
    return _current()


def office_settings() -> OfficeSettings:
    """The office's settings as they are now (defaults for whatever nobody has set)."""
    return b.read(_current)


def setting_names() -> tuple[str, ...]:
    """Every office setting's name, in the order of OfficeSettings."""
    return tuple(f.name for f in fields(OfficeSettings) if f.name != "version")


def check_settings(values: dict[str, Any]) -> dict[str, Any]:
    """Each value checked and cleaned, or a ValidationError naming the setting."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        check = _CHECKS.get(key)
        if check is None:
            raise ValidationError(key, f"Rapport has no office setting called '{key}'.")
        try:
            out[key] = check(value)
        except ValueError as exc:
            raise ValidationError(key, str(exc)) from None
    return out


def update_office_settings(*, version: int, by: int, **values: Any) -> Changes:
    """Change some office settings (administrators only: PermissionDenied otherwise); ConflictError (with the
    current settings) when a colleague saved first."""
    if isinstance(version, bool) or not isinstance(version, int):
        raise ValidationError("version", "That is not a version number.")
    cleaned = check_settings(values)

    def work(tx: b.Tx) -> None:
        b.require_admin(tx.by, "change the office settings")
        current = _current()
        if current.version != version:
            raise ConflictError(current, "A colleague changed the office settings while you were editing them.")
        if "opens" in cleaned or "closes" in cleaned:
            opens, closes = cleaned.get("opens", current.opens), cleaned.get("closes", current.closes)
            if opens >= closes:
                raise ValidationError("closes", "The office must close after it opens.")
        if "topics" in cleaned and "hidden_topics" not in cleaned:
            cleaned["hidden_topics"] = _hidden_after(current, cleaned["topics"])
        before, after = store_settings(current, cleaned)
        if "country" in after:  # phone numbers without a prefix now read as this country's (issue 16)
            from models.store.duplicates import rekey_phones  # noqa: PLC0415

            rekey_phones()
        if after:
            tx.log("settings", None, None, "update", SETTINGS_KINDS, before=before, after=after)
        if "country" in after:  # issue 14: phone numbers are searched as national numbers of it
            from models import search_index  # noqa: PLC0415

            ids = [i for (i,) in t.Client.select(t.Client.id).tuples()]
            search_index.refresh_rows("client", ids, cleaned["country"])  # the clients' now
            search_index.start_catch_up()  # the entries' in short steps after (store.catch_up_search_index)
    return b.write(by, work)


def _hidden_after(current: OfficeSettings, topics: tuple[str, ...]) -> tuple[str, ...]:
    """Removing a topic only hides it (past interactions keep it, REPORTS.md); listing it again shows it."""
    listed = {name.casefold() for name in topics}
    hidden = [name for name in current.hidden_topics if name.casefold() not in listed]
    hidden += [name for name in current.topics if name.casefold() not in listed
               and name.casefold() not in {h.casefold() for h in hidden}]
    return tuple(hidden)


def store_settings(current: OfficeSettings, cleaned: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Write the checked values that differ from `current` (inside a write); (before, after) of those."""
    before = {k: _encode(getattr(current, k)) for k in cleaned}
    after = {k: _encode(v) for k, v in cleaned.items()}
    changed = {k: v for k, v in after.items() if before[k] != v}
    new_version = current.version + 1
    for key, raw in changed.items():
        t.Setting.insert(key=key, value=raw, version=new_version).on_conflict(
            conflict_target=[t.Setting.key],
            update={t.Setting.value: raw, t.Setting.version: new_version}).execute()
    return {k: json.loads(before[k]) for k in changed}, {k: json.loads(v) for k, v in changed.items()}
