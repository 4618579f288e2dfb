"""OCR of scanned PDF pages with Tesseract and its Vietnamese model.

Many reports are signed on paper and scanned, so a page may have no text layer at all. Such
a page is rendered with pdfium (grayscale, 300 dpi by default) and read by the `tesseract`
command (TSV output: every word with its box and confidence), so the page's words can be
laid out into lines by the same rules as a text layer's; its tables are found and read cell
by cell first (`ocr_tables`). `OMP_THREAD_LIMIT=1` makes Tesseract several times faster on
small machines; pages are read in parallel instead.

Doubt is carried, not hidden: every word keeps Tesseract's confidence, and a word read below
`OcrSettings.doubt_below` carries a Vietnamese reason that travels into the evidence of the figure.

When Tesseract or its Vietnamese data is missing, `ocr_problem()` says so in Vietnamese, so
the officer gets a reason to act on instead of an empty record.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import shutil
import subprocess
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from tthc.textkit.safe_io import os_reason

T = TypeVar("T")

JOBS_ENV = "TTHC_OCR_JOBS"  # pages read at once; the batch runner sets 1 per worker
DOUBT_ENV = "TTHC_OCR_DOUBT_BELOW"  # overrides doubt_below (tuning on a batch of real scans)


@dataclass(frozen=True, slots=True)
class OcrSettings:
    """How scanned pages are read. `OcrSettings.from_env()` is the default everywhere; a
    caller (a test, a benchmark) passes its own instead of changing a module's globals."""

    tesseract: str = "tesseract"  # the command
    lang: str = "vie"
    dpi: int = 300
    max_pixels: int = 40_000_000  # a page larger than this (a poster, a hostile MediaBox) is
    # scaled down
    page_timeout_s: int = 180
    min_confidence: float = 10  # Tesseract's word confidence (0-100) below which a word is noise
    # A figure read with a lower word confidence (0-100) than this is marked as doubtful: a
    # check involving it must not accuse the commune of an error. Clean scans read digits at
    # 90-97.
    doubt_below: float = 80.0
    jobs: int = 0  # pages read at once; 0: the CPU count

    @classmethod
    def from_env(cls) -> OcrSettings:
        """The defaults, with $TTHC_OCR_JOBS and $TTHC_OCR_DOUBT_BELOW when set."""
        changes: dict[str, Any] = {}
        with contextlib.suppress(ValueError):
            changes["jobs"] = max(1, int(os.environ.get(JOBS_ENV, "")))
        with contextlib.suppress(ValueError):
            changes["doubt_below"] = float(os.environ.get(DOUBT_ENV, ""))
        return cls(**changes)

    def pages_at_once(self) -> int:
        return self.jobs or os.cpu_count() or 1


def current(settings: OcrSettings | None) -> OcrSettings:
    """`settings`, or the defaults read from the environment now."""
    return settings if settings is not None else OcrSettings.from_env()


_INSTALL = "gói tesseract-ocr, tesseract-ocr-vie"


class OcrError(Exception):
    """One page could not be read by Tesseract (message in Vietnamese)."""


def ocr_problem(settings: OcrSettings | None = None) -> str | None:
    """Why OCR cannot run on this machine (Vietnamese), or None when it can."""
    return _ocr_problem(current(settings).tesseract, current(settings).lang)


@cache
def _ocr_problem(tesseract: str, lang: str) -> str | None:
    exe = shutil.which(tesseract)
    if exe is None:
        return f"máy chưa cài Tesseract OCR ({_INSTALL})"
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return f"không chạy được Tesseract OCR; hãy cài lại ({_INSTALL})"
    langs = out.stdout.decode("utf-8", "replace").split()
    if lang not in langs:
        return "máy đã cài Tesseract OCR nhưng thiếu dữ liệu tiếng Việt (gói tesseract-ocr-vie)"
    return None


@cache
def languages(tesseract: str = "tesseract") -> frozenset[str]:
    """The languages Tesseract has data for on this machine."""
    exe = shutil.which(tesseract)
    if exe is None:
        return frozenset()
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    return frozenset(out.stdout.decode("utf-8", "replace").split()[1:])


def digits_language(settings: OcrSettings | None = None) -> str:
    """The model that reads digits-only passes: English, whose digits are sharper (it comes
    with Debian's tesseract-ocr), else the Vietnamese one."""
    settings = current(settings)
    return "eng" if "eng" in languages(settings.tesseract) else settings.lang


def low_confidence(confidence: float) -> str:
    """The doubt of a word read with a low confidence (Vietnamese)."""
    return (
        f"số liệu đọc từ bản scan với độ tin cậy thấp ({confidence:.0f}/100); "
        "cần đối chiếu với bản giấy"
    )


def render_page(page: Any, settings: OcrSettings | None = None) -> tuple[Any, float]:
    """The page as a grayscale image (numpy, uint8) and the scale used (pixels per PDF
    point), reduced when the page would exceed `max_pixels`."""
    settings = current(settings)
    width, height = page.get_size()
    scale = settings.dpi / 72
    pixels = max(width, 1) * max(height, 1) * scale * scale
    if pixels > settings.max_pixels:
        scale *= (settings.max_pixels / pixels) ** 0.5
    bitmap = page.render(scale=scale, grayscale=True)
    try:
        array = bitmap.to_numpy()
        if array.ndim == 3:  # some pdfium builds hand back a trailing channel axis
            array = array[:, :, 0]
        return array.copy(), scale
    finally:
        bitmap.close()


