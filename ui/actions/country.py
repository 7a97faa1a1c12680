"""The office's country for phone numbers, settled at the office's first start (issue 10).

A new office takes its country from this computer's locale; where the locale names none, the person who made the
office (its first administrator) is asked one small question. Either way it is stored in the office settings, so
every desk reads phone numbers written without a country code (01632 960001) the same way; Office > Settings
changes it later. Runs after the first rows are on screen, never in the start-up budget.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from models import store
from models.store import ConflictError, OfficeSettings, StoreError
from ui.app import dress
from ui.context import AppContext
from ui.lifetime import delete_on_close

QUESTION = ("Which country is the office in? Rapport reads a phone number written without a country code, such as "
            "01632 960001, as a number of this country.")


def locale_country() -> str:
    """This computer's country as a two-letter code ("GB"), or '' when the locale does not say."""
    code = QLocale.territoryToCode(QLocale.system().territory())
    return code if len(code) == 2 and code.isalpha() and code.upper() != "ZZ" else ""


def countries() -> list[tuple[str, str]]:
    """(name, two-letter code) of every country Qt knows, by name."""
    out = {}
    for territory in QLocale.Country:
        code = QLocale.territoryToCode(territory)
        if len(code) == 2 and code.isalpha() and code != "ZZ":
            out[code] = QLocale.territoryToString(territory)
    return sorted(((name, code) for code, name in out.items()), key=lambda pair: pair[0].casefold())


def country_name(code: str) -> str:
    return next((name for name, c in countries() if c == code), code)


def settle(ctx: AppContext, parent: QWidget, *, created: bool) -> None:
    """At the first start of an office made at this desk: store the locale's country, or ask for one.

    `created`: the office was made by this start. Only an administrator can change office settings; the one who
    made the office is its first. An office that already has a country is left alone.
    """
    staff = ctx.staff
    if not created or staff is None or staff.role != "admin":
        return

    def decide(current: OfficeSettings) -> None:
        if current.country or ctx.staff is None:
            return
        code = locale_country()
        if code:
            save(ctx, current.version, code, lambda: None)
        else:
            delete_on_close(CountryQuestion(ctx, current.version, parent)).show()
    ctx.tasks.run(store.office_settings, decide, lambda _error: None)


def save(ctx: AppContext, version: int, code: str, done: Callable[[], None],
         failed: Callable[[StoreError], None] | None = None) -> None:
    """Store the office's country; the status bar says what it means and where it is changed."""
    by = ctx.staff_id

    def said() -> None:
        ctx.events.message_reported.emit(f"Phone numbers without a country code are read as numbers of "
                                         f"{country_name(code)} ({code}). Change it in Office > Settings.")
        done()
    ctx.tasks.run(lambda: store.update_office_settings(version=version, by=by, country=code),
                  lambda _changes: said(), failed or (lambda _error: None))


class CountryQuestion(QDialog):
    """The one question: which country is the office in? Not now leaves it unset (Office > Settings has it too)."""

    def __init__(self, ctx: AppContext, version: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.version = version
        self.setWindowTitle("The office's country")
        self.question = QLabel(QUESTION, wordWrap=True)
        self.choice = QComboBox()
        self.choice.setAccessibleName("Country")
        self.choice.addItem("Choose a country...", "")
        for name, code in countries():
            self.choice.addItem(f"{name} ({code})", code)
        self.error = dress(QLabel(objectName="error", wordWrap=True))
        self.error.hide()
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("Save", QDialogButtonBox.ButtonRole.AcceptRole)
        self.later_button = self.buttons.addButton("Not now", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setEnabled(False)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.choice.currentIndexChanged.connect(lambda _i: self.save_button.setEnabled(bool(self.code)))
        layout = QVBoxLayout(self)
        for widget in (self.question, self.choice, self.error, self.buttons):
            layout.addWidget(widget)
        self.setMinimumWidth(420)
        self.choice.setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def code(self) -> str:
        return str(self.choice.currentData() or "")

    def submit(self) -> None:
        if not self.code:
            return
        self.save_button.setEnabled(False)
        save(self.ctx, self.version, self.code, self.accept, self._on_failed)

    def _on_failed(self, error: StoreError) -> None:
        current = error.current if isinstance(error, ConflictError) else None
        if isinstance(current, OfficeSettings):  # a colleague changed the office's settings meanwhile
            if current.country:  # ... and chose the country: theirs stands
                self.ctx.events.message_reported.emit(
                    f"A colleague has just set the office's country: {country_name(current.country)}.")
                self.reject()
                return
            self.version = current.version  # something else: the country is still unset, so save it on top
            self.submit()
            return
        self.error.setText(error.message)
        self.error.show()
        self.save_button.setEnabled(True)
