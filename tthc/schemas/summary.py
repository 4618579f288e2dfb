"""Records of the consolidate stage: a district's (or province's) reports for one period.

`tthc.consolidate.district` builds a `DistrictSummary` from the per-file records and the
roster; the render stage (workbook, CSVs, notice) reads only this and computes nothing.
Every district figure is computed once here, with its coverage (which communes it sums,
which reporting communes do not state it) and its sources (each commune's value with the
evidence it was read from), so a cell or a sentence can be traced back to the reports.
Rates are sums of counts, never averages of percentages; a commune's rate is the one it
wrote, and the tool's own computation is shown beside it only when they differ.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from tthc.schemas.correction import Correction
from tthc.schemas.record import Dossiers, Evidence, Flag, Severity

# The identities a notice prints in full, name → (whole, parts): the groups of `Reconciled`.
GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "received": ("received_total", ("received_carried_over", "received_new")),
    "received_new": ("received_new", ("received_online", "received_offline")),
    "resolved": ("resolved_total", ("resolved_early_or_on_time", "resolved_late")),
    "resolved_split": ("resolved_early_or_on_time", ("resolved_early", "resolved_on_time")),
    "pending": ("pending_total", ("pending_in_time", "pending_overdue")),
}

# How a district rate is recomputed from dossier figures: measure → (numerator fields,
# denominator fields). Measures whose counts are not dossier figures (digitization) take
# the numerator and denominator the commune wrote next to its rate.
RATE_DEFINITIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "online": (("received_online",), ("received_online", "received_offline")),
    "on_time": (("resolved_early_or_on_time",), ("resolved_total",)),
    "late": (("resolved_late",), ("resolved_total",)),
    "returned": (("returned",), ("received_total",)),
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# The levels of the office the communes report to, and those of them that are districts
# (until tthc.schemas.period_key.TWO_TIER_START, when districts ceased to exist).
PARENT_LEVELS = ("huyện", "quận", "thị xã", "thành phố", "tỉnh")
DISTRICT_LEVELS = PARENT_LEVELS[:3]


class ParentUnit(_Model):
    """The office that receives the reports: a district until 30/6/2025, since then the
    province or centrally-run city (two-tier local government)."""

    name: str
    level: Literal[PARENT_LEVELS]
    province: str | None = None

    @property
    def committee(self) -> str:
        """ "UBND huyện An Trì", "UBND tỉnh Bình Lĩnh"."""
        return f"UBND {self.level} {self.name}"

    @property
    def is_district(self) -> bool:
        """A district-level unit: a district, or a provincial city (thành phố thuộc tỉnh,
        which names its province; a centrally-run city does not). It decides who the form
        goes to, the distribution list and the focal office."""
        if self.level in DISTRICT_LEVELS:
            return True
        return self.level == "thành phố" and bool(self.province) and self.province != self.name


class RosterEntry(_Model):
    name: str
    level: str  # xã | phường | thị trấn
    aliases: list[str] = Field(default_factory=list)


class FileOutcome(_Model):
    """What happened to one file of the folder."""

    path: str
    sha256: str | None = None
    status: Literal["ok", "partial", "failed", "ignored"]
    reason: str | None = None  # Vietnamese, for failed/partial/ignored
    technical: str | None = None  # a failed file's technical cause (the loader's), apart
    kind: str | None = None  # why ignored: replaced | other_period | unknown_unit | not_report …
    commune: str | None = None  # the roster's name for the unit it reports on
    written_name: str | None = None  # the unit's name as the file writes it
    match_score: float | None = None  # how close the written name is to the roster's (0-100)
    matched_by: Literal["text", "file_name"] | None = None  # how the commune was found
    period_key: str | None = None
    reused: bool = False  # taken from the store: the same content was read before
    flags: int = 0  # flags that count (none for a file set aside)
    figures_read: int | None = None  # non-null dossier figures over all the record's periods
    figures_seen: int | None = None  # those + the numbers read as dossier counts no reader used


class FlagRow(_Model):
    commune: str | None
    file: str
    flag: Flag


class RowNote(_Model):
    """One slip of a commune's report in an officer's words: what the report says, what
    it should add up to, what to do. The same sentence is the notice's and the workbook's
    ("Ghi chú" column), so a figure the notice names can be found beside the cell."""

    code: str
    severity: Severity
    fields: list[str] = Field(default_factory=list)
    text: str


class RankItem(_Model):
    commune: str
    value: float


class CommuneRate(_Model):
    """One commune's rate for a measure: the one it wrote, or, when it wrote none, the one
    its own counts give (`source` says which). `computed` is the tool's own computation
    from the commune's counts; a difference beyond rounding is explained in `note`."""

    commune: str
    measure: str
    value: float | None  # what the workbook and the notice show as the commune's rate
    source: Literal["stated", "computed"]
    stated: float | None = None
    decimals: int | None = None  # digits the commune wrote after the decimal mark
    numerator: int | None = None  # the counts the rate rests on (stated, or its own figures)
    denominator: int | None = None
    computed: float | None = None
    exact: float | None = None  # the unrounded value a target is compared with
    note: str | None = None  # Vietnamese: why the stated and computed rates differ
    evidence: Evidence | None = None


