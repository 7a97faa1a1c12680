"""File > Export contacts (issue 15): a CSV of the client list as shown — its visible columns in their on-screen
order with their headers, the rows its filter shows, in its sort — that imports back into Rapport with nothing
doubled; and the dialog's choice of every contact field instead. Real list widget, real store, under pytest-qt."""
from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QMenu

from models import store
from ui.context import AppContext
from ui.dialogs.contacts_export import ExportContactsDialog
from ui.events import Events
from ui.tasks import Tasks
from ui.views.client_list import ClientListPanel, ClientTableModel


def read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def seed(anna: int) -> dict[str, int]:
    ids = {
        # no phone and no email: only her organisation (hidden below) or the UID tells her apart on the way back
        "nora": store.add_client(name="Nora Quinn", by=anna, organisation="Harbour Bakery").id,
        "noel": store.add_client(name="Noel Quinn", by=anna, organisation="Quayside Dental",
                                 phone="+44 1632 960702", email="noel@quayside.example").id,
        "ann": store.add_client(name="Ann Quinlan", by=anna, phone="+44 1632 960703").id,
        "tom": store.add_client(name="Tom Reid", by=anna, phone="+44 1632 960704").id,  # filtered out
    }
    store.log_interaction(ids["noel"], by=anna, summary="Called about the invoice", rating=1,
                          at=datetime.now(UTC) - timedelta(days=3))
    return ids


def arranged_list(qtbot, admin_desk: AppContext) -> ClientListPanel:
    """The list as a person left it: Organisation hidden (through the header's menu), Phone moved to the front,
    sorted by name Z to A, filtered to "quin"."""
    panel = ClientListPanel(admin_desk)
    qtbot.addWidget(panel)
    panel.resize(900, 400)
    panel.show()
    panel.reload()
    qtbot.waitUntil(lambda: panel.model.total == 4)
    qtbot.waitExposed(panel)
    panel.fit_columns()
    assert not any(panel.table.isColumnHidden(c) for c in range(6))  # wide enough for every column
    header = panel.table.horizontalHeader()
    panel._on_header_menu_requested(QPoint(5, 5))
    menu = panel.findChildren(QMenu)[-1]
    by_title = {a.text(): a for a in menu.actions()}
    assert not by_title["Name"].isEnabled()  # the name always shows
    assert by_title["Organisation"].isChecked()
    by_title["Organisation"].trigger()
    menu.close()
    header.moveSection(header.visualIndex(ClientTableModel.PHONE), 0)
    panel.table.sortByColumn(ClientTableModel.NAME, Qt.SortOrder.DescendingOrder)
    panel.search.setText("quin")
    qtbot.waitUntil(lambda: panel.model.shown == 3)
    panel.fit_columns()  # a resize afterwards must not bring the hidden column back (the person arranged them)
    assert panel.table.isColumnHidden(ClientTableModel.ORG)
    return panel


def on_screen(panel: ClientListPanel) -> tuple[list[str], list[str]]:
    """The headers as the view paints them, left to right, and the names of the rows, top to bottom."""
    header = panel.table.horizontalHeader()
    titles = [panel.model.headerData(header.logicalIndex(v), Qt.Orientation.Horizontal)
              for v in range(header.count()) if not header.isSectionHidden(header.logicalIndex(v))]
    names = [panel.model.index(r, ClientTableModel.NAME).data() for r in range(panel.model.rowCount())]
    return titles, names


def export(qtbot, admin_desk: AppContext, panel: ClientListPanel, path: Path, *, as_shown: bool) -> list[list[str]]:
    dialog = ExportContactsDialog(admin_desk, panel.shown_ids(), panel.shown_columns())
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.as_shown.isChecked()  # as shown is the default ...
    assert not dialog.columns_box.isVisible()  # ... and the columns are a question only for a CSV
    dialog.choose("csv", as_shown=as_shown)
    assert dialog.columns_box.isVisible()
    dialog.export_to(str(path))
    assert not dialog.isVisible() and not dialog.error.isVisible()
    return read_csv(path)


