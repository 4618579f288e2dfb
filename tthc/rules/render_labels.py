"""The render stage's Vietnamese words (tthc/rules/render_labels.toml), validated when loaded.

Sheet names, column headers, status and severity names, the national form's columns, the
notice's sentences. Field and rate names come from tthc/rules/field_names.toml; every dossier
field a column names and every measure a rank names is checked against it at load, and a
mistake is a RulesError naming the file and the line. The render stage looks its words up by
key (`render_labels()`, the file as written once validated); `render_rules()` is the typed view.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from pydantic import Field, model_validator

from tthc.rules.field_names import DossierField, MeasureKey
from tthc.rules.flags import Severity
from tthc.rules.phrasing import Strict, read_rules

# A table's column headers by column key ([flags.columns] …): tthc/render/columns.py lays
# the columns out and checks these keys against its specs.
Headers = dict[str, str]


class Swatch(Strict):
    text: str
    fill: Literal["error", "warning", "info", "missing"] | None = None
    italic: bool = False


class Summary(Strict):
    total_row: str
    comment_author: str
    legend: list[tuple[Swatch, str]]  # a swatch under the table and its meaning


class FormColumn(Strict):
    """A group of the national form's numbered columns: its total ("Tổng số") first, then
    the columns "in which" it splits ("Trong đó")."""

    group: str
    fields: list[DossierField] = Field(min_length=1)
    subs: list[str]
    labels: list[str]

    @model_validator(mode="after")
    def _one_each(self) -> FormColumn:
        if not len(self.fields) == len(self.subs) == len(self.labels):
            raise ValueError("`fields`, `subs` and `labels` need one entry per column")
        if self.subs.count(self.subs[0]) != 1:
            raise ValueError("a group's first column is its total, its only one of that `sub`")
        return self


class Form(Strict):
    code: str
    reporting: str
    receiving: str
    receiver_district: str
    receiver_central: str
    receiver_central_2026: str
    title: str
    period: str
    span: str
    unit: str
    index: str
    unit_col: str
    field_col: str
    field_note: str
    note: str
    total_sub: str
    derived_note: str
    derived_comment: str
    extra_group: str
    date_line: str
    date_blank: str
    blank: str
    reconciled_row: str
    split_title: str
    split_more: str
    split_less: str
    split_unsplit: str
    split_mismatch: str
    sign_left: list[str]
    sign_right: list[str]
    columns: list[FormColumn] = Field(min_length=1)
    extra: dict[DossierField, str]  # columns added when some report states the figure


class Comparison(Strict):
    title: str
    index: str
    unit: str
    subs: list[str]
    total: str
    columns: dict[DossierField, str]


class Senders(Strict):
    title: str
    columns: Headers
    no_roster: str
    status: dict[str, str]


class Columns(Strict):
    columns: Headers


class Files(Strict):
    columns: Headers
    figures: str
    yes: str
    no: str
    status: dict[str, str]


class RankName(Strict):
    title: str
    unit: str
    rate: MeasureKey | None = None


class Ranks(Strict):
    title: str
    columns: Headers
    below: str
    met: str
    below_title: str
    none_below: str
    names: dict[str, RankName]


class RenderLabels(Strict):
    """tthc/rules/render_labels.toml."""

    sheets: dict[str, str]
    summary: Summary
    form: Form
    rates_sheet: dict[str, str | list[str]]
    comparison: Comparison
    senders: Senders
    fields: dict[str, str]  # names flags use beyond field_names.toml (citation parts)
    status: dict[str, str]
    severity: dict[Severity, str]
    flags: Columns
    files: Files
    ranks: Ranks
    rates: dict[str, str]
    messages: dict[str, str]
    statements: dict[str, str | list[str] | Headers]
    left_out: dict[str, str]
    activities: dict[str, str]
    crosscheck: dict[str, str | list[str] | Headers]
    corrections: dict[str, str | Headers]


def form_splits() -> dict[str, tuple[str, ...]]:
    """The national form's totals and the columns "in which" each splits (its group's
    "Tổng số" column, and the others): the form's order, written once in [form.columns].
    A column total equals the sum of its parts' totals only when every unit gives every
    part (consolidation's `SplitGap`)."""
    return {g.fields[0]: tuple(g.fields[1:]) for g in render_rules().form.columns}


@cache
def _read() -> tuple[RenderLabels, dict[str, Any]]:
    return read_rules("render_labels.toml", RenderLabels)


def render_rules() -> RenderLabels:
    return _read()[0]


def render_labels() -> dict[str, Any]:
    """The render stage's words by key, as the validated file writes them."""
    return _read()[1]
