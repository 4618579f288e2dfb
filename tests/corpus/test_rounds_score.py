"""The round scorer (corpus/rounds/score.py): parts matched by value, unread coverage, false
flags; and the same numbers as ../shared/realdev/score.py where the gold formats overlap."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from corpus.rounds.score import RoundScore, passes, score_file, summary
from tests.conftest import ROOT

REALDEV = ROOT.parent / "shared" / "realdev"


def _period(scope: str, label: str = "Quý I năm 2026", **dossiers) -> dict:
    return {"label": label, "end": "2026-03-14", "scope": scope, "dossiers": dossiers}


GOLD = {
    "file": "r0/r0_01_x.txt",
    "unit": {"name": "Tây Hưng", "level": "xã"},
    "periods": [
        {
            "label": "Quý I năm 2026",
            "year": 2026,
            "scope": "all",
            "dossiers": {"received_total": 812, "resolved_late": 0, "pending_total": 12},
            "by_quantifier": ["resolved_late"],
        },
        {
            "label": "Quý I",
            "year": 2026,
            "scope": "part:cấp xã",
            "dossiers": {"received_total": 300},
        },
        {
            "label": "Quý I",
            "year": 2026,
            "scope": "part:các sở",
            "dossiers": {"received_total": 90},
        },
        {"label": "Quý I", "year": 2026, "scope": "lien_thong", "dossiers": {"received_total": 64}},
    ],
    "ratios": [{"num": 540, "den": 550, "pct": 98.18, "ok": True}],
    "flags_required": [["sum.resolved"]],
    "distractors": ["46 lượt công dân"],
}


def _record(**over) -> dict:
    rec = {
        "unit": {"name": "Tây Hưng", "level": "xã"},
        "periods": [
            _period("all", received_total=812, resolved_late=0),
            # the record names its parts otherwise: matched by value, one record part each
            _period("part:Sở, ngành", received_total=90),
            _period("part:UBND cấp xã", received_total=300),
            _period("lien_thong", received_total=64, resolved_total=60),
        ],
        "percentages": [{"value": 98.18, "numerator": 540, "denominator": 550}],
        "flags": [
            {"code": "sum.resolved", "severity": "error"},
            {"code": "unread", "severity": "warning", "actual": 12},
            {"code": "unread", "severity": "warning", "actual": 46},
        ],
    }
    rec.update(over)
    return rec


def test_a_full_reading_scores_parts_by_value_and_counts_unread_coverage():
    s = score_file("x", _record(), GOLD)
    assert (s.tp, s.fp, s.fn) == (2 + 2 + 1 + 1 + 1, 0, 1)  # pending_total 12 left null
    assert s.extra == 1  # lien_thong resolved_total: not in the gold
    assert (s.ratios, s.ratios_n, s.slips, s.slips_n) == (1, 1, 1, 1)
    assert (s.unread, s.unread_n) == (1, 1)  # the missed 12 is shown as unread
    assert s.unread_on_distractors == 1  # 46 lượt is no dossier count
    assert (s.quantifier, s.quantifier_n) == (1, 1)
    assert s.false_errors == []


def test_a_silent_miss_a_false_error_and_an_unlinked_ratio_are_counted():
    rec = _record(
        flags=[{"code": "balance", "severity": "error", "message": "…"}],
        percentages=[{"value": 98.18, "numerator": None, "denominator": None}],
    )
    s = score_file("x", rec, GOLD)
    assert (s.unread, s.unread_n) == (0, 1)
    assert len(s.false_errors) == 1 and s.slips == 0 and s.ratios == 0
    figures = summary(RoundScore([s]))
    assert not passes(figures)


def test_a_wrong_value_is_a_miss_and_a_false_reading():
    rec = _record(periods=[_period("all", received_total=821, resolved_late=0, pending_total=12)])
    s = score_file("x", rec, GOLD)
    assert s.wrong == 1 and s.fp == 1
    assert s.fn == 1 + 3  # 821 for 812, and the three parts and liên thông not read


def _realdev_scorer():
    path = REALDEV / "score.py"
    if not path.is_file():
        pytest.skip("../shared/realdev is not available here")
    spec = importlib.util.spec_from_file_location("realdev_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_an_approximate_figure_also_stated_exactly_scores_the_exact_one():
    """A headline rounds it ("gần 820 hồ sơ"), the body states 812: the exact value is the
    figure; the rounded one in `optional` is no wrong value beside it."""
    gold = {**GOLD, "periods": [{**GOLD["periods"][0], "optional": {"received_total": 820}}]}
    s = score_file("x", _record(), gold)
    assert not [n for n in s.notes if "or null" in n]
    assert s.fp == 0
    only_rounded = {
        **GOLD,
        "periods": [
            {
                "label": "Quý I năm 2026",
                "year": 2026,
                "scope": "all",
                "dossiers": {},
                "optional": {"received_total": 820},
            }
        ],
    }
    assert score_file("x", _record(), only_rounded).fp == 1  # 812 where only 820 is said


def test_the_scorer_reproduces_realdev_score_on_its_gold(monkeypatch):
    """Both scorers on the same records (read in process): the same counts per file."""
    import json

    from tthc.process import process_file

    realdev = _realdev_scorer()
    records = {}

    def run(_tthc, path):
        return records[Path(path).name], None

    monkeypatch.setattr(realdev, "run", run)
    for gold_path in sorted((REALDEV / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text = REALDEV.parent / gold["file"]
        records[text.name] = process_file(text).to_json()
        theirs = realdev.score_file("tthc", gold, False)
        ours = score_file(text.name, records[text.name], gold)
        assert (ours.tp, ours.fp, ours.fn) == (theirs["tp"], theirs["fp"], theirs["fn"]), text.name
        assert (ours.ratios, ours.ratios_n) == (theirs["rat_hit"], theirs["rat_n"])
        assert (ours.slips, ours.slips_n) == (theirs["req_hit"], theirs["req_n"])
        assert ours.forbidden == theirs["forbidden"]
        assert (ours.citations, ours.citations_n) == (theirs["cit_hit"], theirs["cit_n"])


def test_a_running_total_is_never_scored_against_the_reports_own_period():
    """A gold "Lũy kế từ đầu năm" (no days) shown unread by the record must count as a miss
    shown, not as wrong values of the report's month that happens to share its year."""
    running = {
        "label": "Lũy kế từ đầu năm",
        "year": 2026,
        "scope": "all",
        "dossiers": {"received_total": 2400},
    }
    gold = {**GOLD, "periods": [GOLD["periods"][0], running]}
    rec = _record(
        periods=[_period("all", received_total=812, resolved_late=0, pending_total=12)],
        flags=[
            {"code": "sum.resolved", "severity": "error"},
            {"code": "unread", "severity": "warning", "actual": 2400},
        ],
    )
    s = score_file("x", rec, gold)
    assert s.fp == 0 and s.wrong == 0
    assert (s.unread, s.unread_n) == (1, 1)
