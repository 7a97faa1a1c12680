"""Another desk, in its own process: `python -m tests.ui.other_desk DB STAFF_ID CLIENT_ID ACTION [TEXT]`.

Used by the live-refresh tests: it opens the same office file through models.store and writes as a
colleague would, or sits on a client (presence) until its stdin closes.
"""
from __future__ import annotations

import os
import sys
from datetime import timedelta

from models import store


def main(argv: list[str]) -> int:
    path, staff, client, action = argv[0], int(argv[1]), int(argv[2]), argv[3]
    text = argv[4] if len(argv) > 4 else "From the other desk"
    store.open(path)
    # "crash": a desk of this very computer that dies without saying goodbye (a crash, a power cut)
    session = store.start_session(staff, app_version="test", host=None if action == "crash" else "FRONT-2")
    if action == "note":
        store.add_note(client, by=staff, text=text)
    elif action == "call":
        store.log_interaction(client, by=staff, summary=text, rating=1)
    elif action == "promise":  # due in an hour, owned by staff 1 (the first person at the office)
        store.make_promise(client, by=staff, text=text, due=store.utcnow() + timedelta(hours=1), owner=1)
    elif action == "country":  # the administrator changes the office's country (the text is its code)
        store.update_office_settings(version=store.office_settings().version, by=staff, country=text)
    elif action == "rename_topic":  # TEXT is "Old>New"
        old, new = text.split(">")
        store.rename_topic(old, new, version=store.office_settings().version, by=staff)
    elif action == "crash":
        store.heartbeat(session, staff_id=staff, client_id=client)
        os._exit(0)  # no end_session, no close: the session row stays behind
    elif action == "sit":
        store.heartbeat(session, staff_id=staff, client_id=client)
        print("SITTING", flush=True)
        sys.stdin.read()  # until the test closes our stdin
    store.end_session(session)
    store.close()
    print("DONE", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
