"""Load stage: a file on disk → `RawDocument` (lines with page numbers; table rows as rows).

Each loader reads one format and nothing else; the format is decided from the file's first
bytes, not only its name, so a PDF renamed .txt is still read as a PDF. A file that cannot be
read raises `LoadError` with a reason in Vietnamese that the officer can act on.

Every loader emits running text as lines in reading order and every table row as ONE
`RawLine` with `cells` (and `table`, the table's index in the document), because
`normalize` re-joins plain lines into paragraphs but never joins a row with anything.
Table rows keep the column grid: a position covered by a merged cell (spanned across
columns, or continued from the row above) is "" rather than a repeat of the text, so
header and data columns line up and no figure is counted twice. PDF and DOCX agree on this.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemas import LoadError, RawDocument, RawLine

SUPPORTED_SUFFIXES = (".txt", ".pdf", ".docx")
CELL_SEP = " | "

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003, and encrypted Office files
_OLE_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")  # stream name in a password .docx


def sniff_format(data: bytes, suffix: str) -> str:
    """Decide the format from magic bytes first, the file name second."""
    if data.startswith(b"%PDF") or b"%PDF-" in data[:1024]:  # junk before the header is legal
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "docx"
    if data.startswith(_OLE2_MAGIC):
        return "doc"
    if data.lstrip()[:5] == b"{\\rtf":
        return "rtf"
    return {".pdf": "pdf", ".docx": "docx", ".doc": "doc"}.get(suffix.lower(), "txt")


def load(path: str | Path) -> RawDocument:
    """Read one report. Raises LoadError (Vietnamese reason) when it cannot be read."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise LoadError("Không tìm thấy tệp (kiểm tra lại đường dẫn, tên tệp).") from exc
    except IsADirectoryError as exc:
        raise LoadError("Đây là thư mục, không phải tệp báo cáo.") from exc
    except PermissionError as exc:
        raise LoadError("Không có quyền đọc tệp này.") from exc
    except OSError as exc:
        raise LoadError(f"Không mở được tệp (lỗi hệ thống: {exc.strerror or exc}).") from exc
    if not data.strip():
        raise LoadError("Tệp rỗng, không có nội dung.")
    fmt = sniff_format(data, path.suffix)
    loader = {
        "txt": load_text,
        "pdf": load_pdf,
        "docx": load_docx,
        "doc": reject_doc,
        "rtf": reject_rtf,
    }.get(fmt)
    if loader is None:
        raise LoadError(f"Chưa hỗ trợ định dạng {fmt}.")
    doc = loader(path, data)
    doc.sha256 = hashlib.sha256(data).hexdigest()
    return doc


