"""models/db.py never imports the store (which imports it): the upgrade's backup is a callback (issue 10/12)."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_models_db_imports_nothing_of_the_store() -> None:
    tree = ast.parse((ROOT / "models" / "db.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not {name for name in imported if name.startswith("models.store")}


def test_the_store_registers_the_backup_before_upgrades() -> None:
    from models import db, store

    store.list_clients  # noqa: B018 (the first name of the store that needs the database loads its machinery)
    assert db._before_upgrade_hook is store.prepare_upgrade
