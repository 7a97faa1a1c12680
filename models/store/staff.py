"""The team: who works at the desks, who is away, who is at this desk."""
from __future__ import annotations

import hashlib
import os
from datetime import datetime

from models import tables as t
from models.errors import ConflictError, ValidationError
from models.rules.text import initials_of
from models.rules.vocab import ROLES
from models.store import _base as b
from models.store.records import Changes, StaffMember

STAFF_KINDS = ("staff",)


def _member(row: t.Staff) -> StaffMember:
    return StaffMember(row.id, row.name, row.initials, row.role, row.active, row.away_from, row.away_until,
                       row.away_reason, row.version)


def list_staff(*, include_inactive: bool = False) -> list[StaffMember]:
    """The team, by name."""
    def work() -> list[StaffMember]:
        query = t.Staff.select().order_by(t.Staff.name, t.Staff.id)
        if not include_inactive:
            query = query.where(t.Staff.active == True)  # noqa: E712
        return [_member(r) for r in query]
    return b.read(work)


def get_staff(staff_id: int) -> StaffMember:
    staff_id = b.as_id(staff_id, "staff")

    def work() -> StaffMember:
        row = t.Staff.get_or_none(t.Staff.id == staff_id)
        if row is None:
            raise ValidationError("staff", "That staff member does not exist.")
        return _member(row)
    return b.read(work)


def _hash_pin(pin: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, 100_000)
    return f"pbkdf2${salt.hex()}${digest.hex()}"


def check_pin(staff_id: int, pin: str) -> bool:
    """True when `pin` matches the staff member's PIN (or they have none)."""
    staff_id = b.as_id(staff_id, "staff")
    if not isinstance(pin, str) or len(pin) > 100:
        raise ValidationError("pin", "A PIN is 4 to 8 digits.")

    def work() -> bool:
        row = t.Staff.get_or_none(t.Staff.id == staff_id)
        if row is None:
            return False
        if not row.pin_hash:
            return True
        _, salt, digest = row.pin_hash.split("$")
        typed = pin.encode("utf-8", "surrogatepass")
        return hashlib.pbkdf2_hmac("sha256", typed, bytes.fromhex(salt), 100_000).hex() == digest
    return b.read(work)


def _clean_staff_fields(name: object, initials: object, role: object, pin: object) -> tuple[str, str, str, str | None]:
    name = b.clean(name, "name", "The name", required=True)
    initials = b.clean(initials or initials_of(name), "initials", "The initials", limit=4, plural=True)
    b.check_choice(role, "role", ROLES, "The role must be Staff or Administrator.")
    if pin not in (None, ""):
        if not isinstance(pin, str) or not pin.isdigit() or not 4 <= len(pin) <= 8:
            raise ValidationError("pin", "A PIN is 4 to 8 digits.")
    return name, initials.upper(), str(role), (pin or None)  # type: ignore[return-value]


def add_staff(name: str, *, by: int | None = None, initials: str = "", role: str = "staff",
              pin: str | None = None) -> Changes:
    """Add a team member (Changes.id is the new id). Only the very first one is added by nobody."""
    name, initials, role, pin = _clean_staff_fields(name, initials, role, pin)

    def work(tx: b.Tx) -> int:
        first = not t.Staff.select().exists()
        if by is None and not first:
            raise ValidationError("by", "Choose who is at the desk before adding a colleague.")
        if tx.by is not None:
            b.require_staff(tx.by)
        duplicate = t.Staff.get_or_none((t.Staff.name == name) & (t.Staff.active == True))  # noqa: E712
        if duplicate is not None:
            raise ValidationError("name", f"{name} is already on the team.")
        row = t.Staff.create(name=name, initials=initials, role="admin" if first else role,
                             pin_hash=_hash_pin(pin) if pin else None, created_at=tx.at)
        tx.log("staff", row.id, None, "add", STAFF_KINDS, after=b.row_dict(row, "name", "initials", "role"))
        return row.id
    return b.write(by, work, need_staff=False)


def update_staff(staff_id: int, *, version: int, by: int, name: str | None = None, initials: str | None = None,
                 role: str | None = None, active: bool | None = None) -> Changes:
    """Rename a team member, change their role, or mark them as no longer on the team."""
    staff_id = b.as_id(staff_id, "staff")
    version = b.check_version(version)

    def work(tx: b.Tx) -> None:
        row = t.Staff.get_or_none(t.Staff.id == staff_id)
        if row is None:
            raise ValidationError("staff", "That staff member does not exist.")
        before = b.row_dict(row, "name", "initials", "role", "active")
        new_name, new_initials, new_role, _ = _clean_staff_fields(
            name if name is not None else row.name, initials if initials is not None else row.initials,
            role if role is not None else row.role, None)
        values = {t.Staff.name: new_name, t.Staff.initials: new_initials, t.Staff.role: new_role,
                  t.Staff.version: row.version + 1}
        if active is not None:
            values[t.Staff.active] = b.check_flag(active, "active", "On the team")
        updated = t.Staff.update(values).where((t.Staff.id == staff_id) & (t.Staff.version == version)).execute()
        if not updated:
            raise ConflictError(_member(row))
        after = b.row_dict(t.Staff.get_by_id(staff_id), "name", "initials", "role", "active")
        tx.log("staff", staff_id, None, "edit", STAFF_KINDS, before=before, after=after)
    return b.write(by, work)


def set_away(staff_id: int, *, by: int, away_from: datetime | None, away_until: datetime | None,
             reason: str = "") -> Changes:
    """Mark a colleague away from/until (both None: back at work). Their promises then show under Covering."""
    reason = b.clean(reason, "reason", "The reason")
    start = b.check_time(away_from, "away_from", "Away from", optional=True)
    end = b.check_time(away_until, "away_until", "Away until", optional=True)
    if (start is None) != (end is None):
        raise ValidationError("away_until", "Give both the first day away and the day back.")
    if start is not None and end is not None and end <= start:
        raise ValidationError("away_until", "The day back must be after the first day away.")

    staff_id = b.as_id(staff_id, "staff")

    def work(tx: b.Tx) -> None:
        row = t.Staff.get_or_none(t.Staff.id == staff_id)
        if row is None:
            raise ValidationError("staff", "That staff member does not exist.")
        before = b.row_dict(row, "away_from", "away_until", "away_reason")
        t.Staff.update(away_from=start, away_until=end, away_reason=reason if start else "",
                       version=t.Staff.version + 1).where(t.Staff.id == staff_id).execute()
        after = b.row_dict(t.Staff.get_by_id(staff_id), "away_from", "away_until", "away_reason")
        tx.log("staff", staff_id, None, "away", ("staff", "promise"), before=before, after=after)
    return b.write(by, work)
