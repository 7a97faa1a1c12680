"""Benchmarks share one big office (10,000 clients, 1,000,000 entries, 50,000 promises), made once per run."""
from __future__ import annotations

import hashlib
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from models import store
from models.generate import BigOffice, generate_big_office
from tests.perf.bench import ROOT

SIZES = {"clients": 10_000, "entries": 1_000_000, "promises": 50_000, "busy_entries": 50_000}


def _cache_path() -> Path:
    """Reuse the generated office between local runs while the generator and schema are unchanged."""
    digest = hashlib.sha1()
    for name in ("models/generate.py", "models/tables.py", "models/migrations.py"):
        digest.update((ROOT / name).read_bytes())
    digest.update(repr(sorted(SIZES.items())).encode())
    return Path(tempfile.gettempdir()) / f"rapport-big-office-{digest.hexdigest()[:12]}.db"


@pytest.fixture(scope="session")
def big_office() -> Iterator[tuple[Path, BigOffice]]:
    path = _cache_path()
    meta = path.with_suffix(".txt")
    if not (path.exists() and meta.exists()):
        for stale in (path, meta):
            stale.unlink(missing_ok=True)
        started = time.perf_counter()
        store.open(path)
        try:
            office = generate_big_office(**SIZES)
        finally:
            store.close()
        meta.write_text(repr(office))
        print(f"\ngenerated the big office in {time.perf_counter() - started:.1f} s: {office}")
    office = eval(meta.read_text(), {"BigOffice": BigOffice})  # noqa: S307 (our own file, written just above)
    yield path, office


@pytest.fixture
def opened(big_office: tuple[Path, BigOffice]) -> Iterator[BigOffice]:
    path, office = big_office
    store.open(path)
    try:
        yield office
    finally:
        store.set_clock(None)
        store.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Every benchmark's ratio lines (tests/perf/bench.report) at the end of the run, so CI's log shows them."""
    lines = [line for key in ("passed", "failed") for rep in terminalreporter.stats.get(key, [])
             if getattr(rep, "when", "") == "call" for line in rep.capstdout.splitlines()
             if line.startswith("BENCH ") or line.startswith("generated the big office")]
    if lines:
        terminalreporter.write_sep("=", "benchmarks (ratios against baselines measured in the same run)")
        for line in lines:
            terminalreporter.write_line(line)
