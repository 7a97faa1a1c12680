"""Where two features of the second wave meet: erasure and import, import and duplicates."""
from __future__ import annotations

from pathlib import Path

from models import store
from models import tables as t


def _one_person(tmp_path: Path) -> Path:
    path = tmp_path / "people.csv"
    path.write_text("Name,Phone,Email,Notes\nAisha Clarke,01632 960703,aisha@example.com,Prefers mornings\n",
                    encoding="utf-8")
    return path


def test_an_erased_person_is_not_imported_again_without_asking(office: str, anna: int, tmp_path: Path) -> None:
    path = _one_person(tmp_path)
    [row] = store.import_contacts(path, by=anna).rows
    store.erase_client(row.client_id, by=anna)
    again = store.import_contacts(path, by=anna)
    assert (again.created, again.updated) == (0, 0)
    [problem] = again.problems
    assert problem.field == "erased" and "erased from the office" in problem.sentence
    brought = store.import_contacts(path, by=anna, bring_back=[problem.row])
    assert brought.created == 1


def test_erasing_an_imported_client_forgets_what_the_import_recorded_of_them(office: str, anna: int,
                                                                            tmp_path: Path) -> None:
    path = _one_person(tmp_path)
    [row] = store.import_contacts(path, by=anna).rows
    store.update_client(row.client_id, version=store.get_client(row.client_id).version, by=anna,
                        more_details="Mobile: 07700 900123")
    store.import_contacts(path, by=anna)  # matched again: recorded as unchanged
    store.erase_client(row.client_id, by=anna)
    details = store.get_client(row.client_id)
    assert details.more_details == "" and details.phone == "" and "Aisha" not in details.name
    recorded = [(r.before, r.uid) for r in t.ImportedRow.select().where(t.ImportedRow.client == row.client_id)]
    assert recorded and all(before is None and uid == "" for before, uid in recorded)
