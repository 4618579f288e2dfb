"""Scanned copies of the project's own PDFs, and how a scan's record compares with its text's.

Communes print, sign and scan their reports; what comes back is a page image with the flaws
of the machine that made it. To measure how well the OCR path reads such files, a text PDF
is rendered to page images, damaged the way one kind of scan damages them (resolution, grey
or black-and-white, skew, speckle, JPEG compression, the slight perspective of a phone held
over the page) and rebuilt as an image-only PDF. Its record is then compared with the text
PDF's record, figure by figure: the text PDF's figures are the truth the scan must give back.

`corpus.bench_scans` runs every kind over every source; `tests/load/test_ocr_tables.py` runs a
few pages. Everything here is deterministic: the damage of a kind depends only on the kind
and the page.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class ScanKind:
    """How one kind of scan damages a page."""

    name: str
    dpi: int
    bw: bool = False  # black and white (1 bit), as most office scanners send by default
    skew: float = 0.0  # degrees, counter-clockwise
    speckle: float = 0.0  # dark dots, as a share of the page's pixels
    jpeg: int | None = 85  # JPEG quality of a grey page
    phone: float = 0.0  # perspective: how far the top corners move in, as a share of the width
    shade: float = 0.0  # uneven light: how much darker the page's far corner is (0..1)
    blur: bool = False  # slightly out of focus


KINDS: tuple[ScanKind, ...] = (
    ScanKind("300 dpi xám, lệch 0,5°", 300, skew=0.5),
    ScanKind("300 dpi đen trắng, lệch -1°", 300, bw=True, skew=-1.0),
    ScanKind("200 dpi xám, lệch 0,6°", 200, skew=0.6, jpeg=75),
    ScanKind("200 dpi đen trắng, lệch 1,5°", 200, bw=True, skew=1.5),
    ScanKind("200 dpi xám, nhiễu vừa, JPEG 50, lệch -1°", 200, skew=-1.0, speckle=0.0003, jpeg=50),
    # a stress case: thousands of specks on every page, strong JPEG artefacts
    ScanKind(
        "200 dpi xám, nhiễu nặng, JPEG 40, lệch -1,2°", 200, skew=-1.2, speckle=0.002, jpeg=40
    ),
    ScanKind(
        "điện thoại (phối cảnh, ánh sáng không đều)",
        200,
        skew=0.8,
        jpeg=60,
        phone=0.02,
        shade=0.25,
        blur=True,
    ),
)


def kind_named(prefix: str) -> ScanKind:
    """The kind whose name starts with `prefix` (for the command line and the tests)."""
    for kind in KINDS:
        if kind.name.startswith(prefix):
            return kind
    raise KeyError(prefix)


def render_pages(source: Path, dpi: int) -> list[Any]:
    """The PDF's pages as grey numpy images at `dpi`."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(source.read_bytes())
    try:
        pages = []
        for n in range(len(pdf)):
            page = pdf[n]
            bitmap = page.render(scale=dpi / 72, grayscale=True)
            array = bitmap.to_numpy()
            pages.append(array[:, :, 0].copy() if array.ndim == 3 else array.copy())
            bitmap.close()
            page.close()
        return pages
    finally:
        pdf.close()


def damage(image: Any, kind: ScanKind, seed: int = 0) -> Any:
    """One page image as `kind` would scan it (grey uint8 numpy array, same size)."""
    import cv2
    import numpy as np

    rng = np.random.default_rng(seed)
    h, w = image.shape
    out = image
    if kind.phone:
        d = kind.phone * w
        corners = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
        # the phone leans back: the top edge is further away, so narrower, and a bit lower
        moved = np.float32([[d, 0.4 * d], [w - 0.6 * d, 0.2 * d], [w, h], [0.3 * d, h - 0.2 * d]])
        matrix = cv2.getPerspectiveTransform(corners, moved)
        out = cv2.warpPerspective(out, matrix, (w, h), borderValue=255, flags=cv2.INTER_LINEAR)
    if kind.skew:
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), kind.skew, 1.0)
        out = cv2.warpAffine(out, matrix, (w, h), borderValue=255, flags=cv2.INTER_LINEAR)
    if kind.blur:
        out = cv2.GaussianBlur(out, (3, 3), 0.8)
    if kind.shade:
        ys, xs = np.mgrid[0:h, 0:w]
        light = 1.0 - kind.shade * ((xs / w) * 0.6 + (ys / h) * 0.4)
        out = (out.astype(np.float32) * light + rng.normal(0, 4, (h, w))).clip(0, 255)
        out = out.astype(np.uint8)
    if kind.speckle:
        n = int(kind.speckle * h * w)
        ys, xs = rng.integers(0, h, n), rng.integers(0, w, n)
        sizes = rng.integers(1, 3, n)
        out = out.copy()
        for y, x, s in zip(ys, xs, sizes, strict=True):
            out[y : y + s, x : x + s] = rng.integers(0, 90)
    if kind.bw:
        out = np.where(out < 150, 0, 255).astype(np.uint8)
    return out


