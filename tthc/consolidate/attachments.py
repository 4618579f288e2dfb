"""A commune's own form in a spreadsheet, sent beside its Word or PDF report.

Communes often attach their figures as the national form in Excel. Both are the commune's
report of the period: they make one record. The report's text stays the record; each figure
the form states is compared with the report's (`conflict.value` when they differ, both
cells named), and a figure only the form states is taken from it, with its cell as the
evidence. The form's file is listed as used, with what was done.
"""

from __future__ import annotations

from pathlib import Path

from tthc.schemas import DOSSIER_FIELDS, Flag, Period, Record
from tthc.schemas.names import field_label
from tthc.schemas.sheets import SHEET_FORMATS
from tthc.schemas.summary import FileOutcome
from tthc.wording import fmt_count, message


def is_form(record: Record) -> bool:
    return record.source.format in SHEET_FORMATS


def merge_form(
    report: Record, form: Record, period_key: str | None, report_name: str, form_name: str
) -> tuple[Record, list[Flag]]:
    """The report's record with the form's figures compared and added, and the flags of
    the figures that differ."""
    merged = report.model_copy(deep=True)
    flags: list[Flag] = []
    for theirs in form.periods:
        if theirs.key != period_key:
            continue
        mine = next(
            (p for p in merged.periods if p.key == period_key and p.scope == theirs.scope), None
        )
        if mine is None:
            merged.periods.append(theirs.model_copy(deep=True))
            continue
        flags += _compare(mine, theirs, report_name, form_name)
    return merged, flags


def _compare(mine: Period, theirs: Period, report_name: str, form_name: str) -> list[Flag]:
    flags = []
    for name in DOSSIER_FIELDS:
        value = getattr(theirs.dossiers, name)
        if value is None:
            continue
        stated = getattr(mine.dossiers, name)
        if stated is None:
            setattr(mine.dossiers, name, value)
            if name in theirs.evidence:
                mine.evidence[name] = theirs.evidence[name]
            continue
        if stated == value:
            continue
        flags.append(
            Flag(
                code="conflict.value",
                severity="warning",
                period=mine.label,
                period_key=mine.key,
                scope=mine.scope,
                message=message(
                    "report_form_differ",
                    report=report_name,
                    form=form_name,
                    label=field_label(name).lower(),
                    stated=fmt_count(stated),
                    value=fmt_count(value),
                ),
                expected=None,
                actual=[stated, value],
                fields=[name],
                evidence=[e for e in (mine.evidence.get(name), theirs.evidence.get(name)) if e],
            )
        )
    return flags


def form_outcome(outcome: FileOutcome, report_path: Path) -> None:
    """The form's line among the files: used, with the report it goes with."""
    outcome.kind = "form_of_report"
    outcome.reason = message("form_of_report", report=report_path.name)
