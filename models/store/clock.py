"""The store's clock: now, as an aware UTC datetime. Tests and the demo may set a fixed one.

Its own module, light to import: the desk's first window asks it the time before the store itself is loaded
(models/store/look.py)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

_clock: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def utcnow() -> datetime:
    """The current time as an aware UTC datetime (tests may set a fixed clock)."""
    return _clock()


def set_clock(clock: Callable[[], datetime] | None) -> None:
    """Replace the store's clock (for tests and the demo); None restores the real one."""
    global _clock
    _clock = clock or (lambda: datetime.now(UTC))
