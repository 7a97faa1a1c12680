"""On macOS and Linux this desk's own data folder (drafts, backups, logs) is its owner's alone (0700/0600),
exports are 0600, and an office file or folder on a share keeps its permissions (issue 12)."""
from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest

from models import paths, store

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_desks_own_files_are_owner_only_and_the_share_is_left_alone(tmp_path: Path,
                                                                       _own_data_folder: Path) -> None:
    _own_data_folder.chmod(0o755)  # as a fresh user_data_dir often is
    share = tmp_path / "share"
    share.mkdir()
    share.chmod(0o2775)  # a group-shared office folder (setgid, group-writable)
    office = share / "office.db"
    old = os.umask(0o002)
    try:
        store.open(office)
        office.chmod(0o664)
        anna = store.add_staff("Anna Keller").id
        store.add_client(name="Oliver Thompson", by=anna)
        info = store.backup_now(reason="scheduled")
        store.export_office(share / "office.json")
    finally:
        os.umask(old)
        store.close()
    assert mode(_own_data_folder) == 0o700
    assert mode(paths.backups_dir()) == 0o700 and mode(info.path) == 0o600
    assert mode(share / "office.json") == 0o600
    assert (mode(share), mode(office)) == (0o2775, 0o664)  # the other desks must still open it


def test_logs_and_drafts_are_owner_only(_own_data_folder: Path) -> None:
    import main
    from ui.drafts import Drafts

    old = os.umask(0o022)
    try:
        root = logging.getLogger()
        saved = root.handlers[:]
        root.handlers.clear()
        try:
            main.setup_logging()
            logging.getLogger("test").info("started")
        finally:
            for handler in root.handlers:
                handler.close()
            root.handlers[:] = saved
        Drafts("office.db").save("note-1", {"text": "Call back after 5"})
    finally:
        os.umask(old)
    log_file = paths.logs_dir() / main.LOG_NAME
    assert (mode(paths.logs_dir()), mode(log_file)) == (0o700, 0o600)
    drafts = list(paths.drafts_dir().iterdir())
    assert mode(paths.drafts_dir()) == 0o700 and drafts and all(mode(d) == 0o600 for d in drafts)
    assert mode(_own_data_folder) == 0o700
