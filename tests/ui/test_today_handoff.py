"""The Today view, notices, covering for colleagues and the hand-off card, driven through the real widgets."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox, QSystemTrayIcon

from models import store
from models.store import Changes, DeskDay, PromiseEntry
from models.store.day import promises_to_announce
from tests.ui.conftest import open_dialog
from ui.dialogs.handoff import HandoffDialog, handoff_html, save_pdf
from ui.main_window import MainWindow
from ui.notify import Notifier, notice_text, summary_text
from ui.views.today import PromiseTableModel, TodayView

# Monday 23 November 2026 at noon, desk time: every "today" below is this local day.
NOON = datetime(2026, 11, 23, 12, 0).astimezone().astimezone(UTC)
Yes, No = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(ready: MainWindow) -> Clock:
    c = Clock(NOON)
    store.set_clock(c)
    return c


@pytest.fixture
def today(ready: MainWindow, qtbot, clock: Clock) -> TodayView:
    view = TodayView(ready.ctx)
    qtbot.addWidget(view)
    view.resize(1100, 700)
    return view


def promise(client: int, by: int, text: str, due: datetime, owner: int | None = None) -> int:
    return store.make_promise(client, by=by, text=text, due=due, owner=owner).id


def show(view: TodayView) -> TodayView:
    view.show()  # a shown view reads at once (SyncTasks)
    return view


def click(view: TodayView, promise_id: int, column: int, section: str | None = None) -> None:
    row = view.table_model.row_of(promise_id, section)
    assert row >= 0, f"promise {promise_id} is not on the Today view"
    view.table.clicked.emit(view.table_model.index(row, column))


class Asked:
    """What QMessageBox.question was asked, and the answer it gives (Yes unless a test says otherwise)."""

    def __init__(self) -> None:
        self.questions: list[str] = []
        self.answer = Yes

    def __call__(self, parent, title, text, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN204
        self.questions.append(text)
        return self.answer


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> Asked:
    answers = Asked()
    monkeypatch.setattr(QMessageBox, "question", staticmethod(answers))
    return answers


def test_sections_come_in_order_overdue_first_each_by_due_date(today: TodayView, seeded) -> None:
    anna, oliver, isla = seeded["anna"], seeded["oliver"], seeded["isla"]
    late = promise(oliver, anna, "Send the corrected invoice", NOON - timedelta(hours=3))
    broken = promise(isla, anna, "Call back about the boiler", NOON - timedelta(hours=60))
    later_today = promise(isla, anna, "Confirm the inspection", NOON + timedelta(hours=5))
    sooner_today = promise(oliver, anna, "Email the renewal terms", NOON + timedelta(hours=2))
    in_three_days = promise(oliver, anna, "Post the certificate", NOON + timedelta(days=3))
    tomorrow = promise(isla, anna, "Chase the contractor", NOON + timedelta(days=1))
    promise(oliver, anna, "Far away", NOON + timedelta(days=12))
    kept = promise(oliver, anna, "Already done", NOON + timedelta(hours=1))
    store.keep_promise(kept, by=anna)
    show(today)

    assert [r.id for r in today.rows_in("overdue")] == [broken, late]
    assert [r.id for r in today.rows_in("today")] == [sooner_today, later_today]
    assert [r.id for r in today.rows_in("upcoming")] == [tomorrow, in_three_days]
    lines = today.table_model.lines
    headings = [line.text for line in lines if line.kind == "heading"]
    assert headings == ["Overdue (2)", "Due today (2)", "Next 7 days (2)", "Covering for colleagues who are away"]
    model = today.table_model
    row = model.row_of(late)
    assert model.index(row, PromiseTableModel.CLIENT).data() == "Oliver Thompson"
    assert model.index(row, PromiseTableModel.OWNER).data() == "Anna Keller"
    assert model.index(row, PromiseTableModel.DUE).data() == "Overdue by 3 hours"
    assert model.index(model.row_of(broken), PromiseTableModel.DUE).data().startswith("Broken")
    assert model.index(model.row_of(sooner_today), PromiseTableModel.DUE).data() == "Due today at 2:00 pm"
    assert model.index(model.row_of(in_three_days), PromiseTableModel.DUE).data() == "Due in 3 days (Thu 26 Nov)"
    assert model.index(row, PromiseTableModel.ACTION).data() == "Mark kept"
    assert today.summary.text() == "2 overdue, 2 due today (yours), 0 to cover"


def test_empty_sections_say_so_in_words(today: TodayView) -> None:
    show(today)
    empty = [line.text for line in today.table_model.lines if line.kind == "empty"]
    assert empty == ["Nothing overdue. Well done.", "Nothing is due today.", "Nothing due in the next 7 days.",
                     "Nobody is away, so there is nothing to cover."]


def test_the_score_badge_shows_number_and_band(today: TodayView, seeded) -> None:
    anna, oliver = seeded["anna"], seeded["oliver"]
    store.log_interaction(oliver, by=anna, summary="Lovely visit", rating=2, channel="visit")
    pid = promise(oliver, anna, "Send the photos", NOON + timedelta(hours=2))
    store.refresh_scores(client_ids=[oliver])
    show(today)
    score = store.client_score(oliver).badge
    model = today.table_model
    assert model.index(model.row_of(pid), PromiseTableModel.SCORE).data() == f"{score.score} {score.band}"


def test_missing_badges_are_worked_out_and_shown(today: TodayView, seeded, qtbot) -> None:
    pid = promise(seeded["oliver"], seeded["anna"], "Send the photos", NOON + timedelta(hours=2))
    show(today)
    qtbot.waitUntil(lambda: today.rows_in("today") and today.rows_in("today")[0].client_score is not None,
                    timeout=3000)
    model = today.table_model
    assert model.index(model.row_of(pid), PromiseTableModel.SCORE).data().split()[1] in ("Green", "Amber", "Red")


def test_mine_and_team_and_covering_always_shows_away_colleagues(today: TodayView, seeded) -> None:
    anna, ben, oliver, isla = seeded["anna"], seeded["ben"], seeded["oliver"], seeded["isla"]
    mine = promise(oliver, anna, "Mine today", NOON + timedelta(hours=2))
    bens = promise(isla, anna, "Ben's today", NOON + timedelta(hours=3), owner=ben)
    today.mine_button.click()
    show(today)
    assert [r.id for r in today.rows_in("today")] == [mine]
    assert today.rows_in("covering") == ()
    today.team_button.click()
    assert [r.id for r in today.rows_in("today")] == [mine, bens]
    assert today.ctx.settings.value("today/scope") == "team"

    store.set_away(ben, by=anna, away_from=NOON - timedelta(days=1), away_until=NOON + timedelta(days=3),
                   reason="Holiday")
    today.ctx.events.data_changed.emit(Changes(kinds=frozenset({"staff"})))
    assert [r.id for r in today.rows_in("covering")] == [bens]
    today.mine_button.click()
    assert [r.id for r in today.rows_in("today")] == [mine]
    assert [r.id for r in today.rows_in("covering")] == [bens]  # covering ignores the filter
    model = today.table_model
    row = model.row_of(bens, "covering")
    assert model.index(row, PromiseTableModel.OWNER).data() == "Ben Okafor (away)"
    assert model.index(row, PromiseTableModel.ACTION).data() == "I'll take it"


def test_one_click_on_the_client_opens_it(today: TodayView, ready: MainWindow, seeded, qtbot) -> None:
    pid = promise(seeded["isla"], seeded["anna"], "Call back", NOON + timedelta(hours=2))
    show(today)
    with qtbot.waitSignal(ready.ctx.events.client_requested) as signal:
        click(today, pid, PromiseTableModel.CLIENT)
    assert signal.args == [seeded["isla"]]
    assert ready.client_view.client is not None and ready.client_view.client.name == "Isla Walsh"


def test_enter_on_a_row_opens_its_client(today: TodayView, ready: MainWindow, seeded, qtbot) -> None:
    pid = promise(seeded["oliver"], seeded["anna"], "Call back", NOON + timedelta(hours=2))
    show(today)
    today.table.setCurrentIndex(today.table_model.index(today.table_model.row_of(pid), PromiseTableModel.PROMISE))
    with qtbot.waitSignal(ready.ctx.events.client_requested) as signal:
        qtbot.keyClick(today.table, Qt.Key.Key_Return)
    assert signal.args == [seeded["oliver"]]


def test_mark_kept_on_time_asks_nothing(today: TodayView, seeded, asked: Asked) -> None:
    pid = promise(seeded["oliver"], seeded["anna"], "Call back", NOON + timedelta(hours=2))
    show(today)
    click(today, pid, PromiseTableModel.ACTION)
    assert asked.questions == []
    assert store.get_promise(pid).status == "kept"
    assert today.rows_in("today") == ()  # refreshed through data_changed


@pytest.mark.parametrize(("answer", "apology"), [(Yes, True), (No, False)])
def test_mark_kept_late_asks_about_the_apology(today: TodayView, seeded, asked: Asked, answer, apology) -> None:
    oliver = seeded["oliver"]
    pid = promise(oliver, seeded["anna"], "Send the invoice", NOON - timedelta(hours=5))
    show(today)
    asked.answer = answer
    click(today, pid, PromiseTableModel.ACTION)
    assert asked.questions == ["This promise is late. Did you apologise to the client?"]
    assert store.get_promise(pid).status == "kept_late"
    kept = next(e for e in store.timeline(oliver) if isinstance(e, PromiseEntry) and e.action == "kept")
    assert kept.apology is apology


def test_cancelling_the_apology_question_keeps_nothing(today: TodayView, seeded, asked: Asked) -> None:
    pid = promise(seeded["oliver"], seeded["anna"], "Send the invoice", NOON - timedelta(hours=5))
    show(today)
    asked.answer = QMessageBox.StandardButton.Cancel
    click(today, pid, PromiseTableModel.ACTION)
    assert store.get_promise(pid).record_status == "open"


def test_keeping_twice_shows_the_stores_sentence(today: TodayView, seeded) -> None:
    anna, ben = seeded["anna"], seeded["ben"]
    pid = promise(seeded["oliver"], anna, "Call back", NOON + timedelta(hours=2))
    show(today)
    row = today.rows_in("today")[0]
    store.keep_promise(pid, by=ben)  # at another desk, a moment ago; this view has not heard yet
    today.keep(row)
    assert today.error.isVisible()
    assert today.error.text().startswith("This promise was already kept by Ben Okafor")
    assert today.rows_in("today") == ()  # and the list shows how things are now
    assert store.get_promise(pid).status == "kept"


def test_a_promise_on_a_deleted_client_is_explained(today: TodayView, seeded) -> None:
    anna, isla = seeded["anna"], seeded["isla"]
    promise(isla, anna, "Call back", NOON + timedelta(hours=2))
    show(today)
    row = today.rows_in("today")[0]
    store.delete_client(isla, by=anna)  # another desk moved the client to the Trash
    today.keep(row)
    assert today.error.text() == "Isla Walsh was deleted; restore the client from the Trash first."
    assert today.rows_in("today") == ()


def test_ill_take_it_makes_the_promise_mine_with_a_timeline_entry(today: TodayView, seeded, asked) -> None:
    anna, ben, isla = seeded["anna"], seeded["ben"], seeded["isla"]
    store.set_away(ben, by=anna, away_from=NOON - timedelta(days=1), away_until=NOON + timedelta(days=3))
    pid = promise(isla, anna, "Chase the contractor", NOON + timedelta(days=1), owner=ben)
    today.mine_button.click()
    show(today)
    assert [r.id for r in today.rows_in("covering")] == [pid]
    click(today, pid, PromiseTableModel.ACTION, "covering")
    assert asked.questions == []  # Anna is not away: nothing to ask
    assert store.get_promise(pid).owner_id == anna
    step = next(e for e in store.timeline(isla) if isinstance(e, PromiseEntry) and e.action == "reassigned")
    assert (step.old_owner_name, step.owner_name, step.staff_name) == ("Ben Okafor", "Anna Keller", "Anna Keller")
    assert today.rows_in("covering") == ()
    assert [r.id for r in today.rows_in("upcoming")] == [pid]


def test_taking_a_promise_while_away_yourself_asks_first(today: TodayView, ready, seeded, asked) -> None:
    anna, ben = seeded["anna"], seeded["ben"]
    store.set_away(ben, by=anna, away_from=NOON - timedelta(days=1), away_until=NOON + timedelta(days=3))
    store.set_away(anna, by=anna, away_from=NOON + timedelta(hours=1), away_until=NOON + timedelta(days=5),
                   reason="Training")
    pid = promise(seeded["isla"], anna, "Chase the contractor", NOON + timedelta(days=1), owner=ben)
    show(today)
    asked.answer = No
    click(today, pid, PromiseTableModel.ACTION, "covering")
    assert len(asked.questions) == 1 and asked.questions[0].startswith("You are marked as away until")
    assert "(Training)" in asked.questions[0]
    assert store.get_promise(pid).owner_id == ben


def test_giving_a_promise_to_an_away_colleague_warns(today: TodayView, seeded, asked, monkeypatch) -> None:
    anna, ben = seeded["anna"], seeded["ben"]
    store.set_away(ben, by=anna, away_from=NOON + timedelta(days=1), away_until=NOON + timedelta(days=4),
                   reason="Holiday")
    pid = promise(seeded["oliver"], anna, "Send the keys", NOON + timedelta(days=2))
    show(today)
    offered: list[list[str]] = []

    def get_item(parent, title, label, items, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        offered.append(list(items))
        return items[0], True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(get_item))
    row = today.rows_in("upcoming")[0]
    asked.answer = No
    today.give(row)
    assert offered == [["Ben Okafor (away from tomorrow until Fri 27 Nov)"]]
    assert asked.questions == ["Ben Okafor is away until Fri 27 Nov (Holiday), so this promise would fall due while "
                               "they are not here. Give it to them anyway?"]
    assert store.get_promise(pid).owner_id == anna
    asked.answer = Yes
    today.give(today.rows_in("upcoming")[0])
    assert store.get_promise(pid).owner_id == ben


def test_the_view_follows_changes_and_the_clock(today: TodayView, ready, seeded, clock: Clock) -> None:
    show(today)
    anna, oliver = seeded["anna"], seeded["oliver"]
    ready.ctx.tasks.run(lambda: store.make_promise(oliver, by=anna, text="Ring back", due=NOON + timedelta(hours=1)))
    assert [r.text for r in today.rows_in("today")] == ["Ring back"]
    clock.now = NOON + timedelta(hours=2)
    ready.ctx.events.clock_ticked.emit()
    assert [r.text for r in today.rows_in("overdue")] == ["Ring back"]


def test_a_hidden_view_reads_when_shown_again(today: TodayView, ready, seeded, monkeypatch) -> None:
    show(today)
    today.hide()
    reads: list[int] = []  # this view's reads (the window's own Today view and notifier read for themselves)
    real = today.load
    monkeypatch.setattr(today, "load", lambda: reads.append(1) or real())
    ready.ctx.tasks.run(lambda: store.make_promise(seeded["oliver"], by=seeded["anna"], text="Ring back",
                                                   due=NOON + timedelta(hours=1)))
    assert reads == [] and today.rows_in("today") == ()  # nothing re-read while hidden
    today.show()
    assert reads == [1]
    assert [r.text for r in today.rows_in("today")] == ["Ring back"]


# --- notices ---------------------------------------------------------------------------------------

def test_the_start_summary_counts_overdue_today_and_covering(seeded, clock: Clock) -> None:
    anna, ben, oliver = seeded["anna"], seeded["ben"], seeded["oliver"]
    for hours in (-30, -3, -60):
        promise(oliver, anna, f"Late {hours}", NOON + timedelta(hours=hours))
    promise(oliver, anna, "Today", NOON + timedelta(hours=3))
    promise(oliver, anna, "Later", NOON + timedelta(days=2))
    promise(oliver, anna, "Ben's", NOON + timedelta(hours=4), owner=ben)
    assert summary_text(store.desk_day(staff_id=anna), anna) == "3 promises overdue, 1 due today."
    store.set_away(ben, by=anna, away_from=NOON - timedelta(days=1), away_until=NOON + timedelta(days=3))
    assert summary_text(store.desk_day(staff_id=anna), anna) == \
        "3 promises overdue, 1 due today, 1 to cover today for colleagues who are away."
    assert summary_text(DeskDay((), (), (), ()), anna) == "Nothing overdue or due today."
    assert summary_text(store.desk_day(staff_id=ben), ben) == "1 promise due today."


def test_which_promises_to_announce_and_the_words(seeded, clock: Clock) -> None:
    anna, oliver = seeded["anna"], seeded["oliver"]
    soon = promise(oliver, anna, "Call back", NOON + timedelta(minutes=5))
    later = promise(oliver, anna, "Email", NOON + timedelta(hours=3))
    day = store.desk_day(staff_id=anna)
    rows = promises_to_announce(day, anna, NOON, set())
    assert [r.id for r in rows] == [soon]
    assert promises_to_announce(day, anna, NOON, {soon}) == []
    assert notice_text(rows, NOON, anna) == "Due at 12:05 pm: Call back for Oliver Thompson."
    clock.now = NOON + timedelta(hours=4)
    day = store.desk_day(staff_id=anna)
    rows = promises_to_announce(day, anna, clock.now, {soon})
    assert [r.id for r in rows] == [later]
    assert notice_text(rows, clock.now, anna) == "Overdue since 3:00 pm: Email for Oliver Thompson."


class FakeTray(QSystemTrayIcon):
    """A tray icon that remembers its messages instead of showing them."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def showMessage(self, title, message, *args, **kwargs) -> None:  # noqa: N802, ANN001, ANN002, ANN003
        self.messages.append(message)


