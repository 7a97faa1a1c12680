"""Issue 11: roles checked by the store on every write that needs one, and PINs that mean something."""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from models import store
from models import tables as t
from models.store import staff as staff_store
from tests.store.conftest import database_rows


def refused(call, *args, **kwargs) -> store.PermissionDenied:
    """Run a write that must be refused for its role, and prove it left the database unchanged."""
    before = database_rows(presence=False)
    with pytest.raises(store.PermissionDenied) as info:
        call(*args, **kwargs)
    assert database_rows(presence=False) == before
    assert info.value.message.endswith(".")
    return info.value


def version(staff_id: int) -> int:
    return store.get_staff(staff_id).version


def test_only_an_administrator_adds_staff(office: str, anna: int, ben: int) -> None:
    error = refused(store.add_staff, "Chloé Martin", by=ben)
    assert "Only an administrator can add a colleague" in error.message
    assert store.add_staff("Chloé Martin", by=anna).id


def test_a_staff_member_cannot_make_themselves_administrator(office: str, anna: int, ben: int) -> None:
    refused(store.update_staff, ben, version=version(ben), by=ben, role="admin")
    refused(store.update_staff, anna, version=version(anna), by=ben, active=False)
    refused(store.update_staff, anna, version=version(anna), by=ben, name="Not Anna")
    refused(store.update_staff, anna, version=version(anna), by=ben, pin="1111")
    store.update_staff(ben, version=version(ben), by=anna, role="admin")
    assert store.get_staff(ben).role == "admin"


def test_a_staff_member_changes_their_own_name_initials_and_pin(office: str, anna: int, ben: int) -> None:
    store.update_staff(ben, version=version(ben), by=ben, name="Benjamin Okafor", initials="BO", pin="2580")
    member = store.get_staff(ben)
    assert (member.name, member.initials, member.has_pin) == ("Benjamin Okafor", "BO", True)
    assert store.check_pin(ben, "2580", desk="d")


def test_the_office_keeps_an_active_administrator(office: str, anna: int, ben: int) -> None:
    error = refused(store.update_staff, anna, version=version(anna), by=anna, role="staff")
    assert "at least one active administrator" in error.message
    refused(store.update_staff, anna, version=version(anna), by=anna, active=False)
    store.update_staff(ben, version=version(ben), by=anna, role="admin")
    store.update_staff(anna, version=version(anna), by=ben, active=False)
    assert not store.get_staff(anna).active
    # Anna is off the team now: she can do nothing, and Ben is the last administrator.
    refused(store.update_staff, ben, version=version(ben), by=ben, role="staff")
    store.update_staff(anna, version=version(anna), by=ben, active=True)  # reactivated: history keeps her name
    assert store.get_staff(anna).active and store.get_staff(anna).name == "Anna Keller"


def test_office_settings_are_for_administrators(office: str, anna: int, ben: int) -> None:
    error = refused(store.update_office_settings, version=0, by=ben, review_day=2)
    assert error.message.startswith("Only an administrator can change the office settings")
    store.update_office_settings(version=0, by=anna, review_day=2)


def test_only_an_administrator_restores_a_backup(sqlite_office: Path) -> None:
    anna = store.add_staff("Anna Keller").id
    ben = store.add_staff("Ben Okafor", by=anna).id
    info = store.backup_now()
    refused(store.restore_backup, info.path, by=ben)


# --- PINs ----------------------------------------------------------------------------------------