def load_text(path: Path, data: bytes) -> RawDocument:
    """Plain text must be UTF-8 (a BOM is allowed); a form feed starts a new page."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(
            "Tệp văn bản không ở mã UTF-8 (có thể là mã TCVN3/VNI cũ); "
            "hãy lưu lại tệp với mã Unicode UTF-8."
        ) from exc
    pages = text.split("\f")
    lines = [
        RawLine(text=line, page=(n if len(pages) > 1 else None))
        for n, page in enumerate(pages, start=1)
        for line in page.splitlines()
    ]
    return RawDocument(
        path=str(path), format="txt", lines=lines, pages=len(pages), encoding="utf-8"
    )


def reject_doc(path: Path, data: bytes) -> RawDocument:
    """OLE2 files: Word 97-2003 .doc (not read yet), or a password-protected .docx."""
    if _OLE_ENCRYPTED in data:
        raise LoadError(
            "Tệp Word bị mã hóa (có mật khẩu), không đọc được nội dung; "
            "hãy gỡ mật khẩu rồi lưu lại dạng .docx."
        )
    raise LoadError(
        "Tệp Word 97-2003 (.doc) chưa được hỗ trợ; hãy mở bằng Word và lưu lại dạng .docx."
    )


def reject_rtf(path: Path, data: bytes) -> RawDocument:
    """RTF (often saved with a .doc name) is not read yet."""
    raise LoadError("Tệp RTF chưa được hỗ trợ; hãy mở bằng Word và lưu lại dạng .docx.")


def _row_line(cells: list[str], table: int, page: int | None = None) -> RawLine:
    return RawLine(text=CELL_SEP.join(cells), page=page, cells=cells, table=table)


# ---------------------------------------------------------------------------------------
# DOCX


def load_docx(path: Path, data: bytes) -> RawDocument:
    """Body paragraphs and tables in document order (headers, footers, notes are skipped).

    Paragraph text is read from the XML, so runs inside tracked insertions, content
    controls and fields are kept (python-docx's `Paragraph.text` drops them); a soft line
    break splits the paragraph into lines. Text boxes follow the paragraph that anchors
    them. A table row is one line; a cell's paragraphs are joined by a space; a table
    nested in a cell is emitted, row by row, right after the row that holds it.
    """
    from docx.exceptions import PythonDocxError

    body = _open_docx(data)
    try:
        lines = list(_docx_blocks(body, itertools.count()))
    except (ValueError, PythonDocxError) as exc:  # bad attribute values in the XML
        raise LoadError(_docx_broken(exc)) from exc
    if not any(ln.text.strip() for ln in lines):
        raise LoadError("Tệp Word không có chữ (có thể chỉ chứa ảnh scan); chưa đọc được nội dung.")
    return RawDocument(path=str(path), format="docx", lines=lines, pages=None)


def _docx_broken(exc: BaseException) -> str:
    return (
        "Tệp Word (.docx) bị hỏng, không đọc được nội dung; hãy mở bằng Word và lưu lại "
        f"(lỗi kỹ thuật: {type(exc).__name__})."
    )


def _open_docx(data: bytes) -> Any:
    """The document body element; every failure of python-docx becomes a LoadError."""
    try:
        import docx

        return docx.Document(io.BytesIO(data)).element.body
    except zipfile.BadZipFile as exc:
        raise LoadError(
            "Tệp Word (.docx) bị hỏng (không giải nén được); hãy mở bằng Word và lưu lại."
        ) from exc
    except (KeyError, ValueError) as exc:
        # KeyError: a zip without the Office parts; ValueError: an Office file that is not
        # a Word document (Excel, PowerPoint, a macro-enabled .docm, ...).
        raise LoadError(
            "Tệp không phải văn bản Word .docx (có thể là tệp nén, Excel hoặc PowerPoint); "
            "hãy lưu báo cáo dạng .docx hoặc .pdf."
        ) from exc
    except Exception as exc:  # lxml, OPC and zip errors on a damaged package
        raise LoadError(_docx_broken(exc)) from exc


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_TXBX = _W + "txbxContent"
# Children whose text is not part of the paragraph's own text (text boxes are emitted as
# their own lines; the Fallback copy of a drawing repeats the Choice copy).
_SKIP_IN_PARA = {_TXBX, _MC_FALLBACK, _W + "pPr", _W + "rPr", _W + "del", _W + "moveFrom"}
_CONTAINERS = {_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "smartTag"}


def _docx_blocks(container: Any, tables: Iterator[int]) -> Iterator[RawLine]:
    """Lines of a block container (body, cell, text box) in document order."""
    for child in container:
        if child.tag == _W + "p":
            yield from _docx_para_lines(child, tables)
        elif child.tag == _W + "tbl":
            yield from _docx_table_lines(child, tables)
        elif child.tag in _CONTAINERS:
            yield from _docx_blocks(child, tables)


def _docx_para_lines(p: Any, tables: Iterator[int]) -> Iterator[RawLine]:
    for part in _para_text(p).split("\n"):
        if part.strip():
            yield RawLine(text=part, para_end=True)
    for box in _text_boxes(p):
        yield from _docx_blocks(box, tables)


def _para_text(p: Any) -> str:
    return "".join(_run_texts(p))


def _run_texts(el: Any) -> Iterator[str]:
    """The visible text under `el`: w:t, tabs and line breaks, in order."""
    for child in el:
        tag = child.tag
        if tag in _SKIP_IN_PARA:
            continue
        if tag == _W + "t":
            yield child.text or ""
        elif tag in (_W + "tab", _W + "ptab"):
            yield "\t"
        elif tag == _W + "br":
            if child.get(_W + "type") in (None, "textWrapping"):
                yield "\n"
        elif tag == _W + "cr":
            yield "\n"
        elif tag == _W + "noBreakHyphen":
            yield "-"
        else:
            yield from _run_texts(child)


def _text_boxes(p: Any) -> Iterator[Any]:
    """Text-box contents anchored in paragraph `p`, without the compatibility duplicates."""
    for box in p.iter(_TXBX):
        ancestor = box.getparent()
        while ancestor is not None and ancestor is not p:
            if ancestor.tag in (_MC_FALLBACK, _TXBX):
                break
            ancestor = ancestor.getparent()
        else:
            yield box


def _docx_table_lines(tbl: Any, tables: Iterator[int]) -> Iterator[RawLine]:
    index = next(tables)
    for tr in tbl.xpath("./w:tr | ./w:sdt/w:sdtContent/w:tr | ./w:customXml/w:tr"):
        cells, nested = _docx_row(tr)
        if any(c.strip() for c in cells):
            yield _row_line(cells, index)
        for inner in nested:
            yield from _docx_table_lines(inner, tables)


def _docx_row(tr: Any) -> tuple[list[str], list[Any]]:
    """Cell texts on the row's column grid, and the tables nested in its cells."""
    cells = [""] * tr.grid_before
    nested: list[Any] = []
    for tc in tr.xpath("./w:tc | ./w:sdt/w:sdtContent/w:tc | ./w:customXml/w:tc"):
        if tc.vMerge == "continue" or _legacy_hmerge_continue(tc):
            text = ""  # the text lives in the merged cell's first row / column
        else:
            text, inner = _docx_cell(tc)
            nested.extend(inner)
        cells.append(text)
        cells.extend([""] * (tc.grid_span - 1))
    return cells, nested


def _legacy_hmerge_continue(tc: Any) -> bool:
    merge = tc.find(f"{_W}tcPr/{_W}hMerge")
    return merge is not None and merge.get(_W + "val") in (None, "continue")


def _docx_cell(tc: Any) -> tuple[str, list[Any]]:
    """A cell's paragraphs joined by a space, and its nested tables (emitted separately)."""
    texts: list[str] = []
    nested: list[Any] = []

    def walk(container: Any) -> None:
        for child in container:
            if child.tag == _W + "p":
                texts.append(" ".join(_para_text(child).split()))
                for box in _text_boxes(child):
                    walk(box)
            elif child.tag == _W + "tbl":
                nested.append(child)
            elif child.tag in _CONTAINERS:
                walk(child)

    walk(tc)
    return " ".join(t for t in texts if t), nested


# ---------------------------------------------------------------------------------------
# PDF


@dataclass
class _PageScan:
    """What pdfplumber found on one page, before any layout decision of ours."""

    number: int
    has_text: bool
    words: list[dict[str, Any]] = field(default_factory=list)  # outside the tables
    tables: list[tuple[float, list[list[str | None]]]] = field(default_factory=list)  # top, rows


@dataclass
class _Block:
    """A text line or a table, placed on the page by its top edge."""

    top: float
    text: str | None = None
    rows: list[list[str]] | None = None


def load_pdf(path: Path, data: bytes) -> RawDocument:
    """Text layer of every page in reading order; ruled tables as rows, with page numbers.

    Pages without text (scans) are reported in `warnings`; a PDF with no text on any page
    is refused, since reading it needs OCR. A table continued on the next page keeps its
    index, and a header row repeated on the new page is dropped.
    """
    scans = _scan_pdf(data)
    if not scans:
        raise LoadError("Tệp PDF không có trang nào.")
    empty = [s.number for s in scans if not s.has_text]
    if len(empty) == len(scans):
        raise LoadError(
            "PDF không có lớp chữ (có thể là bản scan); cần nhận dạng chữ (OCR) "
            "hoặc gửi bản PDF xuất trực tiếp từ Word."
        )
    doc = RawDocument(path=str(path), format="pdf", lines=_pdf_lines(scans), pages=len(scans))
    if empty:
        listed = ", ".join(map(str, empty))
        doc.warnings.append(
            f"Trang {listed} không có lớp chữ (có thể là trang scan), chưa đọc được nội dung."
        )
    return doc


def _scan_pdf(data: bytes) -> list[_PageScan]:
    """Run pdfplumber over every page; any error it raises on a bad file is a LoadError."""
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data), raise_unicode_errors=False) as pdf:
            return [_scan_page(page) for page in pdf.pages]
    except LoadError:
        raise
    except Exception as exc:  # pdfminer raises many kinds of errors on damaged files
        raise LoadError(_pdf_reason(exc)) from exc