def test_the_notifier_sums_up_then_announces_each_promise_once(ready, seeded, clock: Clock, qtbot) -> None:
    anna, oliver = seeded["anna"], seeded["oliver"]
    promise(oliver, anna, "Send the invoice", NOON - timedelta(hours=2))
    due_soon = promise(oliver, anna, "Ring back", NOON + timedelta(hours=1))
    notifier = Notifier(ready.ctx, ready, tray=False)
    banners: list[str] = []
    notifier.banner_requested.connect(banners.append)
    notifier.refresh()
    assert banners == ["1 promise overdue, 1 due today."]
    notifier.refresh()
    assert len(banners) == 1  # nothing new fell due
    clock.now = NOON + timedelta(minutes=55)
    ready.ctx.events.clock_ticked.emit()
    assert banners[1:] == ["Due at 1:00 pm: Ring back for Oliver Thompson."]
    assert due_soon in notifier.announced_ids
    clock.now = NOON + timedelta(hours=2)
    notifier.refresh()
    ready.ctx.events.clock_ticked.emit()
    assert len(banners) == 2  # never the same promise twice in a session
    assert notifier.timer.isActive()
    notifier.stop()


def test_the_notifier_uses_the_tray_when_there_is_one(ready, seeded, clock: Clock) -> None:
    promise(seeded["oliver"], seeded["anna"], "Ring back", NOON + timedelta(hours=1))
    tray = FakeTray()
    notifier = Notifier(ready.ctx, ready, tray=tray)
    banners: list[str] = []
    notifier.banner_requested.connect(banners.append)
    notifier.refresh()
    assert tray.messages == ["1 promise due today."] and banners == []
    clock.now = NOON + timedelta(minutes=52)
    notifier.refresh()
    assert tray.messages[1] == "Due at 1:00 pm: Ring back for Oliver Thompson."
    with_client: list[int] = []
    ready.ctx.events.client_requested.connect(with_client.append)
    tray.messageClicked.emit()
    assert with_client == [seeded["oliver"]]
    notifier.stop()


