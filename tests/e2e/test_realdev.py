"""Real public texts with hand-made gold (../shared/realdev): scored through the real command
(`tthc extract --json`, by the shared score.py) against the targets of issue 10. Skipped
when ../shared is absent. Takes about a minute (one `tthc` process per text)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

REALDEV = ROOT.parent / "shared" / "realdev"


def _tthc() -> str:
    found = shutil.which("tthc", path=str(Path(sys.executable).parent)) or shutil.which("tthc")
    if not found:
        pytest.skip("the tthc command is not installed")
    return found


@pytest.fixture(scope="module")
def summary() -> dict[str, float]:
    if not (REALDEV / "score.py").is_file():
        pytest.skip("../shared/realdev is not available here")
    golds = sorted(str(p) for p in (REALDEV / "gold").glob("*.json"))
    run = subprocess.run(
        [sys.executable, str(REALDEV / "score.py"), _tthc(), *golds],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=1800,
    )
    last = run.stdout.strip().splitlines()[-1]
    m = re.search(
        r"F1=(?P<f1>[\d.]+).*?ratios (?P<rh>\d+)/(?P<rn>\d+).*?flags (?P<fh>\d+)/(?P<fn>\d+)"
        r" false flags (?P<false>\d+)",
        last,
    )
    assert m, run.stdout[-2000:] + run.stderr[-2000:]
    return {k: float(v) for k, v in m.groupdict().items()}


def test_dossier_fields(summary):
    assert summary["f1"] >= 0.95


def test_stated_ratios_keep_numerator_and_denominator(summary):
    assert summary["rh"] >= 0.9 * summary["rn"]


def test_every_real_inconsistency_is_flagged(summary):
    assert summary["fh"] == summary["fn"]


def test_no_false_flag(summary):
    assert summary["false"] == 0
