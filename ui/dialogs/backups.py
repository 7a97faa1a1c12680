"""Backups of the office: taken automatically, listed in a window, restored by an administrator."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from models import store
from models.store import BackupInfo, Changes, StoreError
from models.store.backup import BACKUP_EVERY, back_up_if_due  # the schedule is a rule of the store
from ui import fmt
from ui.app import dress
from ui.context import AppContext
from ui.lifetime import subscribe

PG_WORDS = ("This office is on a PostgreSQL server. Its backups are made on the server, not at a desk: "
            "ask whoever looks after the server to schedule them.")


def size_words(size: int) -> str:
    """'12.3 MB' — a file size as a person reads it."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} KB"
    return f"{size / 1_000_000:.1f} MB"


def backup_line(info: BackupInfo, now: datetime) -> str:
    """One line of the Backups window: when, why, how big."""
    why = info.reason.capitalize() if info.reason else "Backup"
    return f"{fmt.when(info.taken_at, now)}  \u2014  {why}  \u2014  {size_words(info.size_bytes)}"


class AutoBackup(QObject):
    """Backs up a SQLite office when the window is ready and every few hours after, on the database thread."""

    failed = Signal(str)
    """A backup could not be made or failed its check: the sentence to show."""

    made = Signal()
    """A backup was made (an open Backups window lists it)."""

    def __init__(self, ctx: AppContext, parent: QObject | None = None, *, every: timedelta = BACKUP_EVERY) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.every = every
        self.last: BackupInfo | None = None
        self.timer = QTimer(self, interval=int(every.total_seconds() * 1000))
        self.timer.timeout.connect(lambda: self.run("scheduled"))

    def start(self) -> None:
        """Back up now if due, then keep to the schedule (a PostgreSQL office is backed up on its server)."""
        self.run("at start")
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def run(self, reason: str) -> None:
        every = self.every
        self.ctx.tasks.run(lambda: back_up_if_due(reason, every), self._on_done, self._on_failed)

    def _on_done(self, info: BackupInfo | None) -> None:
        if info is None:
            return
        self.last = info
        self.made.emit()
        if not info.ok:
            self.failed.emit(info.problem)

    def _on_failed(self, error: StoreError) -> None:
        self.failed.emit(error.message)


