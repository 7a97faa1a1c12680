"""A desk writing flat out while its PostgreSQL connection is cut: `python -m tests.store.lossy_writer URL OUT SECONDS`.

Each note's text is its number; every write the store acknowledged is appended to OUT at once (so a
test can compare the database with what the desk was told), and the refusals are counted at the end.
"""
from __future__ import annotations

import sys
import time

from models import store
from models.errors import StoreError


def main(url: str, out: str, seconds: float) -> None:
    store.open(url)
    staff = store.list_staff()[0].id
    client = store.list_clients()[0].id
    refused = 0
    deadline = time.monotonic() + seconds
    n = 0
    with open(out, "w", encoding="utf-8") as fh:
        while time.monotonic() < deadline:
            n += 1
            try:
                store.add_note(client, by=staff, text=f"write {n}")
            except StoreError:
                refused += 1
                continue
            fh.write(f"write {n}\n")
            fh.flush()
        fh.write(f"# tried {n} refused {refused}\n")
    store.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]))
