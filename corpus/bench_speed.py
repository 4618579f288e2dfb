"""Speed, side by side in one run: prints figures, asserts nothing.

    python3 -m corpus.bench_speed [--communes 30 300] [--repeat 3]

- per page, for the PDF, DOCX and TXT reports of a generated district (and a long prose PDF):
  pypdfium2's bare page text and pdfplumber's extract_text (PDF only), tthc's load, and
  tthc's warm pipeline (normalize, extract, checks) in this process. A DOCX or TXT "page" is
  3.000 characters of its text (about one typed A4 page);
- per district: `tthc run` as a process, cold (empty store) and warm (everything reused), with
  the peak memory of the largest process (the parent or a worker);
- `tthc --help` as a process, beside a bare `python3 -c pass`.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from corpus.bench_pdf import best_of

_CLI = "import sys; from tthc.cli.commands import main; sys.argv[0] = 'tthc'; main()"
PAGE_CHARS = 3000


def _pages(path: Path, chars: int) -> int:
    if path.suffix.lower() == ".pdf":
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(path))
        try:
            return len(pdf)
        finally:
            pdf.close()
    return max(1, round(chars / PAGE_CHARS))


def _pdfium(path: Path) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    for page in pdf:
        page.get_textpage().get_text_range()
    pdf.close()


def _plumber(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()


def per_page(files: list[Path], repeat: int) -> None:
    from tthc.check import run_checks
    from tthc.load import load
    from tthc.process import read_document

    for path in files[:3]:  # warm up: imports, the pipeline
        run_checks(read_document(load(path)))
    print(f"Mỗi trang (ms, tốt nhất trong {repeat} lần; trang DOCX/TXT = {PAGE_CHARS} ký tự):")
    print(
        f"  {'loại':5} {'tệp':>4} {'trang':>6} {'pdfium':>8} {'pdfplumber':>11} {'tthc đọc':>9} "
        f"{'tthc xử lý':>11}"
    )
    for kind in (".pdf", ".docx", ".txt"):
        group = [f for f in files if f.suffix.lower() == kind]
        if not group:
            continue
        pages, bare, plumber, loaded, pipeline = 0, 0.0, 0.0, 0.0, 0.0
        for path in group:
            raw = load(path)
            pages += _pages(path, sum(len(line.text) for line in raw.lines))
            if kind == ".pdf":
                bare += best_of(lambda p=path: _pdfium(p), repeat)
                plumber += best_of(lambda p=path: _plumber(p), repeat)
            loaded += best_of(lambda p=path: load(p), repeat)
            pipeline += best_of(lambda r=raw: run_checks(read_document(r)), repeat)
        cells = [f"{1000 * t / pages:8.1f}" if kind == ".pdf" else f"{'–':>8}" for t in (bare,)]
        cells += [f"{1000 * plumber / pages:11.1f}" if kind == ".pdf" else f"{'–':>11}"]
        print(
            f"  {kind[1:]:5} {len(group):4d} {pages:6d} {cells[0]} {cells[1]} "
            f"{1000 * loaded / pages:9.1f} {1000 * pipeline / pages:11.1f}"
        )


def _process(args: list[str]) -> tuple[float, float]:
    """Wall seconds of a command as a process, and the peak memory (MiB) of the largest
    process it ran (itself or a worker), from a fresh measuring child."""
    probe = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], capture_output=True)\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *args], capture_output=True, text=True, check=True
    )
    spent, peak_kib = done.stdout.split()
    return float(spent), int(peak_kib) / 1024


def per_district(sizes: list[int], folder: Path) -> None:
    from corpus.generate import generate_district

    print("tthc run (tiến trình; bộ nhớ đỉnh của tiến trình lớn nhất):")
    for n in sizes:
        district = folder / f"d{n}"
        generate_district(district, n_communes=n, seed=7, truth_path=folder / f"t{n}.json")
        out = folder / f"out{n}"
        run = [sys.executable, "-c", _CLI, "run", str(district), "--out", str(out)]
        cold, cold_mib = _process(run)
        warm, warm_mib = _process(run)
        print(
            f"  {n:5d} báo cáo: lần đầu {cold:7.2f} s ({cold_mib:5.0f} MiB), "
            f"chạy lại {warm:6.2f} s ({warm_mib:5.0f} MiB)"
        )


def start_up(repeat: int) -> None:
    bare = best_of(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), repeat)
    help_ = best_of(
        lambda: subprocess.run(
            [sys.executable, "-c", _CLI, "--help"], capture_output=True, check=True
        ),
        repeat,
    )
    print(f"Khởi động: tthc --help {help_:.2f} s, python3 trống {bare:.2f} s")


def sample_files(folder: Path) -> list[Path]:
    """A generated district's reports (PDF, DOCX, TXT) and a long prose PDF."""
    from corpus.bench_pdf import sample_pdfs

    pdfs = sample_pdfs(folder / "pdf")
    others = sorted(p for p in (folder / "pdf" / "district").iterdir() if p.suffix != ".pdf")
    return pdfs + [p for p in others if p.suffix in (".docx", ".txt")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m corpus.bench_speed", description=__doc__)
    parser.add_argument("--communes", type=int, nargs="*", default=[30, 300])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tthc-speed-") as tmp:
        folder = Path(tmp)
        start_up(args.repeat)
        per_page(sample_files(folder), args.repeat)
        per_district(args.communes, folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
