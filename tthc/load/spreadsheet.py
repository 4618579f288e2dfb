"""Load stage for spreadsheets: a workbook → `Grid` (every sheet's cells, merged areas, bold).

Three kinds reach an office as "Excel": a real .xlsx (openpyxl), an Excel 97-2003 .xls
(BIFF, read by xlrd) and, very often, an HTML table that a web system saved under an .xls
name. The kind is decided by the file's bytes, never by its name. Nothing here fetches
anything: the HTML is parsed by lxml without network access, no formula is evaluated (an
.xlsx gives the values Excel stored), and a file whose size or number of cells no form
reaches is refused before it costs memory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

from tthc.load.limits import check_zip
from tthc.load.office import OLE2_MAGIC
from tthc.schemas import FORMATS, LoadError, RawDocument
from tthc.schemas.document import SHEET_FORMATS
from tthc.schemas.sheets import Grid, Sheet

MAX_SHEET_BYTES = 50 * 2**20  # an export of every unit of a province is a few MB
MAX_CELLS = 2_000_000  # rows × columns over all sheets
MAX_COLUMNS = 400

SHEET_SUFFIXES = tuple(FORMATS[name] for name in SHEET_FORMATS)


def sheet_kind(data: bytes) -> str | None:
    """ "xlsx", "xls" or "html" when the bytes are a spreadsheet of that kind, else None.
    An OLE2 file is an Excel workbook only when it holds a workbook stream (a Word 97 file
    holds "WordDocument" instead)."""
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                return "xlsx" if "xl/workbook.xml" in zf.namelist() else None
        except (zipfile.BadZipFile, ValueError, OSError, EOFError):
            return None
    if data.startswith(OLE2_MAGIC):
        names = _ole_entry_names(data[: 2**20])
        if "WordDocument" in names:
            return None
        return "xls" if names & {"Workbook", "Book"} else None
    head = data[:65536].lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").replace(b"\x00", b"").lower()
    if head.startswith(b"<") and b"<table" in data[: 4 * 2**20].lower().replace(b"\x00", b""):
        return "html"
    return None


def _ole_entry_names(head: bytes) -> set[str]:
    """The stream names of an OLE2 file's directory entries found in its first bytes: each
    entry is 128 bytes on a 128-byte boundary, its name UTF-16-LE with its length in bytes
    (terminator included) at offset 64. A word inside a document's text is no entry."""
    names = set()
    for off in range(512, len(head) - 127, 128):
        size = int.from_bytes(head[off + 64 : off + 66], "little")
        if not 2 < size <= 64 or size % 2:
            continue
        if head[off + size - 2 : off + size] != b"\x00\x00":
            continue
        try:
            name = head[off : off + size - 2].decode("utf-16-le")
        except UnicodeDecodeError:
            continue
        if name.isprintable():
            names.add(name)
    return names


def load_spreadsheet(path: Path, data: bytes) -> RawDocument:
    """A spreadsheet as a document: no lines, its cells (`grid`), read as a form by the
    extract stage."""
    grid = load_grid(path, data)
    return RawDocument(path=str(path), format=grid.format, sha256=grid.sha256, grid=grid)


def load_grid(path: str | Path, data: bytes) -> Grid:
    """Every sheet of a spreadsheet's bytes. Raises LoadError (a Vietnamese reason)."""
    kind = sheet_kind(data)
    if kind is None:
        raise LoadError(
            "Tệp không phải bảng tính Excel (.xlsx, .xls) hay bảng HTML lưu dưới tên .xls."
        )
    if len(data) > MAX_SHEET_BYTES:
        raise LoadError(
            f"Bảng tính nặng {len(data) / 2**20:,.0f} MB, quá lớn so với một biểu số liệu."
        )
    reader = {"xlsx": _xlsx, "xls": _xls, "html": _html}[kind]
    sheets = reader(data)
    cells = sum(len(s.rows) * s.width for s in sheets)
    if cells > MAX_CELLS or any(s.width > MAX_COLUMNS for s in sheets):
        raise LoadError("Bảng tính có quá nhiều ô so với một biểu số liệu; hãy gửi riêng biểu.")
    if not any(any(v not in (None, "") for row in s.rows for v in row) for s in sheets):
        raise LoadError("Bảng tính không có số liệu (các trang tính đều trống).")
    return Grid(str(path), kind, sheets, hashlib.sha256(data).hexdigest())


