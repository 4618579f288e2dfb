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

Real inputs are not clean: text typed in legacy fonts (TCVN3, VNI) is converted to Unicode
(`legacy`, recorded in `RawDocument.encoding`); scanned PDF pages are read by OCR (`pdf`,
`ocr`); Word 97 .doc and RTF files are converted by LibreOffice (`office`); a .docx whose
zip declares absurd sizes is refused before anything is inflated.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import itertools
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from contextvars import ContextVar
from functools import partial
from pathlib import Path
from typing import Any

from tthc.load import legacy, office
from tthc.load.ocr import OcrSettings
from tthc.load.pdf import load_pdf
from tthc.load.spreadsheet import SHEET_SUFFIXES, load_grid, sheet_kind
from tthc.schemas import LoadError, RawDocument, RawLine
from tthc.textkit.safe_io import CHANGED, FileId, UnsafeFile, os_reason, read_regular

SUPPORTED_SUFFIXES = (".txt", ".pdf", ".docx", ".doc", ".rtf", *SHEET_SUFFIXES)
CELL_SEP = " | "

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003, and encrypted Office files
_OLE_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")  # stream name in a password .docx

# A .docx is a zip: refuse one whose declared contents could not be a report before
# inflating anything (a "zip bomb" declares gigabytes, or squeezes them 1000:1).
MAX_DOCX_MEMBERS = 5_000
MAX_DOCX_UNCOMPRESSED = 256 * 2**20
MAX_DOCX_RATIO = 200  # for a member over 1 MB; real XML compresses 5-20:1
_RATIO_FROM = 2**20

# Sizes no commune report reaches: refused before any parser spends time on them.
MAX_FILE_BYTES = 300 * 2**20  # a long scanned report is tens of MB
MAX_TEXT_FILE_BYTES = 10 * 2**20
MAX_TEXT_CHARS = 900_000  # the language pipeline reads at most 1,000,000 characters

__all__ = ["SUPPORTED_SUFFIXES", "load", "load_docx", "load_pdf", "load_text", "sniff_format"]


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
    return {".pdf": "pdf", ".docx": "docx", ".doc": "doc", ".rtf": "rtf"}.get(suffix.lower(), "txt")


def load(
    path: str | Path,
    *,
    ocr_settings: OcrSettings | None = None,
    office_settings: office.OfficeSettings | None = None,
    expect: FileId | None = None,
) -> RawDocument:
    """Read one report; scanned PDF pages are read with `ocr_settings` (default: from the
    environment), .doc and RTF converted with `office_settings` (default: from the
    environment). `expect`: the file a folder walk saw at this path (device, inode, change
    time); then a link is never followed and a file replaced since is not read. Raises
    LoadError (Vietnamese reason) when it cannot be read."""
    path = Path(path)
    try:
        data = read_regular(path, expect, limit=MAX_FILE_BYTES)
    except ValueError as exc:
        raise LoadError(_too_big(f"Tệp nặng {exc.args[0] / 2**20:,.0f} MB")) from exc
    except UnsafeFile as exc:
        raise LoadError(_unsafe(exc.why)) from exc
    except FileNotFoundError as exc:
        raise LoadError("Không tìm thấy tệp (kiểm tra lại đường dẫn, tên tệp).") from exc
    except IsADirectoryError as exc:
        raise LoadError("Đây là thư mục, không phải tệp báo cáo.") from exc
    except PermissionError as exc:
        raise LoadError("Không có quyền đọc tệp này.") from exc
    except OSError as exc:
        raise LoadError(f"Không mở được tệp ({os_reason(exc)}).") from exc
    if not data.strip():
        raise LoadError("Tệp rỗng, không có nội dung.")
    kind = sheet_kind(data)
    if kind is not None and (kind != "html" or path.suffix.lower() in SHEET_SUFFIXES):
        grid = load_grid(path, data)  # a spreadsheet: its cells, read as a form (extract)
        return RawDocument(path=str(path), format=kind, sha256=grid.sha256, grid=grid)
    if path.suffix.lower() in SHEET_SUFFIXES:
        raise LoadError(_not_a_sheet(data, path.suffix.lower()))
    fmt = sniff_format(data, path.suffix)
    loader = {
        "txt": load_text,
        "pdf": partial(load_pdf, ocr_settings=ocr_settings),
        "docx": load_docx,
        "doc": partial(load_doc, settings=office.current(office_settings)),
        "rtf": partial(load_rtf, settings=office.current(office_settings)),
    }.get(fmt)
    if loader is None:
        raise LoadError(f"Chưa hỗ trợ định dạng {fmt}.")
    doc = loader(path, data)
    _drop_surrogates(doc)
    chars = sum(len(ln.text) for ln in doc.lines)
    if chars > MAX_TEXT_CHARS:
        raise LoadError(_too_big(f"Tệp có {chars:,} ký tự"))
    doc.sha256 = hashlib.sha256(data).hexdigest()
    return doc


