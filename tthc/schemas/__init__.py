"""Plain records passed between stages: load → normalize → extract → check → consolidate."""

from tthc.schemas.correction import Correction
from tthc.schemas.document import Line, LoadError, OcrWord, RawDocument, RawLine, Segment, Text
from tthc.schemas.record import (
    DOSSIER_FIELDS,
    Breakdown,
    Citation,
    Dossiers,
    Evidence,
    Flag,
    Percentage,
    Period,
    Record,
    ReportMeta,
    Source,
    Unit,
    UnreadNumber,
    ValueConflict,
)

__all__ = [
    "DOSSIER_FIELDS",
    "Breakdown",
    "Citation",
    "Correction",
    "Dossiers",
    "Evidence",
    "Flag",
    "Line",
    "LoadError",
    "OcrWord",
    "Percentage",
    "Period",
    "RawDocument",
    "RawLine",
    "Record",
    "ReportMeta",
    "Segment",
    "Source",
    "Text",
    "Unit",
    "UnreadNumber",
    "ValueConflict",
]
