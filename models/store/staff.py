"""The team: who works at the desks, who is away, who is at this desk."""
from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime, timedelta

import peewee as pw

from models import tables as t
from models.errors import ConflictError, PermissionDenied, StoreError, ValidationError
from models.rules.text import initials_of
from models.rules.vocab import ROLES
from models.store import _base as b
from models.store.records import ChangeKind, Changes, StaffMember

STAFF_KINDS = (ChangeKind.STAFF,)


def _member(row: t.Staff) -> StaffMember:
    return StaffMember(row.id, row.name, row.initials, row.role, row.active, row.away_from, row.away_until,
                       row.away_reason, row.version, bool(row.pin_hash))


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


# --- PINs ------------------------------------------------------------------------------------------
# scrypt with a per-person salt (hashlib, no extra dependency). n=2**14, r=8 costs ~16 MB and some tens
# of milliseconds per check: enough to slow guessing a little, never noticeable at a desk. It cannot make
# a 4-digit PIN strong against someone who can read the office file (README, "Roles and PINs").
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 14, 8, 1
# Wrong PINs at one desk: the first MISSES_FREE are free, then each further miss doubles the wait.
MISSES_FREE = 3
FIRST_WAIT_S = 5
LONGEST_WAIT_S = 300
MISSES_FORGOTTEN = timedelta(hours=1)  # wrong PINs older than this no longer count towards the wait
PIN_KINDS = ("pin",)  # change-log kind of PIN events: no view reloads for them


class PinWait(StoreError):
    """Too many wrong PINs at this desk: the PIN is not even checked until `seconds` have passed."""

    def __init__(self, seconds: int) -> None:
        super().__init__(f"Too many wrong PINs at this desk. Try again in {seconds} second"
                         f"{'' if seconds == 1 else 's'}.")
        self.seconds = seconds


def hash_pin(pin: str) -> str:
    """A new PIN's hash: "scrypt$n$r$p$salt$digest" (hex)."""
    salt = os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def pin_matches(stored: str, pin: str) -> bool:
    """True when `pin` is the PIN behind `stored` (scrypt, or the first wave's pbkdf2), compared in constant time."""
    parts = stored.split("$")
    try:
        if parts[0] == "scrypt" and len(parts) == 6:
            n, r, p = (int(x) for x in parts[1:4])
            salt, digest = bytes.fromhex(parts[4]), bytes.fromhex(parts[5])
            got = hashlib.scrypt(pin.encode("utf-8", "surrogatepass"), salt=salt, n=n, r=r, p=p, dklen=len(digest))
        elif parts[0] == "pbkdf2" and len(parts) == 3:
            salt, digest = bytes.fromhex(parts[1]), bytes.fromhex(parts[2])
            got = hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8", "surrogatepass"), salt, 100_000)
        else:
            return False
    except ValueError:
        return False
    import hmac  # noqa: PLC0415 - loaded when a PIN is first checked, not as the desk starts

    return hmac.compare_digest(got, digest)


def _wait_at(desk: str, now: datetime) -> int:
    """Seconds this desk must still wait before a PIN is checked (0: go ahead)."""
    c = t.Change
    rows = (c.select(c.action, c.at).where((c.entity == "pin") & (c.origin == desk))
            .order_by(c.id.desc()).limit(64).tuples())
    misses, last = 0, None
    for action, at in rows:
        if action != "wrong" or now - at > MISSES_FORGOTTEN:
            break
        misses += 1
        last = last or at
    if misses < MISSES_FREE or last is None:
        return 0
    wait = min(LONGEST_WAIT_S, FIRST_WAIT_S * 2 ** (misses - MISSES_FREE))
    left = (last + timedelta(seconds=wait) - now).total_seconds()
    return max(0, int(left + 0.999))


def check_pin(staff_id: int, pin: str, *, desk: str | None = None) -> bool:
    """True when `pin` is the staff member's PIN (or they have none); a wrong one is recorded in the change log.

    `desk` (by default this desk's session id) counts wrong PINs: after MISSES_FREE misses in a row at
    that desk, PinWait ("Try again in N seconds") is raised without checking, for a wait that doubles with
    every further miss. Nothing sleeps here. A right PIN after misses ends the run (also recorded); a
    right PIN stored as a first-wave pbkdf2 hash is re-hashed with scrypt.
    """
    staff_id = b.as_id(staff_id, "staff")
    where = desk if desk is not None else b._origin
    if not isinstance(pin, str):
        pin = ""
    if len(pin) > 100:
        raise ValidationError("pin", "A PIN is 4 to 8 digits.")

    def work(tx: b.Tx) -> bool:
        row = t.Staff.get_or_none(t.Staff.id == staff_id)
        if row is None or not row.active:
            raise ValidationError("staff", "That staff member is not (or no longer) on the team.")
        if not row.pin_hash:
            return True
        wait = _wait_at(where, tx.at)
        if wait:
            raise PinWait(wait)
        tx.by = staff_id
        right = pin_matches(row.pin_hash, pin)
        if not right:
            _log_pin(tx, staff_id, "wrong", where)
            return False
        if not row.pin_hash.startswith("scrypt$"):
            t.Staff.update(pin_hash=hash_pin(pin)).where(t.Staff.id == staff_id).execute()
        if _misses_before(where):
            _log_pin(tx, staff_id, "right", where)
        return True

    result: list[bool] = []
    b.write(None, lambda tx: result.append(work(tx)), need_staff=False)  # type: ignore[func-returns-value]
    return result[-1]


def _misses_before(desk: str) -> bool:
    c = t.Change
    last = (c.select(c.action).where((c.entity == "pin") & (c.origin == desk)).order_by(c.id.desc()).limit(1)
            .scalar())
    return last == "wrong"


