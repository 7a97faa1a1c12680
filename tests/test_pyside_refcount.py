"""Guard against the PySide6 6.12.0 / Python 3.11 bug that loses a reference to None (DESIGN.md)."""
from __future__ import annotations

import sys

import pytest

pytestmark = pytest.mark.skipif(
    sys.version_info >= (3, 12),
    reason="Python 3.12+ has an immortal None, so its reference count cannot fall; the bug cannot abort there",
)


def test_none_keeps_its_references_when_qt_hands_back_empty_values(qapp: object) -> None:
    from PySide6.QtCore import QSortFilterProxyModel, QStringListModel, Qt

    model = QStringListModel(["a", "b"])
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    for _ in range(200):  # warm up caches so only a real leak shows
        model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    before = sys.getrefcount(None)
    for _ in range(5000):
        model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        proxy.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        proxy.data(proxy.index(0, 0), Qt.ItemDataRole.DecorationRole)
    after = sys.getrefcount(None)
    assert after >= before - 50, (
        f"None lost {before - after} references in 15,000 calls: this PySide6 has the 6.12.0 refcount bug; "
        "pin PySide6-Essentials<6.12 on Python 3.11 (pyproject.toml)")
