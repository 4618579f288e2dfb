"""PDF loader: every page's text in reading order, ruled tables as rows, scans by OCR.

Each page is first inspected with pdfium (`pdf_text.inspect_page`): a page with a text layer
and no ruling lines is read from pdfium's characters (a few ms); a page that may hold a
table, or whose characters pdfium cannot vouch for, is read by pdfplumber (its table finder,
100-250 ms); a page without a usable text layer (a scan) is read by Tesseract (`ocr`). Both
text paths feed the same word and line rules, so they give identical lines. Text typed in a
legacy font (TCVN3, VNI) is converted to Unicode afterwards (`legacy`).

A table continued on the next page keeps its index, and a header row repeated on the new
page is dropped. A file that cannot be read raises `LoadError` with a Vietnamese reason.
"""

from __future__ import annotations

import io
import itertools
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tthc.load import legacy, ocr, ocr_tables
from tthc.load.pdf_text import PageInfo, TooComplex, inspect_page, overprinted
from tthc.schemas import LoadError, OcrWord, RawDocument, RawLine
from tthc.schemas.document import CELL_SEP

MAX_PAGES = 500  # a commune report with its annexes runs to a few dozen pages
SCAN_IMAGE_COVER = 0.5  # a page this much covered by images, with little text, is a scan
SCAN_MAX_CHARS = 200  # ... "little text": a digital-signature stamp on a scanned page

# pdfminer logs every repair it makes on a damaged file; the officer gets our reason instead.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


_CellWords = list[list[list[OcrWord]]]  # per row, per cell, the words OCR read there


@dataclass
class _PageScan:
    """What one page holds, before any layout decision of ours."""

    number: int
    has_text: bool
    words: list[dict[str, Any]] = field(default_factory=list)  # outside the tables
    # top, rows, and for a table read by OCR the words of every cell
    tables: list[tuple[float, list[list[str | None]], _CellWords | None]] = field(
        default_factory=list
    )
    ocr: bool = False


@dataclass
class _Block:
    """A text line or a table, placed on the page by its top edge; read by OCR, with the
    words it was read from (per cell for a table, one cell for a line)."""

    top: float
    text: str | None = None
    rows: list[list[str]] | None = None
    words: list[list[OcrWord]] | _CellWords | None = None


def load_pdf(
    path: Path, data: bytes, *, fast: bool = True, ocr_settings: ocr.OcrSettings | None = None
) -> RawDocument:
    """Read a PDF. `fast=False` reads every text page with pdfplumber (the reference the
    fast path is checked against); OCR decisions are the same either way. Scanned pages are
    read with `ocr_settings` (default: `OcrSettings.from_env()`)."""
    import pypdfium2 as pdfium

    pdf = _open(pdfium, data)
    try:
        infos = _inspect(pdf)
        scans = _scan_pages(data, infos, fast)
        ocr_reason = _ocr_scans(pdf, infos, scans, ocr.current(ocr_settings))
    finally:
        pdf.close()
    return _document(path, scans, ocr_reason)


def _open(pdfium: Any, data: bytes) -> Any:
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise LoadError(_ENCRYPTED) from exc
        raise _broken(exc) from exc
    pages = len(pdf)
    if pages == 0:
        pdf.close()
        raise LoadError("Tệp PDF không có trang nào.")
    if pages > MAX_PAGES:
        pdf.close()
        raise LoadError(
            f"Tệp PDF có {pages} trang, quá nhiều so với một báo cáo (tối đa {MAX_PAGES}); "
            "hãy tách phần báo cáo ra gửi riêng."
        )
    return pdf


_ENCRYPTED = (
    "Tệp PDF bị mã hóa (có mật khẩu), không đọc được nội dung; hãy gửi bản không đặt mật khẩu."
)


