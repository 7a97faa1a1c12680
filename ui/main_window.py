"""The main window: the layout and the menus. The client list on the left, the open screen on the right.

What happens behind it lives elsewhere: the office and the person at the desk in `ui/session.py`, what a
person can do in `ui/actions/`, the screens in `ui/views/`, the dialogs in `ui/dialogs/`.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from models.store import Changes, Office, StaffMember, StoreError
from ui import settings as desk
from ui.actions.undo import UndoStack
from ui.app import dress
from ui.context import AppContext
from ui.events import Events
from ui.lifetime import delete_on_close
from ui.menus import ALWAYS, build_toolbar, fill_menus
from ui.session import Session
from ui.tasks import BUSY_WAITING, SyncTasks, Tasks
from ui.views.client_list import ClientListPanel
from ui.views.opening import OpeningPage
from ui.watcher import online_text
from ui.widgets import Banner

if TYPE_CHECKING:  # built on first use, after the window is usable
    from ui.office_files import OfficeFiles
    from ui.views.client_view import ClientView
    from ui.views.today import TodayView

def _lazy(name: str) -> ModuleType:
    """A module of ui/ loaded when first used: help, the client actions, the staff dialogs (start-up budget)."""
    return importlib.import_module(name)


class MainWindow(QMainWindow):
    """One office database, one person at the desk."""

    def __init__(self, *, tasks_factory: Callable[[Events], Tasks | SyncTasks] | None = None,
                 settings: QSettings | None = None) -> None:
        super().__init__()
        self.setWindowTitle("Rapport")
        self.resize(desk.first_size(self.screen().availableGeometry().size()))
        events = Events(self)
        tasks = tasks_factory(events) if tasks_factory else Tasks(events, self)
        self.ctx = AppContext(tasks, events, settings or QSettings())
        self.session = Session(self.ctx, self)
        self.start = self.session.start  # open an office (the window is on screen meanwhile)
        self.undo_stack = UndoStack(self.ctx, self)
        self._client_view: ClientView | None = None
        self._today_view: TodayView | None = None
        self._office_files: OfficeFiles | None = None
        self._saved_splitter = desk.state(self.ctx.settings, desk.SPLITTER)

        self.notice_banner = Banner("noticeBanner")
        self.error_banner = Banner("errorBanner")
        self.busy_banner = Banner("busyBanner")
        self.busy_banner.close_button.hide()
        self.opening = OpeningPage()
        self.opening.choose_requested.connect(self.choose_database)
        self.opening.retry_requested.connect(self.session.retry)
        self.client_list = ClientListPanel(self.ctx)
        self.placeholder = dress(QLabel("Choose a client on the left, or add a new one (Ctrl+N).",
                                        alignment=Qt.AlignmentFlag.AlignCenter, objectName="muted"))
        self.right = QStackedWidget()
        self.right.addWidget(self.placeholder)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, childrenCollapsible=False)
        self.splitter.addWidget(self.client_list)
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 6)
        self.splitter.setSizes([520, 760])  # the list shows name, phone and next due at 1366 x 768
        self.pages = QStackedWidget()
        self.pages.addWidget(self.opening)
        self.pages.addWidget(self.splitter)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 4, 8, 4)
        for widget in (self.notice_banner, self.error_banner, self.busy_banner):
            layout.addWidget(widget)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self.menus_filled = False  # the toolbar now, the menus' contents after the first paint (ui/menus.py)
        self._ready = False
        build_toolbar(self)
        self.presence_label = dress(QLabel(objectName="muted"))
        self.database_label = dress(QLabel(objectName="muted"))
        self.statusBar().addPermanentWidget(self.presence_label)
        self.statusBar().addPermanentWidget(self.database_label)

        self.session.opening.connect(self._on_session_opening)
        self.session.looked.connect(self.client_list.take_first_rows)
        self.session.opened.connect(self._on_session_opened)
        self.session.open_failed.connect(self._on_session_open_failed)
        self.session.staff_needed.connect(self.ask_who)
        self.session.staff_found.connect(self.switch_desk)
        self.session.staff_set.connect(self._on_session_staff_set)
        self.session.ready.connect(self._on_session_ready)
        self.session.left.connect(self._on_session_left)
        self.session.watcher.presence_changed.connect(lambda online: self.presence_label.setText(online_text(online)))
        self.session.watcher.connection_changed.connect(lambda ok: ok and self.error_banner.hide())
        self.undo_stack.changed.connect(
            lambda: self.menus_filled and self.undo_stack.show_on(self.undo_action, self.redo_action))
        events.error_reported.connect(self.error_banner.say)
        events.notice_reported.connect(lambda text: self.notice_banner.say(text) if text else self.notice_banner.hide())
        events.message_reported.connect(lambda message: self.statusBar().showMessage(message, 5000))
        events.busy_changed.connect(
            lambda busy: self.busy_banner.say(BUSY_WAITING) if busy else self.busy_banner.hide())
        events.client_requested.connect(self.open_client)
        events.entry_requested.connect(lambda client_id, kind, entry_id: self.open_client(client_id, (kind, entry_id)))
        events.team_changed.connect(  # (with nobody at the desk yet, the desk's menu is made as someone is)
            lambda: self.ctx.staff and self.desk_button.show_team(self.ctx.team, self.ctx.staff))
        self.client_list.client_activated.connect(self.open_client)
        self.client_list.add_requested.connect(self.add_client)
        self.client_list.loaded.connect(lambda: QTimer.singleShot(0, self, self._after_first_rows))
        self.client_list.first_rows_shown.connect(self.session.first_rows_painted)
        self._set_ready(False)
        if desk.restore_layout(self.ctx.settings, self, self.client_list.table.horizontalHeader()):
            self.client_list.auto_fit = False

    # --- actions ---
    def for_client(self, what: str, act: Callable[[ClientView], None]) -> Callable[[], None]:
        """An action on the open client; with none open (Today, the start page) a sentence says what to do."""
        def run() -> None:
            view = self._client_view
            if view is None or view.client is None or self.right.currentWidget() is not view:
                self.statusBar().showMessage(f"Open a client first, then {what}.", 5000)
                return
            act(view)
        return run

    def __getattr__(self, name: str) -> Any:
        """An action or a menu asked for before the menus were filled (ui/menus.py): they are filled first."""
        if name.endswith(("_action", "_menu")) and self.__dict__.get("menus_filled") is False:
            fill_menus(self)
            return getattr(self, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _after_first_rows(self) -> None:
        if not self.menus_filled:
            fill_menus(self)
        self.session.run_after_ready()

    def enable_actions(self) -> None:
        """The actions that need an office are on once someone is at the desk (those made so far)."""
        for action in {a for name, a in vars(self).items() if isinstance(a, QAction) and name not in ALWAYS}:
            action.setEnabled(self._ready)

    def _set_ready(self, ready: bool) -> None:
        self._ready = ready
        self.enable_actions()
        self.desk_button.setEnabled(ready)
        self.pages.setCurrentIndex(1 if ready else 0)
        if ready and self._saved_splitter is not None:
            QTimer.singleShot(0, self, self._restore_divider)

    # --- screens, built on first use (start-up shows the list before them) ---
    @property
    def client_view(self) -> ClientView:
        if self._client_view is None:
            from ui.views.client_view import ClientView

            self._client_view = ClientView(self.ctx)
            self.right.addWidget(self._client_view)
        return self._client_view

    @property
    def today_view(self) -> TodayView:
        if self._today_view is None:
            from ui.views.today import TodayView

            self._today_view = TodayView(self.ctx)
            self.right.addWidget(self._today_view)
        return self._today_view

    @property
    def office_files(self) -> OfficeFiles:
        if self._office_files is None:
            from ui.office_files import OfficeFiles

            files = OfficeFiles(self.ctx, self, self.session.switch, self.session.leave)
            files.working.connect(lambda text: self.statusBar().showMessage(text))
            self._office_files = files
        return self._office_files

    def open_dialog(self, module: str, name: str, *args: object) -> QDialog:
        """Open a dialog of ui/dialogs/ (imported when first used); it is deleted when closed."""
        dialog = getattr(importlib.import_module(module), name)(self.ctx, *args, self)
        delete_on_close(dialog).open()
        return dialog

    # --- the session ---
    def _on_session_opening(self, text: str) -> None:
        self.opening.say(text)
        self._set_ready(False)

    def _on_session_opened(self, office: Office) -> None:
        self.client_list.prefetch()  # the first rows are read while the team is (start-up budget)
        self.database_label.setText(f"Database: {office.display}")
        self.database_label.setToolTip(office.location)

    def _on_session_open_failed(self, error: StoreError) -> None:
        self.opening.failed(error)
        self.open_action.setEnabled(True)

    def ask_who(self) -> None:
        from ui.dialogs.staff import StaffPicker

        if self.ctx.staff is None:
            self.opening.say("")  # the office is open: "Opening the office database..." never lingers under it
        self.staff_picker = delete_on_close(StaffPicker(self.ctx, self.ctx.team, self))
        self.staff_picker.chosen.connect(self.switch_desk)
        self.staff_picker.open()

    def _on_session_staff_set(self, member: StaffMember, first: bool) -> None:
        self.desk_button.show_team(self.ctx.team, member)
        self.opening.say("")  # "Opening the office database..." never lingers under a prompt
        if first:
            self._set_ready(True)  # showing the list panel loads it
        else:
            QTimer.singleShot(50, self, lambda: self.client_view)  # once the window is usable, not before
            self.client_list.focus_search()
        self.statusBar().showMessage(f"{member.name} is at the desk.", 4000)

    def _on_session_ready(self) -> None:
        _lazy("ui.dialogs.trust").install_idle_lock(self)  # issue 11, after the first rows (start-up budget)
        _lazy("ui.actions.country").settle(self.ctx, self, created=self.session.created_here)  # its country
        if self.right.currentWidget() is self.placeholder:
            self.show_today()

    def _on_session_left(self) -> None:
        self._flush_drafts()
        if self._client_view is not None:
            self._client_view.client = None  # a client of the office being left: never shown again
        self.undo_stack.clear()
        self.right.setCurrentWidget(self.placeholder)
        self.client_list.forget()

    # --- screens ---
    def open_client(self, client_id: int, jump_to: tuple[str, int] | None = None) -> None:
        self.right.setCurrentWidget(self.client_view)
        self.client_list.select_client(client_id)
        self.client_view.show_client(client_id, jump_to=jump_to)
        self.session.watcher.viewing(client_id)

    def show_today(self) -> None:
        """Ctrl+T: the promises of the day, overdue first."""
        if self.ctx.staff is None:
            return
        self.right.setCurrentWidget(self.today_view)
        self.today_view.table.setFocus()

    def add_client(self) -> None:
        _lazy("ui.actions.clients").add(self.ctx, self, self._on_client_added)

    def _on_client_added(self, changes: Changes) -> None:
        if changes.id is not None:
            self.open_client(changes.id)
            self.client_view.composer.open_interaction()

    def choose_database(self) -> None:
        """File > Office database...: a file, a shared file or a PostgreSQL server; Check tries it first."""
        dialog = self.open_dialog("ui.dialogs.database_dialog", "DatabaseDialog",
                                   self.ctx.database or self.session.location)
        dialog.location_chosen.connect(self.session.switch)  # type: ignore[attr-defined]

    def export_contacts(self, client_ids: list[int], columns: list[tuple[str, str]] | None = None) -> None:
        _lazy("ui.dialogs.contacts_export").export_contacts(self.ctx, self, client_ids, columns)

    def switch_desk(self, member: StaffMember) -> None:  # after their PIN if they have one (ui/dialogs/pin.py)
        _lazy("ui.dialogs.trust").switch_desk(self, member)

    def show_shortcuts(self) -> None:
        if not self.menus_filled:
            fill_menus(self)
        delete_on_close(_lazy("ui.dialogs.help").ShortcutsDialog(self.findChildren(QAction), self)).open()

    # --- what the window shows of the rest ---
    def _flush_drafts(self) -> None:
        if self._client_view is not None:
            self._client_view.flush_drafts()

    # --- size and arrangement ---
    def _restore_divider(self) -> None:
        """The divider goes back once the list and the client have their real width to share out."""
        saved, self._saved_splitter = self._saved_splitter, None
        if saved is not None:
            self.splitter.restoreState(saved)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        desk.save_layout(self.ctx.settings, self, self.splitter, self.client_list.table.horizontalHeader())
        self._flush_drafts()
        self.session.stop()
        self.ctx.tasks.shutdown()
        super().closeEvent(event)