class CommuneRow(_Model):
    commune: str
    level: str
    status: Literal["ok", "partial", "failed", "missing"]
    files: list[str] = Field(default_factory=list)
    period_key: str | None = None
    period_label: str | None = None
    dossiers: Dossiers = Field(default_factory=Dossiers)  # whole-unit ("all") figures
    derived: list[str] = Field(default_factory=list)  # fields computed from the unit's own figures
    evidence: dict[str, Evidence] = Field(default_factory=dict)  # stated field → where read
    lien_thong: Dossiers | None = None  # figures of inter-agency (liên thông) dossiers
    lien_thong_derived: list[str] = Field(default_factory=list)
    by_field: dict[str, Dossiers] = Field(default_factory=dict)  # per-field scopes ("hộ tịch")
    metrics: dict[str, int] = Field(default_factory=dict)
    rates: dict[str, CommuneRate] = Field(default_factory=dict)  # measure → the commune's rate
    unclassified_rates: list[float] = Field(default_factory=list)  # rates of no known measure
    late_by_field: dict[str, int] = Field(default_factory=dict)
    previous: Dossiers | None = None  # the same commune in the previous period, from the store
    previous_rates: dict[str, float | None] = Field(default_factory=dict)
    change: dict[str, float | None] = Field(
        default_factory=dict
    )  # counts: difference; rates: points
    flags: list[Flag] = Field(default_factory=list)
    flagged_fields: dict[str, str] = Field(default_factory=dict)  # field → worst severity
    notes: list[RowNote] = Field(default_factory=list)  # each slip in plain words
    corrections: list[Correction] = Field(default_factory=list)  # the officer's, in force


class FigureSource(_Model):
    """One commune's share of a district figure."""

    commune: str
    value: int
    derived: bool = False  # computed from the commune's own stated parts
    file: str | None = None
    evidence: Evidence | None = None


class DistrictFigure(_Model):
    """A district figure: the sum over `units`, the communes that state it (or whose own
    figures determine it exactly). `lacking` are communes with a report that do not."""

    value: int | None = None
    units: list[str] = Field(default_factory=list)
    lacking: list[str] = Field(default_factory=list)
    sources: list[FigureSource] = Field(default_factory=list)
    low: int | None = None  # the smallest and largest commune value (for counts whose sum
    high: int | None = None  # means little, such as the procedures each commune publishes)

    @property
    def complete(self) -> bool:
        return self.value is not None and not self.lacking


class LeftOut(_Model):
    """A commune whose figures are not in a reconciled set, and why."""

    commune: str
    reason: Literal["inconsistent", "incomplete", "doubtful"]
    fields: list[str] = Field(default_factory=list)  # the figures concerned


class Reconciled(_Model):
    """The dossier figures of one scope summed over one set of communes, each of which
    states the three totals (received, resolved, pending) and satisfies every identity:
    so every whole printed next to its parts, and the balance, add up. A part is summed
    (`figures[...]`) over the communes that state it; `complete` names the identities
    whose parts every commune of the set states, the only ones printed in full."""

    scope: str = "all"
    units: list[str] = Field(default_factory=list)
    figures: dict[str, DistrictFigure] = Field(default_factory=dict)
    complete: list[str] = Field(
        default_factory=list
    )  # received | received_new | resolved | pending
    returned_apart: bool = (
        True  # returned dossiers are outside resolved in every unit that states them
    )
    left_out: list[LeftOut] = Field(default_factory=list)
    rates: dict[str, float | None] = Field(
        default_factory=dict
    )  # over `units`, complete parts only

    def value(self, field: str) -> int | None:
        figure = self.figures.get(field)
        return figure.value if figure else None