def test_the_csv_holds_the_list_as_shown_and_imports_back_creating_nothing(qtbot, admin_desk: AppContext,
                                                                            tmp_path: Path) -> None:
    anna = admin_desk.staff.id
    ids = seed(anna)
    panel = arranged_list(qtbot, admin_desk)
    titles, names = on_screen(panel)
    assert titles == ["Phone", "Score", "Name", "Last contact", "Next promise due"]
    assert names == ["Nora Quinn", "Noel Quinn", "Ann Quinlan"]

    rows = export(qtbot, admin_desk, panel, tmp_path / "shown.csv", as_shown=True)
    assert rows[0] == titles + ["UID"]
    assert [r[2] for r in rows[1:]] == names
    noel = rows[2]
    assert noel[0] == "+44 1632 960702"
    last = (datetime.now(UTC) - timedelta(days=3)).astimezone().strftime("%Y-%m-%d")
    assert noel[3] == last  # a date a spreadsheet reads, in this desk's time (the list says "Wed 2 Dec")
    assert all(r[4] == "" for r in rows[1:])  # no promises
    assert all(r[5].startswith("urn:uuid:") for r in rows[1:])
    assert "Harbour Bakery" not in (tmp_path / "shown.csv").read_text(encoding="utf-8-sig")  # hidden: left out

    # the headers map back in the importer's guess: computed columns are not imported, the UID recognises
    guessed = store.preview_import(tmp_path / "shown.csv").mapping
    assert guessed == {"Phone": "phone", "Score": "skip", "Name": "name", "Last contact": "skip",
                       "Next promise due": "skip", "UID": "uid"}
    before = {c.id: store.get_client(c.id) for c in store.list_clients()}
    again = store.import_contacts(tmp_path / "shown.csv", by=anna)
    assert (again.created, again.updated, again.unchanged, again.problems) == (0, 0, 3, ())
    assert {r.client_id for r in again.rows} == {ids["noel"], ids["nora"], ids["ann"]}
    assert {c.id: store.get_client(c.id) for c in store.list_clients()} == before

    every = export(qtbot, admin_desk, panel, tmp_path / "every.csv", as_shown=False)
    assert every[0] == ["Name", "Organisation", "Phone", "Email", "Address", "More contact details",
                        "Last contact", "Next promise due", "UID"]
    assert [r[0] for r in every[1:]] == names  # the same rows in the same order
    assert every[1][1] == "Harbour Bakery"
    again = store.import_contacts(tmp_path / "every.csv", by=anna)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_both_csvs_go_into_an_empty_office_once(qtbot, admin_desk: AppContext, tmp_path: Path) -> None:
    seed(admin_desk.staff.id)
    panel = arranged_list(qtbot, admin_desk)
    export(qtbot, admin_desk, panel, tmp_path / "shown.csv", as_shown=True)
    export(qtbot, admin_desk, panel, tmp_path / "every.csv", as_shown=False)
    store.close()
    store.open(tmp_path / "other.db")
    ola = store.add_staff("Ola Berg").id
    first = store.import_contacts(tmp_path / "shown.csv", by=ola)
    assert (first.created, first.problems) == (3, ())
    assert store.import_contacts(tmp_path / "shown.csv", by=ola).created == 0
    # the full file is the same clients (by their UID) and fills in what the list did not show
    full = store.import_contacts(tmp_path / "every.csv", by=ola)
    assert (full.created, full.updated) == (0, 2)
    nora = next(c for c in store.list_clients() if c.name == "Nora Quinn")
    assert nora.organisation == "Harbour Bakery"


