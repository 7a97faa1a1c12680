"""Sharing budgets (SHARING.md), as ratios measured in one run: six desks writing at once, and the idle poll."""
from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

import pytest

from models import store
from tests.perf.bench import report
from tests.store.conftest import PG_SKIP, PG_URL, reset_postgres
from tests.store.test_many_desks import run_desks

pytestmark = pytest.mark.perf

WRITE_SECONDS = 3.0  # how long every desk keeps writing in one measurement
DESKS = 6
ROUNDS = 3  # alone and together, alternately; the median round is judged
POLL_EVERY_S = 2.0  # ui/watcher.py polls every 2 s


def _office(path: Path, clients: int) -> tuple[int, list[int]]:
    """A fresh office file with a receptionist and `clients` clients (one per desk)."""
    store.open(path)
    try:
        anna = store.add_staff("Anna Keller").id
        return anna, [store.add_client(name=f"Client {i}", by=anna).id for i in range(clients)]
    finally:
        store.close()


def _throughput(folder: Path, desks: int) -> tuple[float, list[int], float]:
    """Writes per second of `desks` desks writing log_interaction at once to one file, each desk's count,
    and the longest any desk waited for one save."""
    path = folder / "office.db"
    folder.mkdir(parents=True)
    anna, clients = _office(path, desks)
    specs = [{"mode": "write", "location": str(path), "by": anna, "clients": [clients[i]], "seconds": WRITE_SECONDS,
              "kinds": ["interaction"], "tag": f"desk {i}"} for i in range(desks)]
    results: list[dict[str, Any]] = run_desks(folder, specs)
    errors = [e for r in results for e in r["errors"]]
    assert not errors, f"errors reached the desks: {errors[:5]}"
    window = max(r["started"] + r["elapsed"] for r in results) - min(r["started"] for r in results)
    per_desk = [len(r["acks"]) for r in results]
    return sum(per_desk) / window, per_desk, max(_longest_wait(r) for r in results)


def _longest_wait(result: dict[str, Any]) -> float:
    """The longest a desk went without a save: between its start, its acknowledgements and its end."""
    times = [result["started"], *(ack[3] for ack in result["acks"]), result["started"] + result["elapsed"]]
    return max(b - a for a, b in zip(times, times[1:], strict=False))


def test_six_desks_writing_at_once_keep_half_of_one_desks_throughput(tmp_path: Path) -> None:
    """SHARING.md: BEGIN IMMEDIATE and a jittered retry keep a busy office moving; measured alternately."""
    alone: list[float] = []
    together: list[float] = []
    shares: list[list[int]] = []
    waits: list[float] = []
    for round_ in range(ROUNDS):  # alternate, so that machine noise hits both alike
        alone.append(_throughput(tmp_path / f"alone{round_}", 1)[0])
        rate, per_desk, wait = _throughput(tmp_path / f"six{round_}", DESKS)
        together.append(rate)
        shares.append(per_desk)
        waits.append(wait)
    one, six = statistics.median(alone), statistics.median(together)
    ratio = six / one
    # Fairness (issue 12): the fewest saves of one desk against its fair share (all saves / desks).
    fairness = [min(per_desk) / (sum(per_desk) / DESKS) for per_desk in shares]
    report(f"six desks writing at once: {six:.0f} writes/s together vs one desk alone {one:.0f} writes/s "
           f"= {ratio:.2f} (budget >= 0.50); runs alone {[round(x) for x in alone]}, together "
           f"{[round(x) for x in together]}; writes per desk in {WRITE_SECONDS:.0f} s {shares}; "
           f"fairness (fewest saves of a desk / fair share) {[round(f, 2) for f in fairness]} (budget >= 0.50); "
           f"longest wait of one desk for one save {[round(w, 2) for w in waits]} s (budget <= 1 s)")
    # Every figure is judged on the median round: one round hit by the machine's other work (one desk's
    # throughput alone swung 3x between rounds on a loaded machine) must not decide it either way.
    assert ratio >= 0.5
    assert statistics.median(fairness) >= 0.5, "a desk got less than half its fair share of saves"
    assert statistics.median(waits) <= 1.0, "a desk waited more than a second for one save"


def _poll_cpu_percent(rounds: int = 7, polls: int = 500) -> tuple[float, float]:
    """CPU seconds of one idle poll in this process (median of batches), and the share of a core at 2 s."""
    me = store.start_session(None, app_version="bench")
    after = store.latest_change_id()
    after, _ = store.poll(after, skip_origin=me)
    batches = []
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(polls):
            after, changes = store.poll(after, skip_origin=me)
        batches.append((time.process_time() - started) / polls)
        assert not changes
    per_poll = statistics.median(batches)
    return per_poll, per_poll / POLL_EVERY_S * 100


def _busy_office() -> None:
    anna = store.add_staff("Anna Keller").id
    for i in range(20):
        client = store.add_client(name=f"Client {i}", by=anna).id
        for j in range(5):
            store.log_interaction(client, by=anna, summary=f"Call {j}", rating=1)


def test_an_idle_poll_costs_under_one_percent_of_a_core(tmp_path: Path) -> None:
    store.open(tmp_path / "office.db")
    try:
        _busy_office()
        per_poll, percent = _poll_cpu_percent()
    finally:
        store.close()
    report(f"idle poll on SQLite: {per_poll * 1e6:.0f} us CPU per poll = {percent:.4f}% of one core "
           f"at one poll every {POLL_EVERY_S:.0f} s (budget < 1%)")
    assert percent < 1.0


def test_an_idle_poll_on_postgres_costs_under_one_percent_of_a_core() -> None:
    """The desk's side only: on PostgreSQL each poll is one primary-key range query to the server."""
    if not PG_URL:
        pytest.skip(PG_SKIP)
    reset_postgres(PG_URL)
    store.open(PG_URL)
    try:
        _busy_office()
        per_poll, percent = _poll_cpu_percent(polls=200)
    finally:
        store.close()
    report(f"idle poll on PostgreSQL (desk side): {per_poll * 1e6:.0f} us CPU per poll = {percent:.4f}% of one "
           f"core at one poll every {POLL_EVERY_S:.0f} s (budget < 1%)")
    assert percent < 1.0
