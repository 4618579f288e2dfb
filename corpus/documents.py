"""Document writers: a small block model rendered as .txt, .docx and .pdf.

Tests and the sample-district generator describe a report once (paragraphs and tables) and
write it in every format the loaders read, so each loader is checked against a file whose
content is known exactly. The writers are deterministic: fixed dates and metadata, so a
committed sample file does not change when it is regenerated.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt
from docx.text.paragraph import Paragraph

if TYPE_CHECKING:  # fpdf2 is a dev dependency: imported only when a PDF is written
    from docx.document import Document as DocxDocument
    from fpdf import FPDF

# Fixed timestamp for metadata, so regenerated files are byte-identical.
FIXED_DATE = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)

BODY_SIZE = 13.0  # points; Nghị định 30/2020/NĐ-CP asks for 13-14 pt Times New Roman
TABLE_SIZE = 11.0
PAGE_MM = (210.0, 297.0)  # A4
MARGINS_MM = {"top": 20.0, "bottom": 20.0, "left": 30.0, "right": 15.0}

_ALIGNS = ("left", "center", "right", "justify")

# The one font every PDF this module writes is set in: Liberation Serif 2 (Times New
# Roman's metrics, every Vietnamese letter), from fonts-liberation2, which .ci/run installs.
# It is pinned by path, with no fallback: another font wraps table cells and lines
# differently, so a PDF test would pass or fail with the fonts a machine happens to have.
# The old fonts-liberation 1.x has the same file names but lacks Vietnamese, so the file
# is checked for the letters too.
PDF_FONT_DIR = Path("/usr/share/fonts/truetype/liberation2")
PDF_FONT_FILES = {
    "": "LiberationSerif-Regular.ttf",
    "B": "LiberationSerif-Bold.ttf",
    "I": "LiberationSerif-Italic.ttf",
    "BI": "LiberationSerif-BoldItalic.ttf",
}
_VIETNAMESE_PROBE = "ăâđêôơưẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ"  # noqa: E501


@dataclass
class Para:
    """A paragraph. A "\\n" in `text` is a line break inside the paragraph."""

    text: str
    bold: bool = False
    italic: bool = False
    align: str = "left"  # left | center | right | justify
    size: float | None = None  # points; None = body size


@dataclass
class Table:
    """Rows of cell strings; the first `header_rows` rows are headers (bold, repeated on a
    new page). A "\\n" in a cell is a line break inside the cell. Short rows are padded."""

    rows: list[list[str]]
    header_rows: int = 1
    borders: bool = True  # ruled table; False = layout table without lines
    widths: list[float] | None = None  # relative column widths


Block = Para | Table


def _columns(table: Table) -> int:
    return max((len(r) for r in table.rows), default=0)


def _padded(table: Table) -> list[list[str]]:
    """Rows padded to the widest row, so every writer sees a rectangular grid."""
    n = _columns(table)
    return [list(r) + [""] * (n - len(r)) for r in table.rows]


def _relative_widths(table: Table) -> list[float]:
    n = _columns(table)
    if table.widths is None:
        return [1.0] * n
    if len(table.widths) != n or any(w <= 0 for w in table.widths):
        raise ValueError(f"widths must hold {n} positive numbers, got {table.widths!r}")
    return [float(w) for w in table.widths]


def _check(blocks: list[Block]) -> None:
    for b in blocks:
        if isinstance(b, Para) and b.align not in _ALIGNS:
            raise ValueError(f"align must be one of {_ALIGNS}, got {b.align!r}")
        if isinstance(b, Table) and not b.rows:
            raise ValueError("a Table needs at least one row")


# ---------------------------------------------------------------------------------------
# Plain text


def write_txt(
    path: str | Path,
    blocks: list[Block],
    *,
    table_style: str = "tabs",
    wrap: int | None = None,
) -> Path:
    """Write blocks as plain text, the way a text extraction of the report would show them.

    A paragraph is one line (or lines of at most `wrap` characters, wrapped mid-sentence as
    extractions do). A table row is written per `table_style`:
    - "tabs" (default): one line per row, cells separated by a tab, like Word's "save as
      plain text" or a layout-preserving PDF extraction; line breaks in a cell become spaces.
    - "pipes": one line per row, cells joined by " | " (the normalized-text convention).
    - "flat": every cell line on its own line, the damage seen in seeds/004.
    The text is written as given (no Unicode normalization), UTF-8, "\\n" line ends.
    """
    _check(blocks)
    if table_style not in ("tabs", "pipes", "flat"):
        raise ValueError(f"table_style must be tabs, pipes or flat, got {table_style!r}")
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Para):
            lines.extend(_txt_para(block, wrap))
        else:
            lines.extend(_txt_table(block, table_style))
    path = Path(path)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")
    return path


def _txt_para(para: Para, wrap: int | None) -> list[str]:
    out: list[str] = []
    for part in para.text.split("\n"):
        if wrap and len(part) > wrap:
            out.extend(textwrap.wrap(part, wrap, break_long_words=False, break_on_hyphens=False))
        else:
            out.append(part)
    return out


def _txt_table(table: Table, style: str) -> list[str]:
    rows = _padded(table)
    if style == "flat":
        return [ln for row in rows for cell in row for ln in cell.split("\n") if ln.strip()]
    sep = "\t" if style == "tabs" else " | "
    return [sep.join(" ".join(c.split("\n")) for c in row) for row in rows]


# ---------------------------------------------------------------------------------------
# Word (.docx)


def write_docx(path: str | Path, blocks: list[Block]) -> Path:
    """Write blocks as a Word document: A4, Times New Roman 13 pt, real Word tables.

    Ruled tables use the built-in "Table Grid" style; header rows are bold and marked to
    repeat on each page. Metadata and zip timestamps are fixed, so output is reproducible.
    """
    _check(blocks)
    doc = Document()
    _setup_docx(doc)
    usable_mm = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]
    for block in blocks:
        if isinstance(block, Para):
            _docx_para(doc.add_paragraph(), block)
        else:
            _docx_table(doc, block, Mm(usable_mm))
    buf = io.BytesIO()
    doc.save(buf)
    path = Path(path)
    path.write_bytes(_fixed_zip(buf.getvalue()))
    return path


def _setup_docx(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(BODY_SIZE)
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), "Times New Roman")
    props = doc.core_properties
    props.author = props.last_modified_by = ""
    props.title = props.comments = ""
    props.created = props.modified = props.last_printed = FIXED_DATE.replace(tzinfo=None)
    props.revision = 1


def _docx_align(align: str) -> WD_ALIGN_PARAGRAPH:
    return {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]


def _docx_para(p: Paragraph, para: Para) -> None:
    p.alignment = _docx_align(para.align)
    for k, part in enumerate(para.text.split("\n")):
        run = p.add_run()
        if k:
            run.add_break()
        run.add_text(part)
        run.bold = para.bold or None
        run.italic = para.italic or None
        if para.size:
            run.font.size = Pt(para.size)


def _docx_table(doc: DocxDocument, table: Table, usable: Length) -> None:
    rows = _padded(table)
    widths = _relative_widths(table)
    t = doc.add_table(rows=len(rows), cols=len(widths))
    if table.borders:
        t.style = doc.styles["Table Grid"]
    t.autofit = False
    col_widths = [int(usable * w / sum(widths)) for w in widths]
    for col, width in zip(t.columns, col_widths, strict=True):
        col.width = width
    for r, (row, values) in enumerate(zip(t.rows, rows, strict=True)):
        header = r < table.header_rows
        if header and table.borders:
            row._tr.get_or_add_trPr().append(row._tr.makeelement(qn("w:tblHeader")))
        for cell, width, value in zip(row.cells, col_widths, values, strict=True):
            cell.width = width
            for k, line in enumerate(value.split("\n")):
                p = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
                if header:
                    p.alignment = _docx_align("center")
                run = p.add_run(line)
                run.bold = header or None
                run.font.size = Pt(TABLE_SIZE)


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps (python-docx stamps members with the clock)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


# ---------------------------------------------------------------------------------------
# PDF


class FontMissing(RuntimeError):
    """The pinned PDF font is not installed (or is the old one without Vietnamese)."""


def pdf_font(bold: bool = False, *, italic: bool = False, font_dir: Path | None = None) -> Path:
    """The pinned font file for a style, from `font_dir` when given (a folder holding the
    same Liberation Serif 2 files), else PDF_FONT_DIR. Raises FontMissing, saying what to
    install, when the file is absent or lacks the Vietnamese letters."""
    style = ("B" if bold else "") + ("I" if italic else "")
    path = Path(font_dir or PDF_FONT_DIR) / PDF_FONT_FILES[style]
    if not path.is_file():
        raise FontMissing(
            f"Missing the PDF font {path}: install fonts-liberation2 (Liberation Serif 2), "
            "as .ci/run does. PDFs are written in this one font only."
        )
    if not _has_vietnamese(str(path)):
        raise FontMissing(
            f"The PDF font {path} lacks Vietnamese letters (Liberation 1.x?): install "
            "fonts-liberation2 (Liberation Serif 2), as .ci/run does."
        )
    return path


@lru_cache(maxsize=64)
def _has_vietnamese(font_path: str) -> bool:
    """Whether the font maps every Vietnamese letter (fontTools ships with fpdf2)."""
    try:
        from fontTools.ttLib import TTFont

        with TTFont(font_path, lazy=True) as font:
            cmap = font.getBestCmap() or {}
    except Exception:  # an unreadable font file is simply not a candidate
        return False
    return all(ord(c) in cmap for c in _VIETNAMESE_PROBE)


def _pdf_fonts(font_dir: Path | None) -> dict[str, Path]:
    """The pinned font file per fpdf2 style (FontMissing when one is absent)."""
    return {
        style: pdf_font("B" in style, italic="I" in style, font_dir=font_dir)
        for style in PDF_FONT_FILES
    }


_FAMILY = "VNSerif"
_PT_MM = 25.4 / 72


def write_pdf(
    path: str | Path,
    blocks: list[Block],
    font_dir: Path | None = None,
    *,
    page_numbers: bool = False,
) -> Path:
    """Write blocks as an A4 PDF with a real text layer (fpdf2, embedded Unicode TTF).

    Ruled tables draw every cell border, so pdfplumber's line strategy finds them; text
    wraps and flows onto new pages, table header rows repeat on each page. With
    `page_numbers`, a page number is printed at the top centre from page 2 on, as in
    Vietnamese administrative documents. Raises FontMissing when the pinned font is absent.
    """
    from fpdf import FPDF

    _check(blocks)
    fonts = _pdf_fonts(font_dir)

    class _Doc(FPDF):
        def header(self) -> None:
            if page_numbers and self.page_no() > 1:
                self.set_font(_FAMILY, "", BODY_SIZE)
                self.cell(0, BODY_SIZE * _PT_MM, str(self.page_no()), align="C")
                self.ln(BODY_SIZE * _PT_MM * 1.5)

    pdf = _Doc(orientation="P", unit="mm", format="A4")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_margins(MARGINS_MM["left"], MARGINS_MM["top"], MARGINS_MM["right"])
    pdf.set_auto_page_break(True, margin=MARGINS_MM["bottom"])
    for style, file in fonts.items():
        pdf.add_font(_FAMILY, style, str(file))
    pdf.add_page()
    for block in blocks:
        if isinstance(block, Para):
            _pdf_para(pdf, block)
        else:
            _pdf_table(pdf, block)
    path = Path(path)
    pdf.output(str(path))
    return path


def _pdf_para(pdf: FPDF, para: Para) -> None:
    size = para.size or BODY_SIZE
    style = ("B" if para.bold else "") + ("I" if para.italic else "")
    pdf.set_font(_FAMILY, style, size)
    align = {"left": "L", "center": "C", "right": "R", "justify": "J"}[para.align]
    pdf.multi_cell(0, size * _PT_MM * 1.3, para.text, align=align, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(size * _PT_MM * 0.4)


def _pdf_table(pdf: FPDF, table: Table) -> None:
    from fpdf.fonts import FontFace

    pdf.set_font(_FAMILY, "", TABLE_SIZE)
    heads = min(table.header_rows, len(table.rows))
    with pdf.table(
        col_widths=tuple(_relative_widths(table)),
        width=pdf.epw,
        align="LEFT",
        borders_layout="ALL" if table.borders else "NONE",
        first_row_as_headings=heads > 0,
        num_heading_rows=heads,
        headings_style=FontFace(emphasis="BOLD"),
        text_align="LEFT",
        v_align="TOP",
        line_height=TABLE_SIZE * _PT_MM * 1.3,
        padding=1,
    ) as t:
        for values in _padded(table):
            row = t.row()
            for value in values:
                row.cell(value)
    pdf.ln(BODY_SIZE * _PT_MM * 0.6)
