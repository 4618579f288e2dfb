"""Plain-text reports: UTF-8 (a BOM allowed), UTF-16 with a BOM, or an old 8-bit file.

A file typed in a legacy Vietnamese font code (TCVN3, VNI) is read as Windows-1252 and
converted to Unicode (`legacy`); Windows-1258 is read when it reads as Vietnamese. A form
feed starts a new page; lines cut by tabs into fields (a table pasted from a spreadsheet) are
a table's rows. A UTF-8 file with a few damaged bytes is read, with a warning that
says how many.
"""

from __future__ import annotations

import contextlib
import unicodedata
from pathlib import Path

import regex

from tthc.load import legacy
from tthc.load.limits import MAX_TEXT_FILE_BYTES, too_big
from tthc.schemas import LoadError, RawDocument, RawLine
from tthc.schemas.document import CELL_SEP


def load_text(path: Path, data: bytes) -> RawDocument:
    """Plain text: UTF-8 (a BOM is allowed), UTF-16 with a BOM, or an old 8-bit file
    (TCVN3, VNI, Windows-1258); a form feed starts a new page."""
    if len(data) > MAX_TEXT_FILE_BYTES:
        raise LoadError(too_big(f"Tệp văn bản nặng {len(data) / 2**20:,.0f} MB"))
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
    _pipe_tables(lines)
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


def _tab_tables(lines: list[RawLine]) -> None:
    """A run of two or more lines cut by tabs into three or more fields is a table copied
    from a spreadsheet or Word ("STT\tLĩnh vực\tTổng số\t…"): each line a row, its fields
    the cells, as a Word table would come; a line with a tab inside the run ("\tTrong
    đó:") is one of its rows."""
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

    for k, line in enumerate(lines):
        tabs = line.text.count("\t")
        inside = k + 1 < len(lines) and lines[k + 1].text.count("\t") >= 2
        if tabs >= 2 or (run and tabs and inside and line.text.strip()):
            # a row of fewer fields inside the run ("\tTrong đó:") is the table's too
            run.append(line)
        else:
            close()
    close()


# A ruler between a pipe table's rows ("-----+-----", "|---|:--|"): no words, no row.
_RULER = regex.compile(r"^[ \t]*[-+|:=]{3,}[-+|:= \t]*$")


def _pipe_cells(text: str) -> list[str] | None:
    """A line's cells when it is cut by "|" into two or more ("Tổng số hồ sơ | 701 | 132",
    "| Chỉ tiêu | Số lượng |")."""
    if "|" not in text:
        return None
    cells = [c.strip() for c in text.strip().strip("|").split("|")]
    return cells if len(cells) >= 2 else None


def _pipe_tables(lines: list[RawLine]) -> None:
    """A run of two or more lines cut by "|" into the same number of cells is a table typed
    or pasted as text; its rulers are dropped (left blank), each other line is a row."""
    table = 1 + max((ln.table for ln in lines if ln.table is not None), default=-1)
    run: list[tuple[RawLine, list[str]]] = []
    rulers: list[RawLine] = []

    def close() -> None:
        nonlocal table
        if len(run) >= 2:
            for line, cells in run:
                line.cells, line.table = cells, table
                line.text = CELL_SEP.join(cells)
            for line in rulers:
                line.text = ""
            table += 1
        run.clear()
        rulers.clear()

    for line in lines:
        if line.cells is not None:
            close()
            continue
        if run and _RULER.match(line.text):
            rulers.append(line)
            continue
        cells = _pipe_cells(line.text)
        if cells is None or (run and len(cells) != len(run[0][1])):
            close()
            if cells is None:
                continue
        run.append((line, cells))
    close()


__all__ = ["load_text"]
