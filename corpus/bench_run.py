"""Benchmark of the main job: prints figures, asserts nothing.

    python3 -m corpus.bench_run                # the sample district and a generated 200-report one

For each district: the wall time of `tthc run` cold (empty store) and warm (everything
reused), and, from a sequential pass over the same files, where the per-file time goes:
loading (of which PDF text extraction) and extraction + checks.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import tempfile
import time
from pathlib import Path

from corpus.generate import generate_district
from tthc.load import load
from tthc.process import process_file
from tthc.runjob import default_folder, expand, run


def timed_run(folder: Path, out: Path) -> float:
    start = time.perf_counter()
    run(folder, out)
    return time.perf_counter() - start


def split(folder: Path) -> dict[str, float]:
    """Seconds spent loading PDFs, loading other files, and in the whole per-file work."""
    totals = {"pdf_load": 0.0, "other_load": 0.0, "per_file": 0.0, "files": 0}
    for f in expand([folder]):
        t0 = time.perf_counter()
        with contextlib.suppress(Exception):  # a bad file still counts its time
            load(f)
        t1 = time.perf_counter()
        process_file(f)
        t2 = time.perf_counter()
        key = "pdf_load" if f.suffix.lower() == ".pdf" else "other_load"
        totals[key] += t1 - t0
        totals["per_file"] += t2 - t1
        totals["files"] += 1
    return totals


def report(name: str, folder: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        cold = timed_run(folder, out)
        warm = timed_run(folder, out)
    s = split(folder)
    files = int(s["files"])
    print(f"{name}: {files} báo cáo")
    print(
        f"  tthc run, lần đầu (kho trống):    {cold:6.2f} s  ({1000 * cold / files:.0f} ms/báo cáo)"
    )
    print(f"  tthc run, chạy lại (dùng kho):    {warm:6.2f} s")
    print(f"  tuần tự, mỗi tệp:                 {1000 * s['per_file'] / files:6.1f} ms/báo cáo")
    share = s["pdf_load"] / s["per_file"] if s["per_file"] else 0.0
    print(
        f"  trích chữ từ PDF chiếm {100 * share:.1f}% thời gian xử lý từng tệp (PDF "
        f"{s['pdf_load']:.2f} s, tệp khác {s['other_load']:.2f} s, tổng {s['per_file']:.2f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=200)
    args = parser.parse_args()
    report("Huyện mẫu", default_folder())
    tmp = Path(tempfile.mkdtemp())
    try:
        generate_district(tmp / "district", n_communes=args.communes, seed=7)
        report(f"Huyện sinh tự động ({args.communes} xã)", tmp / "district")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