class BackupsDialog(QDialog):
    """This desk's backups of the office, newest first: Back up now, Restore (administrators), Show the folder."""

    restored = Signal()
    """A backup was put back in place of the office: every view has reloaded."""

    def __init__(self, ctx: AppContext, engine: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.engine = engine
        self.backups: list[BackupInfo] = []
        self.setWindowTitle("Backups")
        self.setMinimumSize(600, 400)
        subscribe(self, ctx.events.backups_changed, self.reload)  # the automatic backup landed meanwhile
        admin = ctx.staff is not None and ctx.staff.role == "admin"
        self.intro = QLabel(wordWrap=True)
        self.list = QListWidget()
        self.list.setAccessibleName("Backups")
        self.empty = dress(QLabel("There are no backups of this office on this desk yet. Back up now to make one.",
                                  objectName="muted", alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True))
        self.empty.hide()
        self.backup_button = QPushButton("Back up now")
        self.restore_button = QPushButton("Restore this backup...")
        self.folder_button = QPushButton("Show the folder")
        self.restore_button.setEnabled(False)
        if not admin:
            self.restore_button.setToolTip("Only an administrator can restore a backup.")
        self.status = dress(QLabel(objectName="muted", wordWrap=True))
        self.error = dress(QLabel(objectName="error", wordWrap=True))
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        row = QHBoxLayout()
        for button in (self.backup_button, self.restore_button, self.folder_button):
            row.addWidget(button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty, 1)
        layout.addLayout(row)
        # where the backups are, when no file manager answers
        self.folder_line = dress(QLabel(objectName="muted", wordWrap=True))
        self.folder_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_button = QPushButton("Copy the path")
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_line, 1)
        folder_row.addWidget(self.copy_button)
        self.folder_line.hide()
        self.copy_button.hide()
        layout.addLayout(folder_row)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addWidget(close)
        close.rejected.connect(self.reject)
        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.folder_button.clicked.connect(self.show_folder)
        self.list.currentRowChanged.connect(lambda _row: self._enable())
        self._admin = admin
        if engine != "sqlite":
            self.intro.setText(PG_WORDS)
            for widget in (self.list, self.backup_button, self.restore_button, self.folder_button):
                widget.setEnabled(False)
            return
        self.intro.setText(f"Rapport backs up the office on this desk when it starts and every "
                           f"{int(BACKUP_EVERY.total_seconds() // 3600)} hours, and keeps the newest ten. "
                           "Each backup is checked when it is made.")
        self.reload()

    def reload(self) -> None:
        self.ctx.tasks.run(lambda: (store.list_backups(), store.backups_folder()), self._on_loaded, self._on_failed)

    def _on_loaded(self, result: tuple[list[BackupInfo], object]) -> None:
        self.backups, self.folder = result
        self.list.clear()
        now = store.utcnow()
        for info in self.backups:
            item = QListWidgetItem(backup_line(info, now))
            item.setData(Qt.ItemDataRole.UserRole, info)
            item.setToolTip(str(info.path))
            self.list.addItem(item)
        self.list.setVisible(bool(self.backups))
        self.empty.setVisible(not self.backups)
        if self.backups:
            self.list.setCurrentRow(0)
        self._enable()

    def _enable(self) -> None:
        self.restore_button.setEnabled(self._admin and self.engine == "sqlite" and self.list.currentRow() >= 0)

    def selected(self) -> BackupInfo | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def back_up_now(self) -> None:
        self._working("Making a backup...")
        self.ctx.tasks.run(lambda: store.backup_now(reason="by hand"), self._on_backed_up, self._on_failed)

    def _on_backed_up(self, info: BackupInfo) -> None:
        self.backup_button.setEnabled(True)
        if info.ok:
            self.status.setText(f"Backup made: {size_words(info.size_bytes)}, checked and sound.")
        else:
            self._on_failed_text(info.problem)
        self.reload()

    def restore_selected(self, *, confirm: Callable[[str], bool] | None = None) -> None:
        """Put the chosen backup back in place of the office, after asking (every desk sees the restored office)."""
        info = self.selected()
        if info is None or self.ctx.staff_id is None:
            return
        when = fmt.when(info.taken_at, store.utcnow())
        question = (f"Put the office back as it was at {when}? Everything entered since then is replaced. "
                    "Rapport backs up the office as it is now first, so this can be undone from this window.")
        ask = confirm or self._ask
        if not ask(question):
            return
        by = self.ctx.staff_id

        def restore() -> None:
            self._working("Restoring the backup... nobody else can work until it is done.")
            self.ctx.tasks.run(lambda: store.restore_backup(info.path, by=by), self._on_restored, self._on_failed)
        from ui.dialogs.pin import as_admin  # issue 11: the administrator's PIN first

        as_admin(self.ctx, self, "restore a backup", restore)

    def _ask(self, question: str) -> bool:
        answer = QMessageBox.question(self, "Restore a backup", question)
        return answer == QMessageBox.StandardButton.Yes

    def _on_restored(self, _changes: Changes) -> None:
        self.backup_button.setEnabled(True)
        self.status.setText("The backup is restored. Every desk now sees the office as it was then.")
        self.ctx.events.message_reported.emit("The backup is restored.")
        self.restored.emit()
        self.reload()

    def show_folder(self) -> None:
        """Open the backups' folder in the file manager; where none answers, say where it is and offer to copy it."""
        folder = getattr(self, "folder", None)
        if folder is None or QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            return
        self.folder_line.setText(f"No file manager opened on this computer. The backups are in: {folder}")
        self.folder_line.show()
        self.copy_button.show()

    def _on_copy_button_clicked(self) -> None:
        QApplication.clipboard().setText(str(self.folder))
        self.copy_button.setText("Copied")

    def _working(self, text: str) -> None:
        self.error.hide()
        self.status.setText(text)
        self.backup_button.setEnabled(False)
        self.restore_button.setEnabled(False)

    def _on_failed(self, error: StoreError) -> None:
        self._on_failed_text(error.message)

    def _on_failed_text(self, message: str) -> None:
        self.backup_button.setEnabled(self.engine == "sqlite")
        self._enable()
        self.status.setText("")
        self.error.setText(message)
        self.error.show()
