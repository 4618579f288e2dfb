"""Tables in scanned pages: ruling lines, cells, and the words of each cell.

A scanned page has no table objects, only ink. To give the table reader (`tables.py`) the
rows a text PDF or a DOCX gives it, a page image is:
1. deskewed: the angle at which the ink's row profile is sharpest (text lines and ruling
   lines lie flat then), searched coarse to fine on a reduced copy;
2. searched for ruling lines: the ink opened with a long horizontal and a tall vertical
   kernel (image morphology, OpenCV); a connected set of lines wide and tall enough is a
   table's grid;
3. cut into cells: the white regions the grid encloses. Their edges, clustered, give the
   rows and columns; a cell spanning several is a merged cell, whose text goes to its first
   row and column while the others stay empty, as pdfplumber returns a text PDF's table;
4. read: the cells' images, ruling lines erased, are stacked into one strip read by one
   Tesseract call (`vie`, one block of text), each word going back to its cell by position;
   cells that read as numbers are read again digits-only, and the two readings reconciled
   (an O read for 0, l for 1, S for 5 is repaired and marked as such).
A table without ruling lines gets its columns from the words' positions (`borderless`).

Every cell keeps its words' confidences (`OcrWord`), so a figure's evidence can say how
sure the reading was, and why it may be wrong.
"""

from __future__ import annotations

import itertools
import logging
import statistics
import tomllib
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import regex

from extractors import ocr
from schemas import OcrWord

# Tables without ruling lines (sizes in ems: the median height of the page's words).
MIN_COUNTS = 3  # a table row holds at least this many counts, as columns
COLUMN_GAP_EMS = 0.9  # a count set apart from its neighbours by this much is a table cell
WORD_GAP_EMS = 0.6  # words closer than this belong to one phrase
INK_BRIDGE_EMS = 0.45  # in a column's ink, gaps narrower than this are inside one count
ROW_PITCH_EMS = 2.6  # consecutive rows (or header lines) lie closer than this
TIER_GAP_EMS = 0.9  # in a column, a gap this tall between two header lines starts a new cell
PROSE_SHARE = 0.45  # a line with a phrase this wide (share of the table) is running text
MAX_HEADER_LINES = 20  # narrow columns wrap their headers word by word
LINE_TOLERANCE_PT = 3.0  # words whose tops are this close share a line (as in pdf.py)

MAX_SKEW = 3.0  # degrees: a scan tilted more than this is left as it is
SKEW_WIDTH = 800  # pixels: width of the reduced copy the skew is measured on

# Sizes in PDF points (1/72 inch), turned into pixels with the page's scale.
H_LINE_PT = 24.0  # a horizontal ruling line is at least this long (text strokes are shorter)
V_LINE_PT = 8.0  # a vertical one at least this tall (a table row is taller, a letter shorter)
MIN_TABLE_W_PT = 100.0  # a grid narrower or lower than this is a frame or a box, not a table
MIN_TABLE_H_PT = 20.0
MIN_CELL_PT = 4.0  # white regions thinner than this are gaps between double lines
MIN_CELL_FILL = 0.6  # a cell fills its box; the sliver between a tilted table and its box does not
EDGE_TOL_PT = 4.0  # cell edges this close belong to one ruling line (skew, perspective left)
CELL_GAP_PT = 14.0  # white space between two cells stacked in the strip Tesseract reads
STRIP_MAX_PX = 12_000  # a strip taller than this is split (Tesseract's image limits)
# Dark specks (dust, scanner noise) smaller than this (square points) are dropped before a
# cell is read, unless placed like a diacritic; a full stop or a comma is larger.
SPECK_PT2 = 1.0
NOISY_PAGE_SPECKS = 400  # an A4 page with more specks than this is cleaned before it is read
PAGE_SPECK_PT2 = 2.0  # on such a page, a speck is smaller than this (letters are larger)...
MARK_REACH_PT = 4.0  # ... and farther than this from a letter (tone marks, stops are nearer)
A4_PT2 = 595 * 842

DIGITS_ONLY = ("-c", "tessedit_char_whitelist=0123456789.,")
# Table words the rules files do not hold as phrases: total rows and the usual headers.
NEAR_MIN_LETTERS = 7  # a phrase this short is mended only when its marks alone differ
TABLE_PHRASES = ("tổng cộng", "tổng số", "lĩnh vực", "trong đó", "số tt")
# Letters OCR reads for digits in a numeric cell.
CONFUSIONS = {"O": "0", "o": "0", "I": "1", "l": "1", "|": "1", "!": "1", "S": "5", "s": "5"}
_CONFUSABLE = "".join(CONFUSIONS)
_NUMBERISH = regex.compile(rf"^[\d.,{regex.escape(_CONFUSABLE)}]+$")
_COUNT = regex.compile(r"^(?:\d{1,3}(?:[.,]\d{3})+|\d+)$")
_HYPHEN_END = regex.compile(r"[^\W_]-$")
_EDGE_JUNK = regex.compile(
    rf"^[^\w{regex.escape(_CONFUSABLE)}]+|[^\w{regex.escape(_CONFUSABLE)}]+$"
)
_PUNCT = ".,;:()[]\"'-–"
_JUNK_WORD = regex.compile(r"^[\p{P}\p{S}]+$")  # a "word" of marks only: "-", ".", "'", "ˆ"
_EDGE_MARKS = "'\"`ˆ¬_„“”˜^~•·°|‘’"  # never begin or end a header or a row name


@dataclass(slots=True)
class ImageTable:
    """A table read from a page image: its top (PDF points), its rows of cell texts, and the
    OCR words of every cell (aligned with the whitespace-separated words of its text)."""

    top: float
    rows: list[list[str]]
    words: list[list[list[OcrWord]]]
    bottom: float = 0.0


@dataclass(slots=True)
class PageRead:
    """What OCR read on one page: words outside the tables (PDF points, as `ocr.tsv_words`
    gives them) and the tables."""

    words: list[dict[str, Any]] = field(default_factory=list)
    tables: list[ImageTable] = field(default_factory=list)


@dataclass(slots=True)
class GridCell:
    row: int
    col: int
    rowspan: int
    colspan: int
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 (exclusive) in page pixels


@dataclass(slots=True)
class Grid:
    """A ruled table: its box, the mask of its lines (inside the box), and its cells."""

    box: tuple[int, int, int, int]
    lines: Any
    n_rows: int
    n_cols: int
    cells: list[GridCell]


