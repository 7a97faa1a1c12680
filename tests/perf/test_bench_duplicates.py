"""Possible duplicates at scale: similar_clients answers within a keystroke on the big office and grows at most
3x from 1,000 to 10,000 clients; find_duplicates over 10,000 clients costs at most 12x its time over 1,000."""
from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from models import store
from models.generate import BigOffice, generate_big_office
from tests.perf.bench import report

pytestmark = pytest.mark.perf

SIMILAR_GROWTH = 3.0
FIND_GROWTH = 12.0
TWINS = 0.1  # an office's duplicates grow with it: one client in ten entered twice (a common estimate for CRMs)


def _typed(office: BigOffice, rng: random.Random) -> list[dict[str, str]]:
    """What receptionists type: an existing client's name with a typo, a phone written otherwise, a new person."""
    forms = []
    for _ in range(30):
        cid = rng.randint(1, office.clients)
        c = store.get_client(cid)
        forms.append({"name": c.name.replace("Client", "Cleint"), "organisation": c.organisation})
        forms.append({"name": c.name, "phone": "+44 " + c.phone[1:]})
        forms.append({"name": "Aisha Clarke", "email": "aisha@example.org", "phone": "01632 960703",
                      "organisation": "Quayside Dental"})
    return forms


def _median_ms(fn: Callable[[dict[str, str]], object], forms: list[dict[str, str]], rounds: int = 3) -> float:
    for form in forms[:5]:
        fn(form)
    times = []
    for _ in range(rounds):
        for form in forms:
            started = time.perf_counter()
            fn(form)
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _similar(form: dict[str, str]) -> object:
    return store.similar_clients(**form)


@pytest.fixture(scope="module")
def small_offices(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[int, tuple[Path, BigOffice]]]:
    """Offices of 1,000 and 10,000 clients with TWINS of them entered twice (few entries: they play no part).

    The generator's random phone numbers also collide by chance, more than proportionally in the bigger
    office (about 0.5 pairs in 1,000 clients, 55 in 10,000); finding costs what it finds, so the pairs found
    are printed beside the times.
    """
    out = {}
    for clients in (1_000, 10_000):
        path = tmp_path_factory.mktemp("dup") / f"office-{clients}.db"
        store.open(path)
        try:
            out[clients] = (path, generate_big_office(clients=clients, entries=clients * 2, promises=clients // 10,
                                                      busy_entries=20, quiet_entries=5, twins=TWINS))
        finally:
            store.close()
    yield out


def _measure(offices: dict[int, tuple[Path, BigOffice]], rounds: int = 9) -> dict[int, tuple[float, float, int]]:
    """Median times per office size, the two offices measured in turn so that the machine's noise hits both."""
    similar: dict[int, list[float]] = {n: [] for n in offices}
    finding: dict[int, list[float]] = {n: [] for n in offices}
    found: dict[int, int] = {}
    for _ in range(rounds):
        for n, (path, office) in offices.items():
            store.open(path)
            try:
                similar[n].append(_median_ms(_similar, _typed(office, random.Random(7)), rounds=1))
                store.find_duplicates()
                for _ in range(3):
                    started = time.perf_counter()
                    found[n] = len(store.find_duplicates(limit=100_000))
                    finding[n].append((time.perf_counter() - started) * 1000)
            finally:
                store.close()
    return {n: (statistics.median(similar[n]), statistics.median(finding[n]), found[n]) for n in offices}


def test_similar_clients_on_the_big_office(opened: BigOffice) -> None:
    forms = _typed(opened, random.Random(3))
    ms = _median_ms(_similar, forms)
    report(f"similar_clients on the big office ({opened.clients:,} clients, {opened.entries:,} entries): "
           f"median {ms:.2f} ms per keystroke's query over {len(forms)} typed forms")
    assert ms < 100


def test_growth_from_1000_to_10000_clients(small_offices: dict[int, tuple[Path, BigOffice]]) -> None:
    times = _measure(small_offices)
    (s1, f1, n1), (s10, f10, n10) = times[1_000], times[10_000]
    report(f"similar_clients: 1,000 clients {s1:.2f} ms, 10,000 clients {s10:.2f} ms = {s10 / s1:.2f}x "
           f"(budget {SIMILAR_GROWTH:.0f}x)")
    report(f"find_duplicates: 1,000 clients {f1:.1f} ms ({n1} pairs), 10,000 clients {f10:.1f} ms ({n10} pairs) "
           f"= {f10 / f1:.2f}x (budget {FIND_GROWTH:.0f}x; the pairs found grew {n10 / n1:.1f}x)")
    assert s10 / s1 <= SIMILAR_GROWTH
    assert f10 / f1 <= FIND_GROWTH
