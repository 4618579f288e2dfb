"""The communes' reports against the provincial TTHC information system's export.

The one-stop desks work through the provincial system, which counts every unit's dossiers
and exports the national form "Tình hình, kết quả giải quyết TTHC". A report that differs
from it is the first thing an inspector asks about. Here every figure a commune states (never
one the tool filled in) is compared with the export's figure for the same unit and period:

- the export's rows are matched to the roster with the roster's own matcher ("UBND xã Tân
  Hòa - tỉnh Bình Lĩnh" is xã Tân Hòa); rows under other groups (provincial agencies,
  land-registry branches) are not communes; a unit counted in several sections (one per
  system) is summed, and a unit given only per field is the sum of its fields;
- counts must match exactly: a difference is a `crosscheck` warning naming both values and
  the column; when it is exactly the returned dossiers the report keeps apart (the system
  counting them among the resolved on time), it is said as such, as information;
- a figure the system has and the report does not state is said once per unit (info);
- an export of another period, or a file that is not such an export, is compared with
  nothing, and the reason says why.
"""

from __future__ import annotations

from collections.abc import Iterable

from tthc.consolidate.roster import Roster
from tthc.rules.form_sheet import form_sheet_rules
from tthc.schemas import DOSSIER_FIELDS, Evidence, Flag
from tthc.schemas.names import field_label
from tthc.schemas.sheets import ExportRow, SystemExport
from tthc.schemas.summary import CommuneRow, CrossCheck, CrossUnit, CrossValue
from tthc.wording import fmt_count, message, period_label

# Figures a system that counts returned (or withdrawn) dossiers as resolved on time shows
# larger by exactly the returned dossiers a report keeps apart.
RETURNS_COUNTED_AS_RESOLVED = ("resolved_total", "resolved_on_time", "resolved_early_or_on_time")
COMMUNE_LEVELS = ("xã", "phường", "thị trấn", "đặc khu")


def refused(file: str, reason: str) -> CrossCheck:
    """No comparison: the file is not an export of the form (or could not be read)."""
    return CrossCheck(file=file, status="refused", reason=reason)


def cross_check(
    export: SystemExport,
    rows: list[CommuneRow],
    roster: Roster,
    period_key: str | None,
    file: str,
    senders: dict[str, str] | None = None,
) -> tuple[CrossCheck, dict[str, list[Flag]]]:
    """The comparison of every roster commune with the export, and the flags of each
    commune's report (by commune)."""
    senders = senders or {}
    check = CrossCheck(
        file=file,
        status="compared",
        reporting_unit=export.reporting_unit,
        period_label=export.period_label or period_label(export.period_key),
        sections=list(export.sections),
        columns=[f for f in DOSSIER_FIELDS if f in export.columns],
    )
    other = _other_period(export, period_key)
    if other is not None:
        check.status, check.reason = "other_period", other
        return check, {}
    by_commune, check.unmatched = _units(export, roster)
    flags: dict[str, list[Flag]] = {}
    for row in rows:
        found = by_commune.get(row.commune)
        unit = CrossUnit(
            commune=row.commune,
            level=row.level,
            status=senders.get(row.commune, "read" if row.status != "missing" else "missing"),
            written=sorted({r.name for r in found}) if found else [],
        )
        check.units.append(unit)
        if not found:
            continue
        system, cells = _summed(found, check.columns)
        stated = _stated(row)
        unit.values = [_value(f, stated, system, cells, row) for f in check.columns]
        _conventions(unit, stated)
        if row.status != "missing":
            flags[row.commune] = _flags(unit, row, export)
            if any(v.kind == "differs" for v in unit.values):
                check.differing.append(row.commune)
    return check, flags


def _other_period(export: SystemExport, period_key: str | None) -> str | None:
    """Why the export is not of the reports' period (None when it is)."""
    shown = export.period_label or period_label(export.period_key)
    if export.period_key is None:
        return message("crosscheck_no_period")
    if period_key is not None and export.period_key != period_key:
        return message(
            "crosscheck_other_period",
            written=shown,
            period=period_label(period_key) or period_key,
        )
    return None


def _name_level(row: ExportRow) -> tuple[str, str | None]:
    found = form_sheet_rules().unit_of(row.name)  # the export reader's own words
    return (found[1], found[0]) if found else (row.name, None)


