"""The main window's actions, toolbar and menus: what a person can ask for, with its words and its shortcut.

The toolbar and its four actions are made with the window (they are in its first paint). Every other action and
the menus' contents are made the turn after the list's first rows are painted, or the moment one of them is asked
for (`MainWindow.__getattr__`), whichever comes first: making 30 actions, their shortcuts and Qt's key-sequence and
action types cost start-up about 4 ms (issue 10). Nobody can press a key or open a menu that early; the menu bar's
titles are there from the first paint.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QSizePolicy, QToolBar, QWidget

from ui.find_field import install as install_find_field
from ui.widgets import DeskButton

if TYPE_CHECKING:
    from ui.main_window import MainWindow

# The actions that work without an office open (the others are off until someone is at the desk).
ALWAYS = ("open_action", "quit_action", "shortcuts_action", "undo_action", "redo_action", "switch_action")


def _lazy(name: str) -> Any:
    """A module of ui/ loaded when first used (start-up budget), as MainWindow's."""
    return importlib.import_module(name)


def action(window: MainWindow, text: str, slot: Callable[[], object], shortcut: QKeySequence | str | None = None,
           tip: str = "") -> QAction:
    made = QAction(window, text=text, toolTip=tip or text)  # (text, window) tries the QIcon form first: 1.8 ms
    made.triggered.connect(lambda _checked=False: slot())
    if shortcut is not None:
        made.setShortcut(QKeySequence(shortcut))
    return made


def build_toolbar(window: MainWindow) -> None:
    """The toolbar (Today, New client, Edit client, Team, Find anything, who is at the desk) and the menu bar's
    titles, with the window."""
    w = window
    w.today_action = action(w, "Today", w.show_today, "Ctrl+T",
                            "What is overdue, due today and this week, and what to cover (Ctrl+T)")
    w.new_client_action = action(w, "New client", w.add_client, "Ctrl+N")
    w.edit_client_action = action(w, "Edit client", w.for_client(
        "edit their details", lambda view: view.edit_client()), "Ctrl+E")
    w.team_action = action(w, "Team...", lambda: _lazy("ui.dialogs.trust").show_team(w))
    bar = QToolBar("Main", movable=False, toolButtonStyle=Qt.ToolButtonStyle.ToolButtonTextOnly)
    w.addToolBar(install_find_field(w, bar))  # issue 14: Ctrl+K and its field
    for each in (w.today_action, w.new_client_action, w.edit_client_action, w.team_action):
        bar.addAction(each)
    spacer = QWidget()
    spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    bar.addWidget(spacer)
    w.desk_button = DeskButton()
    w.desk_menu = w.desk_button.desk_menu
    w.desk_button.chosen.connect(w.switch_desk)
    w.desk_button.someone_else_requested.connect(w.ask_who)
    bar.addWidget(w.desk_button)
    menus = w.menuBar()
    w.file_menu, w.edit_menu, w.client_menu, w.office_menu, w.help_menu = (
        menus.addMenu(title) for title in ("&File", "&Edit", "&Client", "&Office", "&Help"))


