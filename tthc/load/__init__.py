"""The load stage: a file on disk → a `RawDocument` (lines with their pages; a table row is one
line with its cells), or `LoadError` with a Vietnamese reason the officer can act on.

`formats` decides the format from the file's bytes (the formats and their suffixes are
`tthc.schemas.FORMATS`) and calls its loader: plain text (`text_file`), Word .docx
(`docx_file`), PDF text (`pdf`, `pdf_text`) with scanned pages read by OCR and their tables
(`ocr`, `ocr_tables`, `ocr_cells`, `ocr_borderless`, `ocr_labels`), Word 97 and RTF through
a caged LibreOffice (`office`), spreadsheets (.xlsx, .xls, or an HTML table saved as .xls,
by its bytes: `spreadsheet`) into a `Grid` of cells with its merged areas, carried on the
RawDocument for the extract stage. Every other loader emits running text as lines in
reading order and every table row as one line with its cells on the table's column grid;
text typed in the old TCVN3/VNI fonts is converted to Unicode (`legacy`); sizes no report
reaches are refused before parsing (`limits`).
"""

from tthc.load.formats import load
from tthc.load.ocr import JOBS_ENV as OCR_JOBS_ENV
from tthc.load.ocr import OcrSettings
from tthc.load.office import kill_conversions
from tthc.load.spreadsheet import load_grid, sheet_kind

__all__ = [
    "OCR_JOBS_ENV",
    "OcrSettings",
    "kill_conversions",
    "load",
    "load_grid",
    "sheet_kind",
]
