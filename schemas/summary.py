"""Records of the consolidate stage: a district's (or province's) reports for one period.

`consolidation.consolidate` builds a `DistrictSummary` from the per-file records and the
roster; the render stage (workbook, flags CSV, outcomes, notice) reads only this.
Rates are recomputed from summed counts, never averaged from percentages.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from schemas.record import Dossiers, Flag

# Rates recomputed from counts: name → (numerator fields, denominator fields).
RATE_DEFINITIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "online": (("received_online",), ("received_online", "received_offline")),
    "on_time": (("resolved_early_or_on_time",), ("resolved_total",)),
    "late": (("resolved_late",), ("resolved_total",)),
    "returned": (("returned",), ("received_total",)),
    "digitized_intake": (("digitized_intake",), ("received_new",)),
    "digitized_result": (("digitized_result",), ("resolved_total",)),
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ParentUnit(_Model):
    """The office that receives the reports: a district until 30/6/2025, since then the
    province or centrally-run city (two-tier local government)."""

    name: str
    level: Literal["huyện", "quận", "thị xã", "thành phố", "tỉnh"]
    province: str | None = None

    @property
    def committee(self) -> str:
        """ "UBND huyện An Trì", "UBND tỉnh Bình Lĩnh"."""
        return f"UBND {self.level} {self.name}"


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
    commune: str | None = None  # the roster's name for the unit it reports on
    written_name: str | None = None  # the unit's name as the file writes it
    match_score: float | None = None  # how close the written name is to the roster's (0-100)
    period_key: str | None = None
    reused: bool = False  # taken from the store: the same content was read before
    flags: int = 0


class FlagRow(_Model):
    commune: str | None
    file: str
    flag: Flag


class RankItem(_Model):
    commune: str
    value: float


class CommuneRow(_Model):
    commune: str
    level: str
    status: Literal["ok", "partial", "failed", "missing"]
    files: list[str] = Field(default_factory=list)
    period_key: str | None = None
    period_label: str | None = None
    dossiers: Dossiers = Field(default_factory=Dossiers)  # whole-unit ("all") figures
    derived: list[str] = Field(default_factory=list)  # fields computed from stated parts
    lien_thong: Dossiers | None = None  # figures of inter-agency (liên thông) dossiers
    metrics: dict[str, int] = Field(default_factory=dict)
    rates: dict[str, float | None] = Field(default_factory=dict)  # recomputed, in percent
    stated_rates: dict[str, float] = Field(default_factory=dict)  # as the report states them
    late_by_field: dict[str, int] = Field(default_factory=dict)
    previous: Dossiers | None = None  # the same commune in the previous period, from the store
    previous_rates: dict[str, float | None] = Field(default_factory=dict)
    change: dict[str, float | None] = Field(
        default_factory=dict
    )  # counts: difference; rates: points
    flags: list[Flag] = Field(default_factory=list)
    flagged_fields: dict[str, str] = Field(default_factory=dict)  # field → worst severity


class DistrictSummary(_Model):
    parent: ParentUnit
    period_key: str | None
    period_label: str | None
    previous_period_key: str | None = None
    generated_on: dt.date
    communes: list[CommuneRow]
    totals: Dossiers
    total_metrics: dict[str, int] = Field(default_factory=dict)
    total_rates: dict[str, float | None] = Field(default_factory=dict)
    lien_thong_totals: Dossiers | None = None  # summed over the communes that report them
    lien_thong_units: int = 0
    ranks: dict[str, list[RankItem]] = Field(default_factory=dict)
    targets: dict[str, float] = Field(default_factory=dict)  # rate name → target percent
    below_target: dict[str, list[RankItem]] = Field(default_factory=dict)
    missing: list[str] = Field(default_factory=list)  # roster communes that sent nothing
    outcomes: list[FileOutcome] = Field(default_factory=list)
    flags: list[FlagRow] = Field(default_factory=list)
