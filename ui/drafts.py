"""Drafts: what a person typed but has not saved, kept in the desk's own data folder so it survives a crash."""
from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path
from typing import Any

from models import paths

log = logging.getLogger(__name__)


class Drafts:
    """Small JSON files, one per form and client, written atomically (never the shared database)."""

    def __init__(self, database: str, folder: Path | None = None) -> None:
        self.folder = folder or paths.drafts_dir()
        # Drafts of different offices must not mix: key them by the database they belong to.
        self.prefix = hashlib.sha1(database.encode()).hexdigest()[:10]

    def _path(self, key: str) -> Path:
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in key)
        return self.folder / f"{self.prefix}-{safe}.json"

    def save(self, key: str, values: dict[str, Any]) -> None:
        """Keep `values` for `key`; an empty draft (nothing typed) removes the file instead."""
        if not any(v for v in values.values() if isinstance(v, str) and v.strip()):
            self.clear(key)
            return
        path = self._path(key)
        try:
            paths.private_dir(self.folder)
            tmp = path.with_suffix(".tmp")
            tmp.touch(mode=paths.PRIVATE_FILE_MODE)
            paths.private_file(tmp)
            tmp.write_text(json.dumps(values, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, path)
        except OSError:  # a draft is a safety net; failing to write one must not interrupt typing
            log.warning("could not save a draft to %s", path, exc_info=True)

    def load(self, key: str) -> dict[str, Any] | None:
        path = self._path(key)
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            log.warning("could not read the draft %s", path, exc_info=True)
            return None

    def clear(self, key: str) -> None:
        try:
            self._path(key).unlink()
        except FileNotFoundError:
            pass
        except OSError:
            log.warning("could not remove a draft", exc_info=True)
