"""One client, picked up: who they are, what to watch out for, the composer and the timeline."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from models import store
from models.rules import promises as promise_rules
from models.rules.vocab import channel_label
from models.store import (
    Changes,
    ClientDetails,
    ConflictError,
    InteractionEntry,
    NoteEntry,
    PromiseEntry,
    StoreError,
    TimelineEntry,
)
from ui import fmt
from ui.client_dialog import ClientDialog
from ui.composer import Composer
from ui.context import AppContext
from ui.drafts import Drafts
from ui.score import HistoryChart, ReasonsPanel, ScoreBadge
from ui.timeline import TimelineView
from ui.widgets import FormDialog, ask_apology

# A good visit or meeting deserves a thank-you a couple of days later (the promises issue).
THANK_YOU_CHANNELS = ("visit", "meeting")
THANK_YOU_DUE = "in 2 days"


class ClientHeader(QWidget):
    """Name, organisation, how to reach them, and the caution note in plain sight."""

    edit_requested = Signal()
    """The person wants to edit the client's details."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLabel(objectName="clientName", wordWrap=True)
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.contact = QLabel(objectName="muted", wordWrap=True)
        for label in (self.name, self.contact):  # a very long name or email wraps or is cut, never widens the
            label.setMinimumWidth(1)             # screen past the window (the list beside it shrank to nothing)
        self.contact.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.caution = QLabel(objectName="caution", wordWrap=True)
        self.caution.hide()
        self.also_here = QLabel(objectName="presence")
        self.also_here.hide()
        self.badge = ScoreBadge()
        self.why_button = QPushButton("Why this score?")
        self.why_button.setCheckable(True)
        self.why_button.setChecked(True)
        self.why_button.setToolTip("Show or hide the reasons behind the score and its history")
        self.edit_button = QPushButton("Edit details")
        self.edit_button.setToolTip("Edit this client's contact details (Ctrl+E)")
        top = QHBoxLayout()
        names = QVBoxLayout()
        names.addWidget(self.name)
        names.addWidget(self.contact)
        names.addWidget(self.also_here)
        top.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(names, 1)
        top.addWidget(self.why_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.caution)
        self.edit_button.clicked.connect(self.edit_requested)

    def set_also_here(self, text: str) -> None:
        """'Ben Okafor is also on this client' (or nothing)."""
        self.also_here.setText(f"\u25cf {text}" if text else "")
        self.also_here.setVisible(bool(text))

    def show_client(self, client: ClientDetails) -> None:
        self.name.setText(client.name + ("  (in the Trash)" if client.deleted_at else ""))
        reach = [client.organisation, client.phone, client.email]
        habits = []
        if client.preferred_channel:
            habits.append(f"prefers {channel_label(client.preferred_channel).lower()}")
        if client.usual_handler_name:
            habits.append(f"usually {client.usual_handler_name}")
        # How to reach them on one line, their habits on the next; a part is never split across lines.
        lines = ["\u00a0\u00a0·\u00a0 ".join(p.replace(" ", "\u00a0") for p in group if p) for group in (reach, habits)]
        self.contact.setText("\n".join(line for line in lines if line) or "No contact details yet")
        if client.caution:
            self.caution.setText(f"Caution: {client.caution}")
            self.caution.show()
        else:
            self.caution.hide()


