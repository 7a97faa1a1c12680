"""File > Import contacts...: a wizard a receptionist can follow (issue 15).

Pick the file -> the columns mapped to Rapport's fields (guessed; change any) -> the first rows as clients ->
a check of every row (new, update, possible duplicate, problem) -> the import, with a progress bar and Stop ->
a summary, with the problem rows saved to a CSV to fix and import again. Every store call goes through
tasks; the check and the import are jobs (tasks.run_job) that run in batches, so the window never waits.
"""
from __future__ import annotations

import os
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models import store
from models.store import Changes, StoreError
from ui.app import dress
from ui.context import AppContext

STEPS = ("Choose the file", "Match the columns", "Look at the first rows", "Check every row", "Import",
         "Done")
FILE, COLUMNS, PREVIEW, CHECK, RUN, DONE = range(len(STEPS))
FIELD_WORDS = {"name": "name", "organisation": "organisation", "phone": "phone", "email": "email",
               "address": "address", "more_details": "more contact details", "note": "a note"}
FILE_FILTER = "Contact files (*.csv *.vcf *.vcard *.txt);;CSV (*.csv *.txt);;vCard (*.vcf *.vcard);;All files (*)"


def words_for(row: store.ImportRow, sentence: str = "") -> str:
    """What will happen (or happened) to a row, in words."""
    if row.action == "create":
        text = "New client"
        if row.similar:
            text += " \u2014 possible duplicate of " + ", ".join(name for _, name in row.similar)
        return text
    if row.action == "update":
        return f"Update of {row.name}: " + ", ".join(FIELD_WORDS.get(f, f) for f in row.changed)
    if row.action == "unchanged":
        return f"Already there ({row.name}); nothing new"
    return f"Problem: {sentence or row.problem}"


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers), showGrid=False)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    table.setWordWrap(False)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(" ".join(str(value).split())[:300])
            if len(str(value)) > 60 or "\n" in str(value):
                item.setToolTip(str(value)[:2000])
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    for c in range(table.columnCount() - 1):
        table.setColumnWidth(c, min(table.columnWidth(c), 260))


