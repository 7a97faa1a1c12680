"""What a desk can do to a promise: keep it, give it a new date, give it to a colleague, take it over, cancel it.

Every screen that offers these (the client's timeline, Today, the composer) calls them here, so each asks the
same questions with the same words: the apology for a late keep (one rule, `promise_rules.keep_is_late`, on the
live clock) and the warning before a promise goes to somebody who is away when it falls due.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from models import store
from models.rules import promises as promise_rules
from models.store import ConflictError, PromiseEntry, PromiseRow, StaffMember, StoreError
from ui import fmt
from ui.context import AppContext
from ui.widgets import ask_apology

Say = Callable[[str], None]
# The same words in every menu that offers these (the timeline, Today, the composer).
LABELS = {"keep": "Mark kept", "take": "I'll take it", "give": "Give to a colleague...",
          "renegotiate": "New due date...", "correct": "Correct the text...", "cancel": "Cancel the promise..."}


@dataclass(frozen=True, slots=True)
class PromiseRef:
    """What an action needs to know about a promise, from a Today row or a timeline entry alike."""

    id: int
    version: int | None
    text: str
    due: datetime
    owner_id: int | None
    owner_name: str
    client_id: int
    client_name: str = ""


def ref(promise: PromiseRow | PromiseEntry | PromiseRef, client_name: str = "") -> PromiseRef:
    """The promise a Today row or a timeline step is about (a step carries the promise's due date now)."""
    if isinstance(promise, PromiseRef):
        return promise
    if isinstance(promise, PromiseRow):
        return PromiseRef(promise.id, promise.version or None, promise.text, promise.due, promise.owner_id,
                          promise.owner_name, promise.client_id, promise.client_name)
    due = promise.current_due or promise.due
    assert due is not None
    return PromiseRef(promise.promise_id, promise.version or None, promise.text, due, promise.owner_id,
                      promise.owner_name, promise.client_id, client_name)


def _for(promise: PromiseRef) -> str:
    return f" for {promise.client_name}" if promise.client_name else ""


def failure_sentence(error: StoreError) -> str:
    """The store's sentence; for a colleague's change, also what the promise is now (nothing was overwritten)."""
    message = error.message
    if isinstance(error, ConflictError) and isinstance(error.current, PromiseRow):
        current = error.current
        message += (f" It is now due {fmt.in_sentence(fmt.when(current.due, store.utcnow()))} and belongs to "
                    f"{current.owner_name}. Nothing was overwritten.")
    return message


def _run(ctx: AppContext, call: Callable[[], object], done: str, say: Say | None,
         after: Callable[[], None] | None) -> None:
    """Run the write on the database thread; a sentence when it is done, or where the view shows refusals."""
    def on_done(_: object) -> None:
        if say is not None:
            say("")
        ctx.events.message_reported.emit(done)

    def on_failed(error: StoreError) -> None:
        (say or ctx.events.error_reported.emit)(failure_sentence(error))
        if after is not None:
            after()  # show the promise as it is now: a colleague may have acted

    ctx.tasks.run(call, on_done, on_failed)


def keep(ctx: AppContext, parent: QWidget, promise: PromiseRef, *, say: Say | None = None,
         after: Callable[[], None] | None = None) -> None:
    """Mark the promise kept; a late one asks first whether the client got an apology."""
    if ctx.staff_id is None:
        return
    apology: bool | None = False
    if promise_rules.keep_is_late(promise.due, store.utcnow()):
        apology = ask_apology(parent)
        if apology is None:
            return
    by, pid, version = ctx.staff_id, promise.id, promise.version
    _run(ctx, lambda: store.keep_promise(pid, by=by, apology=bool(apology), version=version),
         f"Kept: '{promise.text}'{_for(promise)}.", say, after)


def away_words(member: StaffMember, now: datetime) -> str:
    """'away until Fri 27 Nov' for a colleague away now or later, else ''."""
    if member.away_from is None or member.away_until is None or member.away_until <= now:
        return ""
    until = _on_day(member.away_until, now)
    if member.away_from <= now:
        return f"away until {until}"
    return f"away from {_on_day(member.away_from, now)} until {until}"


def _on_day(value: datetime, now: datetime) -> str:
    """'Fri 27 Nov', or 'tomorrow' / 'today' in the middle of a sentence."""
    words = fmt.date_only(value, now)
    return words.lower() if words in ("Today", "Tomorrow", "Yesterday") else words


def away_warning(member: StaffMember, due: datetime, now: datetime, *, is_me: bool) -> str | None:
    """The question to ask before a promise goes to someone who is away when it falls due (None: no need)."""
    if member.away_from is None or member.away_until is None:
        return None
    if not (member.away_from <= now < member.away_until or member.away_from <= due < member.away_until):
        return None
    when = _on_day(member.away_until, now)
    reason = f" ({member.away_reason})" if member.away_reason else ""
    if is_me:
        return (f"You are marked as away until {when}{reason}, and this promise falls due before then. "
                "Take it anyway?")
    return (f"{member.name} is away until {when}{reason}, so this promise would fall due while they are not "
            "here. Give it to them anyway?")


def confirm_owner(ctx: AppContext, parent: QWidget, member: StaffMember, due: datetime) -> bool:
    """Before a promise goes to `member`: asked only when they are away when it falls due (or now)."""
    warning = away_warning(member, due, store.utcnow(), is_me=member.id == ctx.staff_id)
    if warning is None:
        return True
    title = "You are away" if member.id == ctx.staff_id else "Away when it falls due"
    answer = QMessageBox.question(parent, title, warning,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def _member(ctx: AppContext, staff_id: int | None) -> StaffMember | None:
    member = next((m for m in ctx.team if m.id == staff_id), None)
    return member or (ctx.staff if ctx.staff and ctx.staff.id == staff_id else None)


def reassign(ctx: AppContext, parent: QWidget, promise: PromiseRef, owner: int, *, say: Say | None = None,
             after: Callable[[], None] | None = None, done: str = "",
             on_done: Callable[[], None] | None = None) -> bool:
    """Give the promise to `owner` (asked first when they are away then); False when the person said no."""
    member = _member(ctx, owner)
    if member is not None and owner != promise.owner_id and not confirm_owner(ctx, parent, member, promise.due):
        return False
    by, pid, version = ctx.staff_id, promise.id, promise.version
    name = member.name if member else "them"
    text = done or f"'{promise.text}'{_for(promise)} now belongs to {name}."
    if on_done is None:
        _run(ctx, lambda: store.reassign_promise(pid, by=by, owner=owner, version=version), text, say, after)
    else:
        ctx.tasks.run(lambda: store.reassign_promise(pid, by=by, owner=owner, version=version),
                      lambda _: (ctx.events.message_reported.emit(text), on_done()),
                      lambda error: (say or ctx.events.error_reported.emit)(failure_sentence(error)))
    return True


def take(ctx: AppContext, parent: QWidget, promise: PromiseRef, *, say: Say | None = None,
         after: Callable[[], None] | None = None) -> None:
    """"I'll take it": the promise becomes the desk person's (warned first if they are away themselves)."""
    me = _member(ctx, ctx.staff_id)
    if me is None:
        return
    if promise.owner_id == me.id:
        (say or ctx.events.error_reported.emit)("This promise is already yours.")
        return
    reassign(ctx, parent, promise, me.id, say=say, after=after,
             done=f"'{promise.text}'{_for(promise)} is yours now (it was {promise.owner_name}'s).")


def give(ctx: AppContext, parent: QWidget, promise: PromiseRef, *, say: Say | None = None,
         after: Callable[[], None] | None = None) -> None:
    """Give the promise to a colleague chosen from the team."""
    now = store.utcnow()
    choices = [m for m in ctx.team if m.active and m.id != promise.owner_id]
    if not choices:
        (say or ctx.events.error_reported.emit)("There is nobody else on the team to give it to.")
        return
    labels = [m.name + (f" ({words})" if (words := away_words(m, now)) else "") for m in choices]
    label, ok = QInputDialog.getItem(parent, "Give to a colleague", f"Who should keep '{promise.text}'?", labels, 0,
                                     False)
    if not ok or label not in labels:
        return
    reassign(ctx, parent, promise, choices[labels.index(label)].id, say=say, after=after)


def renegotiate(ctx: AppContext, parent: QWidget, promise: PromiseRef) -> None:
    """A new due date agreed with the client (a dialog)."""
    _open_dialog(ctx, parent, "renegotiate", promise)


def cancel(ctx: AppContext, parent: QWidget, promise: PromiseRef) -> None:
    """Cancel the promise, with its reason (a dialog)."""
    _open_dialog(ctx, parent, "cancel", promise)


def choose_owner(ctx: AppContext, parent: QWidget, promise: PromiseRef) -> None:
    """Give to a colleague, in the dialog that suggests somebody who does not have it."""
    _open_dialog(ctx, parent, "reassign", promise)


def correct_text(ctx: AppContext, parent: QWidget, promise: PromiseRef, *, say: Say | None = None) -> None:
    """Correct what the promise says (a typo); the earlier text stays in the change log."""
    text, ok = QInputDialog.getText(parent, "Correct the promise", "Promise", text=promise.text)
    text = text.strip()
    if not ok or not text or text == promise.text:
        return
    by, pid, version = ctx.staff_id, promise.id, promise.version
    _run(ctx, lambda: store.edit_promise(pid, by=by, text=text, version=version), "Promise corrected.", say, None)


def _open_dialog(ctx: AppContext, parent: QWidget, action: str, promise: PromiseRef) -> None:
    from ui.dialogs.promise import PromiseActionDialog

    PromiseActionDialog(ctx, action, promise, parent).open()