@dataclass(slots=True)
class _Cell:
    """A cell's reading: its lines of (word, confidence)."""

    lines: list[list[tuple[str, float]]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(w for line in self.lines for w, _ in line)


# ---------------------------------------------------------------------------------------
# The page


def read_page(image: Any, scale: float) -> PageRead:
    """Tables and words of one page image (grey, uint8; `scale` pixels per PDF point). An
    image the table finder cannot handle is read as text, as before tables were read."""
    try:
        return _read_page(image, scale)
    except ocr.OcrError:
        raise
    except Exception:  # OpenCV or numpy on a strange image: the page still gets its words
        logging.getLogger(__name__).warning("table finder failed on a page", exc_info=True)
        return PageRead(words=ocr.read_words(image, scale))


def _read_page(image: Any, scale: float) -> PageRead:
    import numpy as np

    gray = deskew(image)
    ink = ink_mask(gray, scale)
    tables = []
    rest = gray
    for grid in find_grids(ink, scale):
        table = read_grid(gray, ink, grid, scale)
        if table is None:
            continue
        tables.append(table)
        if rest is gray:
            rest = gray.copy()
        x0, y0, x1, y1 = grid.box
        # the table's place painted with its paper's tone: pure white on a shaded page
        # would make all the rest look dark to Tesseract's thresholding
        rest[y0:y1, x0:x1] = int(np.median(rest[y0:y1, x0:x1]))
    rest = despeckle(rest, ink, scale)
    words = mend_quarters(ocr.read_words(rest, scale), rest, scale)
    found, words = borderless_tables(words, rest, scale)
    return PageRead(words=words, tables=sorted(tables + found, key=lambda t: t.top))


# A quarter's Roman numeral as OCR misreads it ("Quý l", "Quý [", "Quý Il").
_QUARTERS = {
    **dict.fromkeys(("l", "|", "[", "]", "!", "i", "L"), "I"),
    **dict.fromkeys(("ll", "Il", "lI", "11", "I1", "1I"), "II"),
    **dict.fromkeys(("lll", "Ill", "IIl", "IlI", "lII", "111"), "III"),
    **dict.fromkeys(("lV", "1V", "|V", "Iv", "lv"), "IV"),
}


def mend_quarters(
    words: list[dict[str, Any]], gray: Any = None, scale: float = 1.0
) -> list[dict[str, Any]]:
    """A quarter's Roman number after "Quý" as written: a look-alike put back ("Quý l" →
    "Quý I"), and, with the page image, the strokes of I, II or III counted (OCR often
    drops one of three identical strokes: "III" read "II"), since the quarter decides the
    period of every figure. Arabic digits ("Quý 1") are left as written."""
    for prev, word in itertools.pairwise(words):
        if _toneless(prev["text"]) != "quy":
            continue
        text = _QUARTERS.get(word["text"], word["text"])
        if gray is not None and text in ("I", "II", "III"):
            strokes = _strokes(gray, word, scale)
            if strokes in (1, 2, 3):
                text = "I" * strokes
        word["text"] = text
    return words


def _strokes(gray: Any, word: dict[str, Any], scale: float) -> int | None:
    """How many upright strokes a word of capital I's has on the image; None when its ink
    holds anything else (the V of IV)."""
    import cv2
    import numpy as np

    h, w = gray.shape
    x0, x1 = max(0, int(word["x0"] * scale)), min(w, int(word["x1"] * scale) + 1)
    y0, y1 = max(0, int(word["top"] * scale)), min(h, int(word["bottom"] * scale) + 1)
    crop = gray[y0:y1, x0:x1]
    if crop.size == 0:
        return None
    dark = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1] > 0
    height = dark.sum(axis=0)
    tall = int(height.max())
    if tall < 4:
        return None
    stems = np.flatnonzero(height >= 0.8 * tall)
    runs = 1 + int((np.diff(stems) > 1).sum())
    reach = 0.25 * tall  # serifs stay this close to their stem
    inked = np.flatnonzero(height > 0)
    nearest = np.abs(inked[:, None] - stems[None, :]).min(axis=1)
    return runs if bool((nearest <= reach).all()) else None


def deskew(gray: Any) -> Any:
    """The page turned so that its lines lie flat (unchanged when it is flat already)."""
    import cv2

    angle = skew_angle(gray)
    if abs(angle) < 0.05:
        return gray
    h, w = gray.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(
        gray, matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )


def skew_angle(gray: Any) -> float:
    """The rotation (degrees, counter-clockwise) that makes the page's lines horizontal:
    the one whose row profile of ink is sharpest, coarse steps first, then fine ones."""
    import cv2
    import numpy as np

    h, w = gray.shape
    f = min(1.0, SKEW_WIDTH / max(w, 1))
    small = cv2.resize(gray, (max(1, round(w * f)), max(1, round(h * f))), cv2.INTER_AREA)
    ink = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1]
    if ink.sum() < 50:
        return 0.0
    sh, sw = ink.shape
    centre = (sw / 2, sh / 2)

    def sharpness(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rotated = cv2.warpAffine(ink, m, (sw, sh), flags=cv2.INTER_NEAREST, borderValue=0)
        profile = rotated.sum(axis=1, dtype=np.float64)
        return float(profile @ profile)

    def best(angles: Any) -> float:
        # ties go to the smallest rotation: a page without lines stays as it is
        ranked = sorted(angles, key=abs)
        scores = [sharpness(a) for a in ranked]
        return float(ranked[int(np.argmax(scores))])

    coarse = best(np.round(np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, 0.25), 2))
    return best(np.round(np.arange(coarse - 0.25, coarse + 0.25 + 1e-9, 0.05), 2)) + 0.0


