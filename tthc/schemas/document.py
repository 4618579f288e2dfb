"""Records passed between the first stages: load → normalize.

`RawDocument` is what a loader read from a file, line by line, with page numbers and table
rows kept as rows. `Text` is the normalized text every extractor reads, with a map back to
pages and raw lines so that evidence can point at something a person can find.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

import regex

from tthc.schemas.record import Evidence, with_technical
from tthc.schemas.sheets import Grid
from tthc.textkit.file_formats import FORMATS, SHEET_FORMATS, SUPPORTED_SUFFIXES  # noqa: F401

_DIGIT = regex.compile(r"\d")


@dataclass(slots=True)
class OcrWord:
    """What OCR says about one word it read: Tesseract's confidence (0-100) and, when the
    word may be misread, why (Vietnamese, shown to the officer)."""

    confidence: float
    doubt: str | None = None


@dataclass(slots=True)
class RawLine:
    """One line as extracted. A table row is one line whose `cells` hold the cell texts."""

    text: str
    page: int | None = None
    cells: list[str] | None = None
    table: int | None = None  # index of the table this row belongs to (per document)
    ocr: bool = False
    para_end: bool = False  # the source says a paragraph ends here (DOCX); never join across
    # Read by OCR: per cell (a text line is one cell), its whitespace-separated words in order.
    ocr_words: list[list[OcrWord]] | None = None


@dataclass(slots=True)
class RawDocument:
    path: str
    format: str
    lines: list[RawLine] = field(default_factory=list)
    pages: int | None = None
    sha256: str | None = None
    encoding: str | None = None
    ocr_pages: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    grid: Grid | None = None  # a spreadsheet's cells (its figures are read as a form)


CELL_SEP = " | "  # between the cells of a table row written as one line of text

# The formats tthc reads: tthc/textkit/file_formats.py (the command line names them without
# importing the records).


class LoadError(Exception):
    """A file that cannot be read: `reason`, in Vietnamese, is what the officer is shown and
    can act on; `technical`, apart, is the cause an administrator needs (the error's name).
    As text, it says both (`with_technical`)."""

    def __init__(self, reason: str, technical: str | None = None) -> None:
        super().__init__(with_technical(reason, technical))
        self.reason = reason
        self.technical = technical

    def __reduce__(self) -> tuple:
        return (LoadError, (self.reason, self.technical))


@dataclass(slots=True)
class Line:
    """A line of normalized text: a paragraph re-joined from wrapped lines, or a table row."""

    start: int
    end: int
    cells: list[tuple[int, int]] | None = None  # (start, end) of each cell, for table rows
    table: int | None = None


@dataclass(frozen=True, slots=True)
class Location:
    """Where a raw line stands in the original file, as a person counts: the line on its
    page, the paragraph, or the table and row."""

    page_line: int | None = None
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None


def locate(lines: list[RawLine], skip: set[int] | frozenset[int] = frozenset()) -> list[Location]:
    """The location of every raw line. Only lines with text count: a reader does not count
    the blank lines of a PDF page, the empty paragraphs of a Word file, or the lines in
    `skip` (page numbers and running headers, which sit apart from the body)."""
    out: list[Location] = []
    on_page: dict[int | None, int] = {}
    paragraphs = 0
    tables: dict[int, int] = {}  # raw table index → its 1-based number
    rows: dict[int, int] = {}
    for i, ln in enumerate(lines):
        if ln.cells is not None and ln.table is not None:
            number = tables.setdefault(ln.table, len(tables) + 1)
            rows[ln.table] = rows.get(ln.table, 0) + 1
            out.append(Location(table=number, row=rows[ln.table]))
            continue
        if not ln.text.strip() or i in skip:
            out.append(Location())
            continue
        on_page[ln.page] = on_page.get(ln.page, 0) + 1
        paragraphs += 1
        out.append(Location(page_line=on_page[ln.page], paragraph=paragraphs))
    return out


@dataclass(slots=True)
class Segment:
    """A run of normalized text that came from one raw line: the map back to the source."""

    start: int
    raw_line: int  # 1-based index into RawDocument.lines
    page: int | None = None
    ocr: bool = False
    page_line: int | None = None  # the line's number among the page's text lines (PDF)
    paragraph: int | None = None  # the paragraph's number in the document (DOCX)
    table: int | None = None  # 1-based table number and row number in it, for table rows
    row: int | None = None
    ocr_words: list[OcrWord] | None = None  # the OCR words of this run (`Text.attach_ocr`)


@dataclass(slots=True)
class Text:
    """Normalized text (NFC, one tone-mark style in `match`, wrapped lines re-joined).

    `text` is what quotes are cut from; `match` has the same length and offsets but lower
    case and one tone-mark placement, so a pattern is written once for every spelling.
    """

    text: str
    match: str
    lines: list[Line]
    segments: list[Segment]
    _line_starts: list[int] = field(default_factory=list, repr=False)
    _seg_starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._line_starts = [ln.start for ln in self.lines]
        self._seg_starts = [sg.start for sg in self.segments]

    def line_index(self, offset: int) -> int:
        """0-based index of the line holding `offset`."""
        return max(0, bisect_right(self._line_starts, offset) - 1)

    def segment(self, offset: int) -> Segment | None:
        """The raw-line segment holding `offset`."""
        if not self.segments:
            return None
        return self.segments[max(0, bisect_right(self._seg_starts, offset) - 1)]

    def attach_ocr(self, raw_lines: list[RawLine]) -> None:
        """Give each run of OCR'd text the words OCR read there, so evidence can carry their
        confidence and doubt. A table row's runs are its cells, in order."""
        cell = 0
        for k, seg in enumerate(self.segments):
            same_line = k > 0 and self.segments[k - 1].raw_line == seg.raw_line
            cell = cell + 1 if same_line else 0
            if not 0 < seg.raw_line <= len(raw_lines):
                continue
            raw = raw_lines[seg.raw_line - 1]
            index = cell if raw.cells is not None else 0
            if raw.ocr_words and index < len(raw.ocr_words):
                seg.ocr_words = raw.ocr_words[index]

    def evidence(self, start: int, end: int, value: tuple[int, int] | None = None) -> Evidence:
        """Evidence for text[start:end], trimmed of surrounding blanks. `value` is the span of
        the figure itself inside it: read by OCR, its words give the confidence and doubt;
        in a table row, its column is named (beside the table and row of the segment)."""
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        seg = self.segment(start)
        evidence = Evidence(
            page=seg.page if seg else None,
            line=self.line_index(start) + 1,
            start=start,
            end=end,
            quote=self.text[start:end],
            source_line=seg.raw_line if seg else None,
            ocr=seg.ocr if seg else False,
            page_line=seg.page_line if seg else None,
            paragraph=seg.paragraph if seg else None,
            table=seg.table if seg else None,
            row=seg.row if seg else None,
        )
        if value is not None:
            evidence.column = self.column_at(value[0])
            words = [w for _, w in self.ocr_tokens(*value)]
        else:  # the figures of the span: its words with a digit
            words = [w for token, w in self.ocr_tokens(start, end) if _DIGIT.search(token)]
        if words:
            evidence.confidence = min(w.confidence for w in words)
            evidence.doubt = next((w.doubt for w in words if w.doubt), None)
        return evidence

    def column_at(self, offset: int) -> int | None:
        """The 1-based column of the table cell holding `offset` (None outside a table)."""
        line = self.lines[self.line_index(offset)]
        if line.table is None or not line.cells:
            return None
        return next((c + 1 for c, (s, e) in enumerate(line.cells) if s <= offset <= e), None)

    def ocr_tokens(self, start: int, end: int) -> list[tuple[str, OcrWord]]:
        """The words of text[start:end] read by OCR, each with what OCR said of it. A run
        whose text no longer splits into the words OCR gave (a code glued back across a
        line end) gives each of its words the least sure of them."""
        out: list[tuple[str, OcrWord]] = []
        k = max(0, bisect_right(self._seg_starts, start) - 1)
        while k < len(self.segments) and self.segments[k].start < end:
            seg = self.segments[k]
            k += 1
            if not seg.ocr_words:
                continue
            line = self.lines[self.line_index(seg.start)]
            run_end = self.segments[k].start if k < len(self.segments) else len(self.text)
            run_end = min(run_end, line.end)
            for s, e in line.cells or []:  # a cell's run ends with the cell, not at " | "
                if s <= seg.start <= e:
                    run_end = e
            tokens = [
                (seg.start + m.start(), seg.start + m.end())
                for m in regex.finditer(r"\S+", self.text[seg.start : run_end])
            ]
            words = list(seg.ocr_words)
            if len(tokens) != len(words):
                least = min(words, key=lambda w: w.confidence)
                words = [least] * len(tokens)
            out += [
                (self.text[s:e], w)
                for (s, e), w in zip(tokens, words, strict=True)
                if s < end and e > start
            ]
        return out
