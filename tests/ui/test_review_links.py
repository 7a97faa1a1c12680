"""Every number of the review is a link (issue 17): each one, clicked or chosen from the keyboard, opens the list
of exactly the interactions, promises or clients it counts — the tables' and the sentences' numbers, the band
counts and band moves, the at-risk count, the bars of the charts and each week's point of the trend."""
# ruff: noqa: F811 (the demo office's review fixtures come from test_review_view; tests take them by name)
from __future__ import annotations

import html
import re

from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtWidgets import QApplication, QTableView

from models import store
from models.rules import review as rr
from models.store import Figures, Share
from tests.ui.test_review_view import demo_file, view  # noqa: F401 (the fixtures: the demo office's review)
from ui.views.review import TREND_FIGURES, EventsDialog, Link, ReviewView

ANCHOR = re.compile(r"<a href='([^']*)'>([^<]*)</a>")


def _open(view: ReviewView, href: str) -> EventsDialog:
    view.events_dialog = None
    view._on_anchor_clicked(QUrl(html.escape(href)))  # as the browser hands it over: entities as written
    dialog = view.events_dialog
    assert isinstance(dialog, EventsDialog), href
    return dialog


def _rows(view: ReviewView, href: str) -> int:
    dialog = _open(view, href)
    rows = dialog.table.rowCount()
    dialog.close()
    return rows


def _showing(view: ReviewView, qtbot, tab) -> None:
    view.tabs.setCurrentWidget(tab)
    view.show()
    qtbot.waitExposed(view)


def _group_figures(view: ReviewView, link: Link) -> Figures:
    review = view.previous if link.previous else view.review
    assert review is not None
    kind, key = link.group
    return review.office if kind == "office" else {"staff": review.by_staff, "channel": review.by_channel,
                                                   "topic": review.by_topic}[kind][key]


def _sections(view: ReviewView) -> dict[str, str]:
    return {"attention": view.attention_html(links=True), "colleagues": view.colleagues_html(links=True),
            "clients": view.clients_html(links=True)}


def test_every_whole_number_in_the_review_opens_as_many_events_as_it_says(view: ReviewView) -> None:
    """Click every number of every section: a count lists that many entries; a percent goes where its count
    goes; every number opens something (the median time to fix: the fixed problems it is taken over)."""
    checked = 0
    for name, text in _sections(view).items():
        anchors = [(html.unescape(h), html.unescape(t)) for h, t in ANCHOR.findall(text)]
        assert anchors
        for href, label in anchors:
            if not href.startswith("events:"):
                continue
            link = Link.parse(href)
            assert link is not None
            if link.figure == "time_to_fix_hours":  # a median: it opens the fixed problems it is taken over
                assert _rows(view, href) >= 1
            elif re.fullmatch(r"[\d,]+", label):
                assert _rows(view, href) == int(label.replace(",", "")), (name, label, link)
                checked += 1
            elif label.endswith("%"):  # "7 of 9, 78%": the 78% opens the 7
                share = getattr(_group_figures(view, link), link.figure)
                assert link.side == "count" and _rows(view, href) == share.count, (name, label, link)
                assert rr.percent(share) == int(label[:-1])
            elif label.startswith("Show all "):
                assert _rows(view, href) == int(label[len("Show all "):].replace(",", ""))
            else:
                raise AssertionError((name, label, link))
    assert checked > 100


def test_no_number_in_the_review_is_left_without_a_link(view: ReviewView) -> None:
    """Outside the links, the only digits are the rules' own constants ("after 48 hours", "in 30 days") and
    the times of the entries listed under a Needs attention line (each entry a link itself)."""
    for name, text in _sections(view).items():
        text = re.sub(r"<span title='when'>.*?</span>", "", text)  # when, who and where an entry happened
        plain = html.unescape(re.sub(r"<[^>]+>", " ", ANCHOR.sub(" ", text)))
        assert set(re.findall(r"\d+", plain)) <= {"48", "30"}, (name, re.findall(r"[^ ]*\d+[^ ]*", plain))


