"""The search index's upkeep at this desk: after the office's country changes (here or at another desk), the entries'
search words are made again with it (phone numbers without a country code read in the new country), in short steps
on the database thread between the desk's own reads (store.catch_up_search_index, a job).

Every desk runs it when it sees the settings change and once the desk is ready (a desk that closed half-way leaves
the rest to whichever desk starts next); the steps read where the work has got to, so desks share it.
"""
from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QTimer

from models import store
from models.store import ChangeKind, Changes
from ui.context import AppContext
from ui.tasks import Job

log = logging.getLogger(__name__)
RETRY_MS = 60_000  # a step refused (a busy or unreachable database): try again this much later


class SearchUpkeep(QObject):
    """Runs the catch-up job when one may be due; one at a time."""

    def __init__(self, ctx: AppContext, session: Any) -> None:
        super().__init__(session)
        self.ctx = ctx
        self.job: Job | None = None
        self._again = False
        self.retry = QTimer(self, singleShot=True, interval=RETRY_MS)
        self.retry.timeout.connect(self.start)
        ctx.events.data_changed.connect(self._on_events_data_changed)
        session.ready.connect(self.start)
        session.left.connect(self.stop)

    @property
    def running(self) -> bool:
        return self.job is not None and not self.job.finished

    def start(self) -> None:
        """Catch up if there is anything to (nothing to do costs the database thread one small read)."""
        if not self.ctx.database or self.ctx.staff is None:
            return
        if self.running:
            self._again = True  # its last step may already have looked: look once more after it
            return
        self._again = False
        self.job = self.ctx.tasks.run_job(store.catch_up_search_index(), on_done=self._on_done,
                                          on_error=self._on_error)

    def stop(self) -> None:
        """The office is being left: stop after the step that runs (the rest is done later, here or elsewhere)."""
        self.retry.stop()
        self._again = False
        if self.job is not None:
            self.job.cancel()

    def _on_events_data_changed(self, changes: Changes) -> None:
        if ChangeKind.SETTINGS in changes.kinds:
            self.start()

    def _on_done(self, changed: int) -> None:
        if changed:
            log.info("search words of %s entries made again with the office's country", changed)
        if self._again and not (self.job is not None and self.job.cancelled):
            self.start()

    def _on_error(self, error: Any) -> None:
        log.warning("the search index could not catch up with the office's country yet: %s",
                    getattr(error, "message", error))
        self.retry.start()
