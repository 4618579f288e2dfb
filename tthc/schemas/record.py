"""The public record: what `tthc extract --json` prints, one per input file.

Field names follow ../shared/contract.md and never change; fields beyond the contract are
additions. Every extracted value has an `Evidence` pointing into the file's normalized text.
A figure the report does not state stays None: nothing here is ever filled in by guessing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator

from tthc.rules.field_names import dossier_fields
from tthc.rules.flags import Severity
from tthc.schemas.correction import Correction

DOSSIER_FIELDS: tuple[str, ...] = dossier_fields()
"""The 14 dossier figures of the contract, in order: written once, in
tthc/rules/field_names.toml."""

Status = Literal["ok", "partial", "failed"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class Evidence(_Model):
    """Where a value was read: offsets and line into the normalized text, page for PDFs."""

    page: int | None = None
    line: int
    start: int
    end: int
    quote: str
    source_line: int | None = None  # line number in the raw extraction, before re-joining
    page_line: int | None = None  # the line's number on its page (PDF), as a reader counts
    paragraph: int | None = None  # the paragraph's number (DOCX)
    table: int | None = None  # table number and row in it, for a value read from a table
    row: int | None = None
    ocr: bool = False  # the text of this page came from OCR, not from a text layer
    approx: bool = False  # an approximate figure ("hơn 41.000", "gần 19 nghìn"): never exact
    confidence: float | None = None  # OCR word confidence (0-100) of the value, when read by OCR
    doubt: str | None = None  # why the value may be misread (Vietnamese), e.g. a scan repair
    column: int | None = None  # with `table` and `row`: the column of a table figure's cell
    # A figure stated for all or none rather than by a number ("đều trong hạn", "không có hồ
    # sơ trễ hạn"): the words that state it.
    quantifier: str | None = None
    sheet: str | None = None  # a spreadsheet's sheet; `row`, `column` and `cell` are its own
    cell: str | None = None  # the cell as a spreadsheet names it ("D12")


class Source(_Model):
    path: str
    sha256: str | None = None
    format: str | None = None  # a name of tthc.schemas.FORMATS (txt, pdf, docx, doc, rtf)
    pages: int | None = None
    encoding: str | None = None  # utf-8, or the legacy encoding the text was converted from
    ocr_pages: list[int] = Field(default_factory=list)


class Unit(_Model):
    name: str | None = None
    level: str | None = None  # xã | phường | thị trấn | huyện | tỉnh | thành phố ...
    district: str | None = None
    province: str | None = None
    evidence: dict[str, Evidence] = Field(default_factory=dict)


class ReportMeta(_Model):
    kind: str | None = None  # báo cáo | thông báo | phụ lục | ...
    number: str | None = None
    date: dt.date | None = None
    signer: str | None = None
    signer_title: str | None = None
    title: str | None = None
    period: str | None = None  # label of the period the report covers, as written
    period_key: str | None = None
    evidence: dict[str, Evidence] = Field(default_factory=dict)


Dossiers = create_model(
    "Dossiers",
    __base__=_Model,
    __module__=__name__,
    __doc__="The dossier figures of one period and scope (one field per DOSSIER_FIELDS name, "
    "None when the report does not state it).",
    **{name: (int | None, None) for name in DOSSIER_FIELDS},
)


class Breakdown(_Model):
    """An itemized list ("trong đó: chứng thực 1.790; hộ tịch 391; ...") of one figure."""

    of: str | None  # the dossier field it itemizes; None when no total could be tied to it
    items: dict[str, int]
    partial: bool = False  # the text says it lists only some items ("một số", "như:", "...")
    total: int | None = None  # value of `of` when the list was read
    evidence: Evidence | None = None
    item_evidence: dict[str, Evidence] = Field(default_factory=dict)


class ValueConflict(_Model):
    """The same quantity stated more than once with different values."""

    field: str
    values: list[int]
    evidence: list[Evidence]


class Period(_Model):
    label: str
    key: str | None = None  # comparable key: "2022", "2023-Q3", "2023-M9", "2022-12-15..2023-07-20"
    kind: str | None = None  # year | quarter | months | half | month | range | report
    start: dt.date | None = None
    end: dt.date | None = None
    scope: str = "all"  # all | lien_thong | a field's name ("hộ tịch")
    dossiers: Dossiers = Field(default_factory=Dossiers)
    metrics: dict[str, int] = Field(default_factory=dict)  # digitized counts and the like
    breakdowns: list[Breakdown] = Field(default_factory=list)
    evidence: dict[str, Evidence] = Field(default_factory=dict)
    conflicts: list[ValueConflict] = Field(default_factory=list)
    missing: dict[str, Evidence] = Field(default_factory=dict)  # announced, no number given


class Percentage(_Model):
    value: float | None  # None for a bare ratio ("170/170 hồ sơ") that states no rate
    numerator: float | None = None
    denominator: float | None = None
    decimals: int | None = None  # digits shown after the decimal mark
    ratio_source: Literal["explicit", "context"] | None = None
    measure: str | None = None  # the words that say what is measured, as written
    measure_key: str | None = None  # online | digitized_intake | digitized_result | on_time | ...
    period: str | None = None
    period_key: str | None = None
    scope: str = "all"
    item: str | None = None  # the field or unit a rate in a list is about ("Hộ tịch", "Thanh Khê")
    other_unit: str | None = None  # a sub-unit, other unit or part it is about ("Cấp huyện")
    change: float | None = None  # stated change in percentage points (negative for "giảm")
    reference_value: float | None = None
    reference_period: str | None = None
    # A share of another period's figure ("bằng 112% so với cùng kỳ"), not a rate of this one.
    compared_to: str | None = None
    evidence: Evidence


class Citation(_Model):
    kind: str | None = None
    number: str | None = None
    year: int | None = None
    code: str | None = None
    symbol: str | None = None
    date: dt.date | None = None
    issuer: str | None = None
    subject: str | None = None
    article: str | None = None  # "Điều 15" when an article of the document is cited
    raw: str | None = None  # the symbol as written
    problems: list[str] = Field(default_factory=list)  # no_year | glued | spaced | unknown_code
    evidence: Evidence
    date_evidence: Evidence | None = None
    mentions: list[Evidence] = Field(default_factory=list)


class UnreadNumber(_Model):
    """A number that reads as a count of dossiers and that no reader used: shown to the
    officer (the `unread` flag), never dropped."""

    value: int
    written: str  # as the text writes it ("45", "18,2 ngàn")
    # "dossier_noun" ("45 hồ sơ"), "table" (a cell its row or column says counts dossiers),
    # "label" (a bare number a figure word names: "trước hạn 3.388")
    why: str
    period: str | None = None
    period_key: str | None = None
    evidence: Evidence


class RegistryDocument(_Model):
    """A central legal document as the registry (rules/legal_registry.csv) records it."""

    kind: str | None = None
    symbol: str
    date: dt.date | None = None
    issuer: str | None = None


class Repair(_Model):
    """The single change that makes a flag hold, as data: the field it changes (a dossier
    field, `rate` or `rate.<measure>`, a citation's `symbol` or `date`), the value written
    and the value suggested (a rate's `decimals` as written); for a citation, the registry's
    document it rests on. `Flag.suggestion` says it in words (rules/flags.toml
    [suggestions]); nothing reads those words back."""

    field: str
    stated: Any
    suggested: Any
    decimals: int | None = None
    document: RegistryDocument | None = None


class Flag(_Model):
    code: str
    severity: Severity
    period: str | None = None
    period_key: str | None = None
    scope: str | None = None
    message: str
    expected: Any = None
    actual: Any = None
    suggestion: str | None = None  # the contract's words for `repair`
    fields: list[str] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    # {field: new value}: `repair` of a dossier figure, for a correction (tthc serve). Always
    # derived from `repair` (the one source); kept as a field for the JSON contract.
    fix: dict[str, int] | None = None
    repair: Repair | None = None

    @model_validator(mode="before")
    @classmethod
    def _repair_from_an_older_fix(cls, data: Any) -> Any:
        """A record kept by an earlier version may hold a `fix` with no `repair` (a figure
        left unstated that the others determine): that fix becomes the repair."""
        if isinstance(data, dict) and data.get("fix") and data.get("repair") is None:
            ((field, value),) = data["fix"].items()
            data = {**data, "repair": {"field": field, "stated": None, "suggested": value}}
        return data

    @model_validator(mode="after")
    def _fix_from_repair(self) -> Flag:
        self.fix = fix_of(self.repair)
        return self


def fix_of(repair: Repair | None) -> dict[str, int] | None:
    """A repair as the change a correction makes: a dossier figure and its whole value."""
    if repair is None or repair.field not in DOSSIER_FIELDS:
        return None
    if not isinstance(repair.suggested, int) or isinstance(repair.suggested, bool):
        return None
    return {repair.field: repair.suggested}


TECHNICAL = "lỗi kỹ thuật"


def with_technical(reason: str, technical: str | None) -> str:
    """A failure in one sentence: the officer's reason, then the technical cause in brackets
    ("…lưu lại (lỗi kỹ thuật: BadZipFile)."), for the record's `errors` and the files sheet."""
    if not technical:
        return reason
    stem, end = (reason[:-1], ".") if reason.endswith(".") else (reason, "")
    return f"{stem} ({TECHNICAL}: {technical}){end}"


class Failure(_Model):
    """Why a file could not be read, as data: the reason the officer is shown (Vietnamese)
    and, apart, the technical cause an administrator needs. The record's `errors` says both
    in one sentence (`with_technical`)."""

    reason: str
    technical: str | None = None


class Record(_Model):
    source: Source
    status: Status = "ok"
    errors: list[str] = Field(default_factory=list)
    unit: Unit = Field(default_factory=Unit)
    report: ReportMeta = Field(default_factory=ReportMeta)
    periods: list[Period] = Field(default_factory=list)
    percentages: list[Percentage] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    unread: list[UnreadNumber] = Field(default_factory=list)  # counts no reader used
    flags: list[Flag] = Field(default_factory=list)
    # an officer's corrections applied to this view of the record (tthc serve): the values
    # above are the corrected ones, each correction says what the report gave (`before`)
    corrections: list[Correction] = Field(default_factory=list)
    failure: Failure | None = None  # why a failed file could not be read

    @classmethod
    def failed(cls, path: str | Path, reason: str, technical: str | None = None) -> Record:
        """The record of a file that could not be read or processed: the reason instead of
        figures (its format as its name says)."""
        path = Path(path)
        return cls(
            source=Source(path=str(path), format=path.suffix.lstrip(".").lower() or None),
            status="failed",
            errors=[with_technical(reason, technical)],
            failure=Failure(reason=reason, technical=technical),
        )

    def to_json(self) -> dict[str, Any]:
        """The contract's JSON shape (ISO dates, no Python objects)."""
        return self.model_dump(mode="json")