def test_the_shares_parts_open_the_counted_all_and_pending(view: ReviewView) -> None:
    review = view.review
    assert review is not None
    seen = set()
    for figure in rr.SHARES:
        share: Share = getattr(review.office, figure)
        for side, expected in (("count", share.count), ("of", share.of), ("pending", share.pending)):
            if expected:
                assert _rows(view, Link(figure, rr.OFFICE, side).url()) == expected, (figure, side)
                seen.add(side)
    assert seen == {"count", "of", "pending"}  # the demo has every kind


def test_band_counts_band_moves_and_at_risk_list_their_clients(view: ReviewView, qtbot) -> None:
    review = view.review
    assert review is not None and review.band_moves is not None
    moves = review.band_moves
    for band in rr.BANDS:
        dialog = _open(view, Link("clients", rr.OFFICE, start=band).url())
        assert dialog.table.rowCount() == moves.at_since[band]
        assert all(e.kind == "client" and e.summary.startswith(band) for e in dialog.events)
        dialog.close()
        assert _rows(view, Link("clients", rr.OFFICE, end=band).url()) == moves.at_until[band]
        for end in rr.BANDS:
            dialog = _open(view, Link("clients", rr.OFFICE, start=band, end=end).url())
            assert dialog.table.rowCount() == moves.moves[band, end]
            assert {e.summary for e in dialog.events} <= {f"{band} → {end}"}
            dialog.close()
    dialog = _open(view, Link("at_risk", rr.OFFICE).url())
    assert sorted(e.client_id for e in dialog.events) == sorted(r.client_id for r in review.at_risk)
    dialog.close()
    dialog = _open(view, Link("into_red", rr.OFFICE).url())
    assert sorted(e.client_id for e in dialog.events) == sorted(m.client_id for m in moves.into_red)
    assert {e.client_id for e in dialog.events} == {
        e.client_id for e in store.review_clients(review.since, review.until, now=review.now, end="Red")
        if not e.summary.startswith("Red")}
    assert [dialog.table.horizontalHeaderItem(n).text() for n in range(3)] == ["Client", "What", "Score"]
    first = next(m for m in moves.into_red if m.client_id == dialog.events[0].client_id)
    assert (dialog.table.item(0, 1).text(), dialog.table.item(0, 2).text()) == (
        first.reason, f"{first.score_before} → {first.score_after}")
    opened: list[int] = []
    view.ctx.events.client_requested.connect(opened.append)
    dialog.show()
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)  # Enter on a row opens it (the dialog stays)
    assert opened == [dialog.events[0].client_id] and dialog.isVisible()


def test_the_reason_a_client_moved_into_red_opens_its_entry(view: ReviewView) -> None:
    review = view.review
    assert review is not None and review.band_moves is not None and review.band_moves.into_red
    move = next(m for m in review.band_moves.into_red if m.reason_id)
    href = next(html.unescape(h) for h, t in ANCHOR.findall(view.clients_html(links=True))
                if html.unescape(t) == move.reason)
    opened: list[tuple[int, str, int]] = []
    view.ctx.events.entry_requested.connect(lambda c, k, i: opened.append((c, k, i)))
    view._on_anchor_clicked(QUrl(href))
    assert opened == [(move.client_id, move.reason_kind, move.reason_id)]
    # under Needs attention too, and an unfixed problem's text opens that problem's entry
    anchors: dict[str, str] = {}
    for h, t in ANCHOR.findall(view.attention_html(links=True)):
        anchors.setdefault(html.unescape(t), html.unescape(h))  # the first of a text: the unfixed come first
    view._on_anchor_clicked(QUrl(anchors[move.reason]))
    unfixed = review.attention[0]
    assert unfixed.kind == "unfixed"
    view._on_anchor_clicked(QUrl(anchors[unfixed.events[0].summary]))
    first = unfixed.events[0]
    assert opened[1:] == [(move.client_id, move.reason_kind, move.reason_id), (first.client_id, first.kind, first.id)]


def _count(fig: Figures, figure: str) -> int:
    value = getattr(fig, figure)
    return value.count if isinstance(value, Share) else int(value)


