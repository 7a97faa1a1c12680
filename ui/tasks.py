"""Runs store calls on ONE database worker thread and delivers their results on the GUI thread."""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Generator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal

from models import store
from models.store import Changes, DatabaseError, StoreError
from ui.events import Events

log = logging.getLogger(__name__)

Callback = Callable[[Any], None] | None
# The busy banner appears once a save has waited this long on a locked shared database (SHARING.md).
BUSY_NOTICE_S = 5.0
# What the banner says meanwhile: the call is still being retried (models.db.with_retry). If the retry budget
# runs out, the call fails with BusyError's own sentence ("... stopped waiting ... try again"), except a
# composer save, which tries again by itself (ui/views/composer.py).
BUSY_WAITING = "The shared database is busy at another desk. Rapport keeps trying; what you typed is kept."
# A bug, not the database: the details are in the log (log.exception), the person gets a sentence.
UNEXPECTED = ("Rapport ran into an unexpected problem with this. What you typed is kept; please try again, and if "
              "it keeps happening, tell whoever looks after Rapport.")


def _alive(callback: Callable[..., Any] | None) -> bool:
    """False when the callback is a method of a Qt object that has been deleted meanwhile."""
    owner = getattr(callback, "__self__", None)
    return callback is not None and (not isinstance(owner, QObject) or shiboken6.isValid(owner))


class Job:
    """A long job running in steps on the database thread (DESIGN.md, "Long jobs"); cancel() stops it between steps.

    The job is a generator: each step (one short transaction) yields its progress, e.g. (done, total), and
    the value sent back in is False once the person pressed Cancel, so the job can finish its bookkeeping and
    return its result (the generator's return value goes to on_done). Between two steps the thread runs
    whatever else was queued, so the desk's reads interleave and the window never waits.
    """

    def __init__(self, steps: Generator[Any, Any, Any], on_progress: Callback, on_done: Callback,
                 on_error: Callback) -> None:
        self.steps = steps
        self.on_progress = on_progress
        self.on_done = on_done
        self.on_error = on_error
        self.cancelled = False
        self.finished = False
        self._started = False

    def cancel(self) -> None:
        """Ask the job to stop after the step that is running (it returns what it has done)."""
        self.cancelled = True

    def step(self) -> tuple[str, Any]:
        """Run one step on the calling thread: ("progress", value), ("done", result) or ("error", StoreError)."""
        try:
            if not self._started:
                self._started = True
                value = next(self.steps)
            else:
                value = self.steps.send(False if self.cancelled else None)
            return "progress", value
        except StopIteration as end:
            return "done", end.value
        except StoreError as exc:
            return "error", exc
        except Exception:  # a bug: log it for support, tell the person plainly
            log.exception("a database job failed")
            return "error", DatabaseError(UNEXPECTED)


