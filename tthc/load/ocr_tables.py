"""Tables in scanned pages: a page image made ready, its ruled tables found and read.

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
4. read cell by cell (`ocr_cells`: one Tesseract call for all cells, counts read again
   digits-only, doubt carried).
The rest of the page is read by Tesseract's page layout, cleaned of specks when the scan is
noisy; tables printed without ruling lines are found in its words (`ocr_borderless`).
"""

from __future__ import annotations

import logging
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from tthc.load import ocr
from tthc.load.ocr_borderless import borderless_tables
from tthc.load.ocr_cells import ImageTable, px, read_regions, strip_marks
from tthc.load.ocr_labels import mend_quarters
from tthc.schemas import OcrWord

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
NOISY_PAGE_SPECKS = 400  # an A4 page with more specks than this is cleaned before it is read
PAGE_SPECK_PT2 = 2.0  # on such a page, a speck is smaller than this (letters are larger)...
MARK_REACH_PT = 4.0  # ... and farther than this from a letter (tone marks, stops are nearer)
A4_PT2 = 595 * 842


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


# ---------------------------------------------------------------------------------------
# The page


def read_page(image: Any, scale: float, settings: ocr.OcrSettings | None = None) -> PageRead:
    """Tables and words of one page image (grey, uint8; `scale` pixels per PDF point). An
    image the table finder cannot handle is read as text, as before tables were read."""
    settings = ocr.current(settings)
    try:
        return _read_page(image, scale, settings)
    except ocr.OcrError:
        raise
    except Exception:  # OpenCV or numpy on a strange image: the page still gets its words
        logging.getLogger(__name__).warning("table finder failed on a page", exc_info=True)
        return PageRead(words=ocr.read_words(image, scale, settings))


def _read_page(image: Any, scale: float, settings: ocr.OcrSettings) -> PageRead:
    import numpy as np

    gray = deskew(image)
    ink = ink_mask(gray, scale)
    tables = []
    rest = gray
    for grid in find_grids(ink, scale):
        table = read_grid(gray, ink, grid, scale, settings)
        if table is None:
            continue
        tables.append(table)
        if rest is gray:
            rest = gray.copy()
        x0, y0, x1, y1 = grid.box
        # the table's place painted with its paper's tone: pure white on a shaded page
        # would make all the rest look dark to Tesseract's thresholding
        rest[y0:y1, x0:x1] = int(np.median(rest[y0:y1, x0:x1]))
    cleaned = despeckle(rest, ink, scale)
    words = ocr.read_words(cleaned, scale, settings)
    if cleaned is not rest:  # a noisy page: marks left by specks stuck to words go
        words = strip_marks(words, settings)
    rest = cleaned
    words = mend_quarters(words, rest, scale)
    found, words = borderless_tables(words, rest, scale, settings)
    return PageRead(words=words, tables=sorted(tables + found, key=lambda t: t.top))


# A quarter's Roman numeral as OCR misreads it ("Quý l", "Quý [", "Quý Il").
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
    r = px(MARK_REACH_PT, scale)
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
    mend = px(0.5, scale)  # a thin line broken by thresholding is mended first
    horizontal = cv2.morphologyEx(
        ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(rect, (mend * 2 + 1, 1))
    )
    horizontal = cv2.morphologyEx(
        horizontal, cv2.MORPH_OPEN, cv2.getStructuringElement(rect, (px(H_LINE_PT, scale), 1))
    )
    vertical = cv2.morphologyEx(
        ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(rect, (1, mend * 2 + 1))
    )
    vertical = cv2.morphologyEx(
        vertical, cv2.MORPH_OPEN, cv2.getStructuringElement(rect, (1, px(V_LINE_PT, scale)))
    )
    lines = cv2.dilate(horizontal | vertical, np.ones((3, 3), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    grids = []
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i][:4])
        if w < px(MIN_TABLE_W_PT, scale) or h < px(MIN_TABLE_H_PT, scale):
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
    least = px(MIN_CELL_PT, scale, 3)
    ox, oy = origin
    boxes = [
        (ox + int(s[0]), oy + int(s[1]), ox + int(s[0] + s[2]), oy + int(s[1] + s[3]))
        for s in stats[1:n]
        if s[2] >= least and s[3] >= least and s[4] >= MIN_CELL_FILL * s[2] * s[3]
    ]
    if len(boxes) < 2:
        return None
    tol = px(EDGE_TOL_PT, scale)
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


def read_grid(
    gray: Any, ink: Any, grid: Grid, scale: float, settings: ocr.OcrSettings | None = None
) -> ImageTable | None:
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
    read = read_regions(regions, lambda k: grid.cells[k].col, scale, settings)
    rows = [["" for _ in range(grid.n_cols)] for _ in range(grid.n_rows)]
    words: list[list[list[OcrWord]]] = [
        [[] for _ in range(grid.n_cols)] for _ in range(grid.n_rows)
    ]
    for k, cell in enumerate(grid.cells):
        rows[cell.row][cell.col], words[cell.row][cell.col] = read.get(k, ("", []))
    if not any(any(r) for r in rows):
        return None
    return ImageTable(top=y0 / scale, rows=rows, words=words, bottom=y1 / scale)