def test_a_bar_of_a_chart_is_clicked_and_lists_what_it_counts(view: ReviewView, qtbot) -> None:
    review = view.review
    assert review is not None
    _showing(view, qtbot, view.touch_tab)
    chart = view.touch_charts.layout().itemAt(1).widget()  # went wrong, per topic
    n = next(k for k, spot in enumerate(chart.spots) if spot[2].group == ("topic", "Billing"))
    view.events_dialog = None
    qtbot.mouseClick(chart.viewport(), Qt.MouseButton.LeftButton, pos=_at(chart, n))
    dialog = view.events_dialog
    assert isinstance(dialog, EventsDialog) and "Went wrong — Billing" in dialog.windowTitle()
    assert dialog.table.rowCount() == review.by_topic["Billing"].went_wrong.count > 0
    assert all(e.topic == "Billing" and e.rating is not None and e.rating < 0 for e in dialog.events)
    dialog.close()
    for k, (_x, _y, link, _words) in enumerate(chart.spots):  # every bar
        assert _rows(view, link.url()) == review.by_topic[link.group[1]].went_wrong.count, k


def test_the_band_chart_is_chosen_from_the_keyboard(view: ReviewView, qtbot) -> None:
    review = view.review
    assert review is not None and review.band_moves is not None
    _showing(view, qtbot, view.clients_tab)
    chart = view.band_holder.layout().itemAt(0).widget()
    chart.setFocus()
    qtbot.keyClick(chart, Qt.Key.Key_Home)  # (not ours: nothing happens)
    for _ in range(6):
        qtbot.keyClick(chart, Qt.Key.Key_Left)  # to the first bar: Green at the start
    view.events_dialog = None
    qtbot.keyClick(chart, Qt.Key.Key_Return)
    assert view.events_dialog.table.rowCount() == review.band_moves.at_since["Green"]
    view.events_dialog.close()
    qtbot.keyClick(chart, Qt.Key.Key_Right)  # Green at the end
    qtbot.keyClick(chart, Qt.Key.Key_Space)
    assert view.events_dialog.table.rowCount() == review.band_moves.at_until["Green"]
    assert "Green at the end" in view.events_dialog.windowTitle()


def _at(chart, n: int) -> QPoint:
    return chart.mapFromScene(chart.scene_pos_of(n))


def test_each_weeks_point_of_the_trend_opens_that_weeks_events(view: ReviewView, qtbot) -> None:
    """Clicking a week's point in a small chart lists that week's events behind the figure, and Enter on a
    chosen point does the same; every point of every chart is checked against the week's figure."""
    assert len(view.trend) == 12 and len(view.trend_weeks) == 13
    _showing(view, qtbot, view.trend_tab)
    charts = [view.trend_grid.itemAt(n).widget() for n in range(view.trend_grid.count())]
    assert [c.getPlotItem().titleLabel.text.split(":")[0] for c in charts] == [t[1] for t in TREND_FIGURES]
    interactions = charts[0]
    week = 9
    n = next(k for k, spot in enumerate(interactions.spots) if spot[2].week == week)
    view.events_dialog = None
    qtbot.mouseClick(interactions.viewport(), Qt.MouseButton.LeftButton, pos=_at(interactions, n))
    dialog = view.events_dialog
    assert isinstance(dialog, EventsDialog)
    assert dialog.table.rowCount() == view.trend[week].interactions > 0
    since, until = view.trend_weeks[week], view.trend_weeks[week + 1]
    assert all(since <= e.at < until for e in dialog.events)
    dialog.close()
    problems = charts[4]  # its title ("Problems: 8") names the last week's number: a click on it opens that week
    title = problems.getPlotItem().titleLabel
    view.events_dialog = None
    qtbot.mouseClick(problems.viewport(), Qt.MouseButton.LeftButton,
                     pos=problems.mapFromScene(title.sceneBoundingRect().center()))
    last = max(spot[2].week for spot in problems.spots)
    assert title.text == f"Problems: {view.trend[last].failures}"
    assert view.events_dialog.table.rowCount() == view.trend[last].failures
    view.events_dialog.close()
    went_wrong = charts[2]
    went_wrong.setFocus()
    qtbot.keyClick(went_wrong, Qt.Key.Key_Left)  # from the last week to the one before
    view.events_dialog = None
    qtbot.keyClick(went_wrong, Qt.Key.Key_Return)
    picked = went_wrong.spots[went_wrong.current][2].week
    assert view.events_dialog.table.rowCount() == view.trend[picked].went_wrong.count
    view.events_dialog.close()
    checked = 0
    for chart, (figure, _title, _suffix) in zip(charts, TREND_FIGURES, strict=True):
        for _x, _y, link, _words in chart.spots:
            assert link.figure == figure and link.group == rr.OFFICE
            if figure != "time_to_fix_hours":
                assert _rows(view, link.url()) == _count(view.trend[link.week], figure), (figure, link.week)
                checked += 1
    assert checked > 80


