"""The hypothesis profiles of tests/conftest.py: CI is derandomized and bounded, `explore` is not."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent


def test_ci_is_derandomized_with_bounded_examples() -> None:
    ci = settings.get_profile("ci")
    assert ci.derandomize and ci.database is None and ci.deadline is None and ci.max_examples <= 200
    explore = settings.get_profile("explore")
    assert not explore.derandomize


def test_the_ci_variable_forces_the_ci_profile_and_explore_is_chosen_by_name(tmp_path: Path) -> None:
    probe = tmp_path / "test_probe.py"
    probe.write_text(
        "from hypothesis import given, settings, strategies as st\n"
        "@settings(max_examples=7)\n@given(st.integers())\ndef test_p(x):\n"
        "    s = test_p._hypothesis_internal_use_settings\n"
        "    print('PROFILE', s.derandomize, s.max_examples)\n")
    (tmp_path / "conftest.py").write_text((ROOT / "tests" / "conftest.py").read_text())

    def run(**env: str) -> str:
        clean = {k: v for k, v in os.environ.items() if k not in ("CI", "HYPOTHESIS_PROFILE")}
        out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", str(probe)],
                             cwd=tmp_path, env={**clean, **env}, capture_output=True, text=True, timeout=120)
        return out.stdout

    assert "PROFILE True 7" in run()
    assert "PROFILE True 7" in run(CI="true", HYPOTHESIS_PROFILE="explore")
    assert "PROFILE False 140" in run(HYPOTHESIS_PROFILE="explore")