def pgm(image: Any) -> bytes:
    """A grayscale image as PGM bytes (fast to write and for Tesseract to read)."""
    h, w = image.shape
    return b"P5\n%d %d\n255\n" % (w, h) + image.tobytes()


def run_tesseract(
    image: bytes,
    dpi: int,
    psm: int = 3,
    options: Sequence[str] = (),
    lang: str | None = None,
    settings: OcrSettings | None = None,
) -> str:
    """Tesseract's TSV for one image; `psm` is its page segmentation mode (3: a page, 6: one
    block of text). Raises OcrError."""
    settings = current(settings)
    exe = shutil.which(settings.tesseract) or settings.tesseract
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    cmd = [exe, "stdin", "stdout", "-l", lang or settings.lang, "--psm", str(psm)]
    cmd += ["--dpi", str(dpi)]
    cmd += [*options, "tsv"]
    try:
        out = subprocess.run(
            cmd,
            input=image,
            capture_output=True,
            env=env,
            timeout=settings.page_timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise OcrError(f"nhận dạng chữ quá {settings.page_timeout_s} giây") from exc
    except OSError as exc:
        raise OcrError(f"không chạy được Tesseract ({os_reason(exc)})") from exc
    if out.returncode != 0:
        raise OcrError(f"Tesseract báo lỗi (mã {out.returncode})")
    return out.stdout.decode("utf-8", "replace")


def tsv_rows(tsv: str) -> list[dict[str, str]]:
    """The rows of a Tesseract TSV (levels: 4 a line, 5 a word)."""
    return list(csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE))


def tsv_words(tsv: str, scale: float, settings: OcrSettings | None = None) -> list[dict[str, Any]]:
    """Words of a Tesseract TSV, in PDF points, with their confidence (`conf`) and, below
    the doubt threshold, a `doubt`. Each word carries its LINE's top and bottom, so words
    Tesseract put on one line stay on one line when laid out again."""
    settings = current(settings)
    rows = tsv_rows(tsv)
    threshold = settings.doubt_below
    lines: dict[tuple[str, str, str], tuple[float, float]] = {}
    for row in rows:
        if row.get("level") == "4":
            top, height = _num(row, "top"), _num(row, "height")
            lines[line_key(row)] = (top / scale, (top + height) / scale)
    words = []
    for row in rows:
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text or _num(row, "conf") < settings.min_confidence:
            continue
        left, width = _num(row, "left"), _num(row, "width")
        top, bottom = lines.get(line_key(row), (_num(row, "top") / scale, 0.0))
        conf = _num(row, "conf")
        word = {
            "text": text,
            "x0": left / scale,
            "x1": (left + width) / scale,
            "top": top,
            "bottom": bottom or (_num(row, "top") + _num(row, "height")) / scale,
            "conf": conf,
        }
        if conf < threshold:
            word["doubt"] = low_confidence(conf)
        words.append(word)
    return words


def line_key(row: dict[str, str]) -> tuple[str, str, str]:
    """The (block, paragraph, line) a TSV row belongs to."""
    return row.get("block_num", ""), row.get("par_num", ""), row.get("line_num", "")


def _num(row: dict[str, str], key: str) -> float:
    try:
        return float(row.get(key) or 0)
    except ValueError:
        return 0.0


def read_words(
    image: Any, scale: float, settings: OcrSettings | None = None
) -> list[dict[str, Any]]:
    """The words of a page image, laid out by Tesseract's page segmentation."""
    settings = current(settings)
    tsv = run_tesseract(pgm(image), round(scale * 72), settings=settings)
    return tsv_words(tsv, scale, settings)


def ocr_pages(
    render: Callable[[int], tuple[Any, float]],
    numbers: Iterable[int],
    reader: Callable[[Any, float, OcrSettings], T] = read_words,
    settings: OcrSettings | None = None,
) -> dict[int, T | OcrError]:
    """OCR several pages, `settings.pages_at_once()` at a time. `render(n)` gives page n's
    image and scale; it runs in this thread (pdfium is not thread-safe) and only when a
    reader is free, so at most that many page images are held at once. `reader(image, scale,
    settings)` reads one page (the words by default; `ocr_tables.read_page` for words and
    tables). A page that fails maps to its OcrError."""
    settings = current(settings)

    def read(image: Any, scale: float) -> T | OcrError:
        try:
            return reader(image, scale, settings)
        except OcrError as exc:
            return exc

    numbers = list(numbers)
    limit = min(settings.pages_at_once(), max(len(numbers), 1))
    results: dict[int, T | OcrError] = {}
    with ThreadPoolExecutor(max_workers=limit) as pool:
        running: dict[Future, int] = {}
        for n in numbers:
            if len(running) >= limit:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for f in done:
                    results[running.pop(f)] = f.result()
            image, scale = render(n)
            running[pool.submit(read, image, scale)] = n
        for f, n in running.items():
            results[n] = f.result()
    return results
