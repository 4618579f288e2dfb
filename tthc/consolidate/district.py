"""The consolidate stage: per-file records + roster (+ store) → `DistrictSummary`.

Everything the workbook, the CSVs and the notice show is computed here, once:
- which file is each commune's report (versions.py), and what each commune sent;
- each commune's figures, completed only from its own identities (figures.py);
- the district figures with their coverage, and the reconciled sets the notice prints;
- each commune's rates as it wrote them, and the district's from summed counts
  (tthc.consolidate.rates_by_measure);
- the previous period from the store ("cùng kỳ" or the period just before);
- who issues the notice and when (the roster and the options, never the clock alone).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from tthc.consolidate.crosscheck import cross_check
from tthc.consolidate.issuer import fill_issuer
from tthc.consolidate.notes import merged, row_notes, slips
from tthc.consolidate.notice_figures import statements
from tthc.consolidate.rates_by_measure import commune_rates, district_rates, stated_rates
from tthc.consolidate.roster import Roster
from tthc.consolidate.store import Store
from tthc.consolidate.totals import (
    complete_figures,
    district_figures,
    field_figures,
    named_sums,
    reconcile,
    split_gaps,
)
from tthc.consolidate.versions import Candidate, Processed, choose, match_files, period_of
from tthc.rules.flags import SEVERITY_RANK
from tthc.schemas import DOSSIER_FIELDS, Correction, Flag, Period, Record
from tthc.schemas.names import field_label
from tthc.schemas.period_key import TWO_TIER_START, PeriodKey
from tthc.schemas.sheets import SystemExport
from tthc.schemas.summary import (
    DISTRICT_LEVELS,
    RATE_DEFINITIONS,
    CommuneRow,
    Comparison,
    ComparisonLine,
    CrossCheck,
    DistrictSummary,
    FileOutcome,
    FlagRow,
    NoticeMeta,
    RankItem,
    Sender,
)
from tthc.wording import fmt_count, join_units, message, period_label, unit_name

__all__ = ["Processed", "consolidate", "previous_key"]

DIGITIZED = ("digitized_intake", "digitized_result")
RANK_SIZE = 5


def consolidate(
    files: list[Processed],
    roster: Roster,
    store: Store | None = None,
    today: dt.date | None = None,
    *,
    skipped: list[FileOutcome] | None = None,
    notice_date: dt.date | None = None,
    roster_given: bool = True,
    system: SystemExport | CrossCheck | None = None,
) -> DistrictSummary:
    """`system`: the provincial system's export to compare the reports with (`tthc run
    --system`), or the CrossCheck that says why it cannot be (not such an export)."""
    outcomes, matched = match_files(files, roster)
    for extra in skipped or []:
        if extra.commune is None and extra.kind == "not_report":  # a photo, a spreadsheet
            entry = roster.match_file_name(extra.path)
            if entry is not None:
                extra.commune, extra.matched_by = entry.name, "file_name"
        outcomes.append(extra)
    period_key = roster.period_key or _common_period(matched)
    chosen, conflicts = choose(matched, period_key, outcomes, store)
    rows = [
        _commune_row(
            entry.name,
            entry.level,
            chosen.get(entry.name),
            period_key,
            conflicts.get(entry.name, []),
        )
        for entry in roster.communes
    ]
    crosscheck = _cross_check(system, rows, roster, period_key)
    start, end = _period_span(chosen, period_key)
    summary = DistrictSummary(
        parent=roster.parent,
        period_key=period_key,
        period_label=_period_label(chosen, period_key),
        period_start=start,
        period_end=end,
        generated_on=today or dt.date.today(),
        roster_given=roster_given,
        communes=rows,
        figures=district_figures(rows),
        metrics=named_sums([r for r in rows if r.status != "missing"], lambda r: r.metrics),
        reconciled=reconcile(rows, "all"),
        lien_thong=reconcile(rows, "lien_thong") if any(r.lien_thong for r in rows) else None,
        by_field=named_sums(rows, lambda r: r.late_by_field, largest_first=True),
        fields=field_figures(rows),
        rates=district_rates(rows, roster.targets),
        splits=_splits(rows),
        targets=roster.targets,
        outcomes=outcomes,
        crosscheck=crosscheck,
    )
    _flag_rows(summary, chosen)
    summary.ranks = _ranks(rows)
    summary.senders = _senders(rows, outcomes, roster_given)
    summary.missing = [s.commune for s in summary.senders if s.status == "missing"]
    if crosscheck is not None:
        sent = {x.commune: x.status for x in summary.senders}
        for unit in crosscheck.units:
            unit.status = sent.get(unit.commune, unit.status)
    summary.notice = _notice_meta(summary, notice_date)
    fill_issuer(summary, roster.notice)
    if store is not None and period_key:
        _compare_with_previous(summary, store, period_key)
    summary.scope_note = _scope_note(chosen, period_key, rows)
    summary.statements = statements(summary)
    return summary


# ---------------------------------------------------------------- the system's export


def _cross_check(
    system: SystemExport | CrossCheck | None,
    rows: list[CommuneRow],
    roster: Roster,
    period_key: str | None,
) -> CrossCheck | None:
    """Compare the reports with the export; each difference is a flag of the commune's
    report (a `crosscheck` note beside its cells), said once."""
    if system is None or isinstance(system, CrossCheck):
        return system
    check, flags = cross_check(system, rows, roster, period_key, Path(system.path).name)
    for row in rows:
        extra = flags.get(row.commune)
        if not extra:
            continue
        row.flags += extra
        row.notes = sorted(
            row.notes + row_notes(row, [[f] for f in extra]),
            key=lambda n: -SEVERITY_RANK[n.severity],
        )
        for f in extra:
            for name in f.fields:
                worst = row.flagged_fields.get(name)
                if worst is None or SEVERITY_RANK[f.severity] > SEVERITY_RANK[worst]:
                    row.flagged_fields[name] = f.severity
    return check


# ---------------------------------------------------------------- the period


def _common_period(matched: list[Candidate]) -> str | None:
    keys = Counter(
        c.processed.record.report.period_key
        for c in matched
        if c.processed.record.report.period_key
    )
    return keys.most_common(1)[0][0] if keys else None


def _period_label(chosen: dict[str, Processed], key: str | None) -> str | None:
    labels = Counter(
        p.record.report.period for p in chosen.values() if p.record.report.period_key == key
    )
    written = labels.most_common(1)[0][0] if labels else None
    named = period_label(key)
    # "Quý I năm 2025" as the roster's key names it, unless reports all write another form
    return named if named != key or written is None else written


def _period_span(chosen: dict[str, Processed], key: str | None) -> tuple[dt.date | None, ...]:
    """The dates most reports write for the period; else the statistical calendar's for a
    commune (its Quý III/2025 from 1/7/2025, the day the new communes began)."""
    spans = Counter(
        (p.start, p.end)
        for report in chosen.values()
        if (p := period_of(report.record, key)) is not None and p.start and p.end
    )
    if spans:
        return spans.most_common(1)[0][0]
    period = PeriodKey.parse(key)
    return period.commune_dates if period else (None, None)


def _splits(rows: list[CommuneRow]) -> dict[str, list]:
    """Why the form's column totals do not add up, for the whole units and liên thông."""
    reporting = [r for r in rows if r.status != "missing"]
    out = {"all": split_gaps({r.commune: r.dossiers for r in reporting})}
    lien_thong = {r.commune: r.lien_thong for r in reporting if r.lien_thong is not None}
    if lien_thong:
        out["lien_thong"] = split_gaps(lien_thong, "lien_thong")
    return {scope: gaps for scope, gaps in out.items() if gaps}


# ---------------------------------------------------------------- per commune


def _report_period(record: Record, key: str | None) -> Period | None:
    period = period_of(record, key)
    if period is None and record.report.period_key == key:
        period = next((x for x in record.periods if x.scope == "all"), None)
    return period


def _commune_row(
    commune: str, level: str, p: Processed | None, key: str | None, extra: list[Flag]
) -> CommuneRow:
    if p is None:
        return CommuneRow(commune=commune, level=level, status="missing")
    r = p.record
    period = _report_period(r, key)
    row = CommuneRow(
        commune=commune,
        level=level,
        status=r.status,
        files=[Path(p.path).name],
        period_key=period.key if period else r.report.period_key,
        period_label=period.label if period else r.report.period,
        flags=[*r.flags, *extra],
        corrections=list(r.corrections),
    )
    if period is not None:
        row.dossiers, row.derived = complete_figures(period.dossiers)
        row.evidence = {k: v for k, v in period.evidence.items() if k in DOSSIER_FIELDS}
        row.metrics = {**_counts_from_ratios(r, period), **period.metrics}
        lien_thong = period_of(r, period.key, "lien_thong")
        if lien_thong is not None:
            row.lien_thong, row.lien_thong_derived = complete_figures(lien_thong.dossiers)
        row.by_field = {
            x.scope: complete_figures(x.dossiers)[0]
            for x in r.periods
            if x.key == period.key and is_field_scope(x.scope)
        }
        row.late_by_field = _late_fields(r, period)
        stated, row.unclassified_rates = stated_rates(r, period)
        row.flags += commune_rates(row, stated)
    groups = slips(row.flags)
    row.notes = row_notes(row, groups)
    row.flags = [merged(g) for g in groups]
    row.flagged_fields = _flagged_fields(row.flags, period)
    return row


def is_field_scope(scope: str) -> bool:
    """A per-field scope ("hộ tịch"): not the whole unit, not liên thông, not the dossiers
    under the unit's own authority, and not a part of the unit (`part:cấp xã`), whose
    figures never stand in for the unit's own."""
    return scope not in ("all", "lien_thong", AUTHORITY) and not scope.startswith("part:")


AUTHORITY = "authority"  # the dossiers under the commune's own authority (since 1/7/2025)


def _scope_note(
    chosen: dict[str, Processed], key: str | None, rows: list[CommuneRow]
) -> str | None:
    """Which scope the dossier figures are, when some report states both the dossiers
    received at its centre and those under its own authority: always the first (the
    report's own total), the second named and never summed."""
    levels = {r.commune: r.level for r in rows}
    both, only = [], []
    for commune, p in chosen.items():
        if period_of(p.record, key, AUTHORITY) is None:
            continue
        (both if period_of(p.record, key) is not None else only).append(commune)
    if not both and not only:
        return None
    named = [unit_name(c, levels.get(c)) for c in sorted(both + only, key=list(levels).index)]
    text = message("scope_centre", units=join_units(named))
    if only:
        text += " " + message(
            "scope_authority_only", units=join_units([unit_name(c, levels.get(c)) for c in only])
        )
    return text


def _counts_from_ratios(r: Record, period: Period) -> dict[str, int]:
    """Digitized counts written only as a ratio's numerator ("số hóa … 571/571 hồ sơ")."""
    out = {}
    for p in r.percentages:
        if (
            p.measure_key in DIGITIZED
            and p.numerator is not None
            and p.scope == "all"
            and p.item is None
            and p.period_key in (period.key, None)
        ):
            out.setdefault(p.measure_key, int(p.numerator))
    return out


def _late_fields(r: Record, period: Period) -> dict[str, int]:
    """Late dossiers by field: a breakdown of resolved_late, or per-field figures."""
    for b in period.breakdowns:
        if b.of == "resolved_late":
            return dict(b.items)
    return {
        p.scope: p.dossiers.resolved_late
        for p in r.periods
        if p.key == period.key and is_field_scope(p.scope) and p.dossiers.resolved_late
    }


def _flagged_fields(flags: list[Flag], period: Period | None) -> dict[str, str]:
    worst: dict[str, str] = {}
    for f in flags:
        if period is not None and f.period_key not in (period.key, None):
            continue
        if f.scope not in (None, "all"):
            continue
        for name in f.fields:
            if name not in worst or SEVERITY_RANK[f.severity] > SEVERITY_RANK[worst[name]]:
                worst[name] = f.severity
    return worst


# ---------------------------------------------------------------- the district


def _flag_rows(summary: DistrictSummary, chosen: dict[str, Processed]) -> None:
    """The flags of the reports consolidated (a set-aside version's do not count)."""
    files = {c: Path(p.path).name for c, p in chosen.items()}
    for row in summary.communes:
        for flag in row.flags:
            summary.flags.append(
                FlagRow(commune=row.commune, file=files.get(row.commune, ""), flag=flag)
            )
    counts = Counter(f.file for f in summary.flags)
    for outcome in summary.outcomes:
        if outcome.status in ("ok", "partial"):
            outcome.flags = counts.get(Path(outcome.path).name, 0)


def _ranks(rows: list[CommuneRow]) -> dict[str, list[RankItem]]:
    reporting = [r for r in rows if r.status != "missing"]
    online = [(r.commune, r.rates["online"].value) for r in reporting if "online" in r.rates]
    online = [(c, v) for c, v in online if v is not None]
    out = {
        "online_lowest": [
            RankItem(commune=c, value=v) for c, v in sorted(online, key=lambda x: x[1])[:RANK_SIZE]
        ]
    }
    for name, field in (("late_most", "resolved_late"), ("returned_most", "returned")):
        values = [(r.commune, getattr(r.dossiers, field)) for r in reporting]
        values = sorted(((c, v) for c, v in values if v), key=lambda x: -x[1])
        out[name] = [RankItem(commune=c, value=v) for c, v in values[:RANK_SIZE]]
    return out


def _senders(
    rows: list[CommuneRow], outcomes: list[FileOutcome], roster_given: bool
) -> list[Sender]:
    """Per commune: read, sent but unreadable, sent something that is not its report, or
    (only with a roster) not sent."""
    by_commune: dict[str, list[FileOutcome]] = {}
    for o in outcomes:
        if o.commune:
            by_commune.setdefault(o.commune, []).append(o)
    out = []
    for row in rows:
        files = by_commune.get(row.commune, [])
        sender = Sender(
            commune=row.commune,
            level=row.level,
            status="missing",
            files=[Path(o.path).name for o in files],
        )
        if row.status != "missing":
            sender.status = "partial" if row.status == "partial" else "read"
            sender.files = row.files
        elif any(o.status == "failed" for o in files):
            sender.status = "unreadable"
            sender.reasons = [o.reason or "" for o in files if o.status == "failed"]
        elif files:
            sender.status = "not_report"
            sender.reasons = [o.reason or "" for o in files]
        elif not roster_given:
            continue
        out.append(sender)
    return out


def _notice_meta(summary: DistrictSummary, notice_date: dt.date | None) -> NoticeMeta:
    """The notice's date (given, or left for the officer with the period's year) and a
    warning when a district would issue it after districts ceased to exist."""
    meta = NoticeMeta(date=notice_date)
    end = summary.period_end
    meta.year = notice_date.year if notice_date else (end.year if end else None)
    when = notice_date or end
    if summary.parent.level in DISTRICT_LEVELS and when is not None and when >= TWO_TIER_START:
        meta.warnings.append(message("district_after_reform", committee=summary.parent.committee))
    if not summary.roster_given:
        meta.warnings.append(message("no_roster"))
    corrected = corrections_said(summary.communes)
    if corrected:
        meta.warnings.append(message("corrected", items="; ".join(corrected)))
    return meta


def corrections_said(rows: list[CommuneRow]) -> list[str]:
    """Each unit's corrected figures and settled flags, in words ("thị trấn Chợ Vàng:
    kỳ trước chuyển qua 16 → 13"; a figure the report did not state reads "không ghi → 585"),
    for the notice's reviewer."""
    out = []
    for row in rows:
        said = [correction_text(c) for c in row.corrections]
        if said:
            out.append(f"{unit_name(row.commune, row.level)}: {', '.join(said)}")
    return out


def correction_text(c: Correction) -> str:
    """One correction in a few words."""
    if c.kind in ("value", "assign"):
        label = field_label(c.field).lower() if c.field else ""
        scope = "" if c.scope == "all" else f" ({c.scope})"
        before = "không ghi" if c.before is None else fmt_count(c.before)
        return f"{label}{scope} {before} → {fmt_count(c.after)}"
    return message(f"correction_{c.kind}")


# ---------------------------------------------------------------- previous period


def previous_key(key: str, available: set[str]) -> str | None:
    """The period to compare with: the same months a year before for "first n months";
    otherwise the latest period of the same kind that ends before this one starts."""
    period = PeriodKey.parse(key)
    if period is None:
        return None
    if period.kind in ("months", "last_months"):
        same = str(period.previous())
        return same if same in available else None
    earlier = [
        (other.end, k)
        for k in available
        if (other := PeriodKey.parse(k)) is not None and other.kind == period.kind and k != key
    ]
    earlier = [(end, k) for end, k in earlier if end < period.start]
    return max(earlier)[1] if earlier else None


def _compare_with_previous(summary: DistrictSummary, store: Store, key: str) -> None:
    keys: Counter[str] = Counter()
    for row in summary.communes:
        periods = dict(store.periods(row.commune))
        prev = previous_key(key, set(periods))
        if prev is None:
            continue
        record = store.record_of(periods[prev])
        period = period_of(record, prev) if record else None
        if period is None:
            continue
        keys[prev] += 1
        row.previous, _ = complete_figures(period.dossiers)
        before = row.previous.model_dump()
        now = row.dossiers.model_dump()
        row.previous_rates = {
            m: _rate(before, m) for m in row.rates if _rate(before, m) is not None
        }
        row.change = {
            f: now[f] - before[f] if now[f] is not None and before[f] is not None else None
            for f in DOSSIER_FIELDS
        }
        for measure, rate in row.rates.items():
            old, current = row.previous_rates.get(measure), rate.computed
            row.change[f"rate_{measure}"] = (
                round(current - old, 2) if current is not None and old is not None else None
            )
    if keys:
        summary.previous_period_key = keys.most_common(1)[0][0]
    summary.comparison = _comparison(summary)


COMPARED = ("received_total", "resolved_total", "resolved_late", "pending_overdue")


def _comparison(summary: DistrictSummary) -> Comparison:
    """The district against the previous period, over the communes that state a figure in
    both periods (so the two sums cover the same communes)."""
    rows = [r for r in summary.communes if r.status != "missing"]
    with_prev = [r for r in rows if r.previous is not None]
    out = Comparison(
        previous_key=summary.previous_period_key, covered=len(with_prev), reporting=len(rows)
    )
    for key in COMPARED:
        pairs = [(getattr(r.dossiers, key), getattr(r.previous, key)) for r in with_prev]
        pairs = [(a, b) for a, b in pairs if a is not None and b is not None]
        if pairs:
            out.lines.append(
                ComparisonLine(
                    key=key, previous=sum(b for _, b in pairs), current=sum(a for a, _ in pairs)
                )
            )
    return out


def _rate(values: dict, measure: str) -> float | None:
    """A rate computed from dossier figures the same way in both periods."""
    if measure not in RATE_DEFINITIONS:
        return None
    num, den = RATE_DEFINITIONS[measure]
    if any(values.get(f) is None for f in (*num, *den)):
        return None
    d = sum(values[f] for f in den)
    return round(100 * sum(values[f] for f in num) / d, 2) if d else None
