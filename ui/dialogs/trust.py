"""Where the main window meets issue 11's dialogs: one small function per menu entry, imported on first use.

Kept apart from ui/main_window.py (issue 10 renovates it into ui/session.py and ui/actions/): the window
calls these with itself, and they need from it only `ctx`, `session.set_staff`, `ask_who` and the open client.
"""
from __future__ import annotations

from typing import Any

import shiboken6

from models.store import StaffMember
from ui.dialogs import pin
from ui.lifetime import delete_on_close


def show_history(window: Any) -> None:
    from ui.dialogs.history import HistoryDialog

    window.history_dialog = HistoryDialog(window.ctx, parent=window)
    delete_on_close(window.history_dialog).open()


def show_client_history(window: Any, view: Any) -> None:
    from ui.dialogs.history import HistoryDialog

    window.history_dialog = HistoryDialog(window.ctx, view.client.id, view.client.name, parent=window)
    delete_on_close(window.history_dialog).open()


def show_report(window: Any, view: Any) -> None:
    from ui.dialogs.report import ReportDialog

    window.report_dialog = ReportDialog(window.ctx, view.client.id, parent=window)
    delete_on_close(window.report_dialog).open()


def erase_client(window: Any, view: Any) -> None:
    from ui.dialogs.erase import EraseDialog

    window.erase_dialog = EraseDialog(window.ctx, view.client, parent=window)
    delete_on_close(window.erase_dialog).open()


def show_team(window: Any) -> None:
    from ui.dialogs.team import TeamDialog

    window.team_dialog = TeamDialog(window.ctx, window)
    lock = getattr(window, "idle_lock", None)
    if lock is not None:
        window.team_dialog.locked_changed.connect(lock.set_minutes)
    delete_on_close(window.team_dialog).open()


def switch_desk(window: Any, member: StaffMember) -> None:
    """The desk switches to `member`, after their PIN if they have one; cancelled with nobody at the desk: ask again."""
    before = window.ctx.staff
    pin.switch_to(window.ctx, window, member, window.session.set_staff)
    asking = [d for d in window.findChildren(pin.PinDialog) if d.isVisible()]
    if asking and before is None:
        asking[-1].rejected.connect(window.ask_who)


def install_idle_lock(window: Any) -> None:
    """This desk's idle lock (Office > Team sets the minutes): back to "Who is at this desk?" when it fires."""
    from ui.dialogs.team import idle_minutes

    if getattr(window, "idle_lock", None) is not None:
        return
    window.idle_lock = pin.IdleLock(idle_minutes(window.ctx), window)
    window.idle_lock.locked.connect(lambda: _on_idle(window))


def _on_idle(window: Any) -> None:
    pin.lock_desk(window.ctx)
    picker = getattr(window, "staff_picker", None)
    if picker is not None and shiboken6.isValid(picker) and picker.isVisible():
        return
    window.ask_who()
