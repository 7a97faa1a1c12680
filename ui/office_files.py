"""The office as files: export it (or one client) as JSON, load an export into a new office, copy it elsewhere."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from models import store
from models.store import StoreError, ValidationError
from ui.context import AppContext

JSON_FILTER = "Rapport export (*.json)"
MOVE_QUESTION = ("Where should the office be copied to? Type the address of an empty PostgreSQL database, "
                 "for example postgresql://rapport@server/rapport, or the path of a new database file.")


def safe_name(text: str) -> str:
    """A client's name as part of a file name (letters, digits, dashes)."""
    kept = "".join(c if c.isalnum() else "-" for c in text.strip()).strip("-")
    while "--" in kept:
        kept = kept.replace("--", "-")
    return kept or "client"


def count_words(count: int, noun: str = "record") -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


class OfficeFiles(QObject):
    """File > Export / Load / Copy: each runs on the database thread and says how it went in a sentence.

    Every method takes the path a person would choose in a dialog, so tests (and scripts) can pass it; without
    one it asks. `switch` opens another office in the window (MainWindow.switch_database); `leave` closes the
    window's office (with a sentence to show meanwhile) before a job opens another one on the database thread.
    """

    working = Signal(str)
    """A long job started: what to say while it runs."""
    finished = Signal(str)
    """A job ended well: the sentence to show."""
    failed = Signal(str)
    """A job ended badly: the sentence to show."""

    def __init__(self, ctx: AppContext, parent: QWidget, switch: Callable[[str], None],
                 leave: Callable[[str], None]) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.window = parent
        self.switch = switch
        self.leave = leave
        self.busy = False
        self.finished.connect(ctx.events.message_reported)  # what was done, and what went wrong, in the window's
        self.failed.connect(ctx.events.error_reported)  # usual places

    # --- export ---
    def export_office(self, path: str | None = None) -> None:
        target = path or self._ask_save("Export the whole office", f"rapport-office-{date.today().isoformat()}.json")
        if not target:
            return
        self._run(f"Exporting the office to {Path(target).name}... this can take a minute for a big office.",
                  lambda: store.export_office(target),
                  lambda count: f"Exported the office ({count_words(count)}) to {target}.")

    def export_client(self, client_id: int, name: str, path: str | None = None) -> None:
        suggested = f"rapport-client-{safe_name(name)}-{date.today().isoformat()}.json"
        target = path or self._ask_save(f"Export everything about {name}", suggested)
        if not target:
            return
        self._run(f"Exporting {name}...", lambda: store.export_client(client_id, target),
                  lambda count: f"Exported {name} ({count_words(count)}) to {target}.")

    # --- load an export into a new office ---
    def load_export(self, export: str | None = None, new_office: str | None = None) -> None:
        """Make a new office file from a Rapport export, then open it in this window."""
        source = export or self._ask_open("Choose a Rapport export to load")
        if not source:
            return
        target = new_office or self._ask_save("Save the new office database as",
                                              f"{Path(source).stem}.db", "Rapport database (*.db)")
        if not target:
            return
        if Path(target).exists():
            self.failed.emit(f"There is already a file at {target}. Choose a new name: Rapport loads an export "
                             "only into a new, empty office.")
            return

        def work() -> int:
            current = store.open(target)  # the window has left its office (leave() below)
            try:
                if not current.created:
                    raise ValidationError("", f"There is already a database at {target}.")
                return store.import_office(source)
            finally:
                store.close()

        def done(count: int) -> None:
            self.switch(target)
            self.finished.emit(f"Loaded {count_words(count)} from {Path(source).name} into the new office "
                               f"{Path(target).name}. PINs are not exported, so set them again (Office > Team).")

        def failed(error: StoreError) -> None:
            Path(target).unlink(missing_ok=True)  # a refused load leaves no half office behind
            self.switch(previous)
            self.failed.emit(error.message)

        if self._refuse_while_busy():
            return
        previous = self.ctx.database
        self.leave(f"Loading {Path(source).name} into a new office...")
        self._start(f"Loading {Path(source).name} into a new office... this can take a minute.", work, done, failed)

    # --- copy the office elsewhere (to PostgreSQL) ---
    def copy_office(self, target: str | None = None, *, open_after: Callable[[str], bool] | None = None) -> None:
        """Copy the open office into an empty database elsewhere; then offer to open the copy."""
        where = target if target is not None else self._ask_text("Move the office", MOVE_QUESTION)
        where = (where or "").strip()
        if not where:
            return

        def done(count: int) -> None:
            self.finished.emit(f"Copied the office ({count_words(count)}) to {where}. The office here is unchanged.")
            ask = open_after or self._ask_open_copy
            if ask(where):
                self.switch(where)

        self._start("Copying the office... this can take a few minutes for a big office.",
                    lambda: store.copy_office(where), done, lambda error: self.failed.emit(error.message))

    # --- plumbing ---
    def _run(self, doing: str, work: Callable[[], int], said: Callable[[int], str]) -> None:
        self._start(doing, work, lambda count: self.finished.emit(said(count)),
                    lambda error: self.failed.emit(error.message))

    def _start(self, doing: str, work: Callable[[], int], done: Callable[[int], None],
               failed: Callable[[StoreError], None]) -> None:
        if self._refuse_while_busy():
            return
        self.busy = True
        self.working.emit(doing)

        def on_done(result: int) -> None:
            self.busy = False
            done(result)

        def on_failed(error: StoreError) -> None:
            self.busy = False
            failed(error)

        self.ctx.tasks.run(work, on_done, on_failed)

    def _refuse_while_busy(self) -> bool:
        if self.busy:
            self.failed.emit("Rapport is still busy with the last export or copy. Wait for it to finish.")
        return self.busy

    def _ask_save(self, title: str, suggested: str, filters: str = JSON_FILTER) -> str:
        start = str(Path.home() / suggested)
        path, _ = QFileDialog.getSaveFileName(self.window, title, start, filters)
        return path

    def _ask_open(self, title: str) -> str:
        path, _ = QFileDialog.getOpenFileName(self.window, title, str(Path.home()), JSON_FILTER)
        return path

    def _ask_text(self, title: str, question: str) -> str:
        text, ok = QInputDialog.getText(self.window, title, question)
        return text if ok else ""

    def _ask_open_copy(self, where: str) -> bool:
        answer = QMessageBox.question(self.window, "Open the copy?",
                                      f"The office is copied. Open the copy at {where} on this desk now? "
                                      "Then start the other desks with it too (File > Office database).")
        return answer == QMessageBox.StandardButton.Yes
