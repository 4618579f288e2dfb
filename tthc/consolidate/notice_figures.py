"""The table of statements: every figure the notice states, once.

Each statement is a value with what it counts, the communes it covers and those it leaves
out with the reason, and the places of the workbook that show it. The notice prints these
values and no other figure; the workbook lists them on their own sheet ("Số liệu thông
báo") and at their places, with the same value. So an inspector who reads a number in the
notice finds it on the workbook, with its coverage, and a test can walk the notice and
find every number.

Nothing is computed here that consolidation has not computed already: this module only
names each figure and gathers its coverage.
"""

from __future__ import annotations

from tthc.schemas.names import field_label
from tthc.schemas.summary import (
    GROUPS,
    DistrictFigure,
    DistrictSummary,
    MeasureRate,
    Place,
    Reconciled,
    Statement,
)
from tthc.wording import labels, measure_name

# The counts beyond dossiers the notice's section on TTHC control states (and the
# "Công tác kiểm soát TTHC" sheet shows per unit), in the notice's order.
ACTIVITY_METRICS = (
    "procedures_published",
    "procedures_reviewed",
    "procedures_simplification_proposed",
    "petitions_received",
    "petitions_resolved",
    "communication_posts",
    "desk_staff",
    "online_services_full",
    "online_services_partial",
    "online_payments",
    "satisfaction_surveys",
)
# Counts whose sum means little (each unit publishes its own list): stated as a range.
RANGE_METRICS = ("procedures_published", "online_services_full", "online_services_partial")
# Dossier figures listed by unit in the notice, and how many units each list names.
BY_UNIT = {"resolved_late": 12, "pending_overdue": 12, "returned": 5}
NOTICE_MEASURES = ("online", "digitized_intake", "digitized_result", "payment", "satisfaction")
LATE_BY_FIELD = "dossiers.late_by_field"


def words() -> dict[str, str]:
    return labels()["statements"]


def statements(summary: DistrictSummary) -> list[Statement]:
    """Every figure the notice may state, in the notice's order."""
    out: list[Statement] = []
    out += _reporting(summary)
    out += _activities(summary)
    out += _dossiers(summary, summary.reconciled, "dossiers", "summary")
    out += _by_unit(summary)
    out += _late_by_field(summary)
    if summary.lien_thong is not None and summary.lien_thong.units:
        out += _dossiers(summary, summary.lien_thong, "lien_thong", "lien_thong")
    for measure, rate in summary.rates.items():
        out += _rate(summary, measure, rate)
    out += _comparison(summary)
    out += _crosscheck(summary)
    return out


def by_key(summary: DistrictSummary) -> dict[str, Statement]:
    return {s.key: s for s in summary.statements}


# ---------------------------------------------------------------- who sent what


def _reporting(summary: DistrictSummary) -> list[Statement]:
    w = words()
    groups = {
        "reported": [s.commune for s in summary.senders if s.status in ("read", "partial")],
        "unreadable": [s.commune for s in summary.senders if s.status == "unreadable"],
        "not_report": [s.commune for s in summary.senders if s.status == "not_report"],
        "missing": [s.commune for s in summary.senders if s.status == "missing"],
    }
    out = []
    if summary.roster_given:
        roster = [r.commune for r in summary.communes]
        out.append(
            Statement(
                key="units.roster",
                label=w["roster"],
                value=len(roster),
                unit="đơn vị",
                units=roster,
            )
        )
    for name, units in groups.items():
        out.append(
            Statement(
                key=f"units.{name}",
                label=w[f"units_{name}"],
                value=len(units),
                unit="đơn vị",
                units=units,
            )
        )
    return out


# ---------------------------------------------------------------- TTHC control


def _activities(summary: DistrictSummary) -> list[Statement]:
    out = []
    for name in ACTIVITY_METRICS:
        figure = summary.metrics.get(name)
        if figure is None:
            continue
        label = field_label(name)
        left = {c: words()["not_stated"] for c in figure.lacking}
        out.append(
            Statement(
                key=f"activity.{name}",
                label=label,
                value=figure.value,
                units=list(figure.units),
                left_out=left,
                places=[Place(sheet="activities", row="total", column=name)],
            )
        )
        if name in RANGE_METRICS:
            for end in ("low", "high"):
                out.append(
                    Statement(
                        key=f"activity.{name}.{end}",
                        label=f"{label} ({words()[end]})",
                        value=getattr(figure, end),
                        units=list(figure.units),
                        left_out=left,
                        places=[Place(sheet="activities", row=end, column=name)],
                    )
                )
    return out