def _units(export: SystemExport, roster: Roster) -> tuple[dict[str, list[ExportRow]], list[str]]:
    """The export's rows of each roster commune: its unit rows, or (a unit given only per
    field) its field rows; rows under another group are not communes."""
    out: dict[str, list[ExportRow]] = {}
    unmatched: list[str] = []
    fields_of: dict[tuple[str, str | None, str], list[ExportRow]] = {}
    for row in export.rows:
        if row.kind == "field" and row.unit:
            fields_of.setdefault((row.sheet, row.section, row.unit), []).append(row)
    for row in export.rows:
        if row.kind != "unit" or row.group is not None:
            continue
        name, level = _name_level(row)
        entry, _ = roster.match(name, level if level in COMMUNE_LEVELS else None)
        if entry is None:
            unmatched.append(row.name)
            continue
        if row.figures:
            out.setdefault(entry.name, []).append(row)
        else:
            out.setdefault(entry.name, []).extend(
                fields_of.get((row.sheet, row.section, row.name), [])
            )
    return out, list(dict.fromkeys(unmatched))


def _summed(rows: list[ExportRow], columns: list[str]) -> tuple[dict[str, int], dict[str, list]]:
    """A unit's figure summed over its rows (one per system, or per field); a figure some
    row lacks is unknown, never a partial sum."""
    system: dict[str, int] = {}
    cells: dict[str, list[Evidence]] = {}
    for name in columns:
        if rows and all(name in r.figures for r in rows):
            system[name] = sum(r.figures[name] for r in rows)
            cells[name] = [r.cells[name] for r in rows if name in r.cells]
    return system, cells


def _stated(row: CommuneRow) -> dict[str, int]:
    """The figures the commune's report states (never those the tool filled in)."""
    values = row.dossiers.model_dump()
    return {
        f: v
        for f, v in values.items()
        if v is not None and f not in row.derived and f in DOSSIER_FIELDS
    }


def _value(
    name: str, stated: dict[str, int], system: dict[str, int], cells: dict, row: CommuneRow
) -> CrossValue:
    value = CrossValue(
        field=name,
        stated=stated.get(name),
        system=system.get(name),
        evidence=row.evidence.get(name),
        system_cells=cells.get(name, []),
    )
    if value.system is None:
        value.kind = "not_in_system"
    elif value.stated is None:
        value.kind = "not_stated"
    else:
        value.difference = value.stated - value.system
        value.kind = "equal" if value.difference == 0 else "differs"
    return value


def _conventions(unit: CrossUnit, stated: dict[str, int]) -> None:
    """A difference that is exactly the returned dossiers the report keeps apart: the
    system counts them among the resolved on time. Said as such, not as a discrepancy."""
    returned = stated.get("returned")
    if not returned:
        return
    explained = [
        v
        for v in unit.values
        if v.kind == "differs"
        and v.field in RETURNS_COUNTED_AS_RESOLVED
        and v.difference == -returned
    ]
    if not explained:
        return
    for v in explained:
        v.kind = "convention"
    unit.note = message(
        "crosscheck_convention_returned",
        returned=fmt_count(returned),
        fields=", ".join(field_label(v.field).lower() for v in explained),
    )


def _where(cells: Iterable[Evidence]) -> str:
    return ", ".join(f"{c.cell} trang tính {c.sheet}" for c in cells if c.cell)


def _flags(unit: CrossUnit, row: CommuneRow, export: SystemExport) -> list[Flag]:
    out: list[Flag] = []
    for v in unit.values:
        if v.kind not in ("differs", "convention"):
            continue
        text = message(
            "crosscheck_differs",
            label=field_label(v.field),
            stated=fmt_count(v.stated),
            system=fmt_count(v.system),
            column=export.columns.get(v.field, field_label(v.field)),
            cells=_where(v.system_cells),
            diff=fmt_count(abs(v.difference or 0)),
        )
        if v.kind == "convention":
            text = f"{text} {unit.note}"
        out.append(
            Flag(
                code="crosscheck",
                severity="warning" if v.kind == "differs" else "info",
                period=row.period_label,
                period_key=row.period_key,
                scope="all",
                message=text,
                expected=v.system,
                actual=v.stated,
                fields=[v.field],
                evidence=[e for e in (v.evidence, *v.system_cells) if e is not None],
            )
        )
    missing = [v for v in unit.values if v.kind == "not_stated"]
    if missing:
        out.append(
            Flag(
                code="crosscheck",
                severity="info",
                period=row.period_label,
                period_key=row.period_key,
                scope="all",
                message=message(
                    "crosscheck_not_stated",
                    figures="; ".join(
                        f"{field_label(v.field).lower()} {fmt_count(v.system)}" for v in missing
                    ),
                ),
                expected={v.field: v.system for v in missing},
                actual=None,
                fields=[],
                evidence=[c for v in missing for c in v.system_cells],
            )
        )
    return out
