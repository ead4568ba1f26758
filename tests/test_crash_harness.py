"""The crash harness, briefly: imports SIGKILLed at random moments keep all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.crash_harness import harness

pytestmark = pytest.mark.slow


def test_imports_killed_at_random_moments_keep_all_or_nothing(tmp_path: Path) -> None:
    outcome, duration = harness(runs=8, rows=50_000, seed=3, folder=tmp_path)
    assert outcome.failures == []
    assert outcome.runs == 8
    assert outcome.during_import + outcome.after_commit + outcome.finished == 8
    assert outcome.during_import > 0  # the kills did land inside imports
    assert duration > 0