def _broken(exc: BaseException) -> LoadError:
    return LoadError(
        "Tệp PDF bị hỏng hoặc không phải PDF (có thể tải về chưa hết); hãy xuất hoặc tải lại tệp.",
        technical=type(exc).__name__,
    )


def _inspect(pdf: Any) -> list[PageInfo]:
    infos = []
    for n in range(len(pdf)):
        try:
            page = pdf[n]
        except Exception as exc:  # pdfium refuses a damaged page object
            raise _broken(exc) from exc
        try:
            infos.append(inspect_page(page, n + 1))
        except TooComplex as exc:
            raise LoadError(
                f"Trang {n + 1} của tệp PDF chứa quá nhiều đối tượng vẽ ({exc.args[0]:,}), "
                "không phải một báo cáo thông thường; tệp đã bị bỏ qua."
            ) from exc
        except pdfium_error() as exc:  # a page pdfium cannot lay out
            raise _broken(exc) from exc
        finally:
            page.close()
    return infos


def pdfium_error() -> type[Exception]:
    import pypdfium2 as pdfium

    return pdfium.PdfiumError


def needs_ocr(info: PageInfo) -> bool:
    """A page without a usable text layer: no text, glyphs without Unicode values, or a
    page-sized image with only a stamp of text on it."""
    chars = info.text_chars
    if chars == 0 or info.unmapped > chars / 2:
        return True
    return info.image_cover >= SCAN_IMAGE_COVER and chars < SCAN_MAX_CHARS


def _scan_pages(data: bytes, infos: list[PageInfo], fast: bool) -> list[_PageScan]:
    """Text pages: pdfium's characters where they can be trusted, pdfplumber elsewhere."""
    scans: dict[int, _PageScan] = {}
    slow = []
    for info in infos:
        if needs_ocr(info):
            scans[info.number] = _PageScan(info.number, has_text=False, ocr=True)
        elif fast and info.fast and not info.ruled:
            scans[info.number] = _text_scan(info.number, info.has_text, info.chars)
        else:
            slow.append(info.number)
    if slow:
        scans.update(_plumber_scans(data, slow, infos, fast))
    return [scans[info.number] for info in infos]


def _plumber_scans(
    data: bytes, numbers: list[int], infos: list[PageInfo], fast: bool
) -> dict[int, _PageScan]:
    """pdfplumber over the given pages. When it cannot read the file at all, the fast path
    falls back to pdfium's characters (text without table rows); the reference path fails."""
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data), raise_unicode_errors=False) as pdf:
            return {n: _scan_page(pdf.pages[n - 1]) for n in numbers}
    except LoadError:
        raise
    except Exception as exc:  # pdfminer raises many kinds of errors on damaged files
        if not fast:
            raise _pdf_error(exc) from exc
    by_number = {i.number: i for i in infos}
    return {n: _text_scan(n, by_number[n].has_text, by_number[n].chars) for n in numbers}