_SURROGATE = re.compile("[\ud800-\udfff]")


def _drop_surrogates(doc: RawDocument) -> None:
    """A lone UTF-16 surrogate (a broken file's text layer) is no character: the later
    stages could not even encode it. It becomes U+FFFD."""
    for ln in doc.lines:
        if _SURROGATE.search(ln.text):
            ln.text = _SURROGATE.sub("\ufffd", ln.text)
        if ln.cells is not None and any(_SURROGATE.search(c) for c in ln.cells):
            ln.cells = [_SURROGATE.sub("\ufffd", c) for c in ln.cells]


def _not_a_sheet(data: bytes, suffix: str) -> str:
    """Why a file named .xlsx or .xls is not read as a spreadsheet."""
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06", _OLE2_MAGIC)):
        return (
            f"Tệp Excel ({suffix}) bị hỏng hoặc có mật khẩu, không đọc được; hãy mở bằng Excel "
            "và lưu lại."
        )
    if web_page(data):
        return f"Tệp mang tên {suffix} là trang web nhưng không có bảng số liệu nào."
    return f"Tệp mang tên {suffix} nhưng không phải bảng tính Excel; hãy mở và lưu lại dạng .xlsx."


def _unsafe(why: str) -> str:
    """A path that is not read: a link, a pipe or device, a file replaced after the walk."""
    again = " Hãy chạy lại." if why == CHANGED else ""
    return f"Tệp {why}; tthc không đọc tệp này.{again}"


def _too_big(what: str) -> str:
    return (
        f"{what}, quá lớn so với một báo cáo (có thể là tệp ghép nhiều tài liệu hoặc tệp "
        "hỏng); hãy gửi riêng phần báo cáo."
    )


# ---------------------------------------------------------------------------------------
# Plain text


def load_text(path: Path, data: bytes) -> RawDocument:
    """Plain text: UTF-8 (a BOM is allowed), UTF-16 with a BOM, or an old 8-bit file
    (TCVN3, VNI, Windows-1258); a form feed starts a new page."""
    if len(data) > MAX_TEXT_FILE_BYTES:
        raise LoadError(_too_big(f"Tệp văn bản nặng {len(data) / 2**20:,.0f} MB"))
    text, encoding = _decode_text(data)
    damaged = text.count("\ufffd") if encoding == "utf-8" else 0
    pages = text.split("\f")
    lines = [
        RawLine(text=line, page=(n if len(pages) > 1 else None))
        for n, page in enumerate(pages, start=1)
        for line in page.splitlines()
    ]
    legacy_encoding = legacy.fix_lines(lines)
    _tab_tables(lines)
    doc = RawDocument(
        path=str(path),
        format="txt",
        lines=lines,
        pages=len(pages),
        encoding=legacy_encoding or encoding,
    )
    if damaged:
        doc.warnings.append(
            f"Tệp văn bản có {damaged} chỗ lỗi mã UTF-8 (đã thay bằng dấu �); "
            "số liệu gần những chỗ đó cần đối chiếu với bản gốc."
        )
    return doc


def _decode_text(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read with. Bytes that are not UTF-8 are read as
    Windows-1252 (legacy Vietnamese fonts put their letters there; `legacy` converts
    them) unless Windows-1258 reads as Vietnamese."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise LoadError(_NOT_UNICODE) from exc
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    mostly = data.decode("utf-8-sig", errors="replace")
    bad = mostly.count("\ufffd")
    if bad <= max(3, len(mostly) // 200) and len(mostly) - len(data) < -bad:
        return mostly, "utf-8"  # UTF-8 with a few damaged bytes (multi-byte letters seen)
    if b"\x00" in data[:4096]:
        raise LoadError("Tệp không phải văn bản (có thể là tệp nhị phân); hãy gửi .docx hoặc .pdf.")
    latin = data.decode("latin-1").translate(_CP1252)
    if legacy.detect(latin):
        return latin, "cp1252"
    vn = unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))
    if legacy.score(vn) > 0 and vn.count("\ufffd") < len(vn) / 100:
        return vn, "cp1258"
    raise LoadError(_NOT_UNICODE)