class ImportWizard(QDialog):
    """The import, one step per page; Back and Next move, Close (or Stop) ends it."""

    imported = Signal(object)
    """An import finished or was stopped (the store's ImportReport)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Import contacts")
        self.setMinimumSize(760, 520)
        room = self.screen().availableGeometry()  # the check's "What will happen" in full beside the decision
        self.resize(max(760, min(1040, room.width() - 40)), max(520, min(600, room.height() - 80)))
        self.path = ""
        self.preview: store.ImportPreview | None = None
        self.mapping: dict[str, str] = {}
        self.encoding: str | None = None
        self.check_report: store.ImportReport | None = None
        self.report: store.ImportReport | None = None
        self.job: Any = None
        self.same_as: dict[int, int] = {}  # row -> the client the person decided it is (a possible duplicate)
        self.bring_back: set[int] = set()  # rows of people the office erased, confirmed as asking to come back
        self._filling = False

        self.step_label = QLabel(objectName="heading")
        self.error = dress(QLabel(objectName="error", wordWrap=True))
        self.error.hide()
        self.stack = QStackedWidget()
        for build in (self._file_page, self._columns_page, self._preview_page, self._check_page, self._run_page,
                      self._done_page):
            self.stack.addWidget(build())
        self.back_button = QPushButton("Back")
        self.next_button = QPushButton("Next")
        self.next_button.setDefault(True)
        self.close_button = QPushButton("Cancel")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.back_button, self.next_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.step_label)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.back_button.clicked.connect(self._on_back_clicked)
        self.next_button.clicked.connect(self._on_next_clicked)
        self.close_button.clicked.connect(self._on_close_clicked)
        self.file_edit.textChanged.connect(lambda: self._show(FILE))
        self._show(FILE)

    # --- pages ---------------------------------------------------------------------------------------

    def _file_page(self) -> QWidget:
        page = QWidget()
        self.file_edit = QLineEdit(placeholderText="The contacts file")
        browse = QPushButton("Choose...")
        browse.clicked.connect(self._on_browse_clicked)
        row = QHBoxLayout()
        row.addWidget(self.file_edit, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("Choose the file with the contacts: a CSV file from Google Contacts, Outlook, Excel or "
                                "Thunderbird, or a vCard file (.vcf) from a phone, a Mac or another address book.",
                                wordWrap=True))
        layout.addLayout(row)
        layout.addWidget(dress(QLabel("Importing the same file again adds nothing twice: people already in Rapport are "
                                      "recognised by their email, phone or name.", objectName="muted", wordWrap=True)))
        layout.addStretch(1)
        return page

    def _columns_page(self) -> QWidget:
        page = QWidget()
        self.columns_intro = QLabel(wordWrap=True)
        self.encoding_box = QComboBox()
        for code, label in store.ENCODINGS.items():
            self.encoding_box.addItem(label, code)
        self.encoding_box.currentIndexChanged.connect(self._on_encoding_changed)
        self.encoding_row = QWidget()
        row = QHBoxLayout(self.encoding_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("Characters:"))
        row.addWidget(self.encoding_box)
        row.addWidget(dress(QLabel("If names show odd letters, choose another.", objectName="muted")))
        row.addStretch(1)
        self.columns_table = _table(["Column in the file", "Example", "Goes into Rapport as"])
        layout = QVBoxLayout(page)
        layout.addWidget(self.columns_intro)
        layout.addWidget(self.encoding_row)
        layout.addWidget(self.columns_table, 1)
        return page

    def _preview_page(self) -> QWidget:
        page = QWidget()
        self.preview_intro = QLabel(wordWrap=True)
        self.preview_table = _table(["Row", "Name", "Organisation", "Phone", "Email", "Address",
                                     "More contact details", "Note", "Problem"])
        layout = QVBoxLayout(page)
        layout.addWidget(self.preview_intro)
        layout.addWidget(self.preview_table, 1)
        return page

    def _check_page(self) -> QWidget:
        page = QWidget()
        self.check_summary = QLabel(wordWrap=True)
        self.check_progress = QProgressBar()
        self.check_table = _table(["Row", "Name", "What will happen", "Your decision"])
        self.check_table.horizontalHeader().setStretchLastSection(False)
        layout = QVBoxLayout(page)
        layout.addWidget(self.check_summary)
        layout.addWidget(self.check_progress)
        layout.addWidget(self.check_table, 1)
        return page

    def _run_page(self) -> QWidget:
        page = QWidget()
        self.run_label = QLabel("Importing ... you can keep working in Rapport meanwhile.", wordWrap=True)
        self.run_progress = QProgressBar()
        layout = QVBoxLayout(page)
        layout.addWidget(self.run_label)
        layout.addWidget(self.run_progress)
        layout.addStretch(1)
        return page

    def _done_page(self) -> QWidget:
        page = QWidget()
        self.summary = QLabel(wordWrap=True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_problems_button = QPushButton("Save the problem rows...")
        self.save_problems_button.setToolTip("A CSV with every row that was not imported and why: fix it (in Excel, "
                                             "for example) and import it again")
        self.save_problems_button.clicked.connect(self._on_save_problems_clicked)
        self.saved_label = dress(QLabel(objectName="muted", wordWrap=True))
        self.done_table = _table(["Row", "Name", "What happened"])
        row = QHBoxLayout()
        row.addWidget(self.save_problems_button)
        row.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(self.summary)
        layout.addLayout(row)
        layout.addWidget(self.saved_label)
        layout.addWidget(self.done_table, 1)
        return page

    # --- moving between pages ------------------------------------------------------------------------

    @property
    def page(self) -> int:
        return self.stack.currentIndex()

    def _show(self, page: int) -> None:
        self.stack.setCurrentIndex(page)
        self.step_label.setText(f"Step {page + 1} of {len(STEPS)}: {STEPS[page]}")
        running = self.job is not None and not self.job.finished
        self.back_button.setEnabled(page in (COLUMNS, PREVIEW, CHECK) and not running)
        self.next_button.setVisible(page < RUN)
        self.next_button.setText({CHECK: "Import", PREVIEW: "Check every row"}.get(page, "Next"))
        self.next_button.setEnabled(not running and (page != FILE or bool(self.file_edit.text().strip()))
                                    and (page != CHECK or self.check_report is not None))
        self.close_button.setText("Stop the import" if page == RUN and running else
                                  "Close" if page == DONE else "Cancel")

    def say(self, sentence: str) -> None:
        self.error.setText(sentence)
        self.error.setVisible(bool(sentence))

    def choose_file(self, path: str) -> None:
        """Take this file and read its columns (what Choose... does after the file dialog)."""
        self.file_edit.setText(path)
        self._on_next_clicked()

    def _on_browse_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose the contacts file", "", FILE_FILTER)
        if path:
            self.choose_file(path)

    def _on_back_clicked(self) -> None:
        self.say("")
        self._show(max(FILE, self.page - 1))

    def _on_next_clicked(self) -> None:
        self.say("")
        if self.page == FILE:
            self.path = self.file_edit.text().strip()
            self.mapping, self.encoding = {}, None
            self._read_preview(then=COLUMNS)
        elif self.page == COLUMNS:
            self._read_preview(then=PREVIEW)
        elif self.page == PREVIEW:
            self._start_check()
        elif self.page == CHECK:
            self._start_import()

    def _on_close_clicked(self) -> None:
        if self.page == RUN and self.job is not None and not self.job.finished:
            self.job.cancel()
            self.run_label.setText("Stopping after the rows being saved now ...")
            self.close_button.setEnabled(False)
            return
        if self.job is not None and not self.job.finished:
            self.job.cancel()  # a check still running: nothing was written
        self.reject()

    # --- reading the file ----------------------------------------------------------------------------

    def _read_preview(self, *, then: int) -> None:
        path, mapping, encoding = self.path, dict(self.mapping) or None, self.encoding
        self.next_button.setEnabled(False)
        self.ctx.tasks.run(lambda: store.preview_import(path, mapping=mapping, encoding=encoding),
                           lambda preview: self._on_preview(preview, then), self._on_failed)

    def _on_preview(self, preview: store.ImportPreview, then: int) -> None:
        self.preview = preview
        self.encoding = preview.encoding
        self.mapping = dict(preview.mapping)
        self._fill_columns(preview)
        self._fill_preview(preview)
        self._show(then)

    def _on_failed(self, error: StoreError) -> None:
        self.say(error.message)
        self._show(self.page)

    def _fill_columns(self, preview: store.ImportPreview) -> None:
        self._filling = True
        csv_file = preview.kind == "csv"
        self.encoding_row.setVisible(csv_file)
        self.columns_table.setVisible(csv_file)
        if csv_file:
            self.columns_intro.setText(
                f"{preview.file_name}: {preview.total:,} rows. Rapport guessed where each column goes; change any "
                "that is wrong. Columns going into \"A note on the client\" are kept as a note on each client.")
        else:
            self.columns_intro.setText(f"{preview.file_name}: a vCard file with {preview.total:,} contacts. Rapport "
                                       "reads its fields as they are; there is nothing to match. Choose Next.")
        index = self.encoding_box.findData(preview.encoding)
        if index < 0:
            self.encoding_box.addItem(preview.encoding, preview.encoding)
            index = self.encoding_box.count() - 1
        self.encoding_box.setCurrentIndex(index)
        targets = store.import_targets()
        self.columns_table.setRowCount(len(preview.columns))
        for r, column in enumerate(preview.columns):
            example = next((row[r] for row in preview.sample if r < len(row) and row[r].strip()), "")
            self.columns_table.setItem(r, 0, QTableWidgetItem(column))
            self.columns_table.setItem(r, 1, QTableWidgetItem(" ".join(example.split())[:80]))
            box = QComboBox()
            for key, label in targets.items():
                box.addItem(label, key)
            box.setCurrentIndex(max(0, box.findData(preview.mapping.get(column, "note"))))
            box.currentIndexChanged.connect(lambda _i, c=column, b=box: self._on_target_changed(c, b))
            self.columns_table.setCellWidget(r, 2, box)
        self.columns_table.resizeColumnsToContents()
        self._filling = False

    def _on_target_changed(self, column: str, box: QComboBox) -> None:
        if not self._filling:
            self.mapping[column] = box.currentData()

    def set_target(self, column: str, target: str) -> None:
        """Send a column to another field (what choosing in its list does)."""
        row = self.preview.columns.index(column) if self.preview else -1
        box = self.columns_table.cellWidget(row, 2)
        box.setCurrentIndex(box.findData(target))

    def _on_encoding_changed(self) -> None:
        if self._filling or self.preview is None:
            return
        self.encoding = self.encoding_box.currentData()
        self._read_preview(then=COLUMNS)

    def _fill_preview(self, preview: store.ImportPreview) -> None:
        shown = len(preview.rows)
        self.preview_intro.setText(f"The first {shown} of {preview.total:,} contacts, as Rapport will keep them. "
                                   "If something sits in the wrong place, go Back and change the columns.")
        _fill(self.preview_table, [[r.row, r.name, r.organisation, r.phone, r.email, r.address, r.more_details,
                                    r.note, r.problem] for r in preview.rows])

    # --- the check (a dry run) and the import --------------------------------------------------------

    def _steps(self, *, dry_run: bool) -> Any:
        return store.import_steps(self.path, by=self.ctx.staff_id, mapping=dict(self.mapping) or None,
                                  encoding=self.encoding, dry_run=dry_run,
                                  same_as=None if dry_run else dict(self.same_as),
                                  bring_back=() if dry_run else frozenset(self.bring_back))

    def _start_check(self) -> None:
        if self.ctx.staff_id is None:
            self.say("Choose who is at the desk first.")
            return
        self.check_report = None
        self.same_as, self.bring_back = {}, set()
        self.check_table.setRowCount(0)
        self.check_summary.setText("Checking every row against the clients already in Rapport ...")
        self.check_progress.setValue(0)
        self.check_progress.show()
        self._show(CHECK)
        self.job = self.ctx.tasks.run_job(self._steps(dry_run=True), self._on_check_progress, self._on_checked,
                                          self._on_job_failed)
        self._show(self.page)

    def _on_check_progress(self, progress: tuple[int, int]) -> None:
        done, total = progress
        self.check_progress.setMaximum(max(1, total))
        self.check_progress.setValue(done)

    def _on_checked(self, report: store.ImportReport) -> None:
        self.check_report = report
        self.check_progress.hide()
        self.check_summary.setText(self._counts(report, will=True) + " Nothing has been saved yet; choose Import.")
        self._fill_rows(self.check_table, report)
        for r, row in enumerate(report.rows):
            if row.action == "create" and row.similar:
                box = QComboBox()
                box.addItem("Add as a new client", None)
                for cid, name in row.similar:
                    box.addItem(f"The same person as {name}", cid)
                box.currentIndexChanged.connect(lambda _i, n=row.row, b=box: self._on_decided(n, b))
                self.check_table.setCellWidget(r, 3, box)
            elif row.action == "problem" and row.field == "erased":  # issue 11: ask, never bring back silently
                box = QComboBox()
                box.addItem("Leave them out", False)
                box.addItem("Import them: they asked to come back", True)
                box.currentIndexChanged.connect(lambda _i, n=row.row, b=box: self._on_brought_back(n, b))
                self.check_table.setCellWidget(r, 3, box)
        header = self.check_table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)  # what will happen, in full
        self.check_table.setColumnWidth(3, 300)
        self._show(CHECK)

    def _on_decided(self, row: int, box: QComboBox) -> None:
        if box.currentData() is None:
            self.same_as.pop(row, None)
        else:
            self.same_as[row] = box.currentData()

    def _on_brought_back(self, row: int, box: QComboBox) -> None:
        if box.currentData():
            self.bring_back.add(row)
        else:
            self.bring_back.discard(row)

    def decide(self, row: int, client_id: int | None) -> None:
        """Say a possible duplicate is that client (or a new one), as choosing in its list does."""
        index = next(i for i, r in enumerate(self.check_report.rows) if r.row == row)
        box = self.check_table.cellWidget(index, 3)
        box.setCurrentIndex(box.findData(client_id))

    def _fill_rows(self, table: QTableWidget, report: store.ImportReport) -> None:
        sentences = {p.row: p.sentence.split(": ", 1)[-1] for p in report.problems}
        _fill(table, [[r.row, r.name, words_for(r, sentences.get(r.row, ""))] for r in report.rows])

    def _on_job_failed(self, error: StoreError) -> None:
        self.say(error.message)
        self._show(self.page)

    def _start_import(self) -> None:
        self.run_progress.setValue(0)
        self.close_button.setEnabled(True)
        self.run_label.setText("Importing ... you can keep working in Rapport meanwhile.")
        self._show(RUN)
        self.job = self.ctx.tasks.run_job(self._steps(dry_run=False), self._on_run_progress, self._on_imported,
                                          self._on_job_failed)
        self._show(self.page)

    def _on_run_progress(self, progress: tuple[int, int]) -> None:
        done, total = progress
        self.run_progress.setMaximum(max(1, total))
        self.run_progress.setValue(done)
        self.run_label.setText(f"Imported {done:,} of {total:,} rows ... you can keep working in Rapport meanwhile.")

    def _on_imported(self, report: store.ImportReport) -> None:
        self.report = report
        self.close_button.setEnabled(True)
        stopped = " You stopped the import: the rows above were saved; Office > Imports can take them back." \
            if report.cancelled else ""
        self.summary.setText(self._counts(report, will=False) + stopped)
        self.save_problems_button.setVisible(bool(report.problems))
        self.saved_label.setText("")
        self._fill_rows(self.done_table, report)
        self._show(DONE)
        self.ctx.events.data_changed.emit(Changes(frozenset(), frozenset({"client", "timeline", "import"})))
        self.imported.emit(report)

    @staticmethod
    def _counts(report: store.ImportReport, *, will: bool) -> str:
        def n(count: int, one: str, many: str) -> str:
            return f"{count:,} {one if count == 1 else many}"
        verb = "will be" if will else "were"
        parts = [f"{n(report.created, 'new client', 'new clients')}",
                 f"{n(report.updated, 'client', 'clients')} updated",
                 f"{n(report.unchanged, 'already there', 'already there')} and unchanged",
                 f"{n(len(report.problems), 'row', 'rows')} with a problem (not imported)"]
        text = ("These " + verb + " the result: " if will else "Done: ") + "; ".join(parts) + "."
        if report.duplicates and will:
            text += f" {n(len(report.duplicates), 'new client looks', 'new clients look')} like someone already " \
                    "there: say beside it if it is the same person; otherwise Rapport adds a new client."
        elif report.duplicates:
            text += f" {n(len(report.duplicates), 'new client looks', 'new clients look')} like someone already " \
                    "there (merge them later if they are the same person)."
        if report.photos_skipped:
            text += f" {n(report.photos_skipped, 'photo was', 'photos were')} left out (Rapport keeps no photos)."
        if report.notices:
            text += " " + " ".join(report.notices[:3])
        return text

    # --- the problem rows ----------------------------------------------------------------------------

    def _on_save_problems_clicked(self) -> None:
        base = os.path.splitext(os.path.basename(self.path))[0]
        path, _ = QFileDialog.getSaveFileName(self, "Save the problem rows", f"{base} - problems.csv",
                                              "CSV (*.csv)")
        if path:
            self.save_problems(path)

    def save_problems(self, out_path: str) -> None:
        """Write the problem rows to a CSV (on the database thread) and say where."""
        report, path, mapping, encoding = self.report, self.path, dict(self.mapping) or None, self.encoding
        if report is None:
            return
        self.ctx.tasks.run(lambda: store.save_import_problems(path, report, out_path, mapping=mapping,
                                                             encoding=encoding),
                           lambda count: self.saved_label.setText(
                               f"Saved {count:,} problem rows to {out_path}. Fix them there and import that file."),
                           self._on_failed)
