"""The import wizard and Office > Imports (issue 15), driven as a receptionist would, under pytest-qt."""
from __future__ import annotations

import csv
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QSettings

from models import store
from tests.store.test_import_files import CONTACTS, EXPECTED
from tests.ui.conftest import open_dialog
from ui.context import AppContext
from ui.dialogs.contacts_export import ExportContactsDialog
from ui.dialogs.import_wizard import CHECK, COLUMNS, DONE, FILE, PREVIEW, ImportWizard
from ui.dialogs.imports_dialog import ImportsDialog
from ui.events import Events
from ui.tasks import Tasks

DATA = Path(__file__).resolve().parents[1] / "data" / "contacts"


@pytest.fixture
def desk(admin_desk: AppContext) -> AppContext:
    return admin_desk


def cells(table, column: int) -> list[str]:
    return [table.item(r, column).text() for r in range(table.rowCount())]


def test_the_wizard_from_file_to_summary_and_the_problem_rows_saved(qtbot, desk: AppContext, tmp_path: Path) -> None:
    wizard = ImportWizard(desk)
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.page == FILE and not wizard.next_button.isEnabled()
    wizard.choose_file(str(DATA / "semicolon-cp1252.csv"))
    assert wizard.page == COLUMNS and not wizard.error.isVisible()
    assert cells(wizard.columns_table, 0) == ["Name", "Firma", "E-Mail", "Notizen"]
    assert [wizard.columns_table.cellWidget(r, 2).currentData() for r in range(4)] == ["name", "organisation",
                                                                                       "email", "note"]
    assert wizard.encoding_box.currentData() == "cp1252"
    wizard.set_target("Notizen", "more")  # the person sends the notes to More contact details instead
    wizard.next_button.click()
    assert wizard.page == PREVIEW
    assert cells(wizard.preview_table, 1) == ["Müller, Jürgen", "Zoë Brennan", "Bob Stone"]
    assert cells(wizard.preview_table, 6)[0] == "erste Zeile zweite Zeile; mit Semikolon"
    wizard.next_button.click()
    assert wizard.page == CHECK and wizard.next_button.text() == "Import"
    assert cells(wizard.check_table, 2) == ["New client", "New client",
                                            "Problem: the email 'bob@' is not an email address"]
    assert store.list_clients() == []  # the check wrote nothing
    wizard.next_button.click()
    assert wizard.page == DONE and wizard.close_button.text() == "Close"
    assert wizard.summary.text().startswith("Done: 2 new clients; 0 clients updated; 0 already there and unchanged; "
                                            "1 row with a problem (not imported).")
    assert sorted(c.name for c in store.list_clients()) == ["Müller, Jürgen", "Zoë Brennan"]
    assert wizard.save_problems_button.isVisibleTo(wizard)
    out = tmp_path / "problems.csv"
    wizard.save_problems(str(out))
    assert "Saved 1 problem rows" in wizard.saved_label.text()
    with open(out, encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle))[1][-1] == "the email 'bob@' is not an email address"
    # again: everything is already there
    again = ImportWizard(desk)
    qtbot.addWidget(again)
    again.choose_file(str(DATA / "semicolon-cp1252.csv"))
    again.set_target("Notizen", "more")
    again.next_button.click()
    again.next_button.click()
    assert cells(again.check_table, 2)[:2] == ["Already there (Müller, Jürgen); nothing new",
                                               "Already there (Zoë Brennan); nothing new"]


def test_a_file_that_cannot_be_imported_is_said_on_the_first_page(qtbot, desk: AppContext) -> None:
    wizard = ImportWizard(desk)
    qtbot.addWidget(wizard)
    wizard.choose_file(str(DATA / "workbook-named.csv"))
    assert wizard.page == FILE and wizard.error.isVisibleTo(wizard)
    assert "Excel workbook" in wizard.error.text()


def test_a_vcard_needs_no_column_matching(qtbot, desk: AppContext) -> None:
    wizard = ImportWizard(desk)
    qtbot.addWidget(wizard)
    wizard.choose_file(str(DATA / "no-name.vcf"))
    assert wizard.page == COLUMNS and not wizard.columns_table.isVisibleTo(wizard)
    assert "vCard file with 3 contacts" in wizard.columns_intro.text()


def test_office_imports_lists_the_import_and_an_administrator_takes_it_back(qtbot, desk: AppContext) -> None:
    report = store.import_contacts(DATA / "semicolon-cp1252.csv", by=desk.staff_id)
    dialog = ImportsDialog(desk)
    qtbot.addWidget(dialog)
    assert cells(dialog.table, 2) == ["semicolon-cp1252.csv"] and cells(dialog.table, 3) == ["2"]
    assert not dialog.revert_button.isEnabled()  # nothing chosen yet
    dialog.table.selectRow(0)
    assert dialog.revert_button.isEnabled()
    dialog.take_back(report.import_id)
    assert store.list_clients() == [] and cells(dialog.table, 7) == ["taken back"]
    ben = store.add_staff("Ben Okafor", by=desk.staff_id).id
    desk.staff = store.get_staff(ben)
    other = ImportsDialog(desk)
    qtbot.addWidget(other)
    other.table.selectRow(0)
    assert not other.revert_button.isEnabled()