def fill_menus(window: MainWindow) -> None:
    """Every other action, and the menus' contents (once; see the module's docstring for when)."""
    w = window
    w.menus_filled = True
    on_client = w.for_client
    standard = QKeySequence.StandardKey
    trust = "ui.dialogs.trust"
    w.log_action = action(w, "Log interaction", on_client(
        "log what happened", lambda view: view.composer.open_interaction()), "Ctrl+L")
    w.note_action = action(w, "Add note", on_client("add the note", lambda view: view.composer.open_note()),
                           "Ctrl+Shift+N")
    w.promise_action = action(w, "Make promise", on_client(
        "make the promise", lambda view: view.composer.open_promise()), "Ctrl+Shift+P")
    w.handoff_action = action(w, "Hand-off card...", on_client("ask for their hand-off card", lambda view: (
        _lazy("ui.actions.clients").show_handoff(w.ctx, w, view.client.id))), "Ctrl+Shift+H")
    w.export_client_action = action(w, "Export this client...", on_client("export them", lambda view: (
        w.office_files.export_client(view.client.id, view.client.name))))
    w.delete_client_action = action(w, "Move client to Trash...", on_client("move them to the Trash", (
        lambda view: _lazy("ui.actions.clients").trash(w.ctx, w, view.client, w.show_today))))
    w.history_action = action(w, "History...", lambda: _lazy(trust).show_history(w))
    w.client_history_action = action(w, "History of this client...", on_client(
        "see their history", lambda view: _lazy(trust).show_client_history(w, view)))
    w.report_action = action(w, "What happened (report)...", on_client(
        "ask what happened", lambda view: _lazy(trust).show_report(w, view)))
    w.erase_action = action(w, "Erase this client's personal data...", on_client(
        "erase their personal data", lambda view: _lazy(trust).erase_client(w, view)))
    w.review_action = action(w, "Review...", lambda: _lazy("ui.views.review").open_review(w),
                             "Ctrl+Shift+R", "The weekly review: touch points, colleagues, clients")
    w.trash_action = action(w, "Trash...", lambda: w.open_dialog("ui.dialogs.trash", "TrashDialog"))
    w.import_action = action(w, "Import contacts...", lambda: w.open_dialog("ui.dialogs.import_wizard",
                                                                           "ImportWizard"))
    w.imports_action = action(w, "Imports...", lambda: w.open_dialog("ui.dialogs.imports_dialog", "ImportsDialog"))
    w.export_contacts_action = action(w, "Export contacts...", lambda: w.export_contacts(
        w.client_list.shown_ids(), w.client_list.shown_columns()))  # issue 15: the list as shown
    w.vcard_action = action(w, "Export as a vCard...", on_client(
        "export them as a vCard", lambda view: w.export_contacts([view.client.id])))
    w.duplicates_action = action(w, "Find duplicates...", lambda: w.open_dialog("ui.dialogs.duplicates",
                                                                                "DuplicatesDialog"))
    w.unmerge_action = action(w, "Un-merge...", on_client("un-merge it", lambda view: w.open_dialog(
        "ui.dialogs.unmerge", "UnmergeDialog", view.client.id, view.client.name)))
    w.settings_action = action(w, "Settings...", lambda: w.open_dialog(
        "ui.dialogs.office_settings", "OfficeSettingsDialog"), standard.Preferences)
    w.backups_action = action(w, "Backups...", lambda: w.open_dialog(
        "ui.dialogs.backups", "BackupsDialog", w.session.office.engine if w.session.office else "sqlite"))
    w.export_office_action = action(w, "Export the office...", lambda: w.office_files.export_office())
    w.load_export_action = action(w, "Load an export into a new office...", lambda: w.office_files.load_export())
    w.copy_office_action = action(w, "Move the office to PostgreSQL...", lambda: w.office_files.copy_office())
    w.undo_action = action(w, "Undo", w.undo_stack.undo, standard.Undo)
    w.redo_action = action(w, "Redo", w.undo_stack.redo, standard.Redo)
    w.undo_stack.show_on(w.undo_action, w.redo_action)  # off while there is nothing to undo
    w.open_action = action(w, "Office database...", w.choose_database, standard.Open)
    w.quit_action = action(w, "Quit", w.close, standard.Quit)
    w.shortcuts_action = action(w, "Keyboard shortcuts", w.show_shortcuts, "F1")
    w.shortcuts_action.setShortcuts([QKeySequence("F1"), QKeySequence("Ctrl+/")])
    w.switch_action = action(w, "Switch person", w.desk_button.showMenu, "Ctrl+Shift+S")
    w.addAction(w.switch_action)

    _menu(w.file_menu, w.open_action, None, w.import_action, w.export_contacts_action, None, w.export_office_action,
          w.load_export_action, w.copy_office_action, None, w.quit_action)
    _menu(w.edit_menu, w.undo_action, w.redo_action, None, w.quick_find_action)
    _menu(w.client_menu, w.new_client_action, w.edit_client_action, w.log_action, w.note_action, w.promise_action,
          None, w.handoff_action, w.export_client_action, w.vcard_action, w.client_history_action, w.report_action,
          None, w.delete_client_action, w.erase_action, w.unmerge_action)
    _menu(w.office_menu, w.today_action, w.review_action, w.team_action, w.history_action, w.trash_action,
          w.duplicates_action, w.imports_action, w.backups_action, w.switch_action, None, w.settings_action)
    _menu(w.help_menu, w.shortcuts_action)
    w.help_menu.addAction("About Rapport", lambda: _lazy("ui.dialogs.help").show_about(w))
    w.enable_actions()  # as the window is now: on once someone is at the desk


def _menu(menu: QMenu, *actions: QAction | None) -> QMenu:
    for each in actions:
        menu.addSeparator() if each is None else menu.addAction(each)
    return menu