def _pdf_reason(exc: BaseException) -> str:
    """The Vietnamese reason for a PDF pdfminer could not open."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    causes = [exc, *exc.args, exc.__cause__, exc.__context__]
    if any(isinstance(c, (PDFPasswordIncorrect, PDFEncryptionError)) for c in causes):
        return (
            "Tệp PDF bị mã hóa (có mật khẩu), không đọc được nội dung; "
            "hãy gửi bản không đặt mật khẩu."
        )
    inner = next((c for c in exc.args if isinstance(c, BaseException)), exc)
    return (
        "Tệp PDF bị hỏng hoặc không phải PDF (có thể tải về chưa hết); hãy xuất hoặc tải lại "
        f"tệp (lỗi kỹ thuật: {type(inner).__name__})."
    )


def _scan_page(page: Any) -> _PageScan:
    from pdfplumber.utils import extract_words

    if _overprinted(page.chars):  # some producers draw bold text twice, slightly offset
        page = page.dedupe_chars()  # costly (twice the parse time), so only when needed
    has_text = any(c["text"].strip() for c in page.chars)
    scan = _PageScan(number=page.page_number, has_text=has_text)
    if not has_text:
        return scan
    boxes = []
    for table in page.find_tables():
        rows = table.extract()
        if len(rows) * max((len(r) for r in rows), default=0) <= 1:
            continue  # a frame around text is not a table
        boxes.append(table.bbox)
        scan.tables.append((table.bbox[1], rows))
    scan.words = extract_words([c for c in page.chars if not _inside_any(c, boxes)])
    return scan


def _overprinted(chars: list[dict[str, Any]]) -> bool:
    """Whether some glyph is drawn twice at (nearly) the same place."""
    seen = set()
    for c in chars:
        if c["text"].strip():
            key = (c["text"], round(c["x0"]), round(c["top"]))
            if key in seen:
                return True
            seen.add(key)
    return False


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
                lines.append(RawLine(text=block.text or "", page=scan.number))
                continue
            rows = block.rows
            if last_table and _continues(blocks, k, last_table[1]):
                index, head = last_table
                rows = _drop_repeated_header(rows, head)
            else:
                index, head = next(counter), rows
            lines.extend(_row_line(r, index, scan.number) for r in rows)
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


def _ends_page(blocks: list[_Block], k: int) -> bool:
    return all(_is_page_furniture(b) for b in blocks[k + 1 :])


def _drop_repeated_header(rows: list[list[str]], head: list[list[str]]) -> list[list[str]]:
    n = 0
    while n < min(len(rows), len(head), 3) and rows[n] == head[n]:
        n += 1
    return rows[n:]


def _page_blocks(scan: _PageScan) -> list[_Block]:
    """Text lines and tables of one page, top to bottom."""
    blocks = [_Block(top, text=text) for top, text in _word_lines(scan.words)]
    for top, rows in scan.tables:
        clean = [[_cell_text(c) for c in row] for row in rows]
        clean = [r for r in clean if any(r)]
        if clean:
            blocks.append(_Block(top, rows=clean))
    blocks.sort(key=lambda b: b.top)
    return blocks


_LINE_TOLERANCE = 3.0  # points; words whose tops are this close share a line (pdfplumber's)
_GAP_EMS = 2.0  # a horizontal gap wider than this many font sizes separates two columns
COLUMN_GAP = "    "  # normalize turns 4+ spaces into its column separator


def _word_lines(words: list[dict[str, Any]]) -> list[tuple[float, str]]:
    """Group words into lines by their top edge; a wide gap inside a line (two columns side
    by side, or a tab stop) is kept as four spaces so normalize can see it."""
    from pdfplumber.utils import cluster_objects

    out = []
    for group in cluster_objects(words, "top", _LINE_TOLERANCE):
        group.sort(key=lambda w: w["x0"])
        parts = [group[0]["text"]]
        for prev, word in itertools.pairwise(group):
            size = min(prev["bottom"] - prev["top"], word["bottom"] - word["top"])
            parts.append(COLUMN_GAP if word["x0"] - prev["x1"] > _GAP_EMS * size else " ")
            parts.append(word["text"])
        out.append((min(w["top"] for w in group), "".join(parts)))
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
