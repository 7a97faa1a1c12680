"""Office-wide settings: shared by every desk, versioned like a client, checked, recorded in the change log."""
from __future__ import annotations

import json
from datetime import time

import pytest

from models import store
from models import tables as t
from models.store.settings import DEFAULT_TOPICS
from tests.store.conftest import database_rows


def test_an_office_nobody_has_configured_reads_the_defaults(office: str, anna: int) -> None:
    settings = store.office_settings()
    assert settings.version == 0
    assert settings.topics == DEFAULT_TOPICS
    assert (settings.day_ends, settings.review_day, settings.country) == (time(17), 0, "")
    assert "topics" in store.setting_names() and "version" not in store.setting_names()


def test_a_change_is_saved_recorded_and_read_back_by_every_desk(office: str, anna: int) -> None:
    changes = store.update_office_settings(version=0, by=anna, office_name="Bayview Lettings", country="gb",
                                           day_ends="16:30", topics=["Viewing", "Repair", "Rent"])
    assert changes.kinds == frozenset({"settings"})
    settings = store.office_settings()
    assert settings.version == 1
    assert (settings.office_name, settings.country, settings.day_ends) == ("Bayview Lettings", "GB", time(16, 30))
    assert settings.topics == ("Viewing", "Repair", "Rent")
    row = t.Change.select().order_by(t.Change.id.desc()).get()
    assert (row.entity, row.action, row.staff) == ("settings", "update", anna)
    assert json.loads(row.after)["day_ends"] == "16:30" and json.loads(row.before)["country"] == ""
    # Another desk reads the same through the change feed (the kind is there for its views).
    assert "settings" in store.changes_since(0)[-1].kinds


def test_a_stale_version_is_a_conflict_and_changes_nothing(office: str, anna: int, ben: int) -> None:
    store.update_office_settings(version=0, by=anna, review_day=4)
    before = database_rows(presence=False)
    with pytest.raises(store.ConflictError) as conflict:
        store.update_office_settings(version=0, by=anna, review_day=2)
    assert conflict.value.current.review_day == 4
    assert database_rows(presence=False) == before


@pytest.mark.parametrize(("values", "field"), [
    ({"country": "Great Britain"}, "country"),
    ({"day_ends": "25:00"}, "day_ends"),
    ({"day_ends": 17}, "day_ends"),
    ({"review_day": 7}, "review_day"),
    ({"review_day": True}, "review_day"),
    ({"topics": "Billing"}, "topics"),
    ({"topics": ["Billing", "billing"]}, "topics"),
    ({"topics": ["Billing", ""]}, "topics"),
    ({"topics": ["x" * 501]}, "topics"),
    ({"attention_wrong_ratio": float("nan")}, "attention_wrong_ratio"),
    ({"office_name": "Bay\x00view"}, "office_name"),
    ({"colour": "blue"}, "colour"),
    ({"opens": "18:00"}, "closes"),
])
def test_bad_values_are_refused_with_the_setting_named(office: str, anna: int, values: dict, field: str) -> None:
    before = database_rows(presence=False)
    with pytest.raises(store.ValidationError) as refused:
        store.update_office_settings(version=0, by=anna, **values)
    assert refused.value.field == field and refused.value.message.endswith(".")
    assert database_rows(presence=False) == before


def test_saving_the_same_values_again_writes_nothing(office: str, anna: int) -> None:
    store.update_office_settings(version=0, by=anna, review_day=3)
    before = database_rows(presence=False)
    changes = store.update_office_settings(version=1, by=anna, review_day=3)
    assert changes.kinds == frozenset()
    assert database_rows(presence=False) == before and store.office_settings().version == 1


def test_only_someone_on_the_team_changes_settings(office: str, anna: int) -> None:
    with pytest.raises(store.ValidationError) as refused:
        store.update_office_settings(version=0, by=999, review_day=3)
    assert refused.value.field == "by"


def test_the_role_check_every_administrator_write_uses(office: str, anna: int, ben: int) -> None:
    from models.store import _base as b

    assert b.require_admin(anna, "restore a backup").id == anna
    with pytest.raises(store.PermissionDenied) as refused:
        b.require_admin(ben, "restore a backup")
    assert refused.value.message == ("Only an administrator can restore a backup. Ask an administrator of the "
                                     "office.")
    assert isinstance(refused.value, store.StoreError)
