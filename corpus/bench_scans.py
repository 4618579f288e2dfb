"""Benchmark of scanned reports: the scan's figures against the text PDF's, and OCR time.

Every source PDF (the sample district's, the project's fixtures set as PDFs, a generated
district's) is scanned in every kind of `corpus.scans.KINDS`; each scan's record is compared
with its text PDF's record. Prints, per kind: the dossier figures equal to the text PDF's
(share), wrong and missing ones, figures marked with a doubt, error-level flags that only the
scan raises, and the seconds of OCR per page (`load` of the scan, one page at a time).

    python3 -m corpus.bench_scans [PDF ...] [--kinds PREFIX ...] [--communes 12] [--verbose]

Targets (issue 11): ≥ 98% at 300 dpi with skew ≤ 1°, ≥ 95% at 200 dpi and on phone-like
scans; no error flag on the scan of a consistent report; OCR time with tables ≤ 1.5× the
page OCR time of plain text reading. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from corpus.scans import KINDS, Agreement, ScanKind, compare, scan_copy

_ROOT = Path(__file__).resolve().parent


def fixture_pdfs(folder: Path) -> list[Path]:
    """The project's text fixtures written as PDFs: a paragraph per blank-line block."""
    from corpus.render import Para, write_pdf

    out = []
    for txt in sorted((_ROOT / "fixtures").glob("*.txt")):
        blocks = [" ".join(b.split()) for b in txt.read_text(encoding="utf-8").split("\n\n")]
        paras = [Para(b, align="justify") for b in blocks if b]
        out.append(write_pdf(folder / f"{txt.stem}.pdf", paras))
    return out


def generated_pdfs(folder: Path, communes: int) -> list[Path]:
    """A generated district's PDFs, without planted faults (every report is consistent)."""
    from corpus.generate import generate_district

    generate_district(folder / "district", n_communes=communes, seed=11, faults=False)
    return sorted((folder / "district").glob("*.pdf"))


def sources(folder: Path, communes: int) -> list[Path]:
    return [
        *sorted((_ROOT / "sample").glob("*.pdf")),
        *fixture_pdfs(folder),
        *generated_pdfs(folder, communes),
    ]


def pages_of(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def run_kind(
    kind: ScanKind, pdfs: list[Path], truth: dict[Path, object], folder: Path, verbose: bool
) -> tuple[Agreement, int, float]:
    """Agreement over every source scanned as `kind`, pages, and seconds of loading scans."""
    from extractors.extract import extract_document
    from extractors.load import load
    from tthc.pipeline import run_checks

    total, pages, spent = Agreement(), 0, 0.0
    for pdf in pdfs:
        scan = scan_copy(pdf, folder / f"scan_{pdf.stem}.pdf", kind)
        started = time.perf_counter()
        raw = load(scan)
        spent += time.perf_counter() - started
        pages += raw.pages or 0
        record = extract_document(raw)
        record.flags = run_checks(record)
        got = compare(truth[pdf], record)
        total.add(got)
        if verbose and (got.wrong or got.missing or got.extra or got.new_errors):
            print(f"    {pdf.name}: {got.equal}/{got.expected}")
            for line in got.wrong + got.missing:
                print(f"      ≠ {line}")
            for line in got.extra:
                print(f"      + {line}")
            for line in got.new_errors:
                print(f"      ! {line}")
    return total, pages, spent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m corpus.bench_scans", description=__doc__)
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--kinds", nargs="*", default=[], help="tiền tố tên loại bản scan")
    parser.add_argument("--communes", type=int, default=12)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    from extractors import ocr
    from tthc.pipeline import process_file

    problem = ocr.ocr_problem()
    if problem:
        print(f"Bỏ qua: {problem}")
        return 0
    os.environ[ocr.JOBS_ENV] = "1"  # seconds per page, one page at a time
    kinds = [k for k in KINDS if not args.kinds or any(k.name.startswith(p) for p in args.kinds)]
    with tempfile.TemporaryDirectory(prefix="tthc-scans-") as tmp:
        folder = Path(tmp)
        pdfs = args.pdfs or sources(folder, args.communes)
        truth = {pdf: process_file(pdf) for pdf in pdfs}
        n_expected = sum(len(r.periods) for r in truth.values())
        print(f"{len(pdfs)} tệp PDF, {sum(map(pages_of, pdfs))} trang, {n_expected} kỳ/phạm vi")
        print(
            f"  {'loại bản scan':44} {'đúng':>9} {'tỷ lệ':>7} {'sai':>4} {'thiếu':>5} "
            f"{'thừa':>4} {'nghi':>4} {'lỗi mới':>7} {'giây/trang':>10}"
        )
        for kind in kinds:
            got, pages, spent = run_kind(kind, pdfs, truth, folder, args.verbose)
            print(
                f"  {kind.name[:44]:44} {got.equal:4d}/{got.expected:<4d} {got.share:7.1%} "
                f"{len(got.wrong):4d} {len(got.missing):5d} {len(got.extra):4d} "
                f"{got.doubtful:4d} {len(got.new_errors):7d} {spent / max(pages, 1):10.2f}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
