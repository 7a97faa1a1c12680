"""Timing helpers for the benchmarks: medians, interleaved runs, and the printed ratio lines."""
from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def median_ms(fn: Callable[[], object], runs: int = 21, warmup: int = 3) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def interleaved_medians(a: Callable[[], object], b: Callable[[], object], runs: int = 31) -> tuple[float, float]:
    """Median times of a and b, measured alternately so that machine noise hits both alike."""
    for _ in range(3):
        a(), b()
    ta, tb = [], []
    for _ in range(runs):
        started = time.perf_counter()
        a()
        ta.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        b()
        tb.append((time.perf_counter() - started) * 1000)
    return statistics.median(ta), statistics.median(tb)


def report(line: str) -> None:
    """Benchmarks print their ratios (visible with -s, and in CI's log through the terminal reporter)."""
    print(f"\nBENCH {line}", flush=True)
