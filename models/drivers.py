"""Keep the PostgreSQL driver out of a SQLite desk's start-up, and load it when PostgreSQL is opened.

peewee imports psycopg as soon as it is imported itself, if it is installed, and that takes about a
quarter of a second: more than the rest of Rapport's start-up. A desk on a SQLite file never needs
it. `defer_postgres_driver()` (called by main.py before anything imports peewee) makes that import
fail quietly; `load_postgres_driver()` imports psycopg when a PostgreSQL database is opened and hands
it to peewee exactly as peewee's own import would have (tests/store/test_drivers.py checks this
against the installed peewee).
"""
from __future__ import annotations

import sys
from typing import Any

_DRIVERS = ("psycopg", "psycopg2", "psycopg2cffi")


class _DeferredDriver:
    """Answers "no such module" for the PostgreSQL drivers while deferred.

    A meta path finder needs only `find_spec`; not subclassing importlib.abc keeps that module (4 ms)
    out of start-up.
    """

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> None:
        if fullname.split(".")[0] in _DRIVERS:
            raise ImportError(f"{fullname} is loaded only when a PostgreSQL database is opened")
        return None


_finder = _DeferredDriver()


def defer_postgres_driver() -> bool:
    """Keep psycopg from being imported with peewee; False when it is too late (peewee already loaded)."""
    if "peewee" in sys.modules or any(d in sys.modules for d in _DRIVERS):
        return False
    if _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)
    return True


def load_postgres_driver() -> None:
    """Import psycopg (if it was deferred) and give it to peewee; a no-op when peewee already has it."""
    if _finder in sys.meta_path:
        sys.meta_path.remove(_finder)
    import peewee

    if getattr(peewee, "psycopg", None) is not None:
        return
    import psycopg
    from psycopg.pq import TransactionStatus
    from psycopg.types.json import Json, Jsonb

    # What peewee's module body does when psycopg imports (peewee 4.x: module globals, adapter constants).
    peewee.psycopg = psycopg
    peewee.TransactionStatus = TransactionStatus
    peewee.Json_pg3 = Json
    peewee.Jsonb_pg3 = Jsonb
    adapter = peewee.Psycopg3Adapter
    adapter.txn_idle = TransactionStatus.IDLE
    adapter.txn_inerror = TransactionStatus.INERROR
    adapter.txn_unknown = TransactionStatus.UNKNOWN