def test_the_person_decides_a_possible_duplicate_is_the_same_client(qtbot, desk: AppContext,
                                                                    tmp_path: Path) -> None:
    kate = store.add_client(name="Katherine Jones", by=desk.staff_id, organisation="Quayside Dental").id
    path = tmp_path / "c.csv"
    path.write_text("Name,Company,Email\nKathryn Jones,Quayside Dental,k.jones@home.example\n", encoding="utf-8")
    wizard = ImportWizard(desk)
    qtbot.addWidget(wizard)
    wizard.choose_file(str(path))
    wizard.next_button.click()
    wizard.next_button.click()
    assert cells(wizard.check_table, 2) == ["New client \u2014 possible duplicate of Katherine Jones"]
    box = wizard.check_table.cellWidget(0, 3)
    assert [box.itemText(i) for i in range(box.count())] == ["Add as a new client",
                                                             "The same person as Katherine Jones"]
    wizard.decide(2, kate)
    wizard.next_button.click()
    assert wizard.page == DONE and wizard.report.updated == 1
    assert [c.name for c in store.list_clients()] == ["Katherine Jones"]
    assert store.get_client(kate).email == "k.jones@home.example"


def test_the_check_asks_before_bringing_back_an_erased_person(qtbot, desk: AppContext, tmp_path: Path) -> None:
    gone = store.add_client(name="Oliver Thompson", by=desk.staff_id, email="oliver@example.com").id
    store.erase_client(gone, by=desk.staff_id)
    path = tmp_path / "c.csv"
    path.write_text("Name,Email\nOliver Thompson,oliver@example.com\n", encoding="utf-8")
    wizard = ImportWizard(desk)
    qtbot.addWidget(wizard)
    wizard.choose_file(str(path))
    wizard.next_button.click()
    wizard.next_button.click()
    assert cells(wizard.check_table, 2)[0].startswith("Problem: Oliver Thompson was erased from the office")
    box = wizard.check_table.cellWidget(0, 3)
    box.setCurrentIndex(box.findData(True))  # they asked to come back
    wizard.next_button.click()
    assert wizard.report.created == 1 and wizard.report.problems == ()


# --- with the real database thread ------------------------------------------------------------------

@pytest.fixture
def threaded_desk(tmp_path: Path) -> Iterator[AppContext]:
    events = Events()
    tasks = Tasks(events)
    path = tmp_path / "office.db"
    anna = tasks.on_thread(lambda: (store.open(path), store.add_staff("Anna Keller", role="admin").id)[1])
    staff = tasks.on_thread(lambda: store.get_staff(anna))
    yield AppContext(tasks, events, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), staff=staff)
    tasks.shutdown()


def big_csv(path: Path, rows: int) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["First Name", "Last Name", "E-mail Address", "Mobile Phone"])
        writer.writerows([f"Person{i}", "Walsh", f"p{i}@example.com", f"01632 {100000 + i}"] for i in range(rows))
    return path


def test_the_window_stays_responsive_and_stop_leaves_whole_batches(qtbot, threaded_desk: AppContext,
                                                                    tmp_path: Path) -> None:
    ctx = threaded_desk
    someone = ctx.tasks.on_thread(lambda: store.add_client(name="Oliver Thompson", by=ctx.staff_id).id)
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_edit.setText(str(big_csv(tmp_path / "many.csv", 10_000)))
    wizard.next_button.click()
    qtbot.waitUntil(lambda: wizard.page == COLUMNS, timeout=20_000)
    wizard.next_button.click()
    qtbot.waitUntil(lambda: wizard.page == PREVIEW, timeout=20_000)
    wizard.next_button.click()
    qtbot.waitUntil(lambda: wizard.check_report is not None, timeout=120_000)
    assert wizard.check_report.created == 10_000
    wizard.next_button.click()  # Import
    qtbot.waitUntil(lambda: wizard.run_progress.value() > 0, timeout=60_000)
    # a client opens while the import runs: the read is queued between two batches
    opened: list[float] = []
    started = time.perf_counter()
    ctx.tasks.run(lambda: store.get_client(someone), lambda _c: opened.append(time.perf_counter() - started))
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    print(f"\na client opened in {opened[0] * 1000:.0f} ms while 10,000 rows imported")
    assert opened[0] < 1.0
    assert wizard.close_button.text() == "Stop the import"
    wizard.close_button.click()
    qtbot.waitUntil(lambda: wizard.page == DONE, timeout=60_000)
    report = wizard.report
    assert report.cancelled and 0 < report.created < 10_000
    assert report.created == wizard.run_progress.value()  # whole batches: exactly what the progress bar said
    assert "You stopped the import" in wizard.summary.text()
    count = ctx.tasks.on_thread(lambda: len(store.list_clients()))
    assert count == report.created + 1


# --- in the real window ------------------------------------------------------------------------------