def test_set_change_clear_and_keep_a_pin(office: str, anna: int, ben: int) -> None:
    store.update_staff(ben, version=version(ben), by=anna, pin="1234")
    stored = t.Staff.get_by_id(ben).pin_hash
    assert stored.startswith("scrypt$") and "1234" not in stored
    assert store.check_pin(ben, "1234", desk="d") and not store.check_pin(ben, "4321", desk="d")
    store.update_staff(ben, version=version(ben), by=ben, name="Ben O.")  # pin omitted: kept
    assert t.Staff.get_by_id(ben).pin_hash == stored
    store.update_staff(ben, version=version(ben), by=ben, pin="98765")
    assert store.check_pin(ben, "98765", desk="d2") and not store.check_pin(ben, "1234", desk="d2")
    store.update_staff(ben, version=version(ben), by=ben, pin="")
    assert t.Staff.get_by_id(ben).pin_hash is None and not store.get_staff(ben).has_pin
    # The log says a PIN was set or cleared, never the PIN or its hash.
    logged = [json.loads(r.after) for r in t.Change.select().where((t.Change.entity == "staff")
                                                                    & (t.Change.action == "edit"))]
    assert [a.get("pin") for a in logged if "pin" in a] == ["set", "set", "cleared"]
    with pytest.raises(store.ValidationError, match="4 to 8 digits"):
        store.update_staff(ben, version=version(ben), by=ben, pin="12ab")


def test_salts_are_per_person(office: str, anna: int, ben: int) -> None:
    store.update_staff(anna, version=version(anna), by=anna, pin="1234")
    store.update_staff(ben, version=version(ben), by=anna, pin="1234")
    assert t.Staff.get_by_id(anna).pin_hash != t.Staff.get_by_id(ben).pin_hash


def test_a_first_wave_pbkdf2_pin_is_accepted_and_rehashed(office: str, anna: int) -> None:
    salt = os.urandom(16)
    old = f"pbkdf2${salt.hex()}${hashlib.pbkdf2_hmac('sha256', b'2468', salt, 100_000).hex()}"
    t.Staff.update(pin_hash=old).where(t.Staff.id == anna).execute()
    assert not store.check_pin(anna, "1357", desk="d")
    assert t.Staff.get_by_id(anna).pin_hash == old  # a wrong PIN changes nothing
    assert store.check_pin(anna, "2468", desk="d")
    assert t.Staff.get_by_id(anna).pin_hash.startswith("scrypt$")
    assert store.check_pin(anna, "2468", desk="d")


def test_wrong_pins_are_recorded_and_slowed_at_that_desk(office: str, clock, anna: int, ben: int) -> None:
    store.update_staff(ben, version=version(ben), by=anna, pin="1234")
    for _ in range(3):
        assert not store.check_pin(ben, "0000", desk="front")
    wrong = t.Change.select().where((t.Change.entity == "pin") & (t.Change.action == "wrong"))
    assert wrong.count() == 3 and {r.staff for r in wrong} == {ben} and {r.origin for r in wrong} == {"front"}
    assert all("0000" not in (r.after or "") for r in wrong)
    with pytest.raises(staff_store.PinWait) as wait:
        store.check_pin(ben, "1234", desk="front")  # even the right PIN waits: it is not checked
    assert wait.value.seconds == 5 and "Try again in 5 seconds" in wait.value.message
    assert store.check_pin(ben, "1234", desk="back")  # another desk is not slowed
    clock.advance(seconds=5)
    assert not store.check_pin(ben, "0000", desk="front")
    with pytest.raises(staff_store.PinWait) as wait:
        store.check_pin(ben, "1234", desk="front")
    assert wait.value.seconds == 10  # the wait grows
    clock.advance(seconds=10)
    assert store.check_pin(ben, "1234", desk="front")  # a right PIN ends the run
    assert not store.check_pin(ben, "0000", desk="front")
    assert not store.check_pin(ben, "0000", desk="front")
    assert store.check_pin(ben, "1234", desk="front")
    for _ in range(3):
        assert not store.check_pin(ben, "0000", desk="front")
    clock.advance(hours=2)  # misses of long ago are forgotten
    assert not store.check_pin(ben, "0000", desk="front")
    assert store.check_pin(ben, "1234", desk="front")


def test_someone_without_a_pin_passes_and_an_inactive_one_never(office: str, anna: int, ben: int) -> None:
    assert store.check_pin(ben, "", desk="d")
    store.update_staff(ben, version=version(ben), by=anna, active=False)
    with pytest.raises(store.ValidationError):
        store.check_pin(ben, "", desk="d")
