"""The team: add a colleague, mark them away (their promises then go to Covering), back at work."""
from __future__ import annotations

from PySide6.QtCore import QDate, Qt

from models import store
from ui.dialogs import pin
from ui.dialogs.staff import AwayDialog
from ui.dialogs.team import TeamDialog


def test_add_a_colleague_and_mark_them_away_and_back(ready, qtbot, seeded) -> None:
    pin.confirm_grace(ready.ctx, seeded["anna"])  # Anna, the administrator, typed her PIN a moment ago
    ready.team_action.trigger()
    team = ready.team_dialog
    assert isinstance(team, TeamDialog)
    assert not team.away_button.isEnabled() and not team.back_button.isEnabled()  # nobody chosen yet
    team.name.setText("Chloé Martin")  # typed with an accent (QtTest's key clicks take ASCII only)
    qtbot.keyClick(team.name, Qt.Key.Key_Return)
    assert "Chloé Martin" in [m.name for m in store.list_staff()]
    assert [team.list.item(i).text().split("  ")[0] for i in range(team.list.count())] == [
        "Anna Keller", "Ben Okafor", "Chloé Martin"]
    assert "Chloé Martin" in [m.name for m in ready.ctx.team]  # the desk menu and owner lists know her too
    team.name.setText("Chloé Martin")
    qtbot.keyClick(team.name, Qt.Key.Key_Return)
    assert team.error.isVisible() and "already on the team" in team.error.text()

    ben = next(m for m in store.list_staff() if m.name == "Ben Okafor")
    away = AwayDialog(ready.ctx, ben, team)
    qtbot.addWidget(away)
    away.start.setDate(QDate.currentDate())
    away.end.setText(QDate.currentDate().addDays(-1).toString(Qt.DateFormat.ISODate))
    away.submit()
    assert "must be after the first day away" in away.error.text()
    away.end.setText("in 5 days")
    qtbot.keyClicks(away.reason, "Holiday")
    away.submit()
    ben = store.get_staff(ben.id)
    assert ben.away_reason == "Holiday" and ben.is_away(store.utcnow())
    row = next(team.list.item(i).text() for i in range(team.list.count())
               if team.list.item(i).text().startswith("Ben Okafor"))
    assert "· away since today, back " in row and row.endswith(": Holiday")
    team.list.setCurrentRow(next(i for i in range(team.list.count())
                                 if team.list.item(i).text().startswith("Ben Okafor")))
    assert team.away_button.isEnabled() and team.back_button.isEnabled()
    team.back_button.click()
    assert not store.get_staff(ben.id).is_away(store.utcnow())