class ClientView(QWidget):
    """The right side of the window when a client is open."""

    second_impression_offered = Signal(int, str)
    """A bad interaction was logged (id, summary); the view shows the second-impression offer."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.client: ClientDetails | None = None
        self.drafts: Drafts | None = None
        self._pending_jump: tuple[str, int] | None = None

        self.header = ClientHeader()
        self.reasons = ReasonsPanel()
        self.chart = HistoryChart()
        self.score_panel = QWidget(objectName="scorePanel")
        score_layout = QHBoxLayout(self.score_panel)
        score_layout.setContentsMargins(0, 0, 0, 0)
        score_layout.addWidget(self.reasons, 3)
        score_layout.addWidget(self.chart, 2)
        self.composer = Composer(ctx)
        self.offer = QWidget(objectName="offer")
        offer_layout = QHBoxLayout(self.offer)
        self.offer_text = QLabel(wordWrap=True)
        self.offer_yes = QPushButton("Schedule a fix")
        self.offer_no = QPushButton("Not now")
        offer_layout.addWidget(self.offer_text, 1)
        offer_layout.addWidget(self.offer_yes)
        offer_layout.addWidget(self.offer_no)
        self.offer.hide()
        self._offer: tuple[str, int, str] | None = None

        self.timeline = TimelineView(ctx)
        self.empty = QLabel("Nothing on the timeline yet. Log the first call, visit or email above.",
                            objectName="muted",
                            alignment=Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.empty.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.score_panel)
        layout.addWidget(self.composer)
        layout.addWidget(self.offer)
        layout.addWidget(self.empty, 1)  # whichever of the two shows takes the rest: the forms keep their size
        layout.addWidget(self.timeline, 1)

        self.header.edit_requested.connect(self.edit_client)
        self.header.why_button.toggled.connect(self.score_panel.setVisible)
        self.reasons.reason_clicked.connect(self._on_reason_clicked)
        self.composer.interaction.logged.connect(self._on_interaction_logged)
        self.offer_yes.clicked.connect(self._on_offer_yes_clicked)
        self.offer_no.clicked.connect(self.offer.hide)
        self.timeline.fix_requested.connect(self._on_fix_requested)
        self.timeline.continue_requested.connect(self._on_continue_requested)
        self.timeline.keep_requested.connect(self.keep_promise)
        self.timeline.promise_action_requested.connect(self._on_promise_action_requested)
        self.timeline.delete_requested.connect(self._on_delete_requested)
        self.timeline.pin_requested.connect(self._on_pin_requested)
        self.timeline.edit_requested.connect(self._on_edit_requested)
        self.timeline.timeline_model.page_loaded.connect(self._on_page_loaded)
        ctx.events.data_changed.connect(self._on_data_changed)
        ctx.events.clock_ticked.connect(self.refresh)

    # --- showing a client ---
    def show_client(self, client_id: int, *, jump_to: tuple[str, int] | None = None) -> None:
        self._pending_jump = jump_to
        if self.client is None or self.client.id != client_id:
            self.offer.hide()
            self.composer.set_client(client_id, self.drafts)
            self.timeline.show_client(client_id)
        elif jump_to:
            self._on_page_loaded()
        self.ctx.tasks.run(lambda: store.get_client(client_id), self._on_client_loaded)
        self.load_score(client_id)

    def load_score(self, client_id: int) -> None:
        """Read the score with its reasons and its history (on the database thread)."""
        self.ctx.tasks.run(lambda: store.client_score(client_id), self._on_score_loaded)
        self.ctx.tasks.run(lambda: store.score_history(client_id), self._on_history_loaded)

    def _on_score_loaded(self, score: store.ClientScore) -> None:
        if self.client is not None and score.client_id != self.client.id:
            return
        self.header.badge.set_badge(score.badge)
        self.reasons.set_reasons(score.reasons, store.utcnow())

    def _on_history_loaded(self, history: store.ScoreHistory) -> None:
        self.chart.set_history(history)

    def _on_reason_clicked(self, kind: str, entry_id: int) -> None:
        if self.client is not None:
            self.ctx.events.entry_requested.emit(self.client.id, kind, entry_id)

    def _on_client_loaded(self, client: ClientDetails) -> None:
        self.client = client
        self.header.show_client(client)
        self.composer.setEnabled(client.deleted_at is None)

    def refresh(self) -> None:
        if self.client is not None:
            self.show_client(self.client.id)
            self.timeline.refresh()

    def _on_data_changed(self, changes: Changes) -> None:
        if self.client is None:
            return
        cid = self.client.id
        if changes.touches(cid, "client", "staff"):
            self.ctx.tasks.run(lambda: store.get_client(cid), self._on_client_loaded,
                               lambda err: self.ctx.events.error_reported.emit(err.message))
        if changes.touches(cid, "timeline", "promise") and "score" in changes.kinds:
            self.load_score(cid)
        self.timeline.on_data_changed(changes)

    def _on_page_loaded(self) -> None:
        model = self.timeline.timeline_model
        self.empty.setVisible(not model.entries)
        self.timeline.setVisible(bool(model.entries))
        if self._pending_jump:
            kind, entry_id = self._pending_jump
            if self.timeline.scroll_to_entry(kind, entry_id):
                self._pending_jump = None
            elif model.has_more and model.around_read != (kind, entry_id):
                model.load_around(kind, entry_id)  # issue 14: straight to the page holding it
            else:
                self._pending_jump = None

    # --- editing the client ---
    def edit_client(self) -> None:
        if self.client is None:
            return
        dialog = ClientDialog(self.ctx, self.client, self)
        dialog.open()

    # --- timeline actions ---
    def _on_fix_requested(self, entry: InteractionEntry) -> None:
        self.composer.setCurrentWidget(self.composer.interaction)
        self.composer.interaction.start_fix(entry)

    def _on_continue_requested(self, entry: InteractionEntry) -> None:
        self.composer.setCurrentWidget(self.composer.interaction)
        self.composer.interaction.start_continue(entry)

    def _on_interaction_logged(self, interaction_id: int, rating: int, channel: str, summary: str,
                               was_fix: bool) -> None:
        """Offer the follow-up that fits: a fix after a bad encounter, a thank-you after a good visit."""
        if was_fix:
            self.offer.hide()
            return
        if rating < 0:
            self._offer = ("fix", interaction_id, summary)
            self.offer_text.setText("Make the second impression count: schedule a fix within 48 hours?")
            self.offer_yes.setText("Schedule a fix")
        elif rating > 0 and channel in THANK_YOU_CHANNELS:
            self._offer = ("thanks", interaction_id, summary)
            self.offer_text.setText("That went well. Schedule a thank-you follow-up?")
            self.offer_yes.setText("Schedule a thank-you")
        else:
            self.offer.hide()
            return
        self.offer.show()

    def _on_offer_yes_clicked(self) -> None:
        self.offer.hide()
        if self._offer is None:
            return
        kind, origin, summary = self._offer
        self.composer.setCurrentWidget(self.composer.promise)
        if kind == "fix":
            self.composer.promise.prefill(f"Put it right: {summary}"[:500], self.composer.suggest_fix_due(), origin)
        else:
            self.composer.promise.prefill(f"Thank-you follow-up: {summary}"[:500], THANK_YOU_DUE, origin)

    def keep_promise(self, entry: PromiseEntry) -> None:
        apology: bool | None = False
        if entry.status in ("overdue", "broken"):
            apology = ask_apology(self)
            if apology is None:
                return
        by, pid, version = self.ctx.staff_id, entry.promise_id, entry.version or None
        self.ctx.tasks.run(lambda: store.keep_promise(pid, by=by, apology=apology, version=version),
                           lambda _: self.ctx.events.message_reported.emit("Promise marked kept."),
                           self._on_promise_failed)

    def _on_promise_failed(self, error: StoreError) -> None:
        """A colleague got there first (kept it, moved it): say so plainly and show what it is now."""
        if isinstance(error, ConflictError) and isinstance(error.current, store.PromiseRow):
            now = store.utcnow()
            current = error.current
            state = promise_rules.describe_status(current.status, fmt.local(current.due), fmt.local(now))
            QMessageBox.information(
                self, "A colleague changed this promise",
                f"{error.message}\n\nNow: '{current.text}', due {fmt.when(current.due, now)}, owner "
                f"{current.owner_name}, {state.lower()}.\n\nNothing was overwritten; the timeline shows the "
                "promise as it is now.")
            self.timeline.refresh()
            return
        self.ctx.events.error_reported.emit(error.message)

    def _on_promise_action_requested(self, action: str, entry: PromiseEntry) -> None:
        dialog = PromiseActionDialog(self.ctx, action, entry, self)
        dialog.open()

    def _on_delete_requested(self, entry: TimelineEntry) -> None:
        by = self.ctx.staff_id
        kind, eid = entry.kind, entry.id
        self.ctx.tasks.run(lambda: store.delete_entry(kind, eid, by=by),
                           lambda _: self.ctx.events.message_reported.emit(
                               "Moved to the Trash. Undo with Ctrl+Z."))

    def _on_pin_requested(self, entry: NoteEntry) -> None:
        by, eid, pinned = self.ctx.staff_id, entry.id, not entry.pinned
        self.ctx.tasks.run(lambda: store.edit_note(eid, by=by, pinned=pinned))

    def _on_edit_requested(self, entry: TimelineEntry) -> None:
        label = "summary" if isinstance(entry, InteractionEntry) else "note"
        current = entry.summary if isinstance(entry, InteractionEntry) else getattr(entry, "text", "")
        if isinstance(entry, InteractionEntry):
            text, ok = QInputDialog.getText(self, "Correct the summary", "Summary", QLineEdit.EchoMode.Normal, current)
        else:
            text, ok = QInputDialog.getMultiLineText(self, "Correct the note", "Note", current)
        if not ok or text == current:
            return
        by, eid = self.ctx.staff_id, entry.id
        if label == "summary":
            self.ctx.tasks.run(lambda: store.edit_interaction(eid, by=by, summary=text))
        else:
            self.ctx.tasks.run(lambda: store.edit_note(eid, by=by, text=text))


class PromiseActionDialog(FormDialog):
    """A new due date, another owner, or a cancellation with its reason."""

    TITLES = {"renegotiate": "New due date", "reassign": "Give to a colleague", "cancel": "Cancel promise"}

    def __init__(self, ctx: AppContext, action: str, entry: PromiseEntry, parent: QWidget | None = None) -> None:
        super().__init__(self.TITLES[action], parent)
        self.ctx, self.action, self.entry = ctx, action, entry
        self.version: int | None = entry.version or None
        self.field: Any
        form = QFormLayout()
        form.addRow(QLabel(f"<b>{entry.text}</b>", wordWrap=True))
        self.hint = QLabel(objectName="hint", wordWrap=True)
        self.reason = QLineEdit(placeholderText="Optional" if action == "renegotiate" else "Why? (required)")
        if action == "renegotiate":
            self.field = QLineEdit(placeholderText="When? For example: fri 3pm")
            self.field.textChanged.connect(self._on_due_text_changed)
            form.addRow("New due date, agreed with the client", self.field)
            form.addRow("", self.hint)
            form.addRow("Reason", self.reason)
        elif action == "reassign":
            self.field = QComboBox()
            now = store.utcnow()
            for member in ctx.team:
                note = " (has it now)" if member.id == entry.owner_id else " (away)" if member.is_away(now) else ""
                self.field.addItem(member.name + note, member.id)
            # Suggest somebody else: yourself when you don't have it, else the first colleague who is in.
            others = [m for m in ctx.team if m.id != entry.owner_id]
            suggested = next((m for m in others if m.id == ctx.staff_id), None) or \
                next((m for m in others if not m.is_away(now)), None)
            self.field.setCurrentIndex(max(0, self.field.findData(suggested.id if suggested else ctx.staff_id)))
            form.addRow("Give to", self.field)
        else:
            self.field = self.reason
            form.addRow("Reason", self.reason)
        self.finish(form)
        if action == "cancel":  # "Cancel" in a dialog that cancels a promise would read the wrong way round
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Cancel the promise")
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Keep it")

    def _on_due_text_changed(self, text: str) -> None:
        self.hint.setText(promise_rules.due_phrase_hint(text, fmt.local(store.utcnow())))

    def submit(self) -> None:
        by, pid, version = self.ctx.staff_id, self.entry.promise_id, self.version
        if self.action == "renegotiate":
            due_local = promise_rules.parse_due(self.field.text(), fmt.local(store.utcnow()))
            if due_local is None:
                self.show_error(promise_rules.due_phrase_hint(self.field.text(), fmt.local(store.utcnow())))
                return
            due, reason = due_local.astimezone(), self.reason.text()
            call = lambda: store.renegotiate_promise(pid, by=by, due=due, reason=reason, version=version)  # noqa: E731
        elif self.action == "reassign":
            owner = self.field.currentData()
            if not self._confirm_owner(owner):
                return
            call = lambda: store.reassign_promise(pid, by=by, owner=owner, version=version)  # noqa: E731
        else:
            reason = self.reason.text()
            call = lambda: store.cancel_promise(pid, by=by, reason=reason, version=version)  # noqa: E731
        self.ctx.tasks.run(call, lambda _: self.accept(), self._on_failed)

    def _confirm_owner(self, owner: int) -> bool:
        """Warn before handing a promise to a colleague who is away when it falls due."""
        member = next((m for m in self.ctx.team if m.id == owner), None)
        due = self.entry.current_due or self.entry.due
        now = store.utcnow()
        if member is None or owner == self.ctx.staff_id or not (member.is_away(now) or (due and member.is_away(due))):
            return True
        back = fmt.in_sentence(fmt.date_only(member.away_until, now)) if member.away_until else "later"
        answer = QMessageBox.question(self, "Colleague away",
                                      f"{member.name} is away then (back {back}). Give the promise to them anyway?")
        return answer == QMessageBox.StandardButton.Yes

    def _on_failed(self, error: StoreError) -> None:
        if isinstance(error, ConflictError) and isinstance(error.current, store.PromiseRow):
            theirs = error.current
            self.version = theirs.version  # a second OK saves this change on top of theirs, knowingly
            self.show_error(f"A colleague changed this promise meanwhile. Theirs: '{theirs.text}', due "
                       f"{fmt.when(theirs.due, store.utcnow())}, owner {theirs.owner_name}. Press OK again to save "
                       "yours on top of theirs, or Cancel to keep theirs.")
            return
        self.show_error(error.message)