def test_a_number_in_the_text_is_reached_with_tab_and_opened_with_enter(view: ReviewView, qtbot) -> None:
    _showing(view, qtbot, view.colleagues_tab)
    browser = view.colleague_facts
    browser.setFocus()
    qtbot.keyClick(browser, Qt.Key.Key_Tab)  # the first link: the first colleague's first number
    assert browser.textCursor().hasSelection()
    href = browser.textCursor().charFormat().anchorHref() or browser.textCursor().selection().toHtml()
    view.events_dialog = None
    qtbot.keyClick(browser, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert isinstance(view.events_dialog, EventsDialog), href
    first = ANCHOR.search(view.colleagues_html(links=True))
    assert first is not None and view.events_dialog.table.rowCount() == int(first.group(2))


def test_a_number_inside_a_sentence_is_clicked_with_the_mouse(view: ReviewView, qtbot) -> None:
    """"Billing: 8 of 15 (53%) went wrong, against 16% for the whole office": clicking the 15 lists Billing's
    interactions (the browser hands the link over with its entities as written: the group must survive)."""
    from PySide6.QtGui import QTextCursor

    review = view.review
    assert review is not None
    item = next(a for a in review.attention if a.group == ("topic", "Billing"))
    view.show()
    qtbot.waitExposed(view)
    browser = view.attention
    start = browser.document().find(item.sentence[:20]).selectionStart()
    numbers = list(re.finditer(r"\d+", item.sentence[len("Billing:"):]))
    cursor = QTextCursor(browser.document())
    cursor.setPosition(start + len("Billing:") + numbers[1].start() + 1)
    rect = browser.cursorRect(cursor)
    view.events_dialog = None
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=rect.center() - QPoint(3, 0))
    assert isinstance(view.events_dialog, EventsDialog)
    share = review.by_topic["Billing"].went_wrong
    assert view.events_dialog.table.rowCount() == share.of == int(numbers[1].group())
    assert {e.topic for e in view.events_dialog.events} == {"Billing"}


def test_a_share_in_a_table_opens_each_of_its_numbers_from_its_menu(view: ReviewView, qtbot) -> None:
    """A cell "9 of 55, 16%, 1 pending": Enter opens the 9; its menu (the menu key) opens all 55 or the 1."""
    from PySide6.QtGui import QContextMenuEvent

    review = view.review
    assert review is not None
    _showing(view, qtbot, view.colleagues_tab)
    table = view.colleagues_tab.findChild(QTableView)
    model = view.staff_model
    proxy = table.model()
    column = 1 + model.figures.index("kept_on_time")
    row = next(n for n, r in enumerate(model.rows) if r[2].kept_on_time.pending)
    share = model.rows[row][2].kept_on_time
    table.setFocus()
    table.setCurrentIndex(proxy.mapFromSource(model.index(row, column)))
    view.events_dialog = None
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert view.events_dialog.table.rowCount() == share.count
    view.events_dialog.close()
    QApplication.sendEvent(table.viewport(), QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, QPoint(1, 1),
                                                                  table.viewport().mapToGlobal(QPoint(1, 1))))
    menu = table.menu
    assert menu is not None
    assert [a.text() for a in menu.actions()] == [f"The {share.count} counted", f"All {share.of}",
                                                  f"The {share.pending} not decided yet"]
    for action, expected in zip(menu.actions(), (share.count, share.of, share.pending), strict=True):
        view.events_dialog = None
        action.trigger()
        assert view.events_dialog.table.rowCount() == expected, action.text()
        view.events_dialog.close()
    menu.close()