def despeckle(gray: Any, ink: Any, scale: float) -> Any:
    """The page without the specks of a noisy scan (dust, scanner noise), when it has many:
    dark dots smaller than PAGE_SPECK_PT2 lying farther than a tone mark's distance from any
    larger ink are painted over with the paper around them (a full stop, a comma, a tone
    mark stay: they lie near their letters). A clean page is returned as it is."""
    import cv2
    import numpy as np

    h, w = ink.shape
    half = cv2.resize(ink, (w // 2, h // 2), interpolation=cv2.INTER_NEAREST)
    n, _, stats, _ = cv2.connectedComponentsWithStats(half, connectivity=8)
    specks = int((stats[1:, cv2.CC_STAT_AREA] < PAGE_SPECK_PT2 * scale * scale / 4).sum())
    if specks < NOISY_PAGE_SPECKS * (h * w) / (scale * scale * A4_PT2):
        return gray
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    small = stats[:, cv2.CC_STAT_AREA] < PAGE_SPECK_PT2 * scale * scale
    small[0] = False
    big = ~small
    big[0] = False
    r = _px(MARK_REACH_PT, scale)
    disk = cv2.getStructuringElement(cv2.MORPH_RECT, (2 * r + 1, 2 * r + 1))
    reach = cv2.dilate(big[labels].astype(np.uint8), disk)
    touched = np.zeros(n, bool)
    touched[np.unique(labels[reach > 0])] = True
    drop = cv2.dilate((small & ~touched)[labels].astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    paper = cv2.dilate(gray, np.ones((9, 9), np.uint8))  # around a speck: the paper's tone
    out = gray.copy()
    out[drop] = paper[drop]
    return out


def ink_mask(gray: Any, scale: float) -> Any:
    """Dark pixels (255) against their neighbourhood, so uneven light does not matter."""
    import cv2

    block = max(3, round(8 * scale)) | 1
    return cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 15
    )


# ---------------------------------------------------------------------------------------
# Ruling lines and cells


def _px(points: float, scale: float, least: int = 1) -> int:
    return max(least, round(points * scale))


def find_grids(ink: Any, scale: float) -> list[Grid]:
    """The ruled tables of a page: connected ruling lines enclosing at least two cells."""
    import cv2
    import numpy as np

    factor = 2 if scale >= 3 else 1  # lines are found at half resolution: 4 times cheaper
    if factor > 1:
        h, w = ink.shape
        small = cv2.resize(ink, (w // factor, h // factor), interpolation=cv2.INTER_AREA)
        ink = np.where(small >= 64, 255, 0).astype(np.uint8)
        scale /= factor
    rect = cv2.MORPH_RECT
    mend = _px(0.5, scale)  # a thin line broken by thresholding is mended first
    horizontal = cv2.morphologyEx(
        ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(rect, (mend * 2 + 1, 1))
    )
    horizontal = cv2.morphologyEx(
        horizontal, cv2.MORPH_OPEN, cv2.getStructuringElement(rect, (_px(H_LINE_PT, scale), 1))
    )
    vertical = cv2.morphologyEx(
        ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(rect, (1, mend * 2 + 1))
    )
    vertical = cv2.morphologyEx(
        vertical, cv2.MORPH_OPEN, cv2.getStructuringElement(rect, (1, _px(V_LINE_PT, scale)))
    )
    lines = cv2.dilate(horizontal | vertical, np.ones((3, 3), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    grids = []
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i][:4])
        if w < _px(MIN_TABLE_W_PT, scale) or h < _px(MIN_TABLE_H_PT, scale):
            continue
        mask = np.where(labels[y : y + h, x : x + w] == i, 255, 0).astype(np.uint8)
        grid = _grid(mask, (x, y), scale)
        if grid is not None:
            grids.append(_enlarged(grid, factor) if factor > 1 else grid)
    return grids


def _enlarged(grid: Grid, factor: int) -> Grid:
    """A grid found on a reduced page, in the full page's pixels."""
    import cv2

    def big(box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        return box[0] * factor, box[1] * factor, box[2] * factor, box[3] * factor

    h, w = grid.lines.shape
    lines = cv2.resize(grid.lines, (w * factor, h * factor), interpolation=cv2.INTER_NEAREST)
    cells = [GridCell(c.row, c.col, c.rowspan, c.colspan, big(c.box)) for c in grid.cells]
    return Grid(big(grid.box), lines, grid.n_rows, grid.n_cols, cells)


def _grid(mask: Any, origin: tuple[int, int], scale: float) -> Grid | None:
    """Cells of one set of ruling lines (`mask`, its box at `origin`); None when it encloses
    fewer than two cells (a frame around a stamp or a paragraph is not a table)."""
    import cv2

    closed = mask.copy()  # a table drawn without its outer border still closes its cells
    closed[0, :] = closed[-1, :] = closed[:, 0] = closed[:, -1] = 255
    n, _, stats, _ = cv2.connectedComponentsWithStats(255 - closed, connectivity=4)
    least = _px(MIN_CELL_PT, scale, 3)
    ox, oy = origin
    boxes = [
        (ox + int(s[0]), oy + int(s[1]), ox + int(s[0] + s[2]), oy + int(s[1] + s[3]))
        for s in stats[1:n]
        if s[2] >= least and s[3] >= least and s[4] >= MIN_CELL_FILL * s[2] * s[3]
    ]
    if len(boxes) < 2:
        return None
    tol = _px(EDGE_TOL_PT, scale)
    xs = _edges([b[0] for b in boxes] + [b[2] for b in boxes], tol)
    ys = _edges([b[1] for b in boxes] + [b[3] for b in boxes], tol)
    cells = []
    taken: set[tuple[int, int]] = set()
    for box in sorted(boxes, key=lambda b: (b[1], b[0])):
        col, col_end = _nearest(xs, box[0]), _nearest(xs, box[2])
        row, row_end = _nearest(ys, box[1]), _nearest(ys, box[3])
        slots = {
            (r, c)
            for r in range(row, max(row_end, row + 1))
            for c in range(col, max(col_end, col + 1))
        }
        if slots & taken:
            continue
        taken |= slots
        cells.append(GridCell(row, col, max(1, row_end - row), max(1, col_end - col), box))
    n_rows, n_cols = max(1, len(ys) - 1), max(1, len(xs) - 1)
    if n_rows * n_cols <= 1:
        return None
    h, w = mask.shape
    return Grid((ox, oy, ox + w, oy + h), mask, n_rows, n_cols, cells)


def _edges(values: list[int], tol: int) -> list[float]:
    """Positions of the ruling lines: cell edges clustered (a chain of values each within
    `tol` of the previous is one line), each cluster's middle."""
    values = sorted(values)
    groups = [[values[0]]]
    for v in values[1:]:
        if v - groups[-1][-1] <= tol:
            groups[-1].append(v)
        else:
            groups.append([v])
    return [(g[0] + g[-1]) / 2 for g in groups]


def _nearest(edges: list[float], value: float) -> int:
    k = bisect_right(edges, value)
    if k == 0:
        return 0
    if k == len(edges) or value - edges[k - 1] <= edges[k] - value:
        return k - 1
    return k


# ---------------------------------------------------------------------------------------
# Reading the cells


def read_grid(gray: Any, ink: Any, grid: Grid, scale: float) -> ImageTable | None:
    """Rows of cell texts of a ruled table, with the words' confidences."""
    import cv2
    import numpy as np

    x0, y0, x1, y1 = grid.box
    erase = cv2.dilate(grid.lines, np.ones((5, 5), np.uint8)) > 0
    clean = gray[y0:y1, x0:x1].copy()
    clean[erase] = 255
    regions = {}
    for k, cell in enumerate(grid.cells):
        cx0, cy0, cx1, cy1 = cell.box
        regions[k] = clean[cy0 - y0 : cy1 - y0, cx0 - x0 : cx1 - x0]
    read = _read_regions(regions, lambda k: grid.cells[k].col, scale)
    rows = [["" for _ in range(grid.n_cols)] for _ in range(grid.n_rows)]
    words: list[list[list[OcrWord]]] = [
        [[] for _ in range(grid.n_cols)] for _ in range(grid.n_rows)
    ]
    for k, cell in enumerate(grid.cells):
        rows[cell.row][cell.col], words[cell.row][cell.col] = read.get(k, ("", []))
    if not any(any(r) for r in rows):
        return None
    return ImageTable(top=y0 / scale, rows=rows, words=words, bottom=y1 / scale)


def _read_regions(
    regions: dict[Any, Any], column_of: Any, scale: float
) -> dict[Any, tuple[str, list[OcrWord]]]:
    """The text and OCR words of each cell image (`column_of(key)` is its column): every
    cell read once, those that read as counts (or may, in a column of counts) read again
    digits-only and the two readings reconciled; the others' label words mended."""
    dpi = round(scale * 72)
    text_crops = _crops(regions, SPECK_PT2, scale, marks=True)
    reads = _read_strips(text_crops, dpi, scale)
    numeric_cols = _numeric_columns({k: column_of(k) for k in regions}, reads)
    digit_crops = _crops(
        {
            k: region
            for k, region in regions.items()
            if k in text_crops
            and _numberish(reads.get(k, _Cell()).text, column_of(k) in numeric_cols)
        },
        SPECK_PT2,
        scale,
        marks=False,
    )
    digits = _read_strips(digit_crops, dpi, scale, DIGITS_ONLY, ocr.digits_language())
    threshold = ocr.doubt_below()
    out = {}
    for k in regions:
        read = reads.get(k, _Cell())
        text, words = None, []
        if k in digit_crops:
            text, words = _reconcile(read, digits.get(k, _Cell()), threshold)
        if text is None:
            text, words = _join(read, threshold)
            text = mend_labels(text)
        out[k] = (text, words)
    return out


def _crops(regions: dict[Any, Any], speck_pt2: float, scale: float, marks: bool) -> dict[int, Any]:
    """Each cell's image made clean for Tesseract: dark specks (dust, scanner noise) smaller
    than `speck_pt2` square points dropped, except, with `marks`, those sitting just above
    or below a larger piece of ink (Vietnamese tone marks and the dot under ạ, ị, ộ); the
    background around the remaining ink made white; the image cut to that ink with a margin.
    Empty cells are left out."""
    import cv2
    import numpy as np

    least = speck_pt2 * scale * scale
    pad = _px(1.5, scale, 3)
    out = {}
    for k, region in regions.items():
        if region.size == 0 or int(region.min()) > 160:
            continue  # nothing dark at all
        dark = cv2.threshold(region, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1]
        n, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
        keep = np.zeros(n, bool)
        keep[1:] = stats[1:, cv2.CC_STAT_AREA] >= least
        if marks:
            keep |= _marks(stats, keep)
        kept = keep[labels].astype(np.uint8)
        if not kept.any():
            continue
        near = cv2.dilate(kept, np.ones((3, 3), np.uint8))
        crop = np.where(near > 0, region, 255).astype(np.uint8)
        x, y, w, h = cv2.boundingRect(kept)
        out[k] = crop[max(0, y - pad) : y + h + pad, max(0, x - pad) : x + w + pad]
    return out


def _marks(stats: Any, big: Any) -> Any:
    """Small components placed like diacritics: over or under a big one (their spans
    overlap across) and no farther from it than half its height."""
    import numpy as np

    found = np.zeros(len(stats), bool)
    letters = [stats[j] for j in np.flatnonzero(big)]
    for i in np.flatnonzero(~big)[1:] if len(stats) else []:
        x, y, w, h = stats[i][:4]
        for lx, ly, lw, lh, _ in letters:
            if x + w <= lx or x >= lx + lw:
                continue
            gap = max(ly - (y + h), y - (ly + lh), 0)
            if gap <= lh / 2:
                found[i] = True
                break
    return found


def _read_strips(
    crops: dict[Any, Any],
    dpi: int,
    scale: float,
    options: tuple[str, ...] = (),
    lang: str | None = None,
) -> dict[Any, _Cell]:
    """Read many cell images with few Tesseract calls: they are stacked into strips, one
    under the other with white space between, and every word goes back to the cell whose
    band holds its middle."""
    import numpy as np

    gap = _px(CELL_GAP_PT, scale, 8)
    out: dict[Any, _Cell] = {}
    items = list(crops.items())
    while items:
        strip, items = _take_strip(items, gap)
        width = max(c.shape[1] for _, c in strip) + 2 * gap
        height = sum(c.shape[0] + gap for _, c in strip) + gap
        image = np.full((height, width), 255, np.uint8)
        starts, ends, keys = [], [], []
        y = gap
        for key, crop in strip:
            h, w = crop.shape
            image[y : y + h, gap : gap + w] = crop
            starts.append(y - gap / 2)
            ends.append(y + h + gap / 2)
            keys.append(key)
            y += h + gap
        tsv = ocr.run_tesseract(ocr.pgm(image), dpi, psm=6, options=options, lang=lang)
        lines: dict[tuple[int, tuple[str, str, str]], list[tuple[float, float, str, float]]] = {}
        for row in ocr.tsv_rows(tsv):
            text = (row.get("text") or "").strip()
            if row.get("level") != "5" or not text:
                continue
            conf = float(row.get("conf") or 0)
            if conf < ocr.MIN_CONFIDENCE:
                continue
            top, left, h = (float(row.get(k) or 0) for k in ("top", "left", "height"))
            k = bisect_right(starts, top + h / 2) - 1
            if k < 0 or top + h / 2 >= ends[k]:
                continue
            lines.setdefault((keys[k], ocr.line_key(row)), []).append((top, left, text, conf))
        # a cell's lines top to bottom (Tesseract may number them in another order)
        ordered = sorted(lines.items(), key=lambda kv: (kv[0][0], min(w[0] for w in kv[1])))
        for (key, _), found in ordered:
            found.sort(key=lambda w: w[1])
            out.setdefault(key, _Cell()).lines.append([(t, c) for _, _, t, c in found])
    return out


def _take_strip(items: list[tuple[Any, Any]], gap: int) -> tuple[list, list]:
    height, k = 0, 0
    while k < len(items) and (k == 0 or height + items[k][1].shape[0] + gap <= STRIP_MAX_PX):
        height += items[k][1].shape[0] + gap
        k += 1
    return items[:k], items[k:]


def _numeric_columns(columns: dict[Any, int], reads: dict[Any, _Cell]) -> set[int]:
    """Columns most of whose filled cells read as counts."""
    filled: dict[int, int] = {}
    counts: dict[int, int] = {}
    for k, col in columns.items():
        text = _core(reads[k].text) if k in reads else ""
        if not text:
            continue
        filled[col] = filled.get(col, 0) + 1
        if _COUNT.match(text):
            counts[col] = counts.get(col, 0) + 1
    return {c for c, n in filled.items() if counts.get(c, 0) * 2 >= n}


def _core(text: str) -> str:
    """A cell's reading without spaces and without the marks noise leaves at its ends."""
    return _EDGE_JUNK.sub("", text.replace(" ", ""))


def _numberish(text: str, numeric_column: bool) -> bool:
    """A cell to read again digits-only: a number, maybe with letters OCR takes for digits,
    or, in a column of numbers, any short reading (noise may have hidden a digit)."""
    core = _core(text)
    if core and _NUMBERISH.match(core) and any(c.isdigit() for c in core):
        return True
    return numeric_column and len(core) <= 3


def _repair(text: str) -> tuple[str, list[str]]:
    """Digits for the letters OCR confuses with them; the repairs made ("O→0")."""
    fixed, made = [], []
    for ch in text:
        if ch in CONFUSIONS:
            fixed.append(CONFUSIONS[ch])
            made.append(f"{ch}→{CONFUSIONS[ch]}")
        else:
            fixed.append(ch)
    return "".join(fixed), sorted(set(made))


def _digits(text: str) -> str:
    return regex.sub(r"\D", "", text)


def _confidence(cell: _Cell) -> float:
    confs = [c for line in cell.lines for _, c in line]
    return min(confs) if confs else 0.0


_SCAN = "số liệu đọc từ bản scan"
_CHECK = "cần đối chiếu với bản giấy"


def _reconcile(general: _Cell, digits: _Cell, threshold: float) -> tuple[str | None, list[OcrWord]]:
    """One count from the two readings of a numeric cell, with its confidence and doubt;
    (None, []) when neither reads as a count. The digits-only reading is the surer one; the
    general reading confirms it, or casts a doubt when it reads another number."""
    core = _core(general.text)
    repaired, repairs = _repair(core) if _NUMBERISH.match(core or "x") else ("", [])
    g_val = repaired if _COUNT.match(repaired) else ""
    d_text = digits.text.replace(" ", "").strip(".,")
    d_val = d_text if _COUNT.match(d_text) else ""
    doubt = None
    if d_val:
        value, conf = d_val, _confidence(digits)
        if g_val and _digits(g_val) != _digits(d_val):
            doubt = f"{_SCAN}, hai lần đọc cho {g_val} và {d_val}; {_CHECK}"
        elif g_val:
            value = g_val  # the same number, with the separators as the general reading saw them
            conf = max(conf, _confidence(general))
            if repairs:
                doubt = f"{_SCAN}, đã sửa ký tự dễ nhầm ({', '.join(repairs)}); {_CHECK}"
    elif g_val:
        value, conf = g_val, _confidence(general)
        doubt = (
            f"{_SCAN}, đã sửa ký tự dễ nhầm ({', '.join(repairs)}); {_CHECK}"
            if repairs
            else f"{_SCAN}, lần đọc thứ hai (chỉ chữ số) không xác nhận được; {_CHECK}"
        )
    else:
        return None, []
    if doubt is None and conf < threshold:
        doubt = ocr.low_confidence(conf)
    return value, [OcrWord(round(conf, 1), doubt)]


def _join(cell: _Cell, threshold: float) -> tuple[str, list[OcrWord]]:
    """A cell's lines as one text (a code broken after a hyphen glued back, as pdf.py does
    for a text PDF's cells), with one OcrWord per word of that text. Marks that scanner
    noise leaves (a lone quote or dot read with low confidence, a stray mark at the cell's
    edge) are dropped."""
    text = ""
    words: list[OcrWord] = []
    lines = [
        [(w, c) for w, c in line if not (_JUNK_WORD.match(w) and c < threshold)]
        for line in cell.lines
    ]
    lines = [line for line in lines if line]
    if lines:
        first, last = lines[0][0], lines[-1][-1]
        lines[0][0] = (first[0].lstrip(_EDGE_MARKS) or first[0], first[1])
        lines[-1][-1] = (lines[-1][-1][0].rstrip(_EDGE_MARKS) or last[0], lines[-1][-1][1])
    for line in lines:
        for k, (word, conf) in enumerate(line):
            note = OcrWord(round(conf, 1), ocr.low_confidence(conf) if conf < threshold else None)
            if k == 0 and text and _HYPHEN_END.search(text):
                text += word
                if note.confidence < words[-1].confidence:
                    words[-1] = note
                continue
            text += (" " if text else "") + word
            words.append(note)
    return text, words


# ---------------------------------------------------------------------------------------
# Label words: tone marks OCR confused, mended against the rules' own phrases


def _toneless(word: str) -> str:
    """A word without any diacritic, lower case ("Tống" and "Tổng" are both "tong")."""
    plain = unicodedata.normalize("NFD", word.lower().replace("đ", "d").replace("Đ", "d"))
    return "".join(c for c in plain if not unicodedata.combining(c))


@cache
def _phrases() -> dict[tuple[str, ...], tuple[str, ...]]:
    """The phrases a form table's headers and row names use, by their toneless words: the
    label patterns of rules/labels.toml, the field names of rules/vocabulary.toml and the
    total rows. A toneless form two phrases share is left out (it cannot be mended)."""
    rules = Path(__file__).parent / "rules"
    labels = tomllib.loads((rules / "labels.toml").read_text(encoding="utf-8"))
    vocabulary = tomllib.loads((rules / "vocabulary.toml").read_text(encoding="utf-8"))
    spelled: set[tuple[str, ...]] = set()
    for entry in labels["label"]:
        for pattern in entry["patterns"]:
            spelled |= _expand(pattern)
    for spellings in vocabulary["fields"].values():
        spelled |= {tuple(s.split()) for s in spellings}
    spelled |= {tuple(p.split()) for p in TABLE_PHRASES}
    out: dict[tuple[str, ...], tuple[str, ...]] = {}
    clashes = set()
    for words in spelled:
        key = tuple(_toneless(w) for w in words)
        if key in out and out[key] != words:
            clashes.add(key)
        out[key] = words
    return {k: v for k, v in out.items() if k not in clashes}


def _expand(pattern: str) -> set[tuple[str, ...]]:
    """The word sequences of a label pattern ("kỳ trước chuyển sang|qua", "số? mới")."""
    options: list[tuple[str, ...]] = [()]
    for part in pattern.split():
        alternatives = part.rstrip("?").split("|") if len(part) > 1 else [part]
        grown = [(*o, a) for o in options for a in alternatives]
        options = grown + options if part.endswith("?") and len(part) > 1 else grown
    return {o for o in options if o and all(w[0].isalnum() for w in o)}


def mend_labels(text: str) -> str:
    """A header or row name with the tone marks OCR confused put back, where two or more of
    its words, without their marks, are one of the rules' phrases ("Tống cộng" → "Tổng
    cộng"), and words OCR glued together cut apart; the rest of the text is left as read."""
    words = text.split()
    if not words:
        return text
    phrases = _phrases()
    longest = max((len(k) for k in phrases), default=0)
    words = [part for w in words for part in _unglued(w)]
    out, i = list(words), 0
    while i < len(words):
        sizes = range(min(longest, len(words) - i), 1, -1)  # a lone word is too weak a clue
        keys = [tuple(_toneless(w.strip(_PUNCT)) for w in words[i : i + n]) for n in sizes]
        # the longest phrase whose words differ by their marks only; else the longest one
        # a letter away
        spelled = next((phrases[k] for k in keys if k in phrases), None)
        spelled = spelled or next((p for k in keys if (p := _near_phrase(k))), None)
        if spelled is None:
            i += 1
            continue
        for j, right in enumerate(spelled):
            out[i + j] = _spell_like(words[i + j], right, loose=True)
        i += len(spelled)
    return " ".join(out)


def _near_phrase(key: tuple[str, ...]) -> tuple[str, ...] | None:
    """The one phrase of as many words whose toneless letters differ from `key`'s by one
    letter: "ky tuoc chuyen qua" is "kỳ trước chuyển qua"."""
    from rapidfuzz.distance import Levenshtein
    from rapidfuzz.process import extract

    text = " ".join(key)
    if len(text) < NEAR_MIN_LETTERS:
        return None
    choices = _phrases_by_length().get(len(key), {})
    found = extract(text, list(choices), scorer=Levenshtein.distance, score_cutoff=1, limit=2)
    if not found or (len(found) > 1 and found[1][1] == found[0][1]):
        return None
    return choices[found[0][0]]


@cache
def _phrases_by_length() -> dict[int, dict[str, tuple[str, ...]]]:
    out: dict[int, dict[str, tuple[str, ...]]] = {}
    for key, words in _phrases().items():
        out.setdefault(len(key), {})[" ".join(key)] = words
    return out


@cache
def _lexicon() -> frozenset[str]:
    """The toneless words of the rules' phrases."""
    return frozenset(w for key in _phrases() for w in key)


def _unglued(word: str) -> list[str]:
    """A word OCR glued from two of the phrases' words (it drops the space of a tight
    cell: "Hộtịch", "Sốkỳ") cut in two, when exactly one cut gives two such words."""
    word = unicodedata.normalize("NFC", word)
    plain = _toneless(word)
    lexicon = _lexicon()
    if len(plain) != len(word) or plain in lexicon or not plain.isalpha():
        return [word]
    cuts = [i for i in range(2, len(plain) - 1) if plain[:i] in lexicon and plain[i:] in lexicon]
    return [word[: cuts[0]], word[cuts[0] :]] if len(cuts) == 1 else [word]


def _spell_like(read: str, right: str, loose: bool = False) -> str:
    """`right` in the case of the word as read, keeping the punctuation around it (unless
    `loose`, only where the two differ by their marks alone)."""
    core = read.strip(_PUNCT)
    if not core or (not loose and _toneless(core) != _toneless(right)):
        return read
    if core.isupper() and len(core) > 1:
        right = right.upper()
    elif core[0].isupper():
        right = right[0].upper() + right[1:]
    return read.replace(core, right, 1)


# ---------------------------------------------------------------------------------------
# Tables without ruling lines


def borderless_tables(
    words: list[dict[str, Any]], gray: Any = None, scale: float = 1.0
) -> tuple[list[ImageTable], list[dict[str, Any]]]:
    """Tables printed without ruling lines, found in a page's words (PDF points): a run of
    lines each holding several counts set apart by wide gaps, whose columns line up, and the
    header lines just above it. With the page image (`gray`, `scale` pixels per point), the
    counts are read again digits-only, as in a ruled table. Returns the tables and the words
    left outside them."""
    threshold = ocr.doubt_below()
    marks = {id(w) for w in words if _JUNK_WORD.match(w["text"]) and w.get("conf", 100) < threshold}
    lines = _lines([w for w in words if id(w) not in marks])  # noise marks break the columns
    if len(lines) < 2:
        return [], words
    em = _median([w["bottom"] - w["top"] for w in words]) or 10.0
    tables: list[ImageTable] = []
    used: set[int] = set()
    k = 0
    while k < len(lines):
        found = _data_run(lines, k, em)
        if found is None:
            k += 1
            continue
        first, last, columns = found
        table, taken = _borderless_table(lines, first, last, columns, em, gray, scale)
        tables.append(table)
        used |= taken
        k = last + 1
    if tables:
        used |= {id(w) for w in words if id(w) in marks and _inside(w, tables)}
    return tables, [w for w in words if id(w) not in used]


def _inside(word: dict[str, Any], tables: list[ImageTable]) -> bool:
    """Whether a word lies within the rows of one of the tables (by its top)."""
    return any(t.top <= word["top"] <= t.bottom for t in tables)


_Line = list[dict[str, Any]]


def _lines(words: list[dict[str, Any]]) -> list[_Line]:
    """Words grouped into lines by their top edge (as pdf.py groups them), left to right."""
    out: list[_Line] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if out and abs(out[-1][0]["top"] - word["top"]) <= LINE_TOLERANCE_PT:
            out[-1].append(word)
        else:
            out.append([word])
    for line in out:
        line.sort(key=lambda w: w["x0"])
    return out


def _counts_apart(line: _Line, em: float) -> list[dict[str, Any]]:
    """The counts of a line that stand apart from their neighbours as table cells do."""
    found = []
    for i, word in enumerate(line):
        if not _COUNT.match(word["text"]):
            continue
        before = word["x0"] - line[i - 1]["x1"] if i > 0 else em * 9
        after = line[i + 1]["x0"] - word["x1"] if i + 1 < len(line) else em * 9
        if before >= COLUMN_GAP_EMS * em and after >= COLUMN_GAP_EMS * em:
            found.append(word)
    return found


def _data_run(lines: list[_Line], k: int, em: float) -> tuple[int, int, list[list[float]]] | None:
    """From line k, a run of table rows: lines with at least MIN_COUNTS counts set apart,
    possibly with a row name's second line between them. Returns the first and last line
    and the columns (left, right) of the counts; None when line k starts no such run."""
    if len(_counts_apart(lines[k], em)) < MIN_COUNTS:
        return None
    rows = [k]
    last = k
    j = k + 1
    while j < len(lines) and lines[j][0]["top"] - lines[j - 1][0]["top"] <= ROW_PITCH_EMS * em:
        if len(_counts_apart(lines[j], em)) >= MIN_COUNTS:
            rows.append(j)
        elif not _mostly_left_of(lines[j], _counts_apart(lines[rows[-1]], em)[0]["x0"]):
            break
        last = j
        j += 1
    if len(rows) < 2:
        return None
    boxes = sorted(
        ([w["x0"], w["x1"]] for r in rows for w in _counts_apart(lines[r], em)),
        key=lambda b: b[0],
    )
    columns = [boxes[0]]
    for x0, x1 in boxes[1:]:
        if x0 <= columns[-1][1] + 0.3 * em:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    if len(columns) < MIN_COUNTS:
        return None
    return k, last, columns


def _mostly_left_of(line: _Line, x: float) -> bool:
    """A row name's other line: its words (bar a stray mark of noise) left of `x`."""
    return sum(w["x1"] > x for w in line) <= max(0, len(line) - 2) // 2 and line[0]["x1"] <= x


def _borderless_table(
    lines: list[_Line],
    first: int,
    last: int,
    columns: list[list[float]],
    em: float,
    gray: Any,
    scale: float,
) -> tuple[ImageTable, set[int]]:
    """A borderless table: its header tiers above line `first` and its rows down to line
    `last`; the ids of the words it took. With the page image, the columns are where the
    rows' ink lies (a column whose counts OCR missed on the page is still one) and every
    count cell is read from the image as a ruled table's cells are."""
    header = _header_lines(lines, first, em, columns)
    body = _table_rows(lines[first : last + 1], em)
    if gray is not None:
        right = max(w["x1"] for line in [*header, *body] for w in line) + 0.5 * em
        left = columns[0][0] - 0.3 * em
        columns = _ink_columns(gray, body, left, right, em, scale) or columns
    bounds = [columns[0][0] - 0.3 * em]
    bounds += [(a[1] + b[0]) / 2 for a, b in itertools.pairwise(columns)]
    right = max([columns[-1][1]] + [w["x1"] for line in [*header, *body] for w in line])
    edges = [*bounds, right + 0.5 * em]  # with the names' left edge put first,
    # column c lies between edges[c] and edges[c + 1]
    n_cols = len(columns) + 1  # the row names' column first

    def band(x: float) -> int:
        return bisect_right(bounds, x)

    threshold = ocr.doubt_below()
    rows: list[list[str]] = []
    notes: list[list[list[OcrWord]]] = []
    tiers = _tiers([w for ln in header for w in ln], band, em)
    read: dict[tuple[int, int], tuple[str, list[OcrWord]]] = {}
    if gray is not None:
        names = [w for line in body for w in line if w["x1"] <= bounds[0]]
        edges[0:0] = [min((w["x0"] for w in names), default=bounds[0] - 6 * em) - 0.3 * em]
        regions = {
            (r, c): _region(gray, band_y, edges[c], edges[c + 1], scale)
            for r, band_y in enumerate(_row_bands(body, em))
            for c in range(n_cols)
        }
        # header cells too, where their words lie (a header is often wider than its
        # column's counts), unless a label spanning several columns was set in this one
        for t, tier in enumerate(tiers):
            for c, cell in enumerate(tier[:n_cols]):
                if cell and all(band((w["x0"] + w["x1"]) / 2) == c for w in cell):
                    band_y = (min(w["top"] for w in cell), max(w["bottom"] for w in cell))
                    left = min(w["x0"] for w in cell) - 0.2 * em
                    right = max(w["x1"] for w in cell) + 0.2 * em
                    regions[(t - len(tiers), c)] = _region(gray, band_y, left, right, scale)
        read = _read_regions(regions, lambda k: k[1] if k[0] >= 0 else -1, scale)
    for t, tier in enumerate(tiers):
        cells = [
            read.get((t - len(tiers), c)) or _words_cell(cell, threshold)
            for c, cell in enumerate(tier[:n_cols])
        ]
        rows.append([text for text, _ in cells])
        notes.append([words for _, words in cells])
    for r, line in enumerate(body):
        placed: list[list[dict[str, Any]]] = [[] for _ in range(n_cols)]
        for word in line:
            placed[band((word["x0"] + word["x1"]) / 2)].append(word)
        cells = [
            read[(r, c)] if (r, c) in read else _words_cell(placed[c], threshold)
            for c in range(n_cols)
        ]
        rows.append([text for text, _ in cells])
        notes.append([words for _, words in cells])
    top = min(w["top"] for line in [*header, body[0]] for w in line)
    bottom = max(w["bottom"] for w in body[-1])
    taken = {id(w) for line in [*header, *body] for w in line}
    return ImageTable(top=top, rows=rows, words=notes, bottom=bottom), taken


def _words_cell(cell: list[dict[str, Any]], threshold: float) -> tuple[str, list[OcrWord]]:
    """A cell's text from the page's OCR words in it, label words mended."""
    read = _Cell([[(w["text"], w.get("conf", 100.0)) for w in cell]] if cell else [])
    text, words = _join(read, threshold)
    return mend_labels(text), words


def _table_rows(lines: list[_Line], em: float) -> list[_Line]:
    """The rows of a borderless table, from its first line of counts: each line of counts
    opens a row; a line without counts (a row name's other line) joins the row above, as
    in a table whose cells keep their text at the top (Word's default)."""
    rows: list[list[dict[str, Any]]] = []
    for line in lines:
        if _counts_apart(line, em) or not rows:
            rows.append(list(line))
        else:
            rows[-1].extend(line)
    return rows


def _row_bands(body: list[_Line], em: float) -> list[tuple[float, float]]:
    """The vertical extent of each row of a borderless table: its words, and half of the
    space to the rows around it (at most 0.3 em: not the next row's descenders)."""
    tops = [min(w["top"] for w in row) for row in body]
    bottoms = [max(w["bottom"] for w in row) for row in body]
    out = []
    for r in range(len(body)):
        above = min((tops[r] - bottoms[r - 1]) / 2, 0.3 * em) if r else 0.3 * em
        below = min((tops[r + 1] - bottoms[r]) / 2, 0.3 * em) if r + 1 < len(body) else 0.3 * em
        out.append((tops[r] - max(above, 0.0), bottoms[r] + max(below, 0.0)))
    return out


def _region(gray: Any, band_y: tuple[float, float], left: float, right: float, scale: float) -> Any:
    """The image of one cell of a borderless table: its column's band across its row."""
    h, w = gray.shape
    x0, x1 = max(0, int(left * scale)), min(w, int(right * scale))
    y0, y1 = max(0, int(band_y[0] * scale)), min(h, int(band_y[1] * scale))
    return gray[y0:y1, x0:x1]


def _ink_columns(
    gray: Any, rows: list[_Line], left: float, right: float, em: float, scale: float
) -> list[list[float]]:
    """The columns (left, right, in points) where the rows hold ink between `left` and
    `right`: the runs of the rows' vertical ink profile, gaps narrower than a space between
    words bridged, specks ignored."""
    import cv2
    import numpy as np

    h, w = gray.shape
    x0, x1 = max(0, int(left * scale)), min(w, int(right * scale))
    if x1 - x0 < 4:
        return []
    profile = np.zeros(x1 - x0, bool)
    for line in rows:
        y0 = max(0, int(min(wd["top"] for wd in line) * scale))
        y1 = min(h, int(max(wd["bottom"] for wd in line) * scale))
        band = gray[y0:y1, x0:x1]
        if band.size == 0:
            continue
        dark = cv2.threshold(band, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1]
        n, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
        keep = np.zeros(n, bool)
        keep[1:] = stats[1:, cv2.CC_STAT_AREA] >= SPECK_PT2 * scale * scale
        profile |= keep[labels].any(axis=0)
    runs: list[list[int]] = []
    bridge = INK_BRIDGE_EMS * em * scale
    for x in np.flatnonzero(profile):
        if runs and x - runs[-1][1] <= bridge:
            runs[-1][1] = int(x) + 1
        else:
            runs.append([int(x), int(x) + 1])
    return [[(x0 + a) / scale, (x0 + b) / scale] for a, b in runs]


def _header_lines(lines: list[_Line], first: int, em: float, columns: list) -> list[_Line]:
    """The lines just above a table's first row that belong to its header: close below one
    another, without counts, and not running text (words close together across much of the
    table's width)."""
    width = columns[-1][1] - columns[0][0]
    out: list[_Line] = []
    k = first - 1
    while k >= 0 and len(out) < MAX_HEADER_LINES:
        line, below = lines[k], lines[k + 1]
        if below[0]["top"] - line[0]["top"] > ROW_PITCH_EMS * em:
            break
        if _counts_apart(line, em) or _prose_run(line, em) > PROSE_SHARE * width:
            break
        if line[-1]["text"].endswith(":") and line[-1]["x1"] - line[0]["x0"] > PROSE_SHARE * width:
            break
        out.insert(0, line)
        k -= 1
    return out


def _prose_run(line: _Line, em: float) -> float:
    """The width of the longest run of words set at ordinary word spacing."""
    best, start = 0.0, line[0]["x0"]
    for prev, word in itertools.pairwise(line):
        if word["x0"] - prev["x1"] > WORD_GAP_EMS * em:
            best = max(best, prev["x1"] - start)
            start = word["x0"]
    return max(best, line[-1]["x1"] - start)


def _tiers(words: list[dict[str, Any]], band: Any, em: float) -> list[list[list[dict[str, Any]]]]:
    """Header words in cells: by column band, and by tier. A tier starts where several
    columns start a new cell at once (after a gap wider than a line's spacing); a run of
    words crossing a band's edge above a lower tier is a label spanning those columns, set
    in the first of them."""
    if not words:
        return []
    placed = [(band((w["x0"] + w["x1"]) / 2), w) for w in words]
    starts: list[float] = []
    for b in {b for b, _ in placed}:
        stack = sorted((w for c, w in placed if c == b), key=lambda w: w["top"])
        for prev, word in itertools.pairwise(stack):
            if word["top"] - prev["bottom"] > TIER_GAP_EMS * em:
                starts.append(word["top"])
    starts.sort()
    edges: list[float] = []
    for y in starts:
        near = [s for s in starts if abs(s - y) <= 0.5 * em]
        if len(near) >= 2 and not any(abs(e - y) <= 0.5 * em for e in edges):
            edges.append(min(near) - 0.25 * em)
    n_tiers = len(edges) + 1
    cells: list[list[list[dict[str, Any]]]] = [
        [[] for _ in range(band(float("inf")) + 1)] for _ in range(n_tiers)
    ]
    for b, word in _spanning(placed, band, em, edges):
        cells[bisect_right(edges, word["top"])][b].append(word)
    for tier in cells:
        for cell in tier:
            cell.sort(key=lambda w: (round(w["top"] / (0.5 * em)), w["x0"]))
    return cells


def _spanning(placed: list, band: Any, em: float, edges: list[float]) -> list:
    """Words of a label that spans several columns (one of its words crosses a band's edge,
    and a lower tier exists) moved to the first column the label covers."""
    if not edges:
        return placed
    out = []
    lines = _lines([w for _, w in placed])
    for line in lines:
        runs: list[list[dict[str, Any]]] = [[line[0]]]
        for prev, word in itertools.pairwise(line):
            if word["x0"] - prev["x1"] > WORD_GAP_EMS * em:
                runs.append([word])
            else:
                runs[-1].append(word)
        for run in runs:
            crosses = any(
                band(w["x0"] + 0.2 * (w["x1"] - w["x0"]))
                != band(w["x1"] - 0.2 * (w["x1"] - w["x0"]))
                for w in run
            )
            upper = run[0]["top"] < edges[-1]
            first = band(run[0]["x0"])
            for w in run:
                out.append((first if crosses and upper else band((w["x0"] + w["x1"]) / 2), w))
    return out


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0
