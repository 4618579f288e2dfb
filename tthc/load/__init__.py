"""The load stage: a file on disk → a `RawDocument` (lines with their pages; a table row is one
line with its cells), or `LoadError` with a Vietnamese reason.

`dispatch` decides the format from the file's bytes and calls one loader: text (`dispatch`),
DOCX (`dispatch`), PDF text (`pdf`, `pdf_text`), scanned pages by OCR with their tables
(`ocr`, `ocr_tables`, `ocr_cells`, `ocr_borderless`, `ocr_labels`), Word 97 and RTF through a
caged LibreOffice (`office`), legacy TCVN3/VNI fonts (`legacy`). A spreadsheet (.xlsx,
.xls, or an HTML table saved as .xls, by its bytes) is read by `sheets` into a `Grid` of
cells with its merged areas, carried on the RawDocument for the extract stage.
"""

from tthc.load.dispatch import SUPPORTED_SUFFIXES, load
from tthc.load.ocr import JOBS_ENV as OCR_JOBS_ENV
from tthc.load.ocr import OcrSettings
from tthc.load.office import kill_conversions
from tthc.load.spreadsheet import load_grid, sheet_kind

__all__ = [
    "OCR_JOBS_ENV",
    "SUPPORTED_SUFFIXES",
    "OcrSettings",
    "kill_conversions",
    "load",
    "load_grid",
    "sheet_kind",
]