class MeasureRate(_Model):
    """A rate of the district for one measure (online intake, digitization …): the sum of
    the numerators over the sum of the denominators of the communes that give counts, and
    every commune's own rate."""

    measure: str
    value: float | None = None
    numerator: int | None = None
    denominator: int | None = None
    exact: float | None = None  # numerator / denominator unrounded (compared with a target)
    units: list[str] = Field(default_factory=list)  # communes whose counts are summed
    without_counts: list[str] = Field(default_factory=list)  # a rate but no counts
    doubtful: list[str] = Field(default_factory=list)  # counts that do not hold: not summed
    communes: list[CommuneRate] = Field(default_factory=list)
    target: float | None = None
    below: list[CommuneRate] = Field(default_factory=list)  # under target, lowest first


class SplitGap(_Model):
    """Why a column total of the form is not the sum of its parts' totals: the units that
    give the whole without (all of) its parts, and how many dossiers they leave unsplit;
    the units whose parts do not add up to their whole, and by how much."""

    scope: str = "all"
    whole: str
    parts: list[str]
    unsplit: dict[str, int] = Field(default_factory=dict)  # commune → whole − given parts
    mismatch: dict[str, int] = Field(default_factory=dict)  # commune → whole − parts

    @property
    def amount(self) -> int:
        return sum(self.unsplit.values()) + sum(self.mismatch.values())


class Place(_Model):
    """Where the workbook shows a figure: a sheet (its key in render_labels [sheets]),
    a row (a commune, "total", "district" …) and a column (a field or measure)."""

    sheet: str
    row: str
    column: str


class Statement(_Model):
    """One figure the notice states, with what it counts and over which units: the notice
    prints `value` and nothing else, the workbook lists it on its own sheet and at
    `places`, with the same value."""

    key: str  # "dossiers.received_total", "rate.online", "units.reported" …
    label: str  # Vietnamese: what it counts
    value: int | float | None = None
    unit: str = ""  # "hồ sơ", "%", "đơn vị", "thủ tục" …
    units: list[str] = Field(default_factory=list)  # the communes it covers
    left_out: dict[str, str] = Field(default_factory=dict)  # commune → why not covered
    places: list[Place] = Field(default_factory=list)


class Sender(_Model):
    """What one commune sent for the period."""

    commune: str
    level: str
    status: Literal["read", "partial", "unreadable", "not_report", "missing"]
    files: list[str] = Field(default_factory=list)
    reasons: list[str] = Field(default_factory=list)  # Vietnamese, for unreadable / not_report


class ComparisonLine(_Model):
    """One figure against the previous period, over the communes with both periods."""

    key: str  # a dossier field
    previous: int
    current: int

    @property
    def change(self) -> int:
        return self.current - self.previous


class Comparison(_Model):
    previous_key: str | None = None
    covered: int = 0  # communes with a report for both periods
    reporting: int = 0  # communes with a report for this period
    lines: list[ComparisonLine] = Field(default_factory=list)


class NoticeSettings(_Model):
    """The roster's [notice]: who issues the notice of a province or city (its People's
    Committee, or its office), who signs, and whether a central body receives it."""

    issuer: Literal["ubnd", "van_phong"] = "ubnd"
    signing: Literal["TM", "KT"] = "KT"  # TM: the head signs; KT: a deputy signs for the head
    central_recipient: bool = True