def scan_copy(
    source: Path, target: Path, kind: ScanKind, pages: Iterable[int] | None = None
) -> Path:
    """An image-only PDF of `source` (or of the given 1-based pages) scanned as `kind`."""
    from PIL import Image

    images = render_pages(source, kind.dpi)
    wanted = list(pages) if pages is not None else list(range(1, len(images) + 1))
    out = []
    for n in wanted:
        seed = zlib.crc32(f"{kind.name}/{source.name}/{n}".encode())
        page = Image.fromarray(damage(images[n - 1], kind, seed))
        out.append(page.convert("1") if kind.bw else page)
    options: dict[str, Any] = {"resolution": kind.dpi, "save_all": True}
    if not kind.bw and kind.jpeg:
        options["quality"] = kind.jpeg
    out[0].save(target, "PDF", append_images=out[1:], **options)
    return target


# ---------------------------------------------------------------------------------------
# Comparing a scan's record with its text PDF's


@dataclass
class Agreement:
    """How a scan's dossier figures compare with the text PDF's."""

    expected: int = 0  # figures in the text PDF's record
    equal: int = 0  # the scan gives the same value for the same period, scope and field
    wrong: list[str] = field(default_factory=list)  # same slot, another value
    missing: list[str] = field(default_factory=list)  # slot absent from the scan
    extra: list[str] = field(default_factory=list)  # the scan gives a figure the text does not
    new_errors: list[str] = field(default_factory=list)  # error flags the text PDF has not
    doubtful: int = 0  # figures of the scan marked with a doubt

    def add(self, other: Agreement) -> None:
        self.expected += other.expected
        self.equal += other.equal
        self.wrong += other.wrong
        self.missing += other.missing
        self.extra += other.extra
        self.new_errors += other.new_errors
        self.doubtful += other.doubtful

    @property
    def share(self) -> float:
        return self.equal / self.expected if self.expected else 1.0


def figures(record: Any) -> dict[tuple[str, str, str], int]:
    """A record's dossier figures keyed by (period, scope, field); the period by its key
    ("2025-Q1": "Quý I năm 2025" and "Quý 1 năm 2025" are one period), else its label."""
    out = {}
    for p in record.periods:
        for name, value in p.dossiers.model_dump(exclude_none=True).items():
            out[(p.key or p.label, p.scope, name)] = value
    return out


def _error_keys(record: Any) -> set[tuple[str, str | None, str | None]]:
    return {(f.code, f.period, f.scope) for f in record.flags if f.severity == "error"}


def compare(text_record: Any, scan_record: Any) -> Agreement:
    """Figure by figure, the scan against the text PDF; error flags only the scan raises."""
    truth, got = figures(text_record), figures(scan_record)
    out = Agreement(expected=len(truth))
    for key, value in truth.items():
        slot = " / ".join(key)
        if key not in got:
            out.missing.append(f"{slot} = {value}")
        elif got[key] != value:
            out.wrong.append(f"{slot}: {got[key]} (đúng: {value})")
        else:
            out.equal += 1
    out.extra = [f"{' / '.join(k)} = {v}" for k, v in got.items() if k not in truth]
    new = _error_keys(scan_record) - _error_keys(text_record)
    for code, period, scope in sorted(new, key=lambda k: tuple(x or "" for x in k)):
        flags = [
            f for f in scan_record.flags if (f.code, f.period, f.scope) == (code, period, scope)
        ]
        out.new_errors.append(f"{code} [{period or ''} {scope or ''}]: {flags[0].message}")
    out.doubtful = sum(
        1 for p in scan_record.periods for ev in p.evidence.values() if ev.doubt is not None
    )
    return out
