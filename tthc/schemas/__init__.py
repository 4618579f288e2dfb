"""Plain records passed between stages: load → normalize → extract → check → consolidate →
render. `document`: what the load stage reads (`RawDocument`, its lines and table rows; the
formats read, `FORMATS`) and the normalized `Text` with its map back to pages and lines;
`record`: the public `Record` of one file (../shared/contract.md) and its `Flag`s; `summary`:
the `DistrictSummary` consolidation builds and the render stage prints; `sheets`: a
spreadsheet's cells (`Grid`) and the provincial system's export; `correction`: an officer's
correction of a figure; `period_key`: the one parser of period keys; `names`: the Vietnamese
names of fields and measures."""

from tthc.schemas.correction import Correction
from tthc.schemas.document import (
    FORMATS,
    SUPPORTED_SUFFIXES,
    Line,
    LoadError,
    OcrWord,
    RawDocument,
    RawLine,
    Segment,
    Text,
)
from tthc.schemas.record import (
    DOSSIER_FIELDS,
    Breakdown,
    Citation,
    Dossiers,
    Evidence,
    Failure,
    Flag,
    Percentage,
    Period,
    Record,
    RegistryDocument,
    Repair,
    ReportMeta,
    Source,
    Unit,
    UnreadNumber,
    ValueConflict,
    with_technical,
)

__all__ = [
    "DOSSIER_FIELDS",
    "FORMATS",
    "SUPPORTED_SUFFIXES",
    "Breakdown",
    "Citation",
    "Correction",
    "Dossiers",
    "Evidence",
    "Failure",
    "Flag",
    "Line",
    "LoadError",
    "OcrWord",
    "Percentage",
    "Period",
    "RawDocument",
    "RawLine",
    "Record",
    "RegistryDocument",
    "Repair",
    "ReportMeta",
    "Segment",
    "Source",
    "Text",
    "Unit",
    "UnreadNumber",
    "ValueConflict",
    "with_technical",
]
