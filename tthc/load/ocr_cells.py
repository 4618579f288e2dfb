"""Cells of a table image read by Tesseract, with the doubt each reading carries.

Many small images (the cells of a ruled table, or the bands of a borderless one) are read
with few Tesseract calls: cleaned of specks, stacked into a strip one under the other with
white space between, read as one block of text (`vie`), every word going back to the cell
whose band holds its middle. Cells that read as counts (or may, in a column of counts) are
read again digits-only, and the two readings reconciled: the digits-only reading is the
surer one, the general one confirms it; a letter taken for a digit (O/0, l/1, S/5) is
repaired and marked, two readings that disagree are marked, a reading below the doubt
threshold is marked. Every cell keeps its words' confidences (`OcrWord`).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

import regex

from tthc.load import ocr
from tthc.load.ocr_labels import mend_labels
from tthc.schemas import OcrWord

CELL_GAP_PT = 14.0  # white space between two cells stacked in the strip Tesseract reads
STRIP_MAX_PX = 12_000  # a strip taller than this is split (Tesseract's image limits)
# Dark specks (dust, scanner noise) smaller than this (square points) are dropped before a
# cell is read, unless placed like a diacritic; a full stop or a comma is larger.
SPECK_PT2 = 1.0
DIGITS_ONLY = ("-c", "tessedit_char_whitelist=0123456789.,")
# Letters OCR reads for digits in a numeric cell.
CONFUSIONS = {"O": "0", "o": "0", "I": "1", "l": "1", "|": "1", "!": "1", "S": "5", "s": "5"}
_CONFUSABLE = "".join(CONFUSIONS)
_NUMBERISH = regex.compile(rf"^[\d.,{regex.escape(_CONFUSABLE)}]+$")
COUNT = regex.compile(r"^(?:\d{1,3}(?:[.,]\d{3})+|\d+)$")
_HYPHEN_END = regex.compile(r"[^\W_]-$")
_EDGE_JUNK = regex.compile(
    rf"^[^\w{regex.escape(_CONFUSABLE)}]+|[^\w{regex.escape(_CONFUSABLE)}]+$"
)
JUNK_WORD = regex.compile(r"^[\p{P}\p{S}]+$")  # a "word" of marks only: "-", ".", "'", "ˆ"
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
class Reading:
    """A cell's reading: its lines of (word, confidence)."""

    lines: list[list[tuple[str, float]]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(w for line in self.lines for w, _ in line)


def px(points: float, scale: float, least: int = 1) -> int:
    return max(least, round(points * scale))


def read_regions(
    regions: dict[Any, Any], column_of: Any, scale: float, settings: ocr.OcrSettings | None = None
) -> dict[Any, tuple[str, list[OcrWord]]]:
    """The text and OCR words of each cell image (`column_of(key)` is its column): every
    cell read once, those that read as counts (or may, in a column of counts) read again
    digits-only and the two readings reconciled; the others' label words mended."""
    settings = ocr.current(settings)
    dpi = round(scale * 72)
    text_crops = crops(regions, SPECK_PT2, scale, marks=True)
    reads = read_strips(text_crops, dpi, scale, settings=settings)
    numeric_cols = _numeric_columns({k: column_of(k) for k in regions}, reads)
    digit_crops = crops(
        {
            k: region
            for k, region in regions.items()
            if k in text_crops
            and numberish(reads.get(k, Reading()).text, column_of(k) in numeric_cols)
        },
        SPECK_PT2,
        scale,
        marks=False,
    )
    lang = ocr.digits_language(settings)
    digits = read_strips(digit_crops, dpi, scale, DIGITS_ONLY, lang, settings)
    threshold = settings.doubt_below
    out = {}
    for k in regions:
        read = reads.get(k, Reading())
        text, words = None, []
        if k in digit_crops:
            text, words = reconcile(read, digits.get(k, Reading()), threshold)
        if text is None:
            text, words = join_words(read, threshold)
            text = mend_labels(text)
        out[k] = (text, words)
    return out


def crops(regions: dict[Any, Any], speck_pt2: float, scale: float, marks: bool) -> dict[int, Any]:
    """Each cell's image made clean for Tesseract: dark specks (dust, scanner noise) smaller
    than `speck_pt2` square points dropped, except, with `marks`, those sitting just above
    or below a larger piece of ink (Vietnamese tone marks and the dot under ạ, ị, ộ); the
    background around the remaining ink made white; the image cut to that ink with a margin.
    Empty cells are left out."""
    import cv2
    import numpy as np

    least = speck_pt2 * scale * scale
    pad = px(1.5, scale, 3)
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


def read_strips(
    crops: dict[Any, Any],
    dpi: int,
    scale: float,
    options: tuple[str, ...] = (),
    lang: str | None = None,
    settings: ocr.OcrSettings | None = None,
) -> dict[Any, Reading]:
    """Read many cell images with few Tesseract calls: they are stacked into strips, one
    under the other with white space between, and every word goes back to the cell whose
    band holds its middle."""
    import numpy as np

    settings = ocr.current(settings)
    gap = px(CELL_GAP_PT, scale, 8)
    out: dict[Any, Reading] = {}
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
        tsv = ocr.run_tesseract(ocr.pgm(image), dpi, 6, options, lang, settings)
        lines: dict[tuple[int, tuple[str, str, str]], list[tuple[float, float, str, float]]] = {}
        for row in ocr.tsv_rows(tsv):
            text = (row.get("text") or "").strip()
            if row.get("level") != "5" or not text:
                continue
            conf = float(row.get("conf") or 0)
            if conf < settings.min_confidence:
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
            out.setdefault(key, Reading()).lines.append([(t, c) for _, _, t, c in found])
    return out


def _take_strip(items: list[tuple[Any, Any]], gap: int) -> tuple[list, list]:
    height, k = 0, 0
    while k < len(items) and (k == 0 or height + items[k][1].shape[0] + gap <= STRIP_MAX_PX):
        height += items[k][1].shape[0] + gap
        k += 1
    return items[:k], items[k:]


def _numeric_columns(columns: dict[Any, int], reads: dict[Any, Reading]) -> set[int]:
    """Columns most of whose filled cells read as counts."""
    filled: dict[int, int] = {}
    counts: dict[int, int] = {}
    for k, col in columns.items():
        text = _core(reads[k].text) if k in reads else ""
        if not text:
            continue
        filled[col] = filled.get(col, 0) + 1
        if COUNT.match(text):
            counts[col] = counts.get(col, 0) + 1
    return {c for c, n in filled.items() if counts.get(c, 0) * 2 >= n}


def _core(text: str) -> str:
    """A cell's reading without spaces and without the marks noise leaves at its ends."""
    return _EDGE_JUNK.sub("", text.replace(" ", ""))


def numberish(text: str, numeric_column: bool) -> bool:
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


def _confidence(cell: Reading) -> float:
    confs = [c for line in cell.lines for _, c in line]
    return min(confs) if confs else 0.0


_SCAN = "số liệu đọc từ bản scan"
_CHECK = "cần đối chiếu với bản giấy"


def reconcile(
    general: Reading, digits: Reading, threshold: float
) -> tuple[str | None, list[OcrWord]]:
    """One count from the two readings of a numeric cell, with its confidence and doubt;
    (None, []) when neither reads as a count. The digits-only reading is the surer one; the
    general reading confirms it, or casts a doubt when it reads another number."""
    core = _core(general.text)
    repaired, repairs = _repair(core) if _NUMBERISH.match(core or "x") else ("", [])
    g_val = repaired if COUNT.match(repaired) else ""
    d_text = digits.text.replace(" ", "").strip(".,")
    d_val = d_text if COUNT.match(d_text) else ""
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


def join_words(cell: Reading, threshold: float) -> tuple[str, list[OcrWord]]:
    """A cell's lines as one text (a code broken after a hyphen glued back, as pdf.py does
    for a text PDF's cells), with one OcrWord per word of that text. Marks that scanner
    noise leaves (a lone quote or dot read with low confidence, a stray mark at the cell's
    edge) are dropped."""
    text = ""
    words: list[OcrWord] = []
    lines = [
        [(w, c) for w, c in line if not (JUNK_WORD.match(w) and c < threshold)]
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


def strip_marks(
    words: list[dict[str, Any]], settings: ocr.OcrSettings | None = None
) -> list[dict[str, Any]]:
    """Page words without the stray marks noise sticks to them ("'năm" → "năm"); a word of
    marks only is dropped when read with low confidence."""
    threshold = ocr.current(settings).doubt_below
    out = []
    for word in words:
        core = word["text"].strip(_EDGE_MARKS)
        if not core or (JUNK_WORD.match(core) and word.get("conf", 100.0) < threshold):
            continue
        out.append({**word, "text": core})
    return out