def test_a_covering_notice_names_whose_promise_it_is(seeded, clock: Clock) -> None:
    anna, ben = seeded["anna"], seeded["ben"]
    store.set_away(ben, by=anna, away_from=NOON - timedelta(days=1), away_until=NOON + timedelta(days=3))
    promise(seeded["isla"], anna, "Post the keys", NOON + timedelta(minutes=5), owner=ben)
    rows = promises_to_announce(store.desk_day(staff_id=anna), anna, NOON, set())
    assert notice_text(rows, NOON, anna) == \
        "Due at 12:05 pm: Post the keys for Isla Walsh (Ben Okafor's promise; they are away)."


def test_many_promises_at_once_make_one_notice(seeded, clock: Clock) -> None:
    anna = seeded["anna"]
    for n in range(5):
        promise(seeded["oliver"] if n % 2 else seeded["isla"], anna, f"Thing {n}", NOON - timedelta(minutes=n + 1))
    rows = promises_to_announce(store.desk_day(staff_id=anna), anna, NOON, set())
    assert notice_text(rows, NOON, anna) == \
        "5 promises need you now: Isla Walsh, Oliver Thompson. Open Today to see them."


# --- the hand-off card ------------------------------------------------------------------------------

@pytest.fixture
def card_client(seeded, clock: Clock) -> int:
    anna, ben, oliver = seeded["anna"], seeded["ben"], seeded["oliver"]
    client = store.get_client(oliver)
    store.update_client(oliver, version=client.version, by=anna, caution="Upset about the <script>alert(1)</script>",
                        preferred_channel="email", usual_handler=ben)
    clock.now = NOON - timedelta(days=3)
    store.log_interaction(oliver, by=ben, summary="Invoice was wrong & he was cross", rating=-2, channel="phone")
    clock.now = NOON - timedelta(days=2)
    store.add_note(oliver, by=anna, text="Call after 5 pm <b>only</b>", pinned=True)
    store.add_note(oliver, by=anna, text="An unpinned note")
    promise(oliver, anna, "Send the corrected invoice", NOON - timedelta(hours=20))
    promise(oliver, anna, "Confirm the visit", NOON + timedelta(days=2), owner=ben)
    clock.now = NOON
    return oliver


