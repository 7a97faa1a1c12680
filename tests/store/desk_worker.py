"""A desk in a separate process, for the many-desks tests: `python -m tests.store.desk_worker '<json spec>'`.

Each mode opens the office through `models.store` exactly as a desk does and reports what the store
acknowledged (ids, errors) in a JSON file, so the test process can check the database against it.
Start-up is slow next to a write, so a worker creates its `ready` file once the database is open and
then waits for the `go` file: the writes of several workers really overlap.
"""
from __future__ import annotations

import json
import os
import resource
import signal
import sqlite3
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from models import store
from models.errors import ConflictError, StoreError

GO_TIMEOUT_S = 120.0


def _touch(path: str | None) -> None:
    if path:
        Path(path).write_text(str(os.getpid()))


def _wait_for_go(spec: dict[str, Any]) -> None:
    go = spec.get("go")
    if not go:
        return
    deadline = time.monotonic() + GO_TIMEOUT_S
    while not os.path.exists(go):
        if time.monotonic() > deadline:
            raise SystemExit("the test never said go")
        time.sleep(0.002)


def _write_once(kind: str, n: int, spec: dict[str, Any]) -> tuple[int, tuple[int, ...]]:
    """One store write of `kind`; returns the new record's id and the clients the store said it touched."""
    by = spec["by"]
    clients = spec.get("clients") or [None]
    client = clients[n % len(clients)]
    tag = spec.get("tag", f"desk {os.getpid()}")
    if kind == "interaction":
        changes = store.log_interaction(client, by=by, summary=f"{tag}: call {n}", rating=(n % 5) - 2,
                                        channel="phone")
    elif kind == "note":
        changes = store.add_note(client, by=by, text=f"{tag}: note {n}\nsecond line")
    elif kind == "promise":
        changes = store.make_promise(client, by=by, text=f"{tag}: call back {n}",
                                     due=store.utcnow() + timedelta(days=1 + n % 5, minutes=n))
    elif kind == "client":
        changes = store.add_client(name=f"{tag} client {n}", by=by)
    else:
        raise ValueError(f"unknown kind {kind!r}")
    assert changes.id is not None
    return changes.id, tuple(sorted(changes.clients))


def _error(exc: BaseException) -> list[str]:
    return [type(exc).__name__, getattr(exc, "message", None) or str(exc)]


def mode_write(spec: dict[str, Any]) -> dict[str, Any]:
    """`count` writes (or as many as fit in `seconds`), cycling through `kinds`; every ack and error recorded."""
    session = store.start_session(spec["by"], app_version="desk-worker") if spec.get("session") else None
    kinds = spec.get("kinds", ["interaction", "note", "promise"])
    count, seconds = spec.get("count"), spec.get("seconds")
    acks: list[list[Any]] = []
    errors: list[list[str]] = []
    _touch(spec.get("ready"))
    _wait_for_go(spec)
    started = time.monotonic()
    started_wall = time.time()
    n = 0
    while (count is not None and n < count) or (seconds is not None and time.monotonic() - started < seconds):
        kind = kinds[n % len(kinds)]
        try:
            new_id, clients = _write_once(kind, n, spec)
            acks.append([kind, new_id, list(clients), time.time()])
        except StoreError as exc:
            errors.append(_error(exc))
        except Exception as exc:  # anything else reaching a caller is a bug the test must see
            errors.append(_error(exc))
        n += 1
    elapsed = time.monotonic() - started
    return {"session": session, "acks": acks, "errors": errors, "elapsed": elapsed, "started": started_wall}


def mode_loop(spec: dict[str, Any]) -> dict[str, Any]:
    """Write until killed; each acknowledged write is appended to the `acks` file as it is acknowledged."""
    kinds = spec.get("kinds", ["interaction", "promise", "note"])
    fd = os.open(spec["acks"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    _touch(spec.get("ready"))
    n = 0
    while True:
        kind = kinds[n % len(kinds)]
        new_id, _ = _write_once(kind, n, spec)
        os.write(fd, f"{kind} {new_id}\n".encode())  # one write(2): survives the process being killed
        n += 1


def mode_edit(spec: dict[str, Any]) -> dict[str, Any]:
    """Load a client or promise (its version, as an edit form does), wait for go, then save an edit."""
    target, record_id, by = spec["target"], spec["id"], spec["by"]
    if target == "client":
        loaded = store.get_client(record_id)
    else:
        loaded = store.get_promise(record_id)
    _touch(spec.get("ready"))
    _wait_for_go(spec)
    result: dict[str, Any] = {"loaded_version": loaded.version}
    try:
        if target == "client":
            store.update_client(record_id, version=loaded.version, by=by, phone=spec["value"])
        else:
            store.renegotiate_promise(record_id, by=by, version=loaded.version,
                                      due=store.utcnow() + timedelta(days=int(spec["value"])))
        result["outcome"] = "saved"
    except ConflictError as exc:
        current = exc.current
        result["outcome"] = "conflict"
        result["message"] = exc.message
        result["current"] = None if current is None else {
            "version": current.version,
            "value": current.phone if target == "client" else current.due.isoformat(),
        }
    except Exception as exc:
        result["outcome"] = "error"
        result["error"] = _error(exc)
    return result


def mode_hold_lock(spec: dict[str, Any]) -> dict[str, Any]:
    """Another program holding SQLite's write lock (RESERVED via IMMEDIATE, or EXCLUSIVE) until stdin closes."""
    conn = sqlite3.connect(spec["location"], isolation_level=None, timeout=10)
    conn.execute(f"BEGIN {spec['lock']}")
    conn.execute("INSERT INTO meta (key, value) VALUES ('held by another program', 'x')")
    _touch(spec.get("ready"))
    sys.stdin.read()  # the test closes our stdin to release the lock
    conn.execute("ROLLBACK")
    conn.close()
    return {}


def mode_io_error(spec: dict[str, Any]) -> dict[str, Any]:
    """A real disk I/O error: the file-size limit (RLIMIT_FSIZE) makes the kernel refuse to grow the file.

    The note is large, so the write needs new pages past the limit; then the limit is lifted and the
    same text (what the person typed, kept by the form) is saved again.
    """
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG from write(2) instead of being killed
    by, client, text = spec["by"], spec["client"], spec["text"]
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    result: dict[str, Any] = {}
    resource.setrlimit(resource.RLIMIT_FSIZE, (os.path.getsize(spec["location"]), hard))
    try:
        store.add_note(client, by=by, text=text)
        result["first"] = ["saved"]
    except Exception as exc:
        result["first"] = _error(exc)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    try:
        result["again"] = ["saved", store.add_note(client, by=by, text=text).id]
    except Exception as exc:
        result["again"] = _error(exc)
    return result


MODES = {"write": mode_write, "loop": mode_loop, "edit": mode_edit, "hold-lock": mode_hold_lock,
         "io-error": mode_io_error}


def main() -> None:
    spec = json.loads(sys.argv[1])
    mode = MODES[spec["mode"]]
    opened = False
    if spec["mode"] != "hold-lock":
        store.open(spec["location"])
        opened = True
    try:
        result = mode(spec)
    finally:
        if opened:
            store.close()
    if spec.get("out"):
        tmp = spec["out"] + ".tmp"
        Path(tmp).write_text(json.dumps(result))
        os.replace(tmp, spec["out"])


if __name__ == "__main__":
    main()
