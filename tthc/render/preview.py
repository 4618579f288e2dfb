"""Preview the outputs of `tthc run` as a person will see them: PDF and page-1 PNG.

    python3 -m tthc.render.preview OUTDIR [--pages N]

Converts every .docx and .xlsx in OUTDIR to PDF with LibreOffice (headless, with a
private profile so it neither touches nor waits for the user's own LibreOffice) and
renders the first pages of each PDF to PNG with pdftoppm, next to the files. It exists
because a notice that python-docx reads back correctly can still look wrong on paper
(fonts without Vietnamese letters, a header table with borders, a title that wraps
badly); only looking at the rendered page shows that.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Converted:
    source: Path
    pdf: Path | None
    seconds: float
    message: str = ""


def soffice() -> str | None:
    """The LibreOffice binary, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(
    source: Path, out_dir: Path | None = None, profile: Path | None = None, timeout: float = 180
) -> Converted:
    """Convert one document to PDF headless. A private user profile keeps conversions
    independent of any LibreOffice the user has open; the caller may reuse one profile
    across calls to avoid its first-start cost."""
    binary = soffice()
    if binary is None:
        return Converted(source, None, 0.0, "LibreOffice (soffice) chưa được cài đặt.")
    out_dir = out_dir or source.parent
    own_profile = profile is None
    profile = profile or Path(tempfile.mkdtemp(prefix="tthc-lo-"))
    cmd = [
        binary,
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out_dir),
        str(source),
    ]
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    finally:
        if own_profile:
            shutil.rmtree(profile, ignore_errors=True)
    seconds = time.perf_counter() - start
    pdf = out_dir / f"{source.stem}.pdf"
    if proc.returncode != 0 or not pdf.exists():
        return Converted(source, None, seconds, (proc.stderr or proc.stdout).strip())
    return Converted(source, pdf, seconds)


def to_png(pdf: Path, pages: int = 1, dpi: int = 80) -> list[Path]:
    """The first `pages` pages as PNG (name-1.png, name-2.png …)."""
    if shutil.which("pdftoppm") is None:
        return []
    prefix = pdf.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", str(pages), str(pdf), str(prefix)],
        check=True,
        capture_output=True,
    )
    return sorted(pdf.parent.glob(f"{prefix.name}-*.png"))


def preview(out_dir: Path, pages: int = 1) -> list[Converted]:
    results = []
    with tempfile.TemporaryDirectory(prefix="tthc-lo-") as tmp:
        for source in sorted([*out_dir.glob("*.docx"), *out_dir.glob("*.xlsx")]):
            if source.name.startswith("~$"):  # Word's lock files
                continue
            result = to_pdf(source, profile=Path(tmp))
            results.append(result)
            if result.pdf:
                for png in to_png(result.pdf, pages):
                    print(f"  {png}")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Chuyển thông báo và bảng tổng hợp sang PDF, PNG để xem trước."
    )
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--pages", type=int, default=1)
    args = parser.parse_args(argv)
    if not args.outdir.is_dir():
        print(f"Không tìm thấy thư mục {args.outdir}", file=sys.stderr)
        return 2
    if soffice() is None:
        print("Chưa cài LibreOffice (soffice): không chuyển được sang PDF.", file=sys.stderr)
        return 1
    failed = 0
    for r in preview(args.outdir, args.pages):
        if r.pdf:
            print(f"{r.source.name} → {r.pdf.name} ({r.seconds:.1f} giây)")
        else:
            failed += 1
            print(f"{r.source.name}: không chuyển được ({r.message})", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
