"""This desk's own settings (QSettings): every key in one place, with the reading and writing of each.

Office-wide settings (office name, hours, review day ...) live in the office database and come from
`store.office_settings()`; what is here belongs to one computer: how its window was arranged, who sat at it
last, which office it opens.
"""
from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, QSize
from PySide6.QtWidgets import QHeaderView, QSplitter, QWidget

# The window as this desk left it (opaque Qt states).
GEOMETRY = "window/geometry"
SPLITTER = "window/splitter"
CLIENT_COLUMNS = "window/client_columns"
# The office database this desk opens, and whether the person chose to use one inside a cloud folder anyway.
DATABASE_LOCATION = "database/location"
DATABASE_ALLOW_CLOUD = "database/allow_cloud"
# Who sat at this desk last, per office database (the key ends with the database's location).
STAFF_PREFIX = "desk/staff/"
# Today: only my promises ("mine") or the whole team's ("team").
TODAY_SCOPE = "today/scope"
# The client screen: whether "Why this score?" shows the reasons and the history.
SCORE_SHOWN = "client/score_shown"
# Lock the desk after this many idle minutes (0: never).
IDLE_LOCK_MINUTES = "desk/idle_lock_minutes"

DEFAULT_SIZE = QSize(1280, 780)
SCREEN_MARGIN = 24  # room left around a first window on a screen smaller than DEFAULT_SIZE
BIG_SCREEN_SHARE = 0.85  # of a big screen's width and height, for the first window

ALL_KEYS = (GEOMETRY, SPLITTER, CLIENT_COLUMNS, DATABASE_LOCATION, DATABASE_ALLOW_CLOUD, STAFF_PREFIX, TODAY_SCOPE,
            SCORE_SHOWN, IDLE_LOCK_MINUTES)


def desk_settings() -> QSettings:
    """The settings of this desk (the organisation and application names are set by main.py)."""
    return QSettings("Rapport", "Rapport")


def flag(settings: QSettings, key: str, default: bool) -> bool:
    """A yes/no setting; QSettings gives back "true"/"false" from an INI file and a bool from the registry."""
    value = settings.value(key, default)
    return value if isinstance(value, bool) else str(value).lower() == "true"


def number(settings: QSettings, key: str, default: int) -> int:
    try:
        return int(settings.value(key, default))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return default


def state(settings: QSettings, key: str) -> QByteArray | None:
    """A saved Qt state (geometry, splitter, header), or None when there is none."""
    saved = settings.value(key)
    return saved if isinstance(saved, QByteArray) and not saved.isEmpty() else None


def staff_key(database: str) -> str:
    return f"{STAFF_PREFIX}{database}"


def remembered_staff(settings: QSettings, database: str) -> str:
    value = settings.value(staff_key(database))
    return str(value) if value is not None else ""


def remember_staff(settings: QSettings, database: str, staff_id: int) -> None:
    settings.setValue(staff_key(database), staff_id)


def remembered_location(settings: QSettings) -> str:
    value = settings.value(DATABASE_LOCATION, "")
    return str(value) if value else ""


def remember_location(settings: QSettings, location: str, allow_cloud: bool) -> None:
    settings.setValue(DATABASE_LOCATION, location)
    settings.setValue(DATABASE_ALLOW_CLOUD, bool(allow_cloud))


def restore_layout(settings: QSettings, window: QWidget, columns: QHeaderView) -> bool:
    """The window's size and place and the list's columns as this desk left them (the divider comes later).

    True when the columns were arranged at this desk (they stay so, rather than fitting themselves).
    """
    if (geometry := state(settings, GEOMETRY)) is not None:
        window.restoreGeometry(geometry)
    if (saved := state(settings, CLIENT_COLUMNS)) is not None:
        columns.restoreState(saved)
        return True
    return False


def save_layout(settings: QSettings, window: QWidget, splitter: QSplitter, columns: QHeaderView) -> None:
    settings.setValue(GEOMETRY, window.saveGeometry())
    settings.setValue(SPLITTER, splitter.saveState())
    settings.setValue(CLIENT_COLUMNS, columns.saveState())


def first_size(screen: QSize) -> QSize:
    """The window's first size fits the screen: 1280 x 780 on a laptop (less on a 1366 x 768 one, so the whole
    window shows), and most of a big screen (1920 x 1080), where the list grows with it."""
    wide = max(DEFAULT_SIZE.width(), int(screen.width() * BIG_SCREEN_SHARE))
    high = max(DEFAULT_SIZE.height(), int(screen.height() * BIG_SCREEN_SHARE))
    return QSize(min(wide, screen.width() - SCREEN_MARGIN), min(high, screen.height() - SCREEN_MARGIN))
