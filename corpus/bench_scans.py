"""Benchmark of scanned reports: the scan's figures against the text PDF's, and OCR time.

Every source PDF (the sample district's, the project's fixtures set as PDFs, a generated
district's, and a few generated form-table reports printed without ruling lines) is scanned
in every kind of `corpus.scans.KINDS`; each scan's record is compared with the record of
its text PDF (for a table printed without lines: of the same report with lines). Prints,
per kind: the dossier figures equal to the text PDF's (share), wrong and missing ones, extra
ones, figures marked with a doubt, error-level flags only the scan raises, and the seconds
per page of loading the scan (OCR included, one page at a time) next to those of today's
plain page OCR (`--no-baseline` skips it), run on the same pages in turn so that the ratio
holds on a busy machine; the CPU ratio (this process and its Tesseract children) too.

    python3 -m corpus.bench_scans [PDF ...] [--kinds PREFIX ...] [--communes 12]
                                  [--borderless 2] [--no-baseline] [--verbose]
                                  [--keep DIR | --sources DIR]

Targets (issue 11): ≥ 98% at 300 dpi with skew ≤ 1°, ≥ 95% at 200 dpi and on phone-like
scans; no error flag on the scan of a consistent report; OCR time with tables ≤ 1.5× the
plain page OCR time. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus.scans import KINDS, Agreement, ScanKind, compare, figures, scan_copy

_ROOT = Path(__file__).resolve().parent


@dataclass
class Source:
    """A PDF to scan, and the PDF whose record is the truth for it (itself, usually)."""

    pdf: Path
    truth: Path


def fixture_pdfs(folder: Path) -> list[Path]:
    """The project's text fixtures written as PDFs: a paragraph per blank-line block."""
    from corpus.documents import Para, write_pdf

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


def borderless_sources(folder: Path, count: int) -> list[Source]:
    """Generated form-table reports printed without ruling lines, each with its ruled twin
    (the truth: a text PDF's table is read from its lines)."""
    from dataclasses import replace

    from corpus.documents import Table, write_pdf
    from corpus.generate import build_district, build_report

    if count <= 0:
        return []
    district, plans, _ = build_district(24, 7, "Quý II năm 2025", None, False)
    out = []
    for plan in [p for p in plans if p.table][:count]:
        blocks = build_report(district, plan, 7)[0]
        bare = [
            replace(b, borders=False) if isinstance(b, Table) and b.borders else b for b in blocks
        ]
        ruled = write_pdf(folder / f"ke_{plan.index:02d}.pdf", blocks)
        out.append(Source(write_pdf(folder / f"khong_ke_{plan.index:02d}.pdf", bare), ruled))
    return out


def sources(folder: Path, communes: int, borderless: int) -> list[Source]:
    pdfs = [
        *sorted((_ROOT.parent / "tthc" / "sample").glob("*.pdf")),
        *fixture_pdfs(folder),
        *generated_pdfs(folder, communes),
    ]
    return [Source(p, p) for p in pdfs] + borderless_sources(folder, borderless)


def kept_sources(folder: Path) -> list[Source]:
    """Sources written by an earlier run with `--keep`: every PDF, each "khong_ke_NN.pdf"
    with its ruled twin "ke_NN.pdf" as the truth (so two versions of the code can be run on
    the same files)."""
    out = []
    for pdf in sorted(folder.glob("*.pdf")):
        if pdf.name.startswith("ke_"):
            continue
        twin = (
            pdf.with_name(pdf.name.removeprefix("khong_"))
            if pdf.name.startswith("khong_ke_")
            else pdf
        )
        out.append(Source(pdf, twin))
    return out


def keep(items: list[Source], folder: Path) -> None:
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    for item in items:
        for path in {item.pdf, item.truth}:
            shutil.copy(path, folder / path.name)


def pages_of(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


@contextmanager
def plain_page_ocr() -> Iterator[None]:
    """Scanned pages read as before tables were read: Tesseract's page layout, words only."""
    from tthc.load import ocr, ocr_tables

    original = ocr_tables.read_page

    def plain(image: Any, scale: float, settings: Any = None) -> ocr_tables.PageRead:
        return ocr_tables.PageRead(words=ocr.read_words(image, scale, settings))

    ocr_tables.read_page = plain
    try:
        yield
    finally:
        ocr_tables.read_page = original


def _timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), _cpu()
    out = fn()
    return out, time.perf_counter() - wall, _cpu() - cpu


