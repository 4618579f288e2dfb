"""Scoring a run against the truth of a generated district (`tthc eval`).

`records` scores extraction and flags against truth.json; `outputs` scores the workbook, the
notice and the notice read back; `score` compares records with gold field by field;
`district_truth` computes, independently of consolidation, what the district outputs must say.
"""

from tthc.evaluate.outputs import evaluate_outputs, print_outputs
from tthc.evaluate.records import evaluate, load_truth, print_evaluation, truth_file

__all__ = [
    "evaluate",
    "evaluate_outputs",
    "load_truth",
    "print_evaluation",
    "print_outputs",
    "truth_file",
]