# ---------------------------------------------------------------- dossier figures


def _left_reasons(summary: DistrictSummary, rc: Reconciled) -> dict[str, str]:
    reasons = labels()["left_out"]
    return {item.commune: reasons[item.reason] for item in rc.left_out}


def _dossiers(summary: DistrictSummary, rc: Reconciled, prefix: str, sheet: str) -> list[Statement]:
    """The reconciled figures of one scope: the set's size, each figure, its rates."""
    left = _left_reasons(summary, rc)
    out = [
        Statement(
            key=f"{prefix}.units",
            label=words()[f"{prefix}_units"],
            value=len(rc.units),
            unit="đơn vị",
            units=list(rc.units),
            left_out=left,
        )
    ]
    for field, figure in rc.figures.items():
        if figure.value is None:
            continue
        lacking = {c: words()["not_stated"] for c in figure.lacking}
        out.append(
            Statement(
                key=f"{prefix}.{field}",
                label=f"{field_label(field)} ({words()[prefix + '_scope']})",
                value=figure.value,
                unit="hồ sơ",
                units=list(figure.units),
                left_out={**left, **lacking},
                places=[Place(sheet=sheet, row="reconciled", column=field)],
            )
        )
    if prefix == "dossiers":
        for measure, value in rc.rates.items():
            if value is None:
                continue
            group = GROUPS["resolved"][0] if measure in ("on_time", "late") else "received_new"
            figure = rc.figures.get(group) or DistrictFigure()
            out.append(
                Statement(
                    key=f"dossiers.rate_{measure}",
                    label=f"{measure_name(measure)} ({words()['dossiers_scope']})",
                    value=value,
                    unit="%",
                    units=list(figure.units),
                    left_out=left,
                )
            )
    return out


def _by_unit(summary: DistrictSummary) -> list[Statement]:
    """The units the notice names with their count (late, overdue, returned): each value
    is the unit's own cell on the form."""
    rc = summary.reconciled
    rows = [r for r in summary.communes if r.commune in rc.units]
    out = []
    for field, limit in BY_UNIT.items():
        items = [(r, getattr(r.dossiers, field)) for r in rows]
        items = sorted(((r, v) for r, v in items if v), key=lambda x: -x[1])
        for row, value in items[:limit]:
            out.append(
                Statement(
                    key=f"unit.{field}.{row.commune}",
                    label=f"{field_label(field)}: {row.level} {row.commune}",
                    value=value,
                    unit="hồ sơ",
                    units=[row.commune],
                    places=[Place(sheet="summary", row=row.commune, column=field)],
                )
            )
        if len(items) > limit:  # "… và 3 đơn vị khác"
            out.append(
                Statement(
                    key=f"unit.{field}.more",
                    label=f"{field_label(field)}: {words()['more_units']}",
                    value=len(items) - limit,
                    unit="đơn vị",
                    units=[r.commune for r, _ in items[limit:]],
                )
            )
    return out


def _late_by_field(summary: DistrictSummary) -> list[Statement]:
    """Late dossiers by field over the reconciled units that name the fields: the list is
    partial when some of them do not, and the statement says of how many dossiers."""
    rc = summary.reconciled
    rows = [r for r in summary.communes if r.commune in rc.units and r.late_by_field]
    if not rows:
        return []
    totals: dict[str, int] = {}
    for row in rows:
        for name, value in row.late_by_field.items():
            totals[name] = totals.get(name, 0) + value
    units = [r.commune for r in rows]
    late = {r.commune: r.dossiers.resolved_late for r in summary.communes}
    lacking = {c: words()["no_field_split"] for c in rc.units if c not in units and late.get(c)}
    covered = sum(totals.values())
    out = [
        Statement(
            key=LATE_BY_FIELD,
            label=words()["late_by_field"],
            value=covered,
            unit="hồ sơ",
            units=units,
            left_out=lacking,
        )
    ]
    for name, value in sorted(totals.items(), key=lambda kv: -kv[1]):
        out.append(
            Statement(
                key=f"{LATE_BY_FIELD}.{name}",
                label=f"{words()['late_by_field']}: {name}",
                value=value,
                unit="hồ sơ",
                units=[r.commune for r in rows if name in r.late_by_field],
            )
        )
    return out


# ---------------------------------------------------------------- rates


