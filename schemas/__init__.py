"""Plain records passed between stages: load → normalize → extract → check → consolidate."""

from schemas.correction import Correction
from schemas.document import Line, LoadError, OcrWord, RawDocument, RawLine, Segment, Text
from schemas.record import (
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
    "ValueConflict",
]
