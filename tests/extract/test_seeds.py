"""Acceptance on the shared seeds: extraction against the project's gold, and the flags
../shared/domain.md's worked examples call for. Skipped where ../shared is absent."""

from __future__ import annotations

import pytest

from tests.conftest import SEEDS
from tthc.evaluate.score import load_gold, score, totals
from tthc.process import process_file


@pytest.fixture(scope="module")
def seed_scores():
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not available here")
    gold = {name: g for name, g in load_gold().items() if (SEEDS / name).exists()}
    records = [process_file(SEEDS / name).to_json() for name in gold]
    return score(records, gold)


def test_every_seed_has_gold_and_a_record(seed_scores):
    assert len(seed_scores) == 4


def test_dossier_figures_precision_and_recall(seed_scores):
    total = totals(seed_scores)["dossiers"]
    assert total.expected > 50
    assert total.precision >= 0.95, total.extras
    assert total.recall >= 0.95, total.misses


def test_citation_recall(seed_scores):
    total = totals(seed_scores)
    assert total["citations"].recall >= 0.95, total["citations"].misses
    assert total["citation_dates"].recall >= 0.95


def test_every_stated_ratio_has_numerator_and_denominator(seed_scores):
    ratios = totals(seed_scores)["ratios"]
    assert ratios.expected >= 25
    assert ratios.recall == 1.0, [s.ratios.misses for s in seed_scores]


def test_rates_precision_and_recall(seed_scores):
    rates = totals(seed_scores)["percentages"]
    assert rates.precision >= 0.95 and rates.recall >= 0.95


def test_expected_flags_raised_and_forbidden_flags_absent(seed_scores):
    for s in seed_scores:
        assert not s.flags_missing, (s.file, s.flags_missing)
        assert not s.flags_forbidden, (s.file, [f["message"] for f in s.flags_forbidden])


def test_unit_fields(seed_scores):
    unit = totals(seed_scores)["unit"]
    assert unit.precision >= 0.95 and unit.recall >= 0.95
