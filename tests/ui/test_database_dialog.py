"""Choosing the office database: check without switching, cloud folders need an explicit override, switch."""
from __future__ import annotations

from pathlib import Path

from models import store
from ui.dialogs.database_dialog import FILE, SERVER, DatabaseDialog, postgres_url


def test_postgres_url_quotes_every_part() -> None:
    assert postgres_url("db.office", 5433, "rapport", "front desk", "p@ss/word") == \
        "postgresql://front%20desk:p%40ss%2Fword@db.office:5433/rapport"


def test_check_says_what_is_there_without_switching(ready, qtbot, tmp_path: Path, db_path: Path) -> None:
    dialog = DatabaseDialog(ready.ctx, str(db_path), ready)
    qtbot.addWidget(dialog)
    assert dialog.kind.checkedId() == FILE and dialog.path.text() == str(db_path)
    dialog.check()
    assert dialog.result.text() == "office.db: a Rapport office with 2 clients."
    dialog.path.setText(str(tmp_path / "new-office.db"))
    dialog.check()
    assert "a new, empty office will be created there" in dialog.result.text()
    assert not (tmp_path / "new-office.db").exists()  # checking leaves nothing behind
    dialog.path.setText(str(tmp_path / "missing" / "x.db"))
    dialog.check()
    assert "does not exist" in dialog.result.text()
    assert store.list_clients()  # still on the same office


def test_a_cloud_folder_needs_the_explicit_override(ready, qtbot, tmp_path: Path) -> None:
    folder = tmp_path / "Dropbox"
    folder.mkdir()
    dialog = DatabaseDialog(ready.ctx, str(folder / "office.db"), ready)
    qtbot.addWidget(dialog)
    dialog.check()
    assert "Dropbox" in dialog.result.text() and not dialog.cloud.isHidden()
    chosen: list[tuple[str, bool]] = []
    dialog.location_chosen.connect(lambda loc, allow: chosen.append((loc, allow)))
    dialog.cloud.setChecked(True)
    dialog.check()
    assert "new, empty office" in dialog.result.text()
    dialog.buttons.accepted.emit()
    assert chosen == [(str(folder / "office.db"), True)]


def test_a_server_needs_its_name_first(ready, qtbot) -> None:
    dialog = DatabaseDialog(ready.ctx, "", ready)
    qtbot.addWidget(dialog)
    dialog.server.setChecked(True)
    assert dialog.kind.checkedId() == SERVER
    dialog.host.clear()
    dialog.check()
    assert "server's name" in dialog.result.text()


def test_switching_to_another_office_asks_who_is_at_the_desk(ready, qtbot, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    ready.session.switch(str(other))
    assert ready.ctx.staff is None and ready.staff_picker.isVisible()
    qtbot.keyClicks(ready.staff_picker.name, "Zoe New")
    ready.staff_picker._on_add_clicked()
    assert ready.ctx.staff.name == "Zoe New"
    assert ready.client_list.model.rowCount() == 0
    assert ready.ctx.settings.value("database/location") == str(other)


def test_a_failed_open_offers_a_way_out(make_window, qtbot, tmp_path: Path) -> None:
    bad = tmp_path / "letter.db"
    bad.write_text("not a database")
    window = make_window(path=bad)
    assert "not a Rapport database" in window.opening.text.text()
    assert window.opening.choose_button.isVisible() and window.opening.retry_button.isVisible()
    assert not window.opening.anyway_button.isVisible()


def test_open_with_a_place_that_cannot_be_used_keeps_the_open_office(ready, qtbot, tmp_path: Path,
                                                                      db_path: Path) -> None:
    """Open used to close the working office first and remember the bad place for the next start."""
    dialog = DatabaseDialog(ready.ctx, str(db_path), ready)
    qtbot.addWidget(dialog)
    chosen: list[tuple[str, bool]] = []
    dialog.location_chosen.connect(lambda loc, allow: chosen.append((loc, allow)))
    not_a_database = tmp_path / "notes.txt"
    not_a_database.write_text("shopping list")
    said = []
    for bad in (tmp_path / "missing" / "x.db", not_a_database):
        dialog.path.setText(str(bad))
        dialog.buttons.accepted.emit()
        assert chosen == [] and dialog.result.objectName() == "error"
        said.append(dialog.result.text())
    assert "does not exist" in said[0] and "notes.txt" in said[1]
    assert ready.ctx.settings.value("database/location") in (None, "")
    assert [c.name for c in store.list_clients()] == ["Isla Walsh", "Oliver Thompson"]
    dialog.path.setText(str(tmp_path / "new.db"))
    dialog.buttons.accepted.emit()
    assert chosen == [(str(tmp_path / "new.db"), False)]
