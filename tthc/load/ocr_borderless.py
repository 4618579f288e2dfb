"""Tables printed without ruling lines, found in a scanned page's words.

A run of lines each holding several counts set apart by wide gaps, whose columns line up,
is a table's body; the lines just above it that are not running text are its header. The
columns are where the rows' ink lies on the page image (a count OCR missed on the page is
still found), the rows are the lines of counts (a row name's other lines join the row above,
as in a table whose cells keep their text at the top), and every cell is read from the image
as a ruled table's cells are (`ocr_cells`).
"""

from __future__ import annotations

import itertools
import statistics
from bisect import bisect_right
from typing import Any

from tthc.load import ocr
from tthc.load.ocr_cells import (
    COUNT,
    JUNK_WORD,
    SPECK_PT2,
    ImageTable,
    Reading,
    join_words,
    read_regions,
)
from tthc.load.ocr_labels import mend_labels
from tthc.schemas import OcrWord

# Sizes in ems: the median height of the page's words.
MIN_COUNTS = 3  # a table row holds at least this many counts, as columns
COLUMN_GAP_EMS = 0.9  # a count set apart from its neighbours by this much is a table cell
WORD_GAP_EMS = 0.6  # words closer than this belong to one phrase
INK_BRIDGE_EMS = 0.45  # in a column's ink, gaps narrower than this are inside one count
ROW_PITCH_EMS = 2.6  # consecutive rows (or header lines) lie closer than this
TIER_GAP_EMS = 0.9  # in a column, a gap this tall between two header lines starts a new cell
PROSE_SHARE = 0.45  # a line with a phrase this wide (share of the table) is running text
MAX_HEADER_LINES = 20  # narrow columns wrap their headers word by word
LINE_TOLERANCE_PT = 3.0  # words whose tops are this close share a line (as in pdf.py)


def borderless_tables(
    words: list[dict[str, Any]],
    gray: Any = None,
    scale: float = 1.0,
    settings: ocr.OcrSettings | None = None,
) -> tuple[list[ImageTable], list[dict[str, Any]]]:
    """Tables printed without ruling lines, found in a page's words (PDF points): a run of
    lines each holding several counts set apart by wide gaps, whose columns line up, and the
    header lines just above it. With the page image (`gray`, `scale` pixels per point), the
    counts are read again digits-only, as in a ruled table. Returns the tables and the words
    left outside them."""
    settings = ocr.current(settings)
    threshold = settings.doubt_below
    marks = {id(w) for w in words if JUNK_WORD.match(w["text"]) and w.get("conf", 100) < threshold}
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
        table, taken = _borderless_table(lines, first, last, columns, em, gray, scale, settings)
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
        if not COUNT.match(word["text"]):
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
    settings: ocr.OcrSettings,
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

    threshold = settings.doubt_below
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
        read = read_regions(regions, lambda k: k[1] if k[0] >= 0 else -1, scale, settings)
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
    read = Reading([[(w["text"], w.get("conf", 100.0)) for w in cell]] if cell else [])
    text, words = join_words(read, threshold)
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
