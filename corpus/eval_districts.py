"""Generated districts of several seeds, sizes and parent levels, each run through the main
job and scored against its truth: prints, per district, the extraction scores, the planted
faults found, the false alarms on consistent reports, and how many points of the workbook
and the notice equal the truth. It asserts nothing; the tests run a small set of the same.

    python3 -m corpus.eval_districts                 # the default grid (20 and 120 communes)
    python3 -m corpus.eval_districts --communes 40 --seeds 5 6
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from corpus.generate import generate_district
from tthc.evaluate.outputs import evaluate_outputs
from tthc.evaluate.records import evaluate
from tthc.evaluate.score import totals
from tthc.runjob import run

GRID = [
    # communes, seed, period, parent level, faults, sender cases
    (20, 101, "Quý I năm 2025", "huyện", True, True),
    (20, 102, "Quý I năm 2025", "huyện", False, False),
    (20, 103, "Quý III năm 2025", "tỉnh", True, True),
    (20, 104, "Quý III năm 2025", "tỉnh", False, False),
    (120, 105, "Quý I năm 2025", "huyện", True, True),
    (120, 106, "Quý III năm 2025", "tỉnh", False, True),
]


def one(communes: int, seed: int, period: str, level: str, faults: bool, senders: bool) -> str:
    with tempfile.TemporaryDirectory(prefix="tthc-district-") as tmp:
        folder, out = Path(tmp) / "bao_cao", Path(tmp) / "ket_qua"
        truth = generate_district(folder, communes, seed, period, level, faults, senders)
        start = time.perf_counter()
        result = run(folder, out)
        seconds = time.perf_counter() - start
        scored = evaluate([p.record for p in result.processed], truth)
        outputs = evaluate_outputs(out, truth)
    dossiers = totals(scored.scores)["dossiers"]
    planted = len(scored.faults_found) + len(scored.faults_missed)
    false = len({f for f, _, _ in scored.false_alarms})
    checks = len(outputs.checks)
    found = sum(1 for t in outputs.traces if t.cells)
    line = (
        f"{communes:>4} {seed:>4} {level:<6} {period:<17} lỗi cài={'có' if faults else 'không':<5}"
        f" hồ sơ P/R {dossiers.precision:.3f}/{dossiers.recall:.3f}  lỗi phát hiện "
        f"{len(scored.faults_found)}/{planted}  báo nhầm {false}/{scored.consistent_reports}"
        f"  đầu ra {checks - len(outputs.failures)}/{checks}"
        f"  số của thông báo trên bảng {found}/{len(outputs.traces)}  {seconds:.0f} s"
    )
    for failure in outputs.failures[:8]:
        line += f"\n       SAI {failure.what}: {failure.expected!r} ≠ {failure.actual!r}"
    return line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m corpus.eval_districts")
    parser.add_argument("--communes", type=int, help="one size instead of the grid")
    parser.add_argument("--seeds", type=int, nargs="*", default=[7])
    args = parser.parse_args(argv)
    grid = GRID
    if args.communes:
        grid = [(args.communes, s, "Quý I năm 2025", "huyện", True, True) for s in args.seeds]
    for case in grid:
        print(one(*case), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