_NOT_UNICODE = (
    "Tệp văn bản không ở mã UTF-8 và không nhận ra bảng mã cũ (TCVN3, VNI); "
    "hãy lưu lại tệp với mã Unicode UTF-8."
)


def _cp1252_table() -> dict[int, str]:
    """Latin-1 → Windows-1252 for the bytes 0x80-0x9F that Windows-1252 defines (the
    others stay as Latin-1 reads them)."""
    table = {}
    for byte in range(0x80, 0xA0):
        with contextlib.suppress(UnicodeDecodeError):
            table[byte] = bytes([byte]).decode("cp1252")
    return table


_CP1252 = _cp1252_table()


# ---------------------------------------------------------------------------------------
# Word 97-2003 and RTF: converted to .docx by LibreOffice


_MARKUP = re.compile(
    rb"<\s*(?:html|head|body|meta|link|style|img|iframe|object|frameset|table|div|p|br|span|"
    rb"svg|script|!doctype|\?xml|w:worddocument|xml)[\s>/]",
    re.IGNORECASE,
)
_MIME = re.compile(rb"^\s*(?:mime-version|content-type)\s*:", re.IGNORECASE | re.MULTILINE)


def web_page(data: bytes) -> bool:
    """Whether a file is an HTML page, XML or a saved web archive (MHTML): what Word
    writes as "Web Page" and some systems export under a .doc name."""
    head = data[:65536].lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n")
    if head.replace(b"\x00", b"")[:1] == b"<":
        return True
    return bool(_MARKUP.search(head.replace(b"\x00", b"")) or _MIME.search(head[:2048]))


def _refuse_web_page(data: bytes, kind: str) -> None:
    """Refused before any conversion: LibreOffice opens such a file as a web page and
    loads its stylesheets, backgrounds and pictures from wherever they point."""
    if web_page(data):
        raise LoadError(
            f"Tệp mang tên {kind} nhưng thực chất là trang web (HTML, XML hoặc MHTML), không "
            "phải văn bản Word; tthc không chuyển loại tệp này vì khi mở nó có thể tải nội "
            "dung từ Internet. Hãy mở tệp bằng Word và lưu lại dạng .docx hoặc .pdf."
        )


def load_doc(
    path: Path, data: bytes, settings: office.OfficeSettings = office.DEFAULT
) -> RawDocument:
    """OLE2 files: Word 97-2003 .doc (converted by LibreOffice), or a password .docx;
    something else named .doc is converted only when it is not a web page."""
    if not data.startswith(_OLE2_MAGIC):
        _refuse_web_page(data, path.suffix.lower() or ".doc")
    if _OLE_ENCRYPTED in data:
        raise LoadError(
            "Tệp Word bị mã hóa (có mật khẩu), không đọc được nội dung; "
            "hãy gỡ mật khẩu rồi lưu lại dạng .docx."
        )
    doc = load_docx(path, office.convert_to_docx(data, ".doc", "Word 97-2003 (.doc)", settings))
    doc.format = "doc"
    return doc


def load_rtf(
    path: Path, data: bytes, settings: office.OfficeSettings = office.DEFAULT
) -> RawDocument:
    """RTF (often saved with a .doc name), converted by LibreOffice; something else named
    .rtf is converted only when it is not a web page."""
    if data.lstrip()[:5] != b"{\\rtf":
        _refuse_web_page(data, path.suffix.lower() or ".rtf")
    doc = load_docx(path, office.convert_to_docx(data, ".rtf", "RTF", settings))
    doc.format = "rtf"
    return doc