class Tasks(QObject):
    """The desk's database thread (Anki's taskman): every store call goes through run()."""

    _delivered = Signal(object)
    _busy = Signal(float)

    def __init__(self, events: Events, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.events = events
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rapport-db")
        self._pending = 0
        self._busy_shown = False
        self._closed = False
        self._delivered.connect(self._on_delivered)
        self._busy.connect(self._on_busy)
        self._executor.submit(self._install_busy_listener)

    def _install_busy_listener(self) -> None:
        store.set_busy_listener(self._busy.emit)  # lock waits are reported so the GUI can say so calmly

    @property
    def pending(self) -> int:
        """How many calls are queued or running."""
        return self._pending

    def run(self, fn: Callable[[], Any], on_done: Callback = None, on_error: Callback = None) -> Future[Any]:
        """Queue `fn` on the database thread; `on_done(result)` or `on_error(StoreError)` runs on the GUI thread.

        A result that is a non-empty Changes is also announced as events.data_changed. Without an
        on_error, the error's sentence goes to events.error_reported. After shutdown() nothing runs: a
        view answering a result that arrived as the window closed gets a cancelled Future.
        """
        if self._closed:
            future: Future[Any] = Future()
            future.cancel()
            return future
        self._pending += 1
        return self._executor.submit(self._job, fn, on_done, on_error)

    def _job(self, fn: Callable[[], Any], on_done: Callback, on_error: Callback) -> None:
        try:
            result, ok = fn(), True
        except StoreError as exc:
            result, ok = exc, False
        except Exception:  # a bug: log it for support, tell the person plainly
            log.exception("a database task failed")
            result, ok = DatabaseError(UNEXPECTED), False
        if not self._closed:
            self._delivered.emit((on_done, on_error, ok, result))

    def _on_delivered(self, payload: tuple[Callback, Callback, bool, Any]) -> None:
        on_done, on_error, ok, result = payload
        self._pending -= 1
        if self._closed:
            return  # the window is closing: nobody is left to show it (the write itself is saved)
        if self._busy_shown and self._pending == 0:
            self._busy_shown = False
            self.events.busy_changed.emit(False)
        deliver(self.events, on_done, on_error, ok, result)

    def run_job(self, steps: Generator[Any, Any, Any], on_progress: Callback = None, on_done: Callback = None,
                on_error: Callback = None) -> Job:
        """Run a long job one step at a time on the database thread (see Job); cancel it with job.cancel()."""
        job = Job(steps, on_progress, on_done, on_error)
        self._queue_step(job)
        return job

    def _queue_step(self, job: Job) -> None:
        if self._closed:
            job.steps.close()
            return
        self.run(job.step, lambda outcome: self._on_step(job, outcome))

    def _on_step(self, job: Job, outcome: tuple[str, Any]) -> None:
        kind, value = outcome
        if kind == "progress":
            if _alive(job.on_progress):
                job.on_progress(value)  # type: ignore[misc]
            self._queue_step(job)  # behind whatever the desk asked for meanwhile
            return
        job.finished = True
        deliver(self.events, job.on_done, job.on_error, kind == "done", value)

    def _on_busy(self, waited: float) -> None:
        if waited >= BUSY_NOTICE_S and not self._busy_shown:
            self._busy_shown = True
            self.events.busy_changed.emit(True)

    def on_thread(self, fn: Callable[[], Any]) -> Any:
        """Run `fn` on the database thread and wait for it: only for start-up and shutdown, never a view."""
        return self._executor.submit(fn).result()

    def shutdown(self) -> None:
        """Finish queued work, close the thread's connection, stop the thread."""
        if self._closed:
            return
        self._closed = True
        try:
            self._executor.submit(store.close).result(timeout=30)
        except Exception:  # shutting down: a failure here must not stop the app from closing
            log.debug("closing the database on shutdown failed", exc_info=True)
        self._executor.shutdown(wait=True)


def deliver(events: Events, on_done: Callback, on_error: Callback, ok: bool, result: Any) -> None:
    """Hand a finished call's result to its callbacks and announce what it changed (GUI thread)."""
    if ok:
        if _alive(on_done):
            on_done(result)  # type: ignore[misc]
        if isinstance(result, Changes) and result:
            if result.change_ids:
                events.written.emit(result)
            events.data_changed.emit(result)
    elif _alive(on_error):
        on_error(result)  # type: ignore[misc]
    else:
        events.error_reported.emit(getattr(result, "message", str(result)))


class SyncTasks(QObject):
    """A synchronous stand-in for Tasks in tests: runs each call at once, on the calling thread."""

    def __init__(self, events: Events, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.events = events
        self.pending = 0
        self.calls = 0

    def run(self, fn: Callable[[], Any], on_done: Callback = None, on_error: Callback = None) -> Future[Any]:
        self.calls += 1
        future: Future[Any] = Future()
        try:
            result, ok = fn(), True
            future.set_result(result)
        except StoreError as exc:
            result, ok = exc, False
            future.set_exception(exc)
        deliver(self.events, on_done, on_error, ok, result)
        return future

    def on_thread(self, fn: Callable[[], Any]) -> Any:
        return fn()

    def run_job(self, steps: Generator[Any, Any, Any], on_progress: Callback = None, on_done: Callback = None,
                on_error: Callback = None) -> Job:
        """Run every step at once (Cancel from on_progress still stops it between steps)."""
        job = Job(steps, on_progress, on_done, on_error)
        while True:
            self.calls += 1
            kind, value = job.step()
            if kind != "progress":
                job.finished = True
                deliver(self.events, job.on_done, job.on_error, kind == "done", value)
                return job
            if _alive(job.on_progress):
                job.on_progress(value)  # type: ignore[misc]

    def shutdown(self) -> None:
        pass


def is_database_thread() -> bool:
    """True on the worker thread (used by a test that proves the GUI thread never runs a query)."""
    return threading.current_thread().name.startswith("rapport-db")

