"""The demo office is believable: nobody away did anything while away."""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from models import store
from models import tables as t
from models.demo import seed_demo


def test_the_colleague_away_did_nothing_since_they_left(tmp_path: Path) -> None:
    """Stumble 13: the demo showed a colleague away since yesterday who logged an email today."""
    now = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
    store.open(tmp_path / "demo.db")
    try:
        seed_demo(now)
        away = [m for m in store.list_staff() if m.is_away(now)]
        assert len(away) == 1 and away[0].away_from is not None
        member = away[0]
        done = (t.Change.select().where((t.Change.staff == member.id) & (t.Change.at >= member.away_from)).count())
        assert done == 0
    finally:
        store.close()
