"""Word .docx reports: body paragraphs and tables in document order.

Paragraph text is read from the XML, so runs inside tracked insertions, content controls and
fields are kept; a soft line break splits a paragraph into lines; text boxes follow the
paragraph that anchors them. Every table row is ONE `RawLine` with `cells` (and `table`, the
table's index), because `normalize` re-joins plain lines into paragraphs but never joins a
row with anything. Rows keep the column grid: a position covered by a merged cell (spanned
across columns, or continued from the row above) is "" rather than a repeat of the text, so
header and data columns line up and no figure is counted twice (the PDF loader agrees).
Runs in a legacy font (.VnTime, VNI-Times) are converted to Unicode. A .docx whose zip
declares absurd sizes is refused before anything is inflated.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from tthc.load import legacy
from tthc.load.limits import check_zip
from tthc.schemas import LoadError, RawDocument, RawLine
from tthc.schemas.document import CELL_SEP


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

    check_zip(data)
    document = _open_docx(data)
    fonts = _Fonts(document)
    token = _FONTS.set(fonts if fonts.any_legacy else None)
    try:
        lines = list(_docx_blocks(document.element.body, itertools.count()))
    except (ValueError, PythonDocxError) as exc:  # bad attribute values in the XML
        raise _docx_broken(exc) from exc
    finally:
        _FONTS.reset(token)
    if not any(ln.text.strip() for ln in lines):
        raise LoadError("Tệp Word không có chữ (có thể chỉ chứa ảnh scan); chưa đọc được nội dung.")
    encoding = min(fonts.used) if fonts.used else legacy.fix_lines(lines)
    return RawDocument(path=str(path), format="docx", lines=lines, pages=None, encoding=encoding)


def _docx_broken(exc: BaseException) -> LoadError:
    return LoadError(
        "Tệp Word (.docx) bị hỏng, không đọc được nội dung; hãy mở bằng Word và lưu lại.",
        technical=type(exc).__name__,
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
        raise _docx_broken(exc) from exc


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


def _row_line(cells: list[str], table: int, page: int | None = None) -> RawLine:
    return RawLine(text=CELL_SEP.join(cells), page=page, cells=cells, table=table)


__all__ = ["load_docx"]
