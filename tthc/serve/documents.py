"""Where a figure was read, shown to the officer: a PDF page as an image with the
evidence boxed, from the characters' boxes of the page's text layer (pypdfium2), or a
DOCX/text report as its normalized text with the passage marked.

Reports come from outside, so the work on them runs in a helper process of its own (the
same worker set-up as the run's readers: a memory limit, dies with the workspace) under a
time limit; a page or a text is kept once made, so a page is rendered once per session.
"""

from __future__ import annotations

import io
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tthc.textkit.safe_io import FileId

SCALE = 1.5  # page image pixels per PDF point (A4 → 893 × 1263)
TIMEOUT_S = 30.0
_CACHE_SIZE = 64


@dataclass
class PageImage:
    png: bytes
    width: int
    height: int


@dataclass
class Marked:
    """A page's boxes (image pixels: x, y, width, height) around a quote; `found` says
    whether the quote was found on the page's text layer."""

    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)
    found: bool = False


def squeeze(text: str) -> tuple[str, list[int]]:
    """Text compared as it reads: NFC, lower case, without spaces, each kept character's
    index in the original (a PDF's text layer breaks and spaces lines its own way)."""
    out, where = [], []
    for i, ch in enumerate(text):
        norm = unicodedata.normalize("NFC", ch).lower()
        if norm.isspace() or not norm:
            continue
        out.append(norm)
        where.append(i)
    return "".join(out), where


def find_span(page_text: str, quote: str) -> tuple[int, int] | None:
    """The character range of a quote on a page (its first occurrence), or None."""
    hay, where = squeeze(page_text)
    needle, _ = squeeze(unicodedata.normalize("NFC", quote))
    if not needle:
        return None
    at = hay.find(needle)
    if at < 0:
        return None
    return where[at], where[at + len(needle) - 1] + 1


# ---------------------------------------------------------------- in the helper process


def render_page(path: str, page: int, expect: FileId | None) -> tuple[bytes, int, int]:
    """A page of a PDF as PNG bytes (1-based page number)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(_read(path, expect))
    try:
        image = pdf[page - 1].render(scale=SCALE).to_pil()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=False, compress_level=3)
        return buffer.getvalue(), image.width, image.height
    finally:
        pdf.close()


def quote_boxes(path: str, page: int, quote: str, expect: FileId | None) -> Marked:
    """The boxes of a quote's characters on a page, merged line by line."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(_read(path, expect))
    try:
        pdf_page = pdf[page - 1]
        height = pdf_page.get_height()
        text_page = pdf_page.get_textpage()
        count = text_page.count_chars()
        text = text_page.get_text_range()
        if len(text) != count:
            text = "".join(text_page.get_text_range(i, 1) or " " for i in range(count))
        span = find_span(text, quote)
        if span is None:
            return Marked()
        lines: list[list[float]] = []
        for i in range(*span):
            if text[i].isspace():
                continue
            left, bottom, right, top = text_page.get_charbox(i)
            box = [left * SCALE, (height - top) * SCALE, right * SCALE, (height - bottom) * SCALE]
            last = lines[-1] if lines else None
            middle = (box[1] + box[3]) / 2  # tone marks move a glyph's top, not its line
            if last and last[1] - 2 <= middle <= last[3] + 2 and box[0] >= last[0] - 2:
                last[1], last[2] = min(last[1], box[1]), max(last[2], box[2])
                last[3] = max(last[3], box[3])
            else:
                lines.append(box)
        pad = 3.0
        boxes = [
            (x0 - pad, y0 - pad, x1 - x0 + 2 * pad, y1 - y0 + 2 * pad) for x0, y0, x1, y1 in lines
        ]
        return Marked(boxes=boxes, found=True)
    finally:
        pdf.close()


def document_text(path: str, expect: FileId | None) -> str:
    """A report's normalized text: the text evidence offsets point into."""
    from tthc.load import load
    from tthc.normalize import normalize

    return normalize(load(Path(path), expect=expect)).text


def _read(path: str, expect: FileId | None) -> bytes:
    from tthc.textkit.safe_io import read_regular

    return read_regular(path, expect)


# ---------------------------------------------------------------- in the workspace


class Documents:
    """The helper process and what it made (a small cache by report, page and quote)."""

    def __init__(self) -> None:
        self._pool: Any = None
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple, Any] = OrderedDict()

    def _call(self, key: tuple, function: Any, *args: Any) -> Any:
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        value = self._pool_for().schedule(function, args=args, timeout=TIMEOUT_S).result()
        with self._lock:
            self._cache[key] = value
            while len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        return value

    def _pool_for(self) -> Any:
        from pebble import ProcessPool

        from tthc.runjob import DEFAULT_MEMORY_MB, init_worker

        with self._lock:
            if self._pool is None or not self._pool.active:
                self._pool = ProcessPool(
                    max_workers=1,
                    max_tasks=100,
                    initializer=init_worker,
                    initargs=(DEFAULT_MEMORY_MB, _pid()),
                )
            return self._pool

    def page(self, sha: str, path: Path, page: int, expect: FileId | None) -> PageImage:
        png, width, height = self._call(("page", sha, page), render_page, str(path), page, expect)
        return PageImage(png, width, height)

    def boxes(self, sha: str, path: Path, page: int, quote: str, expect: FileId | None) -> Marked:
        return self._call(("boxes", sha, page, quote), quote_boxes, str(path), page, quote, expect)

    def size(self, sha: str, path: Path, page: int, expect: FileId | None) -> tuple[int, int]:
        image = self.page(sha, path, page, expect)
        return image.width, image.height

    def text(self, sha: str, path: Path, expect: FileId | None) -> str:
        return self._call(("text", sha), document_text, str(path), expect)

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.stop()
            pool.join(timeout=5)


def _pid() -> int:
    import os

    return os.getpid()