def _rate(summary: DistrictSummary, measure: str, rate: MeasureRate) -> list[Statement]:
    if rate.value is None and not rate.below:
        return []
    w = words()
    left = {c: w["rate_only"] for c in rate.without_counts}
    left |= {c: labels()["left_out"]["inconsistent"] for c in rate.doubtful}
    name = measure_name(measure)
    out = []
    if rate.value is not None:
        for part, value in (
            ("", rate.value),
            (".numerator", rate.numerator),
            (".denominator", rate.denominator),
        ):
            out.append(
                Statement(
                    key=f"rate.{measure}{part}",
                    label=f"{name}{w['rate' + part.replace('.', '_')]}",
                    value=value,
                    unit="%" if not part else "hồ sơ",
                    units=list(rate.units),
                    left_out=left,
                    places=[Place(sheet="rates", row="district", column=f"{measure}{part}")],
                )
            )
    if rate.target is not None:
        out.append(
            Statement(
                key=f"rate.{measure}.target",
                label=f"{name}: {w['target']}",
                value=rate.target,
                unit="%",
                places=[Place(sheet="rates", row="target", column=measure)],
            )
        )
        out.append(
            Statement(
                key=f"rate.{measure}.below",
                label=f"{name}: {w['below']}",
                value=len(rate.below),
                unit="đơn vị",
                units=[r.commune for r in rate.below],
            )
        )
        for item in rate.below:
            column = f"{measure}.stated" if item.source == "stated" else f"{measure}.computed"
            out.append(
                Statement(
                    key=f"rate.{measure}.below.{item.commune}",
                    label=f"{name}: {item.commune}",
                    value=item.value,
                    unit="%",
                    units=[item.commune],
                    places=[Place(sheet="rates", row=item.commune, column=column)],
                )
            )
            if item.computed is not None and item.value is not None and item.value >= rate.target:
                out.append(
                    Statement(
                        key=f"rate.{measure}.below.{item.commune}.computed",
                        label=f"{name}: {item.commune} ({w['by_counts']})",
                        value=item.computed,
                        unit="%",
                        units=[item.commune],
                        places=[
                            Place(sheet="rates", row=item.commune, column=f"{measure}.computed")
                        ],
                    )
                )
    return out


# ---------------------------------------------------------------- previous period


def _comparison(summary: DistrictSummary) -> list[Statement]:
    comparison = summary.comparison
    if not comparison.lines:
        return []
    covered = [r.commune for r in summary.communes if r.previous is not None]
    out = [
        Statement(
            key="comparison.units",
            label=words()["comparison_units"],
            value=comparison.covered,
            unit="đơn vị",
            units=covered,
        )
    ]
    for line in comparison.lines:
        for part, value in (
            ("current", line.current),
            ("previous", line.previous),
            ("change", abs(line.change)),
        ):
            out.append(
                Statement(
                    key=f"comparison.{line.key}.{part}",
                    label=f"{field_label(line.key)} ({words()['comparison_' + part]})",
                    value=value,
                    unit="hồ sơ",
                    units=covered,
                    places=[Place(sheet="comparison", row="total", column=f"{line.key}.{part}")],
                )
            )
    return out


# ---------------------------------------------------------------- the system's export


def _crosscheck(summary: DistrictSummary) -> list[Statement]:
    """The reports against the system's export: how many were compared, how many differ,
    and each differing figure as the report states it and as the system counts it (the
    "Đối chiếu hệ thống" sheet's cells)."""
    check = summary.crosscheck
    if check is None or check.status != "compared":
        return []
    w = words()
    compared = [u.commune for u in check.units if u.values and u.status in ("read", "partial")]
    out = [
        Statement(
            key="crosscheck.units",
            label=w["crosscheck_units"],
            value=len(compared),
            unit="đơn vị",
            units=compared,
            places=[Place(sheet="crosscheck", row="summary", column="units")],
        ),
        Statement(
            key="crosscheck.differing",
            label=w["crosscheck_differing"],
            value=len(check.differing),
            unit="đơn vị",
            units=list(check.differing),
            places=[Place(sheet="crosscheck", row="summary", column="differing")],
        ),
    ]
    for unit in check.units:
        if unit.commune not in check.differing:
            continue
        for v in unit.values:
            if v.kind != "differs":
                continue
            for part, value in (("stated", v.stated), ("system", v.system)):
                out.append(
                    Statement(
                        key=f"crosscheck.{unit.commune}.{v.field}.{part}",
                        label=w[f"crosscheck_{part}"].format(
                            unit=unit.commune, label=field_label(v.field)
                        ),
                        value=value,
                        unit="hồ sơ",
                        units=[unit.commune],
                        places=[
                            Place(sheet="crosscheck", row=unit.commune, column=f"{v.field}.{part}")
                        ],
                    )
                )
    return out
