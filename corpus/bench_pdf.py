"""Benchmark of PDF reading: the fast path (pdfium) against pdfplumber, OCR, end to end.

Prints, on the same PDFs:
- ms per page for pdfium's bare page text, for our fast path (pdfium characters, pdfplumber
  only on table pages) and for the pdfplumber path (`load_pdf(fast=False)`);
- seconds per page of OCR on a scanned copy (300 dpi, one page at a time and in parallel);
- per report, the time of `tthc extract`: load vs the rest (normalize, extract, checks) in
  one process, and the wall time of the command itself (start-up and model load included).

    python3 -m corpus.bench_pdf [PDF ...] [--repeat 3] [--no-ocr] [--no-cli]

Without PDFs it generates a district's reports and a long prose report into a temp folder.
Speed is printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

_CLI = "import sys; from tthc.cli.commands import main; sys.argv[0] = 'tthc'; main()"


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """The best of `repeat` runs, in seconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def sample_pdfs(folder: Path) -> list[Path]:
    """A generated district's PDFs (prose and table reports) and a long prose report."""
    from corpus.documents import Table, write_pdf
    from corpus.generate import build_district, build_report, generate_district

    generate_district(folder / "district", n_communes=17, seed=3)
    pdfs = sorted((folder / "district").glob("*.pdf"))
    district, plans, _ = build_district(12, 4, "Quý I năm 2025", None, False)
    blocks = []
    for plan in plans[:6]:
        blocks += [b for b in build_report(district, plan, 4)[0] if not isinstance(b, Table)]
    pdfs.append(write_pdf(folder / "dai_van_xuoi.pdf", blocks))
    return pdfs


def pages_of(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def pdfium_text(path: Path) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    for page in pdf:
        page.get_textpage().get_text_range()
    pdf.close()


def bench_paths(pdfs: list[Path], repeat: int) -> None:
    from tthc.load.pdf import load_pdf

    print("Đọc PDF (ms/trang, tốt nhất trong", repeat, "lần):")
    print(f"  {'tệp':32} {'trang':>5} {'pdfium chữ':>11} {'đường nhanh':>12} {'pdfplumber':>11}")
    totals = [0, 0.0, 0.0, 0.0]
    for path in pdfs:
        data = path.read_bytes()
        n = pages_of(path)
        bare = best_of(lambda p=path: pdfium_text(p), repeat)
        fast = best_of(lambda p=path, d=data: load_pdf(p, d, fast=True), repeat)
        slow = best_of(lambda p=path, d=data: load_pdf(p, d, fast=False), repeat)
        totals = [totals[0] + n, totals[1] + bare, totals[2] + fast, totals[3] + slow]
        print(
            f"  {path.name[:32]:32} {n:5d} {bare * 1000 / n:11.1f} {fast * 1000 / n:12.1f} "
            f"{slow * 1000 / n:11.1f}"
        )
    n = totals[0]
    print(
        f"  {'tổng':32} {n:5d} {totals[1] * 1000 / n:11.1f} {totals[2] * 1000 / n:12.1f} "
        f"{totals[3] * 1000 / n:11.1f}"
    )


def bench_ocr(source: Path, folder: Path) -> None:
    """OCR seconds per page on a scanned copy of `source` (scanned at 200 dpi)."""
    import pypdfium2 as pdfium

    from tthc.load import load, ocr

    problem = ocr.ocr_problem()
    if problem:
        print(f"OCR: bỏ qua ({problem})")
        return
    pdf = pdfium.PdfDocument(str(source))
    images = [pdf[n].render(scale=200 / 72, grayscale=True).to_pil() for n in range(len(pdf))]
    pdf.close()
    scan = folder / "ban_scan.pdf"
    images[0].save(scan, "PDF", resolution=200, save_all=True, append_images=images[1:])
    dpi = ocr.OcrSettings().dpi
    print(f"OCR ({len(images)} trang scan 200 dpi, đọc ở {dpi} dpi, OMP_THREAD_LIMIT=1):")
    for jobs in (1, os.cpu_count() or 1):
        os.environ[ocr.JOBS_ENV] = str(jobs)
        started = time.perf_counter()
        doc = load(scan)
        spent = time.perf_counter() - started
        print(
            f"  {jobs} trang song song: {spent / len(images):.2f} giây/trang "
            f"({len(doc.lines)} dòng, trang OCR {doc.ocr_pages})"
        )
    os.environ.pop(ocr.JOBS_ENV, None)


def bench_end_to_end(pdfs: list[Path], repeat: int, cli: bool) -> None:
    from tthc.check import run_checks
    from tthc.load import load
    from tthc.process import read_document

    load(pdfs[0])  # warm up: imports, the language model
    read_document(load(pdfs[0]))
    print("tthc extract, mỗi báo cáo (giây): đọc tệp | trích xuất + kiểm tra | lệnh tthc")
    for path in pdfs:
        read = best_of(lambda p=path: load(p), repeat)
        raw = load(path)

        def rest(raw=raw) -> None:
            record = read_document(raw)
            run_checks(record)

        extract = best_of(rest, repeat)
        wall = ""
        if cli:
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-c", _CLI, "extract", "--json", str(path)],
                capture_output=True,
                check=False,
            )
            wall = f"{time.perf_counter() - started:.2f}"
        print(f"  {path.name[:32]:32} {read:8.3f} | {extract:8.3f} | {wall:>6}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m corpus.bench_pdf", description=__doc__)
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-ocr", action="store_true")
    parser.add_argument("--no-cli", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tthc-bench-") as tmp:
        folder = Path(tmp)
        pdfs = args.pdfs or sample_pdfs(folder)
        bench_paths(pdfs, args.repeat)
        if not args.no_ocr:
            bench_ocr(pdfs[0], folder)
        bench_end_to_end(pdfs, args.repeat, not args.no_cli)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
