"""Shared helpers: the shared seeds (skipped when absent), the project's own fixtures, and a
way to run the extract stage on a few lines of text written in a test."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import unicodedata
from functools import cache
from pathlib import Path

import pytest

from tthc.process import read_document
from tthc.schemas import RawDocument, RawLine, Record

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
FIXTURES = ROOT / "corpus" / "fixtures"
E2E = Path(__file__).resolve().parent / "e2e"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/e2e/ (whole runs, the command in a subprocess) is `slow`, so
    `python3 -m pytest -m "not slow"` runs the rest alone (README, "For developers")."""
    for item in items:
        if E2E in item.path.parents:
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not available here")
    return SEEDS


def seed_path(prefix: str) -> Path:
    """A shared seed by its number ("000"); skips the test when ../shared is absent."""
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not available here")
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def extract_text(text: str, name: str = "test.txt") -> Record:
    """The extract stage on text written in a test (one raw line per line)."""
    lines = [RawLine(text=line) for line in text.strip("\n").split("\n")]
    return read_document(RawDocument(path=name, format="txt", lines=lines))


def figures(record: Record) -> dict[tuple[str | None, str, str], int]:
    """{(period key, scope, field): value} of every stated dossier figure."""
    return {
        (p.key, p.scope, name): value
        for p in record.periods
        for name, value in p.dossiers.model_dump(exclude_none=True).items()
    }


def all_scope(record: Record) -> dict[str, int]:
    """The whole-unit figures of a record with a single period."""
    return {f: v for (_, scope, f), v in figures(record).items() if scope == "all"}


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFC", text).casefold())


@cache
def _seed_runs(n: int = 12) -> frozenset[tuple[str, ...]]:
    runs: set[tuple[str, ...]] = set()
    for f in SEEDS.glob("*.txt"):
        w = _words(f.read_text(encoding="utf-8"))
        runs.update(tuple(w[i : i + n]) for i in range(len(w) - n + 1))
    return frozenset(runs)


def runs_shared_with_seeds(text: str, n: int = 12) -> list[str]:
    """Runs of n words that `text` shares with a seed report: the project writes its own
    sentences (facts may be shared, prose may not)."""
    seen, w = _seed_runs(n), _words(text)
    return [" ".join(w[i : i + n]) for i in range(len(w) - n + 1) if tuple(w[i : i + n]) in seen]


# What pip prints when it cannot reach a package index: then the tests that need one skip.
PIP_OFFLINE = ("No matching distribution", "Could not find a version", "NewConnectionError")


@pytest.fixture(scope="session")
def tthc_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel pip builds, from a copy of the sources (no build folder in the checkout);
    built once per session for the packaging and coexistence tests."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for folder in ("tthc", "corpus", "tests"):  # corpus/ and tests/ are there, never installed
        shutil.copytree(ROOT / folder, src / folder, ignore=ignore)
    out = tmp / "wheel"
    cmd = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(src)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if done.returncode != 0 and any(s in done.stdout + done.stderr for s in PIP_OFFLINE):
        pytest.skip("pip cannot fetch the build backend here (no package index)")
    assert done.returncode == 0, done.stdout + done.stderr
    (wheel,) = out.glob("tthc-*.whl")
    return wheel
