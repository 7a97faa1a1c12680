"""The main window: the client list on the left, the open client on the right, who is at the desk on top."""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from models import APP_VERSION, store
from models.store import Changes, Office, StaffMember, StoreError
from ui.client_list import ClientListPanel
from ui.context import AppContext
from ui.drafts import Drafts
from ui.events import Events
from ui.tasks import BUSY_WAITING, SyncTasks, Tasks
from ui.watcher import Watcher, also_here_text, online_text

if TYPE_CHECKING:  # built on first use, after the window is usable
    from ui.backups import AutoBackup
    from ui.client_view import ClientView
    from ui.notify import Notifier
    from ui.office_files import OfficeFiles
    from ui.today import TodayView

log = logging.getLogger(__name__)
# Promises fall due and scores fade with no write at all: refresh the views this often, and at midnight.
CLOCK_TICK_MS = 60_000
FULL_REFRESH_MINUTES = 5
UNDO_DEPTH = 20
AFTER_READY_LATEST_MS = 3000  # Today and the rest come after the list; at the latest this long after start
# The start-up backup and health check each hold the database thread a second or so in a big office: they
# wait until the receptionist's first clicks are answered.
MAINTENANCE_DELAY_MS = 15_000
DEFAULT_SIZE = QSize(1280, 780)
SCREEN_MARGIN = 24  # room left around a first window on a screen smaller than DEFAULT_SIZE
# Where the desk remembers how its window was arranged (QSettings).
GEOMETRY_KEY, SPLITTER_KEY, COLUMNS_KEY = "window/geometry", "window/splitter", "window/client_columns"


class Banner(QWidget):
    """A calm line across the top of the window for something the person should know, with a close button."""

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.text = QLabel(wordWrap=True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QPushButton("Dismiss")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.close_button)
        self.close_button.clicked.connect(self.hide)
        self.hide()

    def say(self, message: str) -> None:
        self.text.setText(message)
        self.show()


