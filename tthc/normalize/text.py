"""Normalize stage: `RawDocument` → `Text`, keeping a map back to the raw lines and pages.

What extraction damages, and what this stage undoes:
- decomposed diacritics (NFD) and stray invisible characters → NFC, plain spaces; the
  look-alike Ð (U+00D0) → Đ;
- two tone-mark styles in one file (hoá/hóa, Thuỷ/Thủy) → one style, in the `match` view only
  (quotes keep the writer's spelling; `match` has identical offsets);
- lines wrapped mid-sentence, with blank lines inside paragraphs → one line per paragraph;
- a hyphen at a line end inside a symbol ("48/KH-" + "UBND") → glued back;
- lone page numbers, running headers and footers, footnote URLs dropped into the body →
  removed.
Table rows are never joined: a row stays one line, cells separated by " | ". A run of text
read by OCR keeps the words OCR read there (their confidence and doubt reach the evidence).
"""

from __future__ import annotations

import statistics
import unicodedata
from dataclasses import dataclass, field

import regex

from tthc.schemas import Line, RawDocument, RawLine, Segment, Text
from tthc.schemas.document import CELL_SEP, Location, locate
from tthc.textkit.forms import match_form

COLUMN_GAP = "\t"  # a wide run of spaces inside a line: two columns side by side

# Invisible or odd characters that extraction leaves behind, and what they become.
_CHAR_FIXES = {
    "\u00a0": " ",
    "\u2007": " ",
    "\u202f": " ",
    "\u2009": " ",
    "\u3000": " ",
    "\u200b": "",
    "\u200c": "",
    "\u200d": "",
    "\ufeff": "",
    "\u00ad": "",
    "\ufffe": "-",  # pypdfium2 writes a line-end hyphen as U+FFFE
    "\u2010": "-",
    "\u2011": "-",
    # Ð (U+00D0, Icelandic eth) and ð look like Vietnamese Đ / đ and come from scans and old
    # fonts: "QĐÐ-UBND". Vietnamese has no eth, so they are read as Đ / đ.
    "\u00d0": "\u0110",
    "\u00f0": "\u0111",
    # Slashes that OCR and some fonts write for "/": fraction slash, division slash, full width
    # ("quý II/⁄2025" from a 300 dpi scan); a doubled one between a word and a digit is one.
    "\u2044": "/",
    "\u2215": "/",
    "\uff0f": "/",
}
_DOUBLED_SLASH = regex.compile(r"(?<=[\p{L}\d])/{2,}(?=\d)")
_CHAR_TABLE = str.maketrans(_CHAR_FIXES)

# Lines that are not text of the report.
_PAGE_NUMBER = regex.compile(
    r"^\s*(?:-\s*)?(?:trang\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*-)?\s*$", regex.I
)
_URL_LINE = regex.compile(r"^\s*(?:https?://|www\.)\S+\s*$", regex.I)

# A line that starts something new: a list marker, a numbered or lettered heading, the
# distribution list or the signature block.
_STARTS_ITEM = regex.compile(
    r"""^(?:
        [-+•*–—▪►✓](?=\s|\p{Lu}|\d|$)               # bullets (not '-hộ tịch')
      | \d{1,2}(?:\.\d{1,2})*[.)](?=\s|\p{Lu})    # 1. 2.3. 4) 1.Công
      | [a-zđ][.)]\s                             # a) b.
      | [IVXLC]{1,5}(?:[.)]|\s)                  # I. II) IV (upper case only)
      | (?i:nơi\s+nhận|tm\.|kt\.|q\.|tl\.)        # closing blocks
      | (?:=>|⇒|->|→)                            # a conclusion ("=> Tổng cộng …")
    )""",
    regex.X,
)
# A line that starts with a dash then a lower-case word, after a full line left open.
_WRAPPED_DASH = regex.compile(r"^[-–]\s+\p{Ll}")
# A numbered or lettered heading line ("2. Kết quả …", "a) …", "II. …").
_HEADING_LINE = regex.compile(r"^\s*(?:[IVX]{1,4}|\d{1,2}(?:\.\d{1,2})*|[a-zđ])[.)]\s+\p{Lu}")
# A line ending on a period word, the next starting with its numeral.
_PERIOD_WORD_END = regex.compile(r"(?:^|\s)(?i:quý|tháng|năm|kỳ)$")
_NUMERAL_START = regex.compile(r"^(?:[IVX]{1,4}|\d{1,4})(?:[/.\-]\d{2,4})?(?=[\s,.;:)]|$)")
# A line that starts with a count and a full stop ("21. Còn 69 hồ sơ …") after a line that
# ended on the words of a figure, with no number of its own after them.
_COUNT_WRAPPED = regex.compile(r"^\d{1,3}(?:\.\d{3})*[.,;]\s")
_WANTS_A_COUNT = regex.compile(
    r"(?<![\p{L}])(?i:trễ\s+hạn|quá\s+hạn|đúng\s+hạn|trước\s+hạn|trực\s+tuyến|trực\s+tiếp|"
    r"chuyển\s+sang|tiếp\s+nhận|giải\s+quyết|tổng\s+số|là|gồm)\s*:?$"
)
_SENTENCE_END = regex.compile(r"(?:[.!?]|\./\.|\.\))\s*$")
_SOFT_END = regex.compile(r"[.!?:;]\s*$")
# A line wrapped right after a joining mark: "…-" / "hộ tịch", "trước hạn/" / "đúng hạn: 273/225"
# (the pair of labels and the pair of numbers stay one "a/b" each).
_GLUED_HYPHEN = regex.compile(r"[\p{L}\d][-/]$")