def test_file_import_contacts_and_office_imports_in_the_window(ready, qtbot, tmp_path: Path, monkeypatch) -> None:
    file_menu = next(a.menu() for a in ready.menuBar().actions() if a.text() == "&File")
    office_menu = next(a.menu() for a in ready.menuBar().actions() if a.text() == "&Office")
    assert "Import contacts..." in [a.text() for a in file_menu.actions()]
    assert "Imports..." in [a.text() for a in office_menu.actions()]
    ready.import_action.trigger()
    wizard = open_dialog(ready, ImportWizard)
    wizard.choose_file(str(DATA / "semicolon-cp1252.csv"))
    for _ in range(3):
        wizard.next_button.click()
    assert wizard.page == DONE
    qtbot.waitUntil(lambda: "Müller, Jürgen" in [r.name for r in ready.client_list.model.shown_rows()])
    wizard.close_button.click()
    ready.imports_action.trigger()
    assert cells(open_dialog(ready, ImportsDialog).table, 2) == ["semicolon-cp1252.csv"]
    from PySide6.QtWidgets import QFileDialog

    out = tmp_path / "shown.vcf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(out), "vCard 4.0 (*.vcf)")))
    ready.export_contacts_action.trigger()
    dialog = open_dialog(ready, ExportContactsDialog)
    assert dialog.list_columns == ready.client_list.shown_columns()  # the list's columns as shown
    dialog.choose("4.0")
    dialog.export_button.click()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible())
    assert out.read_text(encoding="utf-8").count("BEGIN:VCARD") == 4  # the two seeded clients and the two imported
    assert "VERSION:4.0" in out.read_text(encoding="utf-8")
    client_menu = next(a.menu() for a in ready.menuBar().actions() if a.text() == "&Client")
    assert "Export as a vCard..." in [a.text() for a in client_menu.actions()]
    ready.open_client(ready.client_list.model.shown_rows()[0].id)
    ready.vcard_action.trigger()
    dialog = open_dialog(ready, ExportContactsDialog)
    assert dialog.kind == "3.0" and dialog.client_ids == [ready.client_list.model.shown_rows()[0].id]
    dialog.export_button.click()
    qtbot.waitUntil(lambda: out.read_text(encoding="utf-8").count("BEGIN:VCARD") == 1)


def test_more_contact_details_are_edited_in_the_client_form_and_shown_in_the_header(qtbot, desk: AppContext) -> None:
    from ui.dialogs.client_dialog import ClientDialog
    from ui.views.client_view import ClientHeader

    isla = store.add_client(name="Isla Walsh", by=desk.staff_id, more_details="Phone (home): 01632 960002").id
    dialog = ClientDialog(desk, store.get_client(isla))
    qtbot.addWidget(dialog)
    assert dialog.more_details.toPlainText() == "Phone (home): 01632 960002"
    dialog.more_details.setPlainText("Phone (home): 01632 960002\nBirthday: 3 March\nJob title: Manager")
    dialog.submit()
    saved = store.get_client(isla)
    assert saved.more_details == "Phone (home): 01632 960002\nBirthday: 3 March\nJob title: Manager"
    header = ClientHeader()
    qtbot.addWidget(header)
    header.show_client(saved)
    assert header.contact.text().endswith("Phone (home): 01632 960002\u00a0\u00a0·\u00a0 Birthday: 3 March  (+1 more)")
    assert "Job title: Manager" in header.contact.toolTip()


# --- every real-world file, through the wizard ------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_shared_file_goes_through_the_wizard_and_again_creates_nothing(qtbot, desk: AppContext,
                                                                            name: str) -> None:
    """The 30 files of ../shared/contacts, as a receptionist would take them in: file, columns as guessed,
    preview, check, import, summary; then the same file again. The expectations are test_import_files.py's."""
    created, problems, photos, people = EXPECTED[name]
    for attempt in (1, 2):
        wizard = ImportWizard(desk)
        qtbot.addWidget(wizard)
        wizard.show()
        wizard.choose_file(str(CONTACTS / name))
        assert wizard.page == COLUMNS and not wizard.error.isVisible(), wizard.error.text()
        wizard.next_button.click()
        assert wizard.page == PREVIEW and wizard.preview_table.rowCount() > 0
        wizard.next_button.click()
        assert wizard.page == CHECK
        check = cells(wizard.check_table, 2)
        wizard.next_button.click()
        qtbot.waitUntil(lambda wizard=wizard: wizard.page == DONE)
        report = wizard.report
        assert report is not None and report.import_id is not None
        if attempt == 1:
            assert (report.created, report.photos_skipped) == (created, photos)
            assert tuple(p.sentence for p in report.problems) == problems
            assert sum(text == "New client" or text.startswith("New client") for text in check) == created
            clients = {c.name: c for c in store.list_clients()}
            for person, (phone, email) in people.items():
                assert (clients[person].phone, clients[person].email) == (phone, email)
        else:
            assert (report.created, report.updated) == (0, 0)
            assert all(text.startswith("Already there") or text.startswith("Problem") for text in check), check
        assert str(report.created) in wizard.summary.text()
        wizard.close()
    assert len(store.list_clients()) == created
