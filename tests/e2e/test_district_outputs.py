"""The main job on generated districts, scored against the generator's own truth of what the
workbook and the notice must say (corpus/district_truth.py): totals, reconciled figures,
rates per measure, units below target, what each commune sent, and a notice that passes the
toolkit's own checks. Seeds the other tests never use; both parent levels; with and without
planted faults; communes that send a photo, a damaged file or a decision."""

from __future__ import annotations

import pytest

from corpus.generate import generate_district
from tthc.evaluate.outputs import evaluate_outputs
from tthc.runjob import run

CASES = [
    # seed, communes, period, parent level, faults, sender cases
    (31, 16, "Quý I năm 2025", "huyện", True, True),
    (47, 14, "Quý III năm 2025", "tỉnh", False, True),
    (58, 12, "Quý IV năm 2024", "huyện", False, False),
]


@pytest.mark.parametrize(
    ("seed", "communes", "period", "level", "faults", "senders"),
    CASES,
    ids=[f"seed{c[0]}-{c[3]}" for c in CASES],
)
def test_outputs_equal_the_truth(tmp_path, seed, communes, period, level, faults, senders):
    folder = tmp_path / "bao_cao"
    truth = generate_district(folder, communes, seed, period, level, faults, senders)
    result = run(folder, tmp_path / "ket_qua", workers=2)
    score = evaluate_outputs(tmp_path / "ket_qua", truth)
    assert not score.failures, [f"{c.what}: {c.expected!r} ≠ {c.actual!r}" for c in score.failures]
    # no consistent report gets an error-level flag
    faulty = {f["file"] for f in truth["faults"]}
    errors = [
        (row.file, row.flag.code)
        for row in result.summary.flags
        if row.flag.severity == "error" and row.file not in faulty
    ]
    assert not errors