def clean_line(s: str) -> str:
    """NFC, invisible characters removed, runs of spaces folded; a wide gap becomes a tab."""
    s = unicodedata.normalize("NFC", s).translate(_CHAR_TABLE)
    s = _DOUBLED_SLASH.sub("/", s).replace("\t", "    ")
    s = regex.sub(r"(?<=\S) {4,}(?=\S)", COLUMN_GAP, s.strip())
    return regex.sub(r" {2,}", " ", s)


@dataclass
class _Builder:
    """Accumulates normalized text and its map back to raw lines."""

    parts: list[str] = field(default_factory=list)
    length: int = 0
    lines: list[Line] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)

    locations: list[Location] = field(default_factory=list)

    def add(self, s: str, raw: RawLine | None = None, raw_index: int = 0) -> None:
        if raw is not None:
            where = self.locations[raw_index - 1] if self.locations else Location()
            self.segments.append(
                Segment(
                    self.length,
                    raw_index,
                    raw.page,
                    raw.ocr,
                    where.page_line,
                    where.paragraph,
                    where.table,
                    where.row,
                )
            )
        self.parts.append(s)
        self.length += len(s)

    def text(self) -> str:
        return "".join(self.parts)


def _line_width(lines: list[RawLine]) -> int:
    """The usual width of a full line of running text: the upper part of line lengths."""
    lengths = sorted(len(ln.text.strip()) for ln in lines if ln.cells is None and ln.text.strip())
    if not lengths:
        return 80
    return max(
        20, lengths[int(len(lengths) * 0.8)] if len(lengths) > 4 else statistics.median(lengths)
    )


def _nonblank(lines: list[RawLine], i: int, step: int) -> str:
    j = i + step
    while 0 <= j < len(lines):
        if lines[j].text.strip():
            return lines[j].text.strip()
        j += step
    return ""


def _furniture(lines: list[RawLine]) -> set[int]:
    """Indexes of lines that are page furniture, not report text: bare URLs, lone page
    numbers between blank lines or at a page's edge, and running headers or footers (the
    same words at the edge of three pages or more, page numbers aside).

    A lone number right after a line ending in ":" is kept ("Tổng số hồ sơ tiếp nhận:" /
    "95"), unless it is this page's own number (a PDF's page, or the next of the document's
    run of page numbers 2, 3, 4 …) and the text after it carries on the broken sentence
    ("… quá hạn:" / "2" / "0.")."""
    out: set[int] = set()
    expected = 2

    def blank_or_edge(i: int, j: int) -> bool:
        return (
            j < 0 or j >= len(lines) or not lines[j].text.strip() or lines[j].page != lines[i].page
        )

    for i, line in enumerate(lines):
        text = line.text
        if _URL_LINE.match(text):
            out.add(i)
            continue
        m = _PAGE_NUMBER.match(text)
        if not m or not (blank_or_edge(i, i - 1) or blank_or_edge(i, i + 1)):
            continue
        value = int(regex.search(r"\d+", text).group())
        own = value == line.page if line.page is not None else value == expected
        if not _nonblank(lines, i, -1).endswith(":"):
            out.add(i)
        else:
            after = _nonblank(lines, i, 1)
            carries_on = bool(after) and (
                after[0].islower() or after[0].isdigit() or after[0] in ".,;)%"
            )
            if own and carries_on:
                out.add(i)
        if i in out and line.page is None and value == expected:
            expected += 1
    return out | _running_lines(lines)


def _running_lines(lines: list[RawLine]) -> set[int]:
    """Headers and footers: the first or last line of a page whose words (digits aside)
    stand at the edge of three pages or more."""
    pages: dict[int, list[int]] = {}
    for i, line in enumerate(lines):
        if line.page is not None and line.text.strip() and line.cells is None:
            pages.setdefault(line.page, []).append(i)
    if len(pages) < 3:
        return set()
    edges: dict[str, list[int]] = {}
    for idx in pages.values():
        for i in {idx[0], idx[-1]}:
            key = regex.sub(r"\d+", "#", " ".join(lines[i].text.split()).lower())
            if len(key) >= 4:
                edges.setdefault(key, []).append(i)
    return {i for found in edges.values() if len(found) >= 3 for i in found}


def _page_number_line(lines: list[RawLine], i: int) -> bool:
    """The page's own number printed first or last on that page: a reader does not count
    it as a line of the page."""
    page = lines[i].page
    if page is None or lines[i].text.strip() != str(page):
        return False
    same = [j for j, ln in enumerate(lines) if ln.page == page and ln.text.strip()]
    return i in (same[0], same[-1])