def test_the_hand_off_html_has_everything_and_escapes_what_people_typed(card_client: int) -> None:
    card = store.handoff_card(card_client)
    page = handoff_html(card, NOON)
    assert "Oliver Thompson" in page and "Bayview Holdings" in page
    assert f"{card.score.badge.score} {card.score.badge.band}" in page
    assert card.score.reasons and all(
        r.sentence.replace("&", "&amp;").replace("'", "&#x27;") in page for r in card.score.reasons)
    assert "Send the corrected invoice" in page and "Confirm the visit" in page
    assert page.index("Send the corrected invoice") < page.index("Confirm the visit")  # overdue first
    assert "Overdue by 20 hours" in page
    assert "Call after 5 pm &lt;b&gt;only&lt;/b&gt;" in page and "An unpinned note" not in page
    assert "Caution:" in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>" not in page
    assert "Invoice was wrong &amp; he was cross" in page and "not put right yet" in page
    assert "Prefers" in page and "Email" in page and "Ben Okafor" in page
    assert "Prepared by Rapport on Mon 23 Nov 2026, 12:00 pm." in page


def test_the_hand_off_card_saves_as_a_pdf(card_client: int, tmp_path: Path) -> None:
    card = store.handoff_card(card_client)
    path = save_pdf(card, tmp_path / "card.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(data) > 1024
    assert "Oliver Thompson".encode("utf-16-be") in data  # the document title names the client


def test_the_hand_off_dialog_from_the_today_view(today: TodayView, card_client: int, tmp_path: Path,
                                                 qtbot) -> None:
    show(today)
    today.show_handoff(card_client)
    dialog = open_dialog(today, HandoffDialog)
    assert isinstance(dialog, HandoffDialog)
    assert dialog.card is not None and dialog.card.client.name == "Oliver Thompson"
    assert dialog.windowTitle() == "Hand-off card: Oliver Thompson"
    assert "Send the corrected invoice" in dialog.browser.toPlainText()
    assert dialog.pdf_button.isEnabled() and dialog.print_button.isEnabled()
    target = tmp_path / "saved.pdf"
    assert dialog.save_to(str(target)) and target.read_bytes().startswith(b"%PDF")
    missing = tmp_path / "no such folder" / "card.pdf"
    assert not dialog.save_to(str(missing))
    assert dialog.error.isVisible()
    assert dialog.error.text().startswith(f"The PDF could not be saved to {missing}")
    assert dialog.error.text().endswith("Choose another folder and try again.")
    dialog.close()


def test_the_hand_off_dialog_says_so_for_a_client_that_does_not_exist(ready: MainWindow, clock: Clock) -> None:
    dialog = HandoffDialog(ready.ctx, 9999, ready)
    assert dialog.card is None
    assert dialog.error.text() == "That client does not exist (any more)."
    assert not dialog.pdf_button.isEnabled()
    dialog.close()


def test_a_notice_for_a_promise_due_yesterday_names_the_day(seeded, clock: Clock) -> None:
    """Stumble 4: 'Overdue since 6:24 pm' for a promise due yesterday."""
    oliver, anna = seeded["oliver"], seeded["anna"]
    promise(oliver, anna, "Call back", NOON - timedelta(hours=17, minutes=36))  # yesterday, 6:24 pm
    day = store.desk_day(staff_id=anna)
    rows = promises_to_announce(day, anna, NOON, set())
    assert rows and rows[0].status == "overdue"
    assert notice_text(rows, NOON, anna) == "Overdue since yesterday, 6:24 pm: Call back for Oliver Thompson."


def test_save_as_pdf_starts_in_documents_and_says_where_the_file_went(today: TodayView, card_client: int,
                                                                     tmp_path: Path, qtbot, monkeypatch) -> None:
    """Stumble 10: Save as PDF started in the program's folder; where the file went was said behind the dialog."""
    from PySide6.QtCore import QStandardPaths
    from PySide6.QtWidgets import QFileDialog

    show(today)
    today.show_handoff(card_client)
    dialog = open_dialog(today, HandoffDialog)
    offered: list[str] = []
    target = tmp_path / "card.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda parent, title, start, filters: offered.append(start) or (str(target), "")))
    dialog.ask_and_save_pdf()
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
    assert offered and Path(offered[0]).parent == Path(documents)
    assert target.exists() and dialog.saved_line.isVisible() and str(target.resolve()) in dialog.saved_line.text()