@dataclass
class Times:
    pages: int = 0
    wall: float = 0.0
    cpu: float = 0.0
    base_wall: float = 0.0
    base_cpu: float = 0.0


def run_kind(
    kind: ScanKind,
    items: list[Source],
    truth: dict[Path, Any],
    folder: Path,
    baseline: bool,
    verbose: bool,
) -> tuple[Agreement, Times]:
    """Agreement over every source scanned as `kind`, and the time spent loading scans."""
    from tthc.check import run_checks
    from tthc.load import load
    from tthc.process import read_document

    total, times = Agreement(), Times()
    for item in items:
        scan = scan_copy(item.pdf, folder / f"scan_{item.pdf.stem}.pdf", kind)
        raw, wall, cpu = _timed(lambda s=scan: load(s))
        times.pages += raw.pages or 0
        times.wall += wall
        times.cpu += cpu
        if baseline:
            with plain_page_ocr():
                _, wall, cpu = _timed(lambda s=scan: load(s))
            times.base_wall += wall
            times.base_cpu += cpu
        record = read_document(raw)
        record.flags = run_checks(record)
        got = compare(truth[item.truth], record)
        total.add(got)
        if verbose and (got.wrong or got.missing or got.extra or got.new_errors):
            print(f"    {item.pdf.name}: {got.equal}/{got.expected}")
            for line in got.wrong + got.missing:
                print(f"      ≠ {line}")
            for line in got.extra:
                print(f"      + {line}")
            for line in got.new_errors:
                print(f"      ! {line}")
    return total, times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m corpus.bench_scans", description=__doc__)
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--kinds", nargs="*", default=[], help="tiền tố tên loại bản scan")
    parser.add_argument("--communes", type=int, default=12)
    parser.add_argument("--borderless", type=int, default=2, help="số báo cáo bảng không kẻ")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--keep", type=Path, help="thư mục lưu các tệp nguồn để chạy lại")
    parser.add_argument("--sources", type=Path, help="thư mục nguồn đã lưu bằng --keep")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    from tthc.load import ocr
    from tthc.process import process_file

    problem = ocr.ocr_problem()
    if problem:
        print(f"Bỏ qua: {problem}")
        return 0
    os.environ[ocr.JOBS_ENV] = "1"  # seconds per page, one page at a time
    kinds = [k for k in KINDS if not args.kinds or any(k.name.startswith(p) for p in args.kinds)]
    with tempfile.TemporaryDirectory(prefix="tthc-scans-") as tmp:
        folder = Path(tmp)
        if args.pdfs:
            items = [Source(p, p) for p in args.pdfs]
        elif args.sources:
            items = kept_sources(args.sources)
        else:
            items = sources(folder, args.communes, args.borderless)
        if args.keep:
            keep(items, args.keep)
        truth = {item.truth: process_file(item.truth) for item in items}
        n_pages = sum(pages_of(item.pdf) for item in items)
        n_figures = sum(len(figures(truth[i.truth])) for i in items)
        print(f"{len(items)} tệp PDF, {n_pages} trang, {n_figures} số liệu hồ sơ")
        print(
            f"  {'loại bản scan':44} {'đúng':>9} {'tỷ lệ':>7} {'sai':>4} {'thiếu':>5} "
            f"{'thừa':>4} {'nghi':>4} {'lỗi mới':>7} {'giây/trang':>10} {'trước đây':>9} "
            f"{'×':>5} {'× CPU':>5}"
        )
        for kind in kinds:
            got, t = run_kind(kind, items, truth, folder, not args.no_baseline, args.verbose)
            pages = max(t.pages, 1)
            before = f"{t.base_wall / pages:9.2f}" if t.base_wall else f"{'':9}"
            ratio = f"{t.wall / t.base_wall:5.2f}" if t.base_wall else f"{'':5}"
            cpu = f"{t.cpu / t.base_cpu:5.2f}" if t.base_cpu else f"{'':5}"
            print(
                f"  {kind.name[:44]:44} {got.equal:4d}/{got.expected:<4d} {got.share:7.1%} "
                f"{len(got.wrong):4d} {len(got.missing):5d} {len(got.extra):4d} "
                f"{got.doubtful:4d} {len(got.new_errors):7d} {t.wall / pages:10.2f} {before} "
                f"{ratio} {cpu}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