class MainWindow(QMainWindow):
    """One office database, one person at the desk."""

    def __init__(self, *, tasks_factory: Callable[[Events], Tasks | SyncTasks] | None = None,
                 settings: QSettings | None = None) -> None:
        super().__init__()
        self.setWindowTitle("Rapport")
        self.resize(self._first_size())
        events = Events(self)
        tasks = tasks_factory(events) if tasks_factory else Tasks(events, self)
        self.ctx = AppContext(tasks, events, settings or QSettings())
        self.office: Office | None = None
        self._location = ""
        self.undo_stack: list[Changes] = []
        self._undoing = False
        self._wanted_staff: str | None = None
        self._last_date = date.today()
        self._ticks = 0

        self.notice_banner = Banner("noticeBanner")
        self.error_banner = Banner("errorBanner")
        self.busy_banner = Banner("busyBanner")
        self.busy_banner.close_button.hide()
        self.opening_page = QWidget()
        self.opening = QLabel("Opening the office database...", alignment=Qt.AlignmentFlag.AlignCenter,
                              objectName="muted", wordWrap=True)
        self.choose_button = QPushButton("Choose another database...")
        self.anyway_button = QPushButton("Use it anyway")
        self.retry_button = QPushButton("Try again")
        opening_buttons = QHBoxLayout()
        opening_buttons.addStretch(1)
        for button in (self.retry_button, self.anyway_button, self.choose_button):
            opening_buttons.addWidget(button)
            button.hide()
        opening_buttons.addStretch(1)
        opening_layout = QVBoxLayout(self.opening_page)
        opening_layout.addStretch(1)
        opening_layout.addWidget(self.opening)
        opening_layout.addLayout(opening_buttons)
        opening_layout.addStretch(1)
        self.choose_button.clicked.connect(self.choose_database)
        self.retry_button.clicked.connect(lambda: self.switch_database(self._location, False))
        self.anyway_button.clicked.connect(lambda: self.switch_database(self._location, True))
        self.client_list = ClientListPanel(self.ctx)
        self._client_view: ClientView | None = None
        self._today_view: TodayView | None = None
        self._office_files: OfficeFiles | None = None
        self.notifier: Notifier | None = None
        self.auto_backup: AutoBackup | None = None
        self.drafts: Drafts | None = None
        self.placeholder = QLabel("Choose a client on the left, or add a new one (Ctrl+N).",
                                  alignment=Qt.AlignmentFlag.AlignCenter, objectName="muted")
        self._saved_splitter: object = None
        self.right = QStackedWidget()
        self.right.addWidget(self.placeholder)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.client_list)
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 6)
        self.splitter.setSizes([470, 810])
        self.pages = QStackedWidget()
        self.pages.addWidget(self.opening_page)
        self.pages.addWidget(self.splitter)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.notice_banner)
        layout.addWidget(self.error_banner)
        layout.addWidget(self.busy_banner)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self._build_actions()
        self.presence_label = QLabel(objectName="muted")
        self.database_label = QLabel(objectName="muted")
        self.statusBar().addPermanentWidget(self.presence_label)
        self.statusBar().addPermanentWidget(self.database_label)
        self.watcher = Watcher(self.ctx, APP_VERSION, self)
        self.watcher.presence_changed.connect(self._on_presence_changed)
        self.watcher.connection_changed.connect(self._on_connection_changed)

        events.error_reported.connect(self._on_error_reported)
        events.message_reported.connect(self._on_message_reported)
        events.busy_changed.connect(self._on_busy_changed)
        events.client_requested.connect(self.open_client)
        events.entry_requested.connect(self._on_entry_requested)
        events.data_changed.connect(self._on_data_changed)
        events.written.connect(self._on_written)
        self.client_list.client_activated.connect(self.open_client)
        self.client_list.add_requested.connect(self.add_client)
        self.client_list.loaded.connect(self._on_client_list_loaded)
        self._after_ready_pending = False
        self.clock = QTimer(self, interval=CLOCK_TICK_MS)
        self.clock.timeout.connect(self._on_clock_timeout)
        self._set_ready(False)
        self._restore_layout()

    # --- actions ---
    def _build_actions(self) -> None:
        bar = QToolBar("Main", movable=False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(bar)
        self.today_action = QAction("Today", self, shortcut=QKeySequence("Ctrl+T"), triggered=self.show_today)
        self.today_action.setToolTip("What is overdue, due today and this week, and what to cover (Ctrl+T)")
        self.new_client_action = QAction("New client", self, shortcut=QKeySequence("Ctrl+N"),
                                         triggered=self.add_client)
        self.log_action = QAction("Log interaction", self, shortcut=QKeySequence("Ctrl+L"), triggered=self._for_client(
            "log what happened", lambda view: view.composer.open_interaction()))
        self.note_action = QAction("Add note", self, shortcut=QKeySequence("Ctrl+Shift+N"), triggered=self._for_client(
            "add the note", lambda view: view.composer.open_note()))
        self.promise_action = QAction("Make promise", self, shortcut=QKeySequence("Ctrl+Shift+P"),
                                      triggered=self._for_client("make the promise",
                                                                 lambda view: view.composer.open_promise()))
        self.edit_client_action = QAction("Edit client", self, shortcut=QKeySequence("Ctrl+E"),
                                          triggered=self._for_client("edit their details",
                                                                     lambda view: view.edit_client()))
        self.handoff_action = QAction("Hand-off card...", self, shortcut=QKeySequence("Ctrl+Shift+H"),
                                      triggered=self._for_client("ask for their hand-off card", self.show_handoff))
        self.export_client_action = QAction("Export this client...", self,
                                            triggered=self._for_client("export them", self.export_client))
        self.team_action = QAction("Team...", self, triggered=self.show_team)
        self.backups_action = QAction("Backups...", self, triggered=self.show_backups)
        self.export_office_action = QAction("Export the office...", self,
                                            triggered=lambda: self.office_files.export_office())
        self.load_export_action = QAction("Load an export into a new office...", self,
                                          triggered=lambda: self.office_files.load_export())
        self.copy_office_action = QAction("Move the office to PostgreSQL...", self,
                                          triggered=lambda: self.office_files.copy_office())
        self.undo_action = QAction("Undo", self, shortcut=QKeySequence.StandardKey.Undo, triggered=self.undo)
        self.undo_action.setEnabled(False)
        self.trash_action = QAction("Trash...", self, triggered=self.show_trash)
        self.delete_client_action = QAction("Move client to Trash...", self,
                                            triggered=self._for_client("move them to the Trash", self.delete_client))
        self.open_action = QAction("Office database...", self, shortcut=QKeySequence.StandardKey.Open,
                                   triggered=self.choose_database)
        self.quit_action = QAction("Quit", self, shortcut=QKeySequence.StandardKey.Quit, triggered=self.close)
        for action in (self.today_action, self.new_client_action, self.edit_client_action, self.team_action):
            bar.addAction(action)
        self.quick_find_action = QAction("Find anything...", self, shortcut=QKeySequence("Ctrl+K"),  # issue 14
                                         triggered=lambda: self.quick_find())
        self.find_field = QLineEdit(placeholderText="Find anything (Ctrl+K)", maximumWidth=260)  # issue 14
        self.find_field.textEdited.connect(self.quick_find)  # issue 14
        bar.addWidget(self.find_field)  # issue 14
        spacer = QWidget()
        spacer.setSizePolicy(spacer.sizePolicy().horizontalPolicy().Expanding,
                             spacer.sizePolicy().verticalPolicy().Preferred)
        bar.addWidget(spacer)
        self.desk_button = QToolButton(objectName="deskButton")
        self.desk_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.desk_menu = QMenu(self)
        self.desk_button.setMenu(self.desk_menu)
        self.desk_button.setToolTip("Who is at this desk? Switch here (Ctrl+Shift+S)")
        bar.addWidget(self.desk_button)
        self.switch_action = QAction("Switch person", self, shortcut=QKeySequence("Ctrl+Shift+S"),
                                     triggered=self.desk_button.showMenu)
        self.addAction(self.switch_action)

        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(self.open_action)
        file_menu.addSeparator()
        for action in (self.export_office_action, self.load_export_action, self.copy_office_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.quick_find_action)  # issue 14
        client_menu = self.menuBar().addMenu("&Client")
        for action in (self.new_client_action, self.edit_client_action, self.log_action, self.note_action,
                       self.promise_action):
            client_menu.addAction(action)
        client_menu.addSeparator()
        client_menu.addAction(self.handoff_action)
        client_menu.addAction(self.export_client_action)
        client_menu.addSeparator()
        client_menu.addAction(self.delete_client_action)
        office_menu = self.menuBar().addMenu("&Office")
        office_menu.addAction(self.today_action)
        office_menu.addAction(self.team_action)
        office_menu.addAction(self.trash_action)
        office_menu.addAction(self.backups_action)
        office_menu.addAction(self.switch_action)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction("About Rapport", self.show_about)

    def quick_find(self, text: str = "") -> None:  # issue 14
        from ui.dialogs.quick_find import open_quick_find

        self.find_field.clear()
        open_quick_find(self, self.ctx, self._client_view if self.right.currentWidget() is self._client_view else None,
                        text)

    def _for_client(self, what: str, act: Callable[[ClientView], None]) -> Callable[[], None]:
        """An action on the open client; with none open (Today, the start page) a sentence says what to do."""
        def run() -> None:
            view = self._client_view
            if view is None or view.client is None or self.right.currentWidget() is not view:
                self.statusBar().showMessage(f"Open a client first, then {what}.", 5000)
                return
            act(view)
        return run

    @property
    def client_view(self) -> ClientView:
        """The open-client screen, built on first use (start-up shows the list before it)."""
        if self._client_view is None:
            from ui.client_view import ClientView

            view = ClientView(self.ctx)
            view.drafts = self.drafts
            if self.ctx.staff is not None:
                view.composer.promise.set_team(self.ctx.team, self.ctx.staff.id)
            self.right.addWidget(view)
            self._client_view = view
        return self._client_view

    @property
    def today_view(self) -> TodayView:
        """The desk's day, built on first use (it is shown as soon as the window is usable)."""
        if self._today_view is None:
            from ui.today import TodayView

            self._today_view = TodayView(self.ctx)
            self.right.addWidget(self._today_view)
        return self._today_view

    @property
    def office_files(self) -> OfficeFiles:
        if self._office_files is None:
            from ui.office_files import OfficeFiles

            files = OfficeFiles(self.ctx, self, self.switch_database, self._leave_office)
            files.working.connect(lambda text: self.statusBar().showMessage(text))
            files.finished.connect(self._on_files_finished)
            files.failed.connect(self._on_files_failed)
            self._office_files = files
        return self._office_files

    def _set_ready(self, ready: bool) -> None:
        for action in (self.new_client_action, self.log_action, self.note_action, self.promise_action,
                       self.edit_client_action, self.team_action, self.trash_action, self.delete_client_action,
                       self.today_action, self.handoff_action, self.export_client_action, self.backups_action,
                       self.export_office_action, self.load_export_action, self.copy_office_action):
            action.setEnabled(ready)
        self.desk_button.setEnabled(ready)
        self.quick_find_action.setEnabled(ready), self.find_field.setEnabled(ready)  # issue 14
        self.pages.setCurrentIndex(1 if ready else 0)
        if ready and self._saved_splitter is not None:
            QTimer.singleShot(0, self, self._restore_divider)

    # --- start-up ---
    def start(self, location: str, *, demo: bool = False, allow_cloud: bool = False, staff: str | None = None) -> None:
        """Open the database on the database thread; the window is already on screen meanwhile.

        `staff` names who is at the desk (the --staff option); otherwise the desk remembers or asks.
        """
        self._wanted_staff = staff
        self._location = location
        self.opening.setText("Opening the office database...")
        for button in (self.choose_button, self.anyway_button, self.retry_button):
            button.hide()
        self._set_ready(False)

        def open_it() -> Office:
            office = store.open(location, allow_cloud=allow_cloud)
            if demo and office.created:
                from models.demo import seed_demo
                seed_demo()
            return office

        self.ctx.tasks.run(open_it, self._on_database_opened, self._on_database_failed)

    def _on_database_opened(self, office: Office) -> None:
        self.office = office
        self.ctx.database = office.location
        self.drafts = Drafts(office.location)
        if self._client_view is not None:
            self._client_view.drafts = self.drafts
        self.database_label.setText(f"Database: {office.display}")
        self.database_label.setToolTip(office.location)
        for warning in office.warnings:
            self.error_banner.say(warning)
        self.ctx.tasks.run(store.list_staff, self._on_team_loaded)

    def _on_database_failed(self, error: StoreError) -> None:
        self.opening.setText(error.message)
        self.open_action.setEnabled(True)
        self.choose_button.show()
        self.retry_button.show()
        self.anyway_button.setVisible(isinstance(error, store.CloudFolderError))

    def _on_team_loaded(self, team: list[StaffMember]) -> None:
        self.ctx.team = team
        self._fill_desk_menu()
        remembered = self.ctx.settings.value(self._staff_key())
        match = next((m for m in team if str(m.id) == str(remembered)), None)
        if self._wanted_staff:
            wanted = self._wanted_staff.casefold()
            match = next((m for m in team if m.name.casefold() == wanted), None)
            if match is None:
                self.error_banner.say(f"Nobody called {self._wanted_staff} is on the team; choose who is at the desk.")
        if match is not None:
            self.set_staff(match)
        else:
            self.ask_who()

    def _staff_key(self) -> str:
        return f"desk/staff/{self.ctx.database}"

    def ask_who(self) -> None:
        from ui.staff import StaffPicker

        picker = StaffPicker(self.ctx, self.ctx.team, self)
        picker.chosen.connect(self.set_staff)
        self.staff_picker = picker
        picker.open()

    def set_staff(self, member: StaffMember) -> None:
        """This person is at the desk now: every write from here on is recorded under their name."""
        first = self.ctx.staff is None
        self.ctx.staff = member
        self.ctx.settings.setValue(self._staff_key(), member.id)
        self.desk_button.setText(f"At the desk: {member.name}")
        self._fill_desk_menu()
        if member.id not in {m.id for m in self.ctx.team}:
            self.ctx.tasks.run(store.list_staff, self._on_team_refreshed)
        if self._client_view is not None:
            self._client_view.composer.promise.set_team(self.ctx.team, member.id)
        self.ctx.events.staff_changed.emit(member)
        if first:
            self._set_ready(True)  # showing the list panel loads it
            self.clock.start()
            self.watcher.start()
            self._after_ready_pending = True  # once the list is on screen (start-up budget, DESIGN.md)
            QTimer.singleShot(AFTER_READY_LATEST_MS, self, self._run_after_ready)
        else:
            self.watcher.heartbeat()
            # Build the client screen once the window is usable, not before (DESIGN.md, Performance).
            QTimer.singleShot(50, self, lambda: self.client_view)
            self.client_list.focus_search()
        self.statusBar().showMessage(f"{member.name} is at the desk.", 4000)

    def _on_client_list_loaded(self) -> None:
        QTimer.singleShot(0, self, self._run_after_ready)

    def _run_after_ready(self) -> None:
        if self._after_ready_pending:
            self._after_ready_pending = False
            self._after_ready()

    def _after_ready(self) -> None:
        """Once the list is on its way: the Today view, promise notices, a backup if due, a health check."""
        if self.ctx.staff is None:
            return
        if self.right.currentWidget() is self.placeholder:
            self.show_today()
        if self.notifier is None:
            from ui.notify import Notifier

            self.notifier = Notifier(self.ctx, self)
            self.notifier.banner_requested.connect(self.notice_banner.say)
        self.notifier.refresh()
        if self.office is not None and self.office.engine == "sqlite":
            database = self.ctx.database
            QTimer.singleShot(MAINTENANCE_DELAY_MS, self, lambda: self._maintain(database))

    def _maintain(self, database: str) -> None:
        """A backup if one is due, then SQLite's quick health check (a SQLite office, still the one open)."""
        if self.ctx.staff is None or self.ctx.database != database:
            return
        if self.auto_backup is None:
            from ui.backups import AutoBackup

            self.auto_backup = AutoBackup(self.ctx, self)
            self.auto_backup.failed.connect(self.error_banner.say)
            self.auto_backup.made.connect(self._on_backup_made)
        self.auto_backup.start()
        self.ctx.tasks.run(store.check_integrity, self._on_integrity_checked, lambda _error: None)

    def _on_integrity_checked(self, problem: str | None) -> None:
        if problem:
            self.error_banner.say(problem)

    def _on_team_refreshed(self, team: list[StaffMember]) -> None:
        self.ctx.team = team
        self._fill_desk_menu()
        if self.ctx.staff is not None and self._client_view is not None:
            self._client_view.composer.promise.set_team(team, self.ctx.staff.id)

    def _fill_desk_menu(self) -> None:
        self.desk_menu.clear()
        for member in self.ctx.team:
            action = self.desk_menu.addAction(member.name)
            action.setCheckable(True)
            action.setChecked(self.ctx.staff is not None and member.id == self.ctx.staff.id)  # who is here now
            action.triggered.connect(lambda checked=False, m=member: self.set_staff(m))
        self.desk_menu.addSeparator()
        self.desk_menu.addAction("Someone else...", self.ask_who)

    # --- clients ---
    def open_client(self, client_id: int) -> None:
        self.right.setCurrentWidget(self.client_view)
        self.client_list.select_client(client_id)
        self.client_view.show_client(client_id)
        self.watcher.viewing(client_id)
        self._show_also_here()

    def show_today(self) -> None:
        """Ctrl+T: the promises of the day, overdue first."""
        if self.ctx.staff is None:
            return
        self.right.setCurrentWidget(self.today_view)
        self.today_view.table.setFocus()

    def show_handoff(self, view: ClientView) -> None:
        """Ctrl+Shift+H: the open client's hand-off card, to read, print or save as PDF."""
        assert view.client is not None
        from ui.handoff import HandoffDialog

        self.handoff_dialog = HandoffDialog(self.ctx, view.client.id, self)
        self.handoff_dialog.open()

    def export_client(self, view: ClientView) -> None:
        assert view.client is not None
        self.office_files.export_client(view.client.id, view.client.name)

    def _on_entry_requested(self, client_id: int, kind: str, entry_id: int) -> None:
        self.right.setCurrentWidget(self.client_view)
        self.client_list.select_client(client_id)
        self.client_view.show_client(client_id, jump_to=(kind, entry_id))

    def add_client(self) -> None:
        if self.ctx.staff is None:
            return
        from ui.client_dialog import ClientDialog

        dialog = ClientDialog(self.ctx, None, self)
        dialog.saved.connect(self._on_client_added)
        self.client_dialog = dialog
        dialog.open()

    def _on_client_added(self, changes: Changes) -> None:
        if changes.id is not None:
            self.open_client(changes.id)
            self.client_view.composer.open_interaction()

    # --- undo and the Trash ---
    def _on_written(self, changes: Changes) -> None:
        if self._undoing or not changes.kinds & {"client", "timeline", "promise"}:
            return
        self.undo_stack = (self.undo_stack + [changes])[-UNDO_DEPTH:]
        self.undo_action.setEnabled(True)

    def undo(self) -> None:
        """Take back this desk's last action (Ctrl+Z), through the store."""
        if not self.undo_stack or self.ctx.staff is None or self._undoing:
            return
        changes = self.undo_stack.pop()
        self.undo_action.setEnabled(bool(self.undo_stack))
        self._undoing = True
        by, ids = self.ctx.staff_id, changes.change_ids

        def call() -> tuple[str, Changes]:
            return store.describe(ids), store.undo(ids, by=by)

        self.ctx.tasks.run(call, self._on_undone, self._on_undo_failed)

    def _on_undone(self, result: tuple[str, Changes]) -> None:
        self._undoing = False
        what, changes = result
        self.statusBar().showMessage(f"Undone: {what.lower()}." if what else "Undone.", 6000)
        self.ctx.events.data_changed.emit(changes)

    def _on_undo_failed(self, error: StoreError) -> None:
        self._undoing = False
        self.error_banner.say(error.message)

    def show_trash(self) -> None:
        from ui.trash import TrashDialog

        self.trash_dialog = TrashDialog(self.ctx, self)
        self.trash_dialog.open()

    def delete_client(self, view: ClientView) -> None:
        from PySide6.QtWidgets import QMessageBox

        client = view.client
        if client is None or self.ctx.staff is None:
            return
        answer = QMessageBox.question(self, "Move to Trash",
                                      f"Move {client.name} to the Trash? You can restore them from Office > Trash.")
        if answer != QMessageBox.StandardButton.Yes:
            return
        by = self.ctx.staff_id
        self.ctx.tasks.run(lambda: store.delete_client(client.id, by=by), self._on_client_deleted)

    def _on_client_deleted(self, changes: Changes) -> None:
        self.show_today()
        self.statusBar().showMessage("Moved to the Trash. Undo with Ctrl+Z.", 6000)

    def show_team(self) -> None:
        from ui.staff import TeamDialog

        self.team_dialog = TeamDialog(self.ctx, self)
        self.team_dialog.open()

    def choose_database(self) -> None:
        """File > Office database...: a file, a shared file or a PostgreSQL server; Check tries it first."""
        from ui.database_dialog import DatabaseDialog

        dialog = DatabaseDialog(self.ctx, self.ctx.database or self._location, self)
        dialog.location_chosen.connect(self.switch_database)
        self.database_dialog = dialog
        dialog.open()

    def show_backups(self) -> None:
        from ui.backups import BackupsDialog

        engine = self.office.engine if self.office is not None else "sqlite"
        self.backups_dialog = BackupsDialog(self.ctx, engine, self)
        self.backups_dialog.open()

    def _on_backup_made(self) -> None:
        """An automatic backup landed: an open Backups window lists it (it said "no backups yet" before)."""
        dialog = getattr(self, "backups_dialog", None)
        if dialog is not None and shiboken6.isValid(dialog) and dialog.isVisible():
            dialog.reload()

    def _on_files_finished(self, message: str) -> None:
        self.statusBar().showMessage(message, 15000)
        self.ctx.events.message_reported.emit(message)

    def _on_files_failed(self, message: str) -> None:
        self.statusBar().clearMessage()
        self.error_banner.say(message)

    def _leave_office(self, doing: str) -> None:
        """Stop working on the open office (before another one opens): nothing of this desk touches it after."""
        self._flush_drafts()
        if self._client_view is not None:
            self._client_view.client = None  # a client of the office being left: never shown again
        self.watcher.stop()
        if self.notifier is not None:
            self.notifier.stop()
        if self.auto_backup is not None:
            self.auto_backup.stop()
        self.ctx.staff = None
        self.ctx.database = ""
        self._after_ready_pending = False
        self.undo_stack = []
        self.undo_action.setEnabled(False)
        self.right.setCurrentWidget(self.placeholder)
        self.client_list.forget()
        self._set_ready(False)
        self.opening.setText(doing)

    def switch_database(self, location: str, allow_cloud: bool = False) -> None:
        """Open another office database in this window (and remember it for the next start)."""
        self._leave_office("Opening the office database...")
        self.ctx.settings.setValue("database/location", location)
        self.ctx.settings.setValue("database/allow_cloud", bool(allow_cloud))
        self.start(location, allow_cloud=allow_cloud)

    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(self, "About Rapport",
                          f"Rapport {APP_VERSION}\n\nRapport keeps every client's timeline, an explainable "
                          "impression score, and the office's promises, so no follow-up is forgotten.")

    # --- events ---
    def _on_data_changed(self, changes: Changes) -> None:
        if "staff" in changes.kinds:
            self.ctx.tasks.run(store.list_staff, self._on_team_refreshed)

    def _on_presence_changed(self, online: list[store.Presence]) -> None:
        self.presence_label.setText(online_text(online))
        self._show_also_here()

    def _show_also_here(self) -> None:
        view = self._client_view
        if view is not None and view.client is not None:
            view.header.set_also_here(also_here_text(self.watcher.others_on(view.client.id)))
        elif view is not None:
            view.header.set_also_here("")

    def _on_connection_changed(self, connected: bool) -> None:
        if connected:
            self.error_banner.hide()
            self.statusBar().showMessage("The office database is answering again; everything is up to date.", 6000)
        else:
            self.error_banner.say("The office database is not answering (the network or the shared folder may be "
                                  "down). What you type is kept; Rapport keeps trying.")

    def _on_error_reported(self, message: str) -> None:
        self.error_banner.say(message)

    def _on_message_reported(self, message: str) -> None:
        self.statusBar().showMessage(message, 5000)

    def _on_busy_changed(self, busy: bool) -> None:
        if busy:
            self.busy_banner.say(BUSY_WAITING)
        else:
            self.busy_banner.hide()
            self.statusBar().showMessage("The shared database is answering again; everything is saved.", 5000)

    def _on_clock_timeout(self) -> None:
        self._ticks += 1
        today = date.today()
        if today != self._last_date or self._ticks % FULL_REFRESH_MINUTES == 0:
            self._last_date = today
            self.ctx.events.clock_ticked.emit()

    def _flush_drafts(self) -> None:
        """Write the drafts of half-typed text now, into the office they belong to, and empty the forms."""
        if self._client_view is not None:
            for form in self._client_view.composer.forms():
                form.set_client(None, form.drafts)

    def _first_size(self) -> QSize:
        """1280 x 780, or less on a small screen (a 1366 x 768 laptop): the whole window always shows."""
        screen = self.screen().availableGeometry()
        return QSize(min(DEFAULT_SIZE.width(), screen.width() - SCREEN_MARGIN),
                     min(DEFAULT_SIZE.height(), screen.height() - SCREEN_MARGIN))

    def _restore_layout(self) -> None:
        """The window's size and place, the divider and the list's columns as this desk left them."""
        settings = self.ctx.settings
        for key, restore in ((GEOMETRY_KEY, self.restoreGeometry),
                             (COLUMNS_KEY, self.client_list.table.horizontalHeader().restoreState)):
            saved = settings.value(key)
            if isinstance(saved, QByteArray) and not saved.isEmpty():
                restore(saved)
        self._saved_splitter = settings.value(SPLITTER_KEY)

    def _restore_divider(self) -> None:
        """The divider goes back once the list and the client have their real width to share out."""
        saved, self._saved_splitter = self._saved_splitter, None
        if isinstance(saved, QByteArray) and not saved.isEmpty():
            self.splitter.restoreState(saved)

    def _save_layout(self) -> None:
        settings = self.ctx.settings
        settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        settings.setValue(SPLITTER_KEY, self.splitter.saveState())
        settings.setValue(COLUMNS_KEY, self.client_list.table.horizontalHeader().saveState())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self._save_layout()
        self._flush_drafts()
        self.clock.stop()
        self.watcher.stop()
        if self.notifier is not None:
            self.notifier.stop()
        if self.auto_backup is not None:
            self.auto_backup.stop()
        self.ctx.tasks.shutdown()
        super().closeEvent(event)
