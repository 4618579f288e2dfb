"""The load stage's door: a file on disk → a `RawDocument`, by the format its bytes say.

The formats read are written once (`tthc.schemas.FORMATS`: each format's name and the
suffix a file of it is saved under); here each has its loader. The format is decided from
the file's first bytes, the name only when the bytes say nothing, so a PDF renamed .txt is
still read as a PDF; a spreadsheet (.xlsx, .xls, or an HTML table saved as .xls) gives a
document with its cells (`grid`) and no lines, for the extract stage's form reader. A file
that cannot be read raises `LoadError` with a reason in Vietnamese that the officer can act
on. Whatever the format, a lone UTF-16 surrogate becomes U+FFFD and a text too long for a
report is refused.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from tthc.load import office
from tthc.load.docx_file import load_docx
from tthc.load.limits import MAX_FILE_BYTES, MAX_TEXT_CHARS, too_big
from tthc.load.ocr import OcrSettings
from tthc.load.office import OLE2_MAGIC, load_doc, load_rtf, web_page
from tthc.load.pdf import load_pdf
from tthc.load.spreadsheet import SHEET_SUFFIXES, load_spreadsheet, sheet_kind
from tthc.load.text_file import load_text
from tthc.schemas import FORMATS, LoadError, RawDocument
from tthc.schemas.document import SHEET_FORMATS
from tthc.textkit.safe_io import CHANGED, FileId, UnsafeFile, os_reason, read_regular


class Options(NamedTuple):
    """What a loader may need besides the file: how scanned pages are read, how .doc and
    RTF are converted."""

    ocr: OcrSettings | None
    office: office.OfficeSettings


Loader = Callable[[Path, bytes, Options], RawDocument]

# Each format's loader (the formats and their suffixes: tthc.schemas.FORMATS).
LOADERS: dict[str, Loader] = {
    "txt": lambda path, data, options: load_text(path, data),
    "pdf": lambda path, data, options: load_pdf(path, data, ocr_settings=options.ocr),
    "docx": lambda path, data, options: load_docx(path, data),
    "doc": lambda path, data, options: load_doc(path, data, settings=options.office),
    "rtf": lambda path, data, options: load_rtf(path, data, settings=options.office),
    "xlsx": lambda path, data, options: load_spreadsheet(path, data),
    "xls": lambda path, data, options: load_spreadsheet(path, data),
}
assert set(LOADERS) == set(FORMATS), "every format has its loader"
_BY_SUFFIX = {suffix: name for name, suffix in FORMATS.items()}


def sniff_format(data: bytes, suffix: str) -> str:
    """Decide the format from magic bytes first, the file name second. A spreadsheet is
    known by its contents (a zip with a workbook, an OLE2 file with a workbook stream); an
    HTML table is one only under a spreadsheet's name (.xls, .xlsx), where it is read as
    the .xls a web system meant."""
    kind = sheet_kind(data)
    if kind is not None and (kind != "html" or suffix.lower() in SHEET_SUFFIXES):
        return "xls" if kind == "html" else kind
    if data.startswith(b"%PDF") or b"%PDF-" in data[:1024]:  # junk before the header is legal
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "docx"
    if data.startswith(OLE2_MAGIC):
        return "doc"
    if data.lstrip()[:5] == b"{\\rtf":
        return "rtf"
    return _BY_SUFFIX.get(suffix.lower(), "txt")


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
        raise LoadError(too_big(f"Tệp nặng {exc.args[0] / 2**20:,.0f} MB")) from exc
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
    fmt = sniff_format(data, path.suffix)
    if fmt not in SHEET_FORMATS and path.suffix.lower() in SHEET_SUFFIXES:
        raise LoadError(_not_a_sheet(data, path.suffix.lower()))
    loader = LOADERS.get(fmt)
    if loader is None:
        raise LoadError(f"Chưa hỗ trợ định dạng {fmt}.")
    doc = loader(path, data, Options(ocr_settings, office.current(office_settings)))
    _drop_surrogates(doc)
    chars = sum(len(ln.text) for ln in doc.lines)
    if chars > MAX_TEXT_CHARS:
        raise LoadError(too_big(f"Tệp có {chars:,} ký tự"))
    doc.sha256 = hashlib.sha256(data).hexdigest()
    return doc


def _not_a_sheet(data: bytes, suffix: str) -> str:
    """Why a file named .xlsx or .xls is not read as a spreadsheet."""
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06", OLE2_MAGIC)):
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


_SURROGATE = re.compile("[\ud800-\udfff]")


def _drop_surrogates(doc: RawDocument) -> None:
    """A lone UTF-16 surrogate (a broken file's text layer) is no character: the later
    stages could not even encode it. It becomes U+FFFD."""
    for ln in doc.lines:
        if _SURROGATE.search(ln.text):
            ln.text = _SURROGATE.sub("\ufffd", ln.text)
        if ln.cells is not None and any(_SURROGATE.search(c) for c in ln.cells):
            ln.cells = [_SURROGATE.sub("\ufffd", c) for c in ln.cells]


__all__ = ["LOADERS", "load", "sniff_format"]
