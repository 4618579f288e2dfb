"""Records of spreadsheets: what the load stage read from a workbook (`Grid`), and the form
the extract stage found in it (`SystemExport`, the provincial TTHC information system's
export "Tình hình, kết quả giải quyết TTHC").

A `Grid` keeps every sheet as rows of cell values with the merged areas and the bold cells:
a header merged over three rows and a bold group row are read from these, never guessed
from positions. Rows and columns are 1-based, as a spreadsheet numbers them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from tthc.schemas.record import Evidence

SHEET_FORMATS = ("xlsx", "xls", "html")
# The kind a record of a spreadsheet of many units gets (an export of the system, not one
# commune's report): consolidation sets it aside with a reason.
EXPORT_KIND = "bảng số liệu nhiều đơn vị"


@dataclass(slots=True)
class Sheet:
    """One sheet: `rows[r - 1][c - 1]` is the value of cell (r, c) (text, a number or None);
    `merged` lists (first row, first column, last row, last column) of each merged area,
    whose value sits in its first cell."""

    name: str
    rows: list[list[Any]] = field(default_factory=list)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    bold: set[tuple[int, int]] = field(default_factory=set)

    def value(self, r: int, c: int) -> Any:
        if 0 < r <= len(self.rows) and 0 < c <= len(self.rows[r - 1]):
            return self.rows[r - 1][c - 1]
        return None

    @property
    def width(self) -> int:
        return max((len(row) for row in self.rows), default=0)


@dataclass(slots=True)
class Grid:
    """A spreadsheet as read: its format (xlsx, xls, or an HTML table saved as .xls) and
    its sheets in order."""

    path: str
    format: str
    sheets: list[Sheet] = field(default_factory=list)
    sha256: str | None = None


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


RowKind = Literal["unit", "field", "group", "section", "total"]


class ExportRow(_Model):
    """One row of the export under its header: a unit (or one field of a unit), a group
    row ("Xã, phường, thị trấn"), a section per system ("Trên Hệ thống tỉnh") or a total."""

    name: str  # as written
    kind: RowKind
    sheet: str
    row: int
    group: str | None = None  # the group above it, unless it is the communes' own group
    section: str | None = None  # the system it counts ("Trên Hệ thống tỉnh"), or the sheet's
    unit: str | None = None  # for a field row: the unit row it belongs to
    figures: dict[str, int] = Field(default_factory=dict)
    cells: dict[str, Evidence] = Field(default_factory=dict)


class SystemExport(_Model):
    """The export of the provincial TTHC information system as read: who made it, the period
    of its title block, the columns found by their words, and every row."""

    path: str
    sha256: str | None = None
    format: str
    reporting_unit: str | None = None  # "UBND tỉnh Bình Lĩnh", as the title block writes it
    period_label: str | None = None
    period_key: str | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    period_evidence: Evidence | None = None
    columns: dict[str, str] = Field(default_factory=dict)  # field → its header, as written
    ignored_columns: list[str] = Field(default_factory=list)  # rate columns and the like
    sections: list[str] = Field(default_factory=list)
    rows: list[ExportRow] = Field(default_factory=list)