class NoticeMeta(_Model):
    """Who issues the notice and when: from the roster and the options, never the clock."""

    date: dt.date | None = None  # None: the officer fills the date in
    year: int | None = None  # the year printed when the date is not known
    warnings: list[str] = Field(default_factory=list)  # Vietnamese
    issuer: str = ""  # "UBND tỉnh Bình Lĩnh", "Văn phòng UBND tỉnh Bình Lĩnh"
    agency_lines: list[str] = Field(default_factory=list)  # the header's agency, top line first
    number_code: str = "TB-UBND"
    asks: str = "yêu cầu"  # how the issuer asks the communes' chairs ("đề nghị" for an office)
    focal_office: str = ""  # where the communes send their corrections
    signature: list[str] = Field(default_factory=list)  # the signature block's title lines
    central: str | None = None  # the central body in charge of TTHC control on the date
    recipients: list[str] = Field(default_factory=list)  # "Nơi nhận", in order
    grounds: list[str] = Field(default_factory=list)  # "Căn cứ …" lines, in order


CrossKind = Literal["equal", "differs", "convention", "not_stated", "not_in_system"]


class CrossValue(_Model):
    """One figure of a unit: what its report states and what the system's export counts.
    `difference` is stated − system; `kind` says how they compare: equal, differs, differs by
    exactly a count the report keeps apart (`convention`: returned, withdrawn or awaiting
    supplements, counted by the system among the resolved or pending), the report does
    not state it, or the export has no such figure."""

    field: str
    stated: int | None = None
    system: int | None = None
    difference: int | None = None
    kind: CrossKind = "equal"
    evidence: Evidence | None = None  # the report's
    system_cells: list[Evidence] = Field(default_factory=list)  # the export's cells (summed)


class CrossUnit(_Model):
    commune: str
    level: str
    status: str  # the sender's status: read, partial, unreadable, not_report, missing
    written: list[str] = Field(default_factory=list)  # the export's names for it
    values: list[CrossValue] = Field(default_factory=list)
    note: str | None = None  # Vietnamese: which convention explains a difference


class CrossCheck(_Model):
    """The reports against the provincial TTHC information system's export."""

    file: str
    status: Literal["compared", "refused", "other_period"]
    reason: str | None = None  # Vietnamese: why there is no comparison
    reporting_unit: str | None = None
    period_label: str | None = None
    sections: list[str] = Field(default_factory=list)  # systems summed per unit
    columns: list[str] = Field(default_factory=list)  # the dossier fields the export has
    units: list[CrossUnit] = Field(default_factory=list)
    unmatched: list[str] = Field(default_factory=list)  # export rows naming no roster commune
    differing: list[str] = Field(default_factory=list)  # communes whose reports differ


class DistrictSummary(_Model):
    parent: ParentUnit
    period_key: str | None
    period_label: str | None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    previous_period_key: str | None = None
    comparison: Comparison = Field(default_factory=Comparison)
    generated_on: dt.date
    roster_given: bool = True  # False: the list of communes was built from the reports
    communes: list[CommuneRow]
    figures: dict[str, DistrictFigure] = Field(default_factory=dict)  # every stating commune
    metrics: dict[str, DistrictFigure] = Field(default_factory=dict)
    reconciled: Reconciled = Field(default_factory=Reconciled)
    lien_thong: Reconciled | None = None
    by_field: dict[str, DistrictFigure] = Field(default_factory=dict)  # late dossiers by field
    fields: dict[str, dict[str, DistrictFigure]] = Field(
        default_factory=dict
    )  # per-field scopes ("hộ tịch") → dossier figure → sum over the communes reporting it
    rates: dict[str, MeasureRate] = Field(default_factory=dict)
    splits: dict[str, list[SplitGap]] = Field(default_factory=dict)  # scope → form columns
    statements: list[Statement] = Field(default_factory=list)  # every figure the notice states
    ranks: dict[str, list[RankItem]] = Field(default_factory=dict)
    targets: dict[str, float] = Field(default_factory=dict)  # measure → target percent
    senders: list[Sender] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)  # roster communes that sent nothing
    outcomes: list[FileOutcome] = Field(default_factory=list)
    flags: list[FlagRow] = Field(default_factory=list)  # flags of the reports consolidated
    notice: NoticeMeta = Field(default_factory=NoticeMeta)
    notes: list[str] = Field(default_factory=list)  # what the officer should know (Vietnamese)
    crosscheck: CrossCheck | None = None  # against the system's export (`tthc run --system`)
    scope_note: str | None = None  # which scope the dossier figures are (centre or authority)
