"""Test-wide setup: Qt runs offscreen, the data folder is a temporary one, and shared fixtures."""
from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _own_data_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data folder (drafts, backups, logs), never the real one."""
    folder = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("RAPPORT_DATA_DIR", str(folder))
    return folder