def _pdf_error(exc: BaseException) -> LoadError:
    """Why pdfminer could not open a PDF."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    causes = [exc, *exc.args, exc.__cause__, exc.__context__]
    if any(isinstance(c, (PDFPasswordIncorrect, PDFEncryptionError)) for c in causes):
        return LoadError(_ENCRYPTED)
    inner = next((c for c in exc.args if isinstance(c, BaseException)), exc)
    return _broken(inner)


def _scan_page(page: Any) -> _PageScan:
    if overprinted(page.chars):  # some producers draw bold text twice, slightly offset
        page = page.dedupe_chars()  # costly (twice the parse time), so only when needed
    has_text = any(c["text"].strip() for c in page.chars)
    if not has_text:
        return _PageScan(number=page.page_number, has_text=False)
    boxes = []
    tables = []
    for table in page.find_tables():
        rows = table.extract()
        if len(rows) * max((len(r) for r in rows), default=0) <= 1:
            continue  # a frame around text is not a table
        boxes.append(table.bbox)
        tables.append((table.bbox[1], rows, None))
    chars = [c for c in page.chars if not _inside_any(c, boxes)]
    scan = _text_scan(page.page_number, True, chars)
    scan.tables = tables
    return scan


def _text_scan(number: int, has_text: bool, chars: list[dict[str, Any]]) -> _PageScan:
    """Words of a page's characters. A word set in one legacy font (.VnTime, VNI-Times)
    is tagged with that font's encoding; `_convert_legacy_words` decides for the whole
    document whether to convert them."""
    from pdfplumber.utils import extract_words

    fonts = {c.get("fontname") for c in chars}
    if not any(legacy.encoding_for_font(f)[0] for f in fonts):
        return _PageScan(number, has_text, words=extract_words(chars))
    words = extract_words(chars, return_chars=True)
    for word in words:
        kinds = {legacy.encoding_for_font(c.get("fontname")) for c in word.pop("chars")}
        if len(kinds) == 1 and (kind := kinds.pop())[0]:
            word["legacy"] = kind
    return _PageScan(number, has_text, words=words)


def _convert_legacy_words(scans: list[_PageScan]) -> str | None:
    """Convert the words set in legacy fonts, when the document reads better so (a file
    whose text was converted to Unicode but kept its .VnTime font reads worse). An H font
    (.VnTimeH) draws small letters as capitals. Returns the encoding converted from."""
    found = None
    for encoding in legacy.ENCODINGS:
        words = [w for s in scans for w in s.words if w.get("legacy", (None,))[0] == encoding]
        if not words:
            continue
        converted = [legacy.convert(w["text"], encoding) for w in words]
        converted = [
            c.upper() if w["legacy"][1] else c for c, w in zip(converted, words, strict=True)
        ]
        raw = " ".join(w["text"] for w in words)
        if legacy.reads_better(" ".join(converted), raw):
            for word, text in zip(words, converted, strict=True):
                word["text"] = text
            found = found or encoding
    return found


def _ocr_scans(
    pdf: Any, infos: list[PageInfo], scans: list[_PageScan], settings: ocr.OcrSettings
) -> str | None:
    """OCR the scanned pages in place. Returns why OCR could not run, if it could not."""
    wanted = [s.number for s in scans if s.ocr]
    if not wanted:
        return None
    problem = ocr.ocr_problem(settings)
    if problem:
        for s in scans:
            s.ocr = False
        return problem

    def render(n: int) -> tuple[bytes, float]:
        page = pdf[n - 1]
        try:
            return ocr.render_page(page, settings)
        finally:
            page.close()

    results = ocr.ocr_pages(render, wanted, ocr_tables.read_page, settings)
    for s in scans:
        if not s.ocr:
            continue
        read = results.get(s.number)
        if isinstance(read, ocr_tables.PageRead) and (read.words or read.tables):
            s.words, s.has_text = read.words, True
            s.tables = [(t.top, t.rows, t.words) for t in read.tables]
        else:
            s.ocr = False  # nothing read: the page stays empty
    return None


def _document(path: Path, scans: list[_PageScan], ocr_reason: str | None) -> RawDocument:
    """Assemble the record, refuse a file with nothing readable, warn about empty pages."""
    empty = [s.number for s in scans if not s.has_text]
    if len(empty) == len(scans):
        if ocr_reason:
            raise LoadError(
                f"PDF là bản scan (không có lớp chữ) nhưng {ocr_reason}; hãy cài đặt để đọc "
                "bản scan, hoặc gửi bản PDF xuất trực tiếp từ Word."
            )
        raise LoadError(
            "PDF không có lớp chữ (có thể là bản scan) và nhận dạng chữ (OCR) không đọc "
            "được chữ nào; hãy gửi bản scan rõ hơn hoặc bản PDF xuất trực tiếp từ Word."
        )
    font_encoding = _convert_legacy_words(scans)
    doc = RawDocument(path=str(path), format="pdf", lines=_pdf_lines(scans), pages=len(scans))
    doc.ocr_pages = [s.number for s in scans if s.ocr]
    if font_encoding:  # table cells carry no font: convert them with the fonts' encoding
        doc.encoding = font_encoding
        for ln in doc.lines:
            if ln.cells is not None:
                ln.cells = [legacy.convert_line(c, font_encoding) for c in ln.cells]
                ln.text = CELL_SEP.join(ln.cells)
    else:
        doc.encoding = legacy.fix_lines([ln for ln in doc.lines if not ln.ocr])
    if empty:
        listed = ", ".join(map(str, empty))
        why = (
            f"nhưng {ocr_reason}" if ocr_reason else "và nhận dạng chữ (OCR) không đọc được chữ nào"
        )
        doc.warnings.append(
            f"Trang {listed} không có lớp chữ (có thể là trang scan) {why}; "
            "chưa đọc được nội dung các trang này."
        )
    return doc


def _row_line(
    cells: list[str],
    table: int,
    page: int | None = None,
    from_ocr: bool = False,
    words: list[list[OcrWord]] | None = None,
) -> RawLine:
    return RawLine(
        text=CELL_SEP.join(cells),
        page=page,
        cells=cells,
        table=table,
        ocr=from_ocr,
        ocr_words=words,
    )


def _inside_any(char: dict[str, Any], boxes: Iterable[tuple[float, float, float, float]]) -> bool:
    """Whether the char's centre lies in a table's bounding box (the test pdfplumber uses)."""
    h_mid = (char["x0"] + char["x1"]) / 2
    v_mid = (char["top"] + char["bottom"]) / 2
    return any(x0 <= h_mid < x1 and top <= v_mid < bottom for x0, top, x1, bottom in boxes)


def _pdf_lines(scans: list[_PageScan]) -> list[RawLine]:
    """All pages' blocks as raw lines; a table running on from the previous page keeps
    its index (and loses the header rows repeated on the new page)."""
    lines: list[RawLine] = []
    counter = itertools.count()
    last_table: tuple[int, list[list[str]]] | None = None  # open at the previous page's end
    for scan in scans:
        blocks = _page_blocks(scan)
        for k, block in enumerate(blocks):
            if block.rows is None:
                line = RawLine(text=block.text or "", page=scan.number, ocr=scan.ocr)
                line.ocr_words = block.words  # type: ignore[assignment]
                lines.append(line)
                continue
            rows, words = block.rows, block.words
            skip = 0
            if last_table and _continues(blocks, k, last_table[1]):
                index, head = last_table
                skip = _repeated_header(rows, head)
                if skip < len(rows) and _rest_of_row(rows[skip]):
                    _join_row_above(lines, index, rows[skip], words[skip] if words else None)
                    skip += 1
            else:
                index, head = next(counter), rows
            lines.extend(
                _row_line(r, index, scan.number, scan.ocr, words[n] if words else None)
                for n, r in enumerate(rows)
                if n >= skip
            )
            last_table = (index, head) if _ends_page(blocks, k) else None
        if not any(b.rows is not None for b in blocks):
            last_table = None
    return lines


_PAGE_NO = re.compile(r"^\s*(?:-\s*)?(?:trang\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*-)?\s*$", re.I)


def _is_page_furniture(block: _Block) -> bool:
    return block.rows is None and bool(_PAGE_NO.match(block.text or ""))


def _continues(blocks: list[_Block], k: int, head: list[list[str]]) -> bool:
    """A table that opens the page (only a page number above it) and has as many columns
    as the table that closed the previous page continues that table."""
    if any(not _is_page_furniture(b) for b in blocks[:k]):
        return False
    width = len(blocks[k].rows[0]) if blocks[k].rows else 0
    return bool(head) and width == len(head[0])


def _rest_of_row(cells: list[str]) -> bool:
    """A row cut by the page break: the new page's first row holds only words that go on
    from the cells above ("Chứng" / "thực") — no number, each filled cell starting in lower
    case. A row of its own (a group's name, "Tổng", a count) starts otherwise."""
    filled = [c for c in cells if c]
    return bool(filled) and all(c[0].islower() and not _DIGIT.search(c) for c in filled)


def _join_row_above(
    lines: list[RawLine], table: int, cells: list[str], words: list[list[OcrWord]] | None
) -> None:
    """Glue the rest of a row cut by the page break to the row that closed the page (and,
    read by OCR, each cell's words to that cell's words)."""
    above = next(ln for ln in reversed(lines) if ln.table == table)
    pairs = itertools.zip_longest(above.cells or [], cells, fillvalue="")
    above.cells = [f"{a} {b}".strip() if b else a for a, b in pairs]
    above.text = CELL_SEP.join(above.cells)
    if above.ocr_words is not None and words is not None:
        above.ocr_words = [
            [*a, *b] for a, b in itertools.zip_longest(above.ocr_words, words, fillvalue=[])
        ]


_DIGIT = re.compile(r"\d")


def _ends_page(blocks: list[_Block], k: int) -> bool:
    return all(_is_page_furniture(b) for b in blocks[k + 1 :])


def _repeated_header(rows: list[list[str]], head: list[list[str]]) -> int:
    """How many of the first rows repeat the table's header."""
    n = 0
    while n < min(len(rows), len(head), 3) and rows[n] == head[n]:
        n += 1
    return n


def _page_blocks(scan: _PageScan) -> list[_Block]:
    """Text lines and tables of one page, top to bottom."""
    blocks = [_Block(top, text=text, words=words) for top, text, words in _word_lines(scan.words)]
    for top, rows, cell_words in scan.tables:
        clean = [[_cell_text(c) for c in row] for row in rows]
        keep = [n for n, r in enumerate(clean) if any(r)]
        if keep:
            words = [cell_words[n] for n in keep] if cell_words else None
            blocks.append(_Block(top, rows=[clean[n] for n in keep], words=words))
    blocks.sort(key=lambda b: b.top)
    return blocks


_LINE_TOLERANCE = 3.0  # points; words whose tops are this close share a line (pdfplumber's)
_GAP_EMS = 2.0  # a horizontal gap wider than this many font sizes separates two columns
COLUMN_GAP = "    "  # normalize turns 4+ spaces into its column separator


def _word_lines(
    words: list[dict[str, Any]],
) -> list[tuple[float, str, list[list[OcrWord]] | None]]:
    """Group words into lines by their top edge; a wide gap inside a line (two columns side
    by side, or a tab stop) is kept as four spaces so normalize can see it. Words read by
    OCR (with a `conf`) give the line its OCR words."""
    from pdfplumber.utils import cluster_objects

    out = []
    for group in cluster_objects(words, "top", _LINE_TOLERANCE):
        group.sort(key=lambda w: w["x0"])
        parts = [group[0]["text"]]
        for prev, word in itertools.pairwise(group):
            size = min(prev["bottom"] - prev["top"], word["bottom"] - word["top"])
            parts.append(COLUMN_GAP if word["x0"] - prev["x1"] > _GAP_EMS * size else " ")
            parts.append(word["text"])
        read = None
        if all("conf" in w for w in group):
            read = [[OcrWord(w["conf"], w.get("doubt")) for w in group]]
        out.append((min(w["top"] for w in group), "".join(parts), read))
    return out


_HYPHEN_END = re.compile(r"[^\W_]-$")


def _cell_text(value: str | None) -> str:
    """A cell's wrapped lines joined by a space; a code broken after a hyphen
    ("17/KH-" / "UBND") is glued back."""
    out = ""
    for part in (value or "").split("\n"):
        part = part.strip()
        if not part:
            continue
        if out and not _HYPHEN_END.search(out):
            out += " "
        out += part
    return out