def _log_pin(tx: b.Tx, staff_id: int, action: str, desk: str) -> None:
    """A PIN event in the change log (origin = the desk), without the PIN itself."""
    change_id = t.Change.insert(at=tx.at, staff=staff_id, entity="pin", entity_id=staff_id, client=None,
                                action=action, kinds=",".join(PIN_KINDS), origin=desk, before=None,
                                after=json.dumps({"desk": desk})).execute()
    tx.change_ids.append(int(change_id))
    tx.kinds.update(PIN_KINDS)


def _check_pin_text(pin: object) -> str | None:
    """A PIN as given to a write: None leaves it, "" clears it, else 4 to 8 digits."""
    if pin is None or pin == "":
        return pin  # type: ignore[return-value]
    if not isinstance(pin, str) or not pin.isascii() or not pin.isdigit() or not 4 <= len(pin) <= 8:
        raise ValidationError("pin", "A PIN is 4 to 8 digits.")
    return pin


def _clean_staff_fields(name: object, initials: object, role: object) -> tuple[str, str, str]:
    name = b.clean(name, "name", "The name", required=True)
    initials = b.clean(initials or initials_of(name), "initials", "The initials", limit=4, plural=True)
    b.check_choice(role, "role", ROLES, "The role must be Staff or Administrator.")
    return name, initials.upper(), str(role)


def add_staff(name: str, *, by: int | None = None, initials: str = "", role: str = "staff",
              pin: str | None = None) -> Changes:
    """Add a team member (Changes.id is the new id): by an administrator; only the very first one by nobody."""
    name, initials, role = _clean_staff_fields(name, initials, role)
    pin = _check_pin_text(pin)

    def work(tx: b.Tx) -> int:
        first = not t.Staff.select().exists()
        if by is None and not first:
            raise ValidationError("by", "Choose who is at the desk before adding a colleague.")
        if tx.by is not None:
            b.require_admin(tx.by, "add a colleague to the team")
        duplicate = t.Staff.get_or_none((t.Staff.name == name) & (t.Staff.active == True))  # noqa: E712
        if duplicate is not None:
            raise ValidationError("name", f"{name} is already on the team.")
        row = t.Staff.create(name=name, initials=initials, role="admin" if first else role,
                             pin_hash=hash_pin(pin) if pin else None, created_at=tx.at)
        tx.log("staff", row.id, None, "add", STAFF_KINDS, after=b.row_dict(row, "name", "initials", "role"))
        return row.id
    return b.write(by, work, need_staff=False)


def update_staff(staff_id: int, *, version: int, by: int, name: str | None = None, initials: str | None = None,
                 role: str | None = None, active: bool | None = None, pin: str | None = None) -> Changes:
    """Rename a team member, set or clear their PIN, change their role, or mark them as (no longer) on the team.

    Anyone may change their own name, initials and PIN; everything else, and anyone else's, is for an
    administrator (PermissionDenied otherwise). `pin="1234"` sets a PIN, `pin=""` clears it, leaving it
    out keeps it. The office always keeps at least one active administrator.
    """
    staff_id = b.as_id(staff_id, "staff")
    pin = _check_pin_text(pin)
    if active is not None:
        active = b.check_flag(active, "active", "On the team")
    new_hash = hash_pin(pin) if pin else None  # hashed before the transaction: scrypt takes a moment
    version = b.check_version(version)

    def work(tx: b.Tx) -> None:
        row = t.Staff.get_or_none(t.Staff.id == staff_id)
        if row is None:
            raise ValidationError("staff", "That staff member does not exist.")
        before = b.row_dict(row, "name", "initials", "role", "active")
        new_name, new_initials, new_role = _clean_staff_fields(
            name if name is not None else row.name, initials if initials is not None else row.initials,
            role if role is not None else row.role)
        new_active = row.active if active is None else active
        if tx.by != staff_id or new_role != row.role or new_active != row.active:
            b.require_admin(tx.by, _doing(row, new_role, new_active, tx.by == staff_id))
        if row.role == "admin" and row.active and (new_role != "admin" or not new_active):
            _keep_an_admin(staff_id)
        values: dict[pw.Field, object] = {t.Staff.name: new_name, t.Staff.initials: new_initials,
                                          t.Staff.role: new_role, t.Staff.active: new_active,
                                          t.Staff.version: row.version + 1}
        if pin is not None:
            values[t.Staff.pin_hash] = new_hash
        updated = t.Staff.update(values).where((t.Staff.id == staff_id) & (t.Staff.version == version)).execute()
        if not updated:
            raise ConflictError(_member(row))
        after = b.row_dict(t.Staff.get_by_id(staff_id), "name", "initials", "role", "active")
        changed = {k: v for k, v in after.items() if before[k] != v}
        if pin is not None:  # that it changed, never the PIN or its hash
            changed["pin"] = "set" if pin else "cleared"
        tx.log("staff", staff_id, None, "edit", STAFF_KINDS, before={k: before[k] for k in changed if k in before},
               after=changed)
    return b.write(by, work)


def _doing(row: t.Staff, role: str, active: bool, themselves: bool) -> str:
    """What the refused write would have done, completing "Only an administrator can ..."."""
    if role != row.role:
        return "change a role"
    if active != row.active:
        return "reactivate a colleague" if active else "take someone off the team"
    return "change a colleague's name, initials or PIN" if not themselves else "do that"


def _keep_an_admin(leaving: int) -> None:
    others = (t.Staff.select().where((t.Staff.role == "admin") & (t.Staff.active == True)  # noqa: E712
                                     & (t.Staff.id != leaving)).exists())
    if not others:
        raise PermissionDenied("The office must keep at least one active administrator. Make a colleague an "
                               "administrator first.")


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