def _cell(value: Any) -> Any:
    """A cell as the readers use it: text stripped, whole numbers as int, dates as text."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    if isinstance(value, str):
        value = value.replace("\xa0", " ").strip()
        return value or None
    return value


# ---------------------------------------------------------------------------------------
# .xlsx


def _xlsx(data: bytes) -> list[Sheet]:
    check_zip(data, "Tệp Excel (.xlsx)")
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=False)
    except Exception as exc:  # zip, XML or openpyxl errors on a damaged file
        raise LoadError(
            "Tệp Excel (.xlsx) bị hỏng, không đọc được; hãy mở bằng Excel và lưu lại.",
            technical=type(exc).__name__,
        ) from exc
    sheets = []
    for ws in book.worksheets:
        if ws.max_row * ws.max_column > MAX_CELLS:
            raise LoadError("Bảng tính có quá nhiều ô so với một biểu số liệu.")
        sheet = Sheet(ws.title)
        for row in ws.iter_rows():
            sheet.rows.append([_cell(c.value) for c in row])
            for c in row:
                if c.value is not None and c.font is not None and c.font.b:
                    sheet.bold.add((c.row, c.column))
        sheet.merged = [
            (m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges
        ]
        sheets.append(sheet)
    return sheets


# ---------------------------------------------------------------------------------------
# .xls (BIFF)


def _xls(data: bytes) -> list[Sheet]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except Exception as exc:  # xlrd raises its own errors (and others) on a damaged file
        raise LoadError(
            "Tệp Excel 97-2003 (.xls) bị hỏng hoặc có mật khẩu, không đọc được; hãy mở bằng "
            "Excel và lưu lại dạng .xlsx.",
            technical=type(exc).__name__,
        ) from exc
    sheets = []
    try:
        for index in range(book.nsheets):
            ws = book.sheet_by_index(index)
            sheet = Sheet(ws.name)
            for r in range(ws.nrows):
                row = []
                for c in range(ws.ncols):
                    cell = ws.cell(r, c)
                    value = cell.value
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
                    elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                        value = None
                    row.append(_cell(value))
                    if value is not None and _xls_bold(book, cell.xf_index):
                        sheet.bold.add((r + 1, c + 1))
                sheet.rows.append(row)
            sheet.merged = [(r1 + 1, c1 + 1, r2, c2) for r1, r2, c1, c2 in ws.merged_cells]
            sheets.append(sheet)
    except LoadError:
        raise
    except Exception as exc:
        raise LoadError(
            "Tệp Excel 97-2003 (.xls) bị hỏng, không đọc được; hãy mở bằng Excel và lưu lại "
            "dạng .xlsx.",
            technical=type(exc).__name__,
        ) from exc
    finally:
        book.release_resources()
    return sheets


def _xls_bold(book: Any, xf_index: int | None) -> bool:
    try:
        xf = book.xf_list[xf_index]
        return bool(book.font_list[xf.font_index].bold)
    except (IndexError, TypeError, AttributeError):
        return False


# ---------------------------------------------------------------------------------------
# HTML saved as .xls


def _html(data: bytes) -> list[Sheet]:
    """Each <table> of the page is a sheet; rowspan and colspan are merged areas laid on
    the grid. lxml reads the page's declared encoding; nothing the page links is loaded."""
    from lxml import etree, html

    parser = html.HTMLParser(no_network=True, remove_comments=True, huge_tree=False)
    try:
        root = html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise LoadError("Bảng HTML không đọc được.", technical=type(exc).__name__) from exc
    sheets = []
    tables = [t for t in root.iter("table") if not any(a.tag == "table" for a in t.iterancestors())]
    for n, table in enumerate(tables, 1):  # a table nested in a cell is part of its text
        sheets.append(_html_table(table, f"Bảng {n}", _lines_before(table)))
    if not sheets:
        raise LoadError("Tệp HTML không có bảng số liệu nào.")
    return sheets


_BLOCKS = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "span", "b", "font", "center", "br")


def _lines_before(table: Any) -> list[str]:
    """The title block a web system prints above its table (the reporting unit, "Từ ngày
    … đến ngày …"): the text of the elements before it, back to the previous table."""
    lines: list[str] = []
    node = table.getprevious()
    parent = table.getparent()
    while node is None and parent is not None and parent.tag not in ("body", "html"):
        node, parent = parent.getprevious(), parent.getparent()
    while node is not None and node.tag != "table" and len(lines) < 20:
        if isinstance(node.tag, str) and node.tag in _BLOCKS:
            text = " ".join(node.text_content().split())
            if text:
                lines.insert(0, text)
        node = node.getprevious()
    return lines


def _html_table(table: Any, name: str, title: list[str] | None = None) -> Sheet:
    sheet = Sheet(name)
    taken: dict[tuple[int, int], bool] = {}
    rows = [tr for tr in table.iter("tr") if _own_row(tr, table)]
    offset = len(title or [])
    for r, text in enumerate(title or [], 1):
        _put(sheet, r, 1, text)
    for r, tr in enumerate(rows, offset + 1):
        c = 1
        for td in tr:
            if td.tag not in ("td", "th"):
                continue
            while taken.get((r, c)):
                c += 1
            rowspan = _span(td.get("rowspan"))
            colspan = _span(td.get("colspan"))
            text = " ".join(td.text_content().split())
            _put(sheet, r, c, _html_value(text))
            if _html_bold(td):
                sheet.bold.add((r, c))
            if rowspan > 1 or colspan > 1:
                sheet.merged.append((r, c, r + rowspan - 1, c + colspan - 1))
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken[(r + dr, c + dc)] = True
            c += colspan
        if len(sheet.rows) < r:
            _put(sheet, r, 1, None)
    return sheet


def _own_row(tr: Any, table: Any) -> bool:
    parent = tr.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent is table


def _span(value: str | None) -> int:
    try:
        return min(max(int(value or 1), 1), 500)
    except ValueError:
        return 1


def _put(sheet: Sheet, r: int, c: int, value: Any) -> None:
    while len(sheet.rows) < r:
        sheet.rows.append([])
    row = sheet.rows[r - 1]
    while len(row) < c:
        row.append(None)
    row[c - 1] = value


def _html_value(text: str) -> Any:
    """A cell's text; a plain whole number (as exports write counts: "1234", "1.234") as int."""
    from tthc.textkit.numbers import parse_count

    text = text.strip()
    if not text:
        return None
    count = parse_count(text) if text[:1].isdigit() else None
    if count is not None and (text.isdigit() or "." in text):
        return count
    return text


def _html_bold(td: Any) -> bool:
    if td.tag == "th":
        return True
    style = (td.get("style") or "").replace(" ", "").lower()
    if "font-weight:bold" in style or "font-weight:700" in style:
        return True
    return any(el.tag in ("b", "strong") for el in td.iter())
