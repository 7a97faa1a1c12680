"""Test-wide setup: Qt runs offscreen, the data folder is a temporary one, hypothesis profiles, shared fixtures."""
from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

# Hypothesis profiles. `ci` (the default, and always when CI=true): a derandomized seed, so a red run
# repeats exactly and a landing is never refused by chance; bounded example counts; no timing checks
# (a loaded 2-core machine must not fail a property). `explore` (HYPOTHESIS_PROFILE=explore, locally):
# random, EXPLORE_FACTOR times every test's example count (the hook below), failures kept in .hypothesis
# for replay.
EXPLORE_FACTOR = 20
settings.register_profile("ci", derandomize=True, database=None, max_examples=100, deadline=None,
                          print_blob=True, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("explore", derandomize=False, max_examples=100, deadline=None,
                          print_blob=True, suppress_health_check=[HealthCheck.too_slow])
PROFILE = "ci" if os.environ.get("CI", "").lower() in ("1", "true", "yes") else \
    os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test's own @settings(max_examples=N) is its CI budget; `explore` multiplies it and re-randomizes."""
    for item in items:
        test = getattr(item, "obj", None)
        own = getattr(test, "_hypothesis_internal_use_settings", None)
        if own is None:
            continue
        if PROFILE == "explore":
            test._hypothesis_internal_use_settings = settings(  # type: ignore[union-attr]
                own, max_examples=own.max_examples * EXPLORE_FACTOR, derandomize=False,
                database=settings.get_profile("explore").database)
        else:
            test._hypothesis_internal_use_settings = settings(  # type: ignore[union-attr]
                own, derandomize=True, database=None, deadline=None)


def pytest_report_header() -> str:
    return f"hypothesis profile: {PROFILE}"


@pytest.fixture(autouse=True)
def _own_data_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data folder (drafts, backups, logs), never the real one."""
    folder = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("RAPPORT_DATA_DIR", str(folder))
    return folder