def _tab_tables(lines: list[RawLine]) -> None:
    """A run of two or more lines cut by tabs into three or more fields is a table copied
    from a spreadsheet or Word ("STT\tLĩnh vực\tTổng số\t…"): each line a row, its fields
    the cells, as a Word table would come."""
    table, run = 0, []

    def close() -> None:
        nonlocal table
        if len(run) >= 2:
            for line in run:
                cells = [c.strip() for c in line.text.split("\t")]
                line.cells, line.table = cells, table
                line.text = CELL_SEP.join(cells)
            table += 1
        run.clear()

    for line in lines:
        if line.text.count("\t") >= 2:
            run.append(line)
        else:
            close()
    close()


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
    nested in a cell is emitted, row by row, right after the row that holds it. Runs in a
    legacy font (.VnTime, VNI-Times) are converted to Unicode; without such fonts, text
    that still reads as legacy mojibake is converted by content.
    """
    from docx.exceptions import PythonDocxError

    _check_zip(data)
    document = _open_docx(data)
    fonts = _Fonts(document)
    token = _FONTS.set(fonts if fonts.any_legacy else None)
    try:
        lines = list(_docx_blocks(document.element.body, itertools.count()))
    except (ValueError, PythonDocxError) as exc:  # bad attribute values in the XML
        raise LoadError(_docx_broken(exc)) from exc
    finally:
        _FONTS.reset(token)
    if not any(ln.text.strip() for ln in lines):
        raise LoadError("Tệp Word không có chữ (có thể chỉ chứa ảnh scan); chưa đọc được nội dung.")
    encoding = min(fonts.used) if fonts.used else legacy.fix_lines(lines)
    return RawDocument(path=str(path), format="docx", lines=lines, pages=None, encoding=encoding)


def _check_zip(data: bytes) -> None:
    check_zip(data)


def check_zip(data: bytes, what: str = "Tệp Word (.docx)") -> None:
    """Refuse a zip (a .docx, an .xlsx) whose declared contents are absurd, before
    inflating a byte."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        program = "Word" if "Word" in what else "Excel"
        raise LoadError(
            f"{what} bị hỏng (không giải nén được); hãy mở bằng {program} và lưu lại."
        ) from exc
    total = sum(i.file_size for i in infos)
    squeezed = any(
        i.file_size > _RATIO_FROM and i.file_size > MAX_DOCX_RATIO * max(i.compress_size, 1)
        for i in infos
    )
    if len(infos) > MAX_DOCX_MEMBERS or total > MAX_DOCX_UNCOMPRESSED or squeezed:
        raise LoadError(
            f"{what} khai báo nội dung giải nén bất thường ({len(infos)} phần, "
            f"{total / 2**20:,.0f} MB); có thể là tệp độc hại (bom nén), đã bỏ qua."
        )


def _docx_broken(exc: BaseException) -> str:
    return (
        "Tệp Word (.docx) bị hỏng, không đọc được nội dung; hãy mở bằng Word và lưu lại "
        f"(lỗi kỹ thuật: {type(exc).__name__})."
    )


def _open_docx(data: bytes) -> Any:
    """The python-docx Document; every failure of python-docx becomes a LoadError."""
    try:
        import docx

        return docx.Document(io.BytesIO(data))
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
    """The paragraph's text; runs in a legacy font converted to Unicode when that reads
    better (a paragraph typed in Unicode but still tagged .VnTime is left alone)."""
    fonts = _FONTS.get()
    if fonts is None:
        return "".join(text for text, _ in _run_texts(p))
    style = p.find(f"{_W}pPr/{_W}pStyle")
    pieces = list(_run_texts(p, fonts, style.get(_W + "val") if style is not None else None))
    raw = "".join(text for text, _ in pieces)
    encodings = {font[0] for _, font in pieces if font[0] in fonts.enabled}
    if not encodings:
        return raw
    converted = "".join(
        _convert_piece(text, font) if font[0] in encodings else text for text, font in pieces
    )
    if legacy.score(converted) < legacy.score(raw):
        return raw  # this paragraph was typed in Unicode
    fonts.used.update(encodings)
    return converted


_NO_FONT: tuple[str | None, bool] = (None, False)


def _convert_piece(text: str, font: tuple[str | None, bool]) -> str:
    encoding, upper = font
    if encoding is None:
        return text
    converted = legacy.convert(text, encoding)
    return converted.upper() if upper else converted


