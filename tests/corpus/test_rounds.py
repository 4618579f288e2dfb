"""The fresh rounds, kept as regression sets (corpus/rounds/rK/): each is scored as on first
contact and must hold the figures it reached after its fixes (corpus/rounds/held.json): dossier
fields F1, stated ratios linked, planted slips flagged, no false error flag, every figure not
read shown as unread. Their first scores are in corpus/rounds/LEDGER.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.rounds.score import score_round, summary

ROUNDS = Path(__file__).resolve().parents[2] / "corpus" / "rounds"
HELD = json.loads((ROUNDS / "held.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(HELD))
def test_a_round_holds_what_it_reached(name):
    held = HELD[name]
    got = summary(score_round(ROUNDS / name))
    assert got["files"] == len(list((ROUNDS / name / "gold").glob("*.json")))
    assert got["f1"] >= held["f1"]
    assert got["ratios"][0] >= held["ratios"][0] and got["ratios"][1] == held["ratios"][1]
    assert got["slips"] == held["slips"]
    assert got["false_errors"] <= held["false_errors"]
    missed, left = got["unread"][1] - got["unread"][0], held["unread"][1] - held["unread"][0]
    assert missed <= left  # no more silent misses than when the round was fixed