# Words that cannot end a sentence: a line ending in one continues on the next line, even
# across a blank line and into a capital ("… của" / "Chính phủ về …", "… từ Quý" / "III …").
_OPEN_END = regex.compile(
    r"(?:^|\s)(?:của|và|về|các|những|theo|tại|ngày|số|với|cho|được|là|có|trong|để|từ|đến|"
    r"hoặc|như|thuộc|tới|bằng|gồm|do|trên|sau|quý|tháng|năm|kỳ)$",
    regex.I,
)


def _joins(prev: str, nxt: str, width: int, blank_between: bool = False) -> bool:
    """Whether `nxt` continues the paragraph whose last raw line is `prev`."""
    if (
        prev
        and _WRAPPED_DASH.match(nxt)
        and not _SOFT_END.search(prev)
        and len(prev) >= 0.6 * width
    ):
        return True  # "… thi đua" / "- khen thưởng 2": a wrap before a spaced hyphen, no bullet
    if prev and _PERIOD_WORD_END.search(prev) and _NUMERAL_START.match(nxt):
        return True  # "… từ Quý" / "III chuyển sang": a period's numeral wrapped, not a heading
    if prev and _COUNT_WRAPPED.match(nxt) and _WANTS_A_COUNT.search(prev):
        return True  # "… đúng hạn 1.022, trễ hạn" / "21. Còn 69 hồ sơ …": a count, not "21."
    if not prev or _STARTS_ITEM.match(nxt):
        return False
    if _HEADING_LINE.match(prev) and nxt[0].isupper():
        return False  # "2. Hồ sơ thuộc thẩm quyền …" / "Trong tổng số …": a heading, then its body
    if _SENTENCE_END.search(prev):
        return False
    first = nxt[0]
    if first.islower() or first.isdigit() or first in "(,;%/":
        return True
    if first in "-–" and len(nxt) > 1 and nxt[1].islower():
        return True  # "Tư pháp" + "-hộ tịch": a hyphenated word broken at the line end
    if _SOFT_END.search(prev) or prev.isupper():
        return False
    if nxt.endswith(":") and len(nxt) < 0.5 * width:
        return False  # a short line ending in a colon is a heading ("Năm 2022:")
    if _OPEN_END.search(prev) or prev.endswith(","):
        return True  # "… mai táng phí)," / "UBND xã đã tiếp nhận …": the sentence goes on
    if blank_between:
        return False  # a blank line, then a capital: a new paragraph (a title, then its body)
    # An upper-case start continues only a line that ran to the margin (a wrapped name).
    short_tail = len(nxt) <= 12 and nxt[-1] in ".;,"
    return len(prev) >= 0.75 * width and (short_tail or not nxt.isupper())


def normalize(doc: RawDocument) -> Text:
    """Build the normalized text of a document."""
    width = _line_width(doc.lines)
    furniture = _furniture(doc.lines)
    numbers = {i for i, ln in enumerate(doc.lines) if _page_number_line(doc.lines, i)}
    b = _Builder(locations=locate(doc.lines, furniture | numbers))
    open_para: tuple[int, str] | None = None  # (start offset, last raw line text)
    ended = False  # the last raw line closed its paragraph (a DOCX paragraph end)
    blank_between = False  # a blank line came since the last kept line
    page_break = False  # page furniture came since the last kept line

    def close() -> None:
        nonlocal open_para
        if open_para is not None:
            b.lines.append(Line(open_para[0], b.length))
            b.add("\n")
            open_para = None

    for i, raw in enumerate(doc.lines):
        if raw.cells is not None:
            close()
            start = b.length
            spans = []
            for k, cell in enumerate(raw.cells):
                if k:
                    b.add(CELL_SEP)
                cell_text = clean_line(cell.replace("\n", " "))
                spans.append((b.length, b.length + len(cell_text)))
                b.add(cell_text, raw, i + 1)
            b.lines.append(Line(start, b.length, cells=spans, table=raw.table))
            b.add("\n")
            continue
        text = clean_line(raw.text)
        if i in furniture:
            # a page break is no paragraph break: "… tại Bộ phận" / "2" / "Một cửa: 844 hồ sơ."
            blank_between, page_break = False, True
            continue
        if not text:
            blank_between = blank_between or not page_break
            continue
        joins = _joins(open_para[1], text, width, blank_between) if open_para else False
        blank_between = page_break = False
        if open_para is not None and not ended and joins:
            if _GLUED_HYPHEN.search(open_para[1]) and not text[0].isspace():
                b.add(text, raw, i + 1)
            else:
                b.add(" ")
                b.add(text, raw, i + 1)
            open_para = (open_para[0], text)
            ended = raw.para_end
            continue
        close()
        open_para = (b.length, text)
        ended = raw.para_end
        b.add(text, raw, i + 1)
    close()
    full = b.text()
    text = Text(text=full, match=match_form(full), lines=b.lines, segments=b.segments)
    text.attach_ocr(doc.lines)
    return text