def _run_texts(
    el: Any,
    fonts: _Fonts | None = None,
    para_style: str | None = None,
    font: tuple[str | None, bool] = _NO_FONT,
) -> Iterator[tuple[str, tuple[str | None, bool]]]:
    """The visible text under `el` (w:t, tabs and line breaks, in order), each piece with
    the legacy encoding of its run's font (when `fonts` is given)."""
    for child in el:
        tag = child.tag
        if tag in _SKIP_IN_PARA:
            continue
        if tag == _W + "t":
            yield child.text or "", font
        elif tag in (_W + "tab", _W + "ptab"):
            yield "\t", _NO_FONT
        elif tag == _W + "br":
            if child.get(_W + "type") in (None, "textWrapping"):
                yield "\n", _NO_FONT
        elif tag == _W + "cr":
            yield "\n", _NO_FONT
        elif tag == _W + "noBreakHyphen":
            yield "-", _NO_FONT
        elif tag == _W + "r" and fonts is not None:
            yield from _run_texts(child, fonts, para_style, fonts.of_run(child, para_style))
        else:
            yield from _run_texts(child, fonts, para_style, font)


_FONTS: ContextVar[_Fonts | None] = ContextVar("docx_fonts", default=None)


class _Fonts:
    """Which legacy encoding a run's font implies: the run's own font, else its character
    style's, else its paragraph style's (through `basedOn`), else the document default."""

    def __init__(self, document: Any) -> None:
        styles = document.styles.element
        self.styles = {s.get(_W + "styleId"): s for s in styles.iter(_W + "style")}
        self.default_para = next(
            (
                s.get(_W + "styleId")
                for s in styles.iter(_W + "style")
                if s.get(_W + "type") == "paragraph" and s.get(_W + "default") in ("1", "true")
            ),
            None,
        )
        default = styles.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr/{_W}rFonts")
        self.default_font = _font_name(default)
        self.used: set[str] = set()
        self._cache: dict[str | None, str | None] = {}
        names = {self.default_font}
        for root in (styles, document.element.body):
            names.update(_font_name(f) for f in root.iter(_W + "rFonts"))
        self.any_legacy = any(legacy.encoding_for_font(n)[0] for n in names if n)
        self.enabled = self._enabled(document.element.body) if self.any_legacy else set()

    def _enabled(self, body: Any) -> set[str]:
        """The legacy encodings whose runs, taken together, read better converted: a
        document converted to Unicode that kept its .VnTime fonts is left alone."""
        texts: dict[str, tuple[list[str], list[str]]] = {}
        for p in body.iter(_W + "p"):
            style = p.find(f"{_W}pPr/{_W}pStyle")
            para_style = style.get(_W + "val") if style is not None else None
            for run in p.iter(_W + "r"):
                font = self.of_run(run, para_style)
                if font[0] is None:
                    continue
                raw = "".join(t.text or "" for t in run.iter(_W + "t"))
                raws, converted = texts.setdefault(font[0], ([], []))
                raws.append(raw)
                converted.append(_convert_piece(raw, font))
        return {
            encoding
            for encoding, (raws, converted) in texts.items()
            if legacy.reads_better(" ".join(converted), " ".join(raws))
        }

    def of_run(self, run: Any, para_style: str | None) -> tuple[str | None, bool]:
        own = _font_name(run.find(f"{_W}rPr/{_W}rFonts"))
        if own is None:
            style = run.find(f"{_W}rPr/{_W}rStyle")
            if style is not None:
                own = self._style_font(style.get(_W + "val"))
        if own is None:
            own = self._style_font(para_style or self.default_para)
        return legacy.encoding_for_font(own or self.default_font)

    def _style_font(self, style_id: str | None) -> str | None:
        if style_id not in self._cache:
            font, seen, current = None, set(), style_id
            while current and current not in seen and font is None:
                seen.add(current)  # a basedOn loop in a broken file ends here
                style = self.styles.get(current)
                if style is None:
                    break
                font = _font_name(style.find(f"{_W}rPr/{_W}rFonts"))
                based = style.find(_W + "basedOn")
                current = based.get(_W + "val") if based is not None else None
            self._cache[style_id] = font
        return self._cache[style_id]


def _font_name(rfonts: Any) -> str | None:
    """The font a run's Latin text is drawn in (legacy letters sit in the high-ANSI range)."""
    if rfonts is None:
        return None
    return rfonts.get(_W + "hAnsi") or rfonts.get(_W + "ascii")


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