def test_a_single_clients_export_offers_every_field_and_a_refused_path_is_said_in_the_dialog(
        qtbot, admin_desk: AppContext, tmp_path: Path) -> None:
    ids = seed(admin_desk.staff.id)
    dialog = ExportContactsDialog(admin_desk, [ids["nora"]])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.choose("csv")
    assert not dialog.as_shown.isVisible() and dialog.every_field.isChecked() and dialog.columns() is None
    dialog.export_to(str(tmp_path / "no such folder" / "nora.csv"))
    assert dialog.isVisible() and dialog.error.isVisible()
    assert dialog.error.text().startswith("Rapport could not write the file there")
    dialog.choose("3.0")
    dialog.export_to(str(tmp_path / "nora.vcf"))
    assert not dialog.isVisible()
    assert "FN:Nora Quinn" in (tmp_path / "nora.vcf").read_text(encoding="utf-8")


def test_one_file_per_client_for_outlook_from_the_dialog(qtbot, admin_desk: AppContext, tmp_path: Path,
                                                          monkeypatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    ids = seed(admin_desk.staff.id)
    dialog = ExportContactsDialog(admin_desk, [ids["nora"], ids["noel"]])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.kind == "3.0" and dialog.one_per_file.isVisible() and not dialog.one_per_file.isChecked()
    dialog.one_per_file.setChecked(True)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(tmp_path)))
    dialog.export_button.click()
    assert not dialog.isVisible()
    assert sorted(p.name for p in tmp_path.glob("*.vcf")) == ["Noel Quinn.vcf", "Nora Quinn.vcf"]
    dialog = ExportContactsDialog(admin_desk, [ids["nora"]])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.choose("csv")
    assert not dialog.one_per_file.isVisible()


@pytest.fixture
def threaded(tmp_path: Path, monkeypatch) -> Iterator[tuple[AppContext, dict[str, int]]]:
    """The real database thread, and exports a page per client (four steps for the four clients)."""
    import models.store.imports as imports

    monkeypatch.setattr(imports, "EXPORT_PAGE", 1)
    events = Events()
    tasks = Tasks(events)
    try:
        ids = tasks.on_thread(lambda: (store.open(tmp_path / "office.db"),
                                       seed(store.add_staff("Anna Keller", role="admin").id))[1])
        yield AppContext(tasks, events, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)), ids
    finally:
        tasks.shutdown()


def test_stop_leaves_no_half_file_and_an_earlier_file_as_it_was(qtbot, threaded, tmp_path: Path,
                                                               monkeypatch) -> None:
    ctx, ids = threaded
    out = tmp_path / "clients.vcf"
    out.write_text("last week's export", encoding="utf-8")
    dialog = ExportContactsDialog(ctx, list(ids.values()))
    qtbot.addWidget(dialog)
    dialog.show()
    seen: list[tuple[int, int]] = []
    monkeypatch.setattr(dialog, "_on_export_progress", lambda p: (seen.append(p), dialog.reject()))
    messages: list[str] = []
    ctx.events.message_reported.connect(messages.append)
    dialog.export_to(str(out))
    qtbot.waitUntil(lambda: bool(messages), timeout=10_000)
    assert seen == [(1, 4)]  # Cancel during the export stopped it after the page being written
    assert messages == ["Export stopped: no file was written."] and not dialog.isVisible()
    assert out.read_text(encoding="utf-8") == "last week's export"
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".part"] == []


def test_the_desk_works_between_the_pages_of_an_export(qtbot, threaded, tmp_path: Path) -> None:
    """A client opened while the export runs opens between two pages, before the export ends."""
    ctx, ids = threaded
    dialog = ExportContactsDialog(ctx, list(ids.values()))
    qtbot.addWidget(dialog)
    order: list[str] = []
    ctx.events.message_reported.connect(lambda text: order.append("exported"))
    dialog.export_to(str(tmp_path / "all.vcf"))
    ctx.tasks.run(lambda: store.get_client(ids["tom"]), lambda client: order.append(client.name))
    qtbot.waitUntil(lambda: "exported" in order, timeout=10_000)
    assert order == ["Tom Reid", "exported"]
    assert (tmp_path / "all.vcf").read_text(encoding="utf-8").count("BEGIN:VCARD") == 4
