"""One client, picked up: who they are, what to watch out for, the composer and the timeline."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from models import store
from models.rules.vocab import channel_label
from models.store import ChangeKind, Changes, ClientDetails, InteractionEntry, PromiseEntry, StaffMember
from ui import settings as desk
from ui.actions import clients as client_actions
from ui.actions import entries as entry_actions
from ui.actions import promises as promise_actions
from ui.app import dress
from ui.context import AppContext
from ui.lifetime import subscribe
from ui.views.composer import Composer
from ui.views.score import HistoryChart, ReasonsPanel, ScoreBadge
from ui.views.timeline import TimelineView
from ui.watcher import also_here_text

# A good visit or meeting deserves a thank-you a couple of days later (the promises issue).
THANK_YOU_CHANNELS = ("visit", "meeting")
THANK_YOU_DUE = "in 2 days"


class ClientHeader(QWidget):
    """Name, organisation, how to reach them, and the caution note in plain sight."""

    edit_requested = Signal()
    """The person wants to edit the client's details."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = dress(QLabel(objectName="clientName", wordWrap=True))
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.contact = dress(QLabel(objectName="muted", wordWrap=True))
        for label in (self.name, self.contact):  # a very long name or email wraps or is cut, never widens the
            label.setMinimumWidth(1)             # screen past the window (the list beside it shrank to nothing)
        self.contact.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.caution = dress(QLabel(objectName="caution", wordWrap=True))
        self.caution.hide()
        self.also_here = dress(QLabel(objectName="presence"))
        self.also_here.hide()
        self.badge = ScoreBadge()
        self.why_button = QPushButton(objectName="disclosure")
        self.why_button.setCheckable(True)
        self.why_button.toggled.connect(self._on_why_button_toggled)
        self.why_button.setChecked(True)
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

    def _on_why_button_toggled(self, shown: bool) -> None:
        """A disclosure that says what a click does: the reasons are shown (click hides them) or hidden."""
        self.why_button.setText(("\u25be Hide" if shown else "\u25b8 Show") + " why this score")
        self.why_button.setToolTip("The reasons behind the score and its history are "
                                   + ("shown; click to hide them" if shown else "hidden; click to show them"))

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
        more = [line.strip() for line in client.more_details.splitlines() if line.strip()]  # issue 15
        if more:
            rest = f"  (+{len(more) - 2} more)" if len(more) > 2 else ""
            lines.append("\u00a0\u00a0·\u00a0 ".join(more[:2]) + rest)
        self.contact.setToolTip("\n".join(more))
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
        self.offer = dress(QWidget(objectName="offer"))
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
        self.empty = dress(QLabel("Nothing on the timeline yet. Log the first call, visit or email above.",
                                  objectName="muted",
                                  alignment=Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop))
        self.empty.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.score_panel)
        layout.addWidget(self.composer)
        layout.addWidget(self.offer)
        layout.addWidget(self.empty, 1)  # whichever of the two shows takes the rest: the forms keep their size
        layout.addWidget(self.timeline, 1)

        self.header.edit_requested.connect(self.edit_client)
        shown = desk.flag(ctx.settings, desk.SCORE_SHOWN, True)  # as this desk left it
        self.header.why_button.setChecked(shown)
        self.score_panel.setVisible(shown)
        self.header.why_button.toggled.connect(self._on_why_button_toggled)
        self.reasons.reason_clicked.connect(self._on_reason_clicked)
        self.composer.interaction.logged.connect(self._on_interaction_logged)
        self.offer_yes.clicked.connect(self._on_offer_yes_clicked)
        self.offer_no.clicked.connect(self.offer.hide)
        self.timeline.fix_requested.connect(self._on_fix_requested)
        self.timeline.continue_requested.connect(self._on_continue_requested)
        self.timeline.keep_requested.connect(self.keep_promise)
        self.timeline.promise_action_requested.connect(self._on_promise_action_requested)
        self.timeline.delete_requested.connect(lambda entry: entry_actions.trash(self.ctx, entry))
        self.timeline.pin_requested.connect(lambda entry: entry_actions.toggle_pin(self.ctx, entry))
        self.timeline.edit_requested.connect(lambda entry: entry_actions.correct(self.ctx, self, entry))
        self.timeline.timeline_model.page_loaded.connect(self._on_page_loaded)
        subscribe(self, ctx.events.data_changed, self._on_data_changed)
        subscribe(self, ctx.events.clock_ticked, self.refresh)
        subscribe(self, ctx.events.team_changed, self._on_team_changed)
        subscribe(self, ctx.events.staff_changed, self._on_staff_changed)
        subscribe(self, ctx.events.presence_changed, self._on_presence_changed)
        self._on_team_changed()

    # --- showing a client ---
    def show_client(self, client_id: int, *, jump_to: tuple[str, int] | None = None) -> None:
        self._pending_jump = jump_to
        if self.client is None or self.client.id != client_id:
            self.offer.hide()
            self.composer.set_client(client_id, self.ctx.drafts)
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
        self._on_presence_changed()  # who else is on *this* client, once it is the one shown
        self.composer.setEnabled(client.deleted_at is None)

    def refresh(self) -> None:
        if self.client is not None:
            self.show_client(self.client.id)
            self.timeline.refresh()

    def _on_data_changed(self, changes: Changes) -> None:
        if self.client is None:
            return
        cid = self.client.id
        if changes.touches(cid, ChangeKind.CLIENT, ChangeKind.STAFF):
            self.ctx.tasks.run(lambda: store.get_client(cid), self._on_client_loaded,
                               lambda err: self.ctx.events.error_reported.emit(err.message))
        if changes.touches(cid, ChangeKind.TIMELINE, ChangeKind.PROMISE) and ChangeKind.SCORE in changes.kinds:
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
        if self.client is not None:
            client_actions.edit(self.ctx, self, self.client)

    def _on_why_button_toggled(self, shown: bool) -> None:
        self.score_panel.setVisible(shown)
        self.ctx.settings.setValue(desk.SCORE_SHOWN, shown)

    def _on_presence_changed(self, _online: object = None) -> None:
        self.header.set_also_here(also_here_text(self.ctx.others_on(self.client.id)) if self.client else "")

    def flush_drafts(self) -> None:
        """Write the drafts of half-typed text now, into the office they belong to, and empty the forms."""
        for form in self.composer.forms():
            form.set_client(None, form.drafts)

    def _on_team_changed(self) -> None:
        self.composer.promise.set_team(self.ctx.team, self.ctx.staff_id)

    def _on_staff_changed(self, _member: StaffMember) -> None:
        self._on_team_changed()

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
        name = self.client.name if self.client else ""
        promise_actions.keep(self.ctx, self, promise_actions.ref(entry, name), after=self.timeline.refresh)

    def _on_promise_action_requested(self, action: str, entry: PromiseEntry) -> None:
        promise = promise_actions.ref(entry, self.client.name if self.client else "")
        {"renegotiate": promise_actions.renegotiate, "reassign": promise_actions.choose_owner,
         "cancel": promise_actions.cancel, "correct": promise_actions.correct_text}[action](self.ctx, self, promise)
