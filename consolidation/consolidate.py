"""The consolidate stage: per-file records + roster (+ store) → `DistrictSummary`.

- Each file is matched to a roster commune by the unit it names (fuzzy, level-aware).
- The period consolidated is the roster's, or else the one most reports cover.
- A commune's report for the period is its newest version (report date, then file time);
  older versions and reports of other periods are listed as set aside, with the reason.
- Counts are summed with pandas; every rate is recomputed from the summed counts
  (schemas.summary.RATE_DEFINITIONS), never averaged from the communes' percentages.
- The previous period comes from the store: the same kind of period just before, or the
  same months of the year before ("cùng kỳ").
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import regex

from checks.arithmetic import identities
from consolidation.roster import Roster
from consolidation.store import Store
from extractors.periods import period_dates
from schemas import DOSSIER_FIELDS, Dossiers, Period, Record
from schemas.summary import (
    RATE_DEFINITIONS,
    CommuneRow,
    DistrictSummary,
    FileOutcome,
    FlagRow,
    RankItem,
)

METRICS = ("digitized_intake", "digitized_result")
COLUMNS = (*DOSSIER_FIELDS, *METRICS)
SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}
RANKS = {  # rank name → (column, ascending, only communes with a value)
    "online_lowest": ("rate_online", True),
    "late_most": ("resolved_late", False),
    "returned_most": ("returned", False),
}
RANK_SIZE = 5


@dataclass
class Processed:
    """One file after the per-file stages."""

    path: Path
    record: Record
    reused: bool = False


def consolidate(
    files: list[Processed], roster: Roster, store: Store | None = None, today: dt.date | None = None
) -> DistrictSummary:
    outcomes, matched = _match_files(files, roster)
    period_key = roster.period_key or _common_period(matched)
    chosen = _choose_reports(matched, period_key, outcomes, store)
    rows = [
        _commune_row(entry.name, entry.level, chosen.get(entry.name)) for entry in roster.communes
    ]
    frame = _frame(rows)
    totals = {c: _sum(frame[c]) for c in COLUMNS}
    summary = DistrictSummary(
        parent=roster.parent,
        period_key=period_key,
        period_label=_period_label(chosen, period_key),
        generated_on=today or dt.date.today(),
        communes=rows,
        totals=Dossiers(**{f: totals[f] for f in DOSSIER_FIELDS}),
        total_metrics={m: totals[m] for m in METRICS if totals[m] is not None},
        total_rates=_total_rates(frame),
        targets=roster.targets,
        missing=[r.commune for r in rows if r.status == "missing"],
        outcomes=outcomes,
        flags=[
            FlagRow(commune=o.commune, file=Path(p.path).name, flag=f)
            for o, p in zip(outcomes, files, strict=True)
            for f in p.record.flags
        ],
    )
    _rank(summary, frame)
    _lien_thong(summary)
    if store is not None and period_key:
        _compare_with_previous(summary, store, period_key)
    return summary


# ---------------------------------------------------------------- matching files
def _match_files(
    files: list[Processed], roster: Roster
) -> tuple[list[FileOutcome], list[tuple[int, Processed, str]]]:
    outcomes, matched = [], []
    for i, p in enumerate(files):
        r = p.record
        outcome = FileOutcome(
            path=str(p.path),
            sha256=r.source.sha256,
            status=r.status,
            reason="; ".join(r.errors) or None,
            written_name=r.unit.name,
            period_key=r.report.period_key,
            reused=p.reused,
            flags=len(r.flags),
        )
        if r.status != "failed":
            entry, score = roster.match(
                r.unit.name, r.unit.level if r.unit.level in _LOWER else None
            )
            outcome.match_score = round(score, 1)
            if entry is None:
                outcome.status = "ignored"
                outcome.reason = (
                    f'Không tìm thấy đơn vị "{r.unit.name or "(không rõ)"}" trong danh sách '
                    f"các xã, phường, thị trấn của {roster.parent.committee}."
                )
            else:
                outcome.commune = entry.name
                matched.append((i, p, entry.name))
        outcomes.append(outcome)
    return outcomes, matched


_LOWER = ("xã", "phường", "thị trấn")


def _common_period(matched: list[tuple[int, Processed, str]]) -> str | None:
    keys = Counter(p.record.report.period_key for _, p, _ in matched if p.record.report.period_key)
    return keys.most_common(1)[0][0] if keys else None


def _period_of(record: Record, key: str | None) -> Period | None:
    return next((p for p in record.periods if p.key == key and p.scope == "all"), None)


def _choose_reports(matched, period_key, outcomes, store) -> dict[str, Processed]:
    """Each commune's report for the period: the newest version; others set aside."""
    chosen: dict[str, tuple[int, Processed]] = {}
    for i, p, commune in matched:
        if store is not None and p.record.report.period_key and p.record.source.sha256:
            store.set_current(
                commune, p.record.report.period_key, p.record.source.sha256, str(p.path)
            )
        if _period_of(p.record, period_key) is None and p.record.report.period_key != period_key:
            outcomes[i].status = "ignored"
            outcomes[i].reason = (
                f'Báo cáo kỳ "{p.record.report.period or "không rõ"}", '
                f"không thuộc kỳ đang tổng hợp ({period_key})."
            )
            continue
        if commune in chosen:
            j, other = chosen[commune]
            newer, older = (p, other) if _newer(p, other) else (other, p)
            k = j if older is other else i
            outcomes[k].status = "ignored"
            outcomes[k].reason = f"Đã có bản báo cáo mới hơn của đơn vị: {Path(newer.path).name}."
            if newer is p:
                chosen[commune] = (i, p)
        else:
            chosen[commune] = (i, p)
    if store is not None and period_key:
        for commune, (_, p) in chosen.items():
            if p.record.source.sha256:
                store.set_current(commune, period_key, p.record.source.sha256, str(p.path))
    return {c: p for c, (_, p) in chosen.items()}


def _newer(a: Processed, b: Processed) -> bool:
    da, db = a.record.report.date, b.record.report.date
    if da and db and da != db:
        return da > db
    return (
        a.path.stat().st_mtime > b.path.stat().st_mtime
        if a.path.exists() and b.path.exists()
        else False
    )


def _period_label(chosen: dict[str, Processed], key: str | None) -> str | None:
    labels = Counter(
        p.record.report.period for p in chosen.values() if p.record.report.period_key == key
    )
    return labels.most_common(1)[0][0] if labels else key


# ---------------------------------------------------------------- per commune
def _commune_row(commune: str, level: str, p: Processed | None) -> CommuneRow:
    if p is None:
        return CommuneRow(commune=commune, level=level, status="missing")
    r = p.record
    period = _period_of(r, r.report.period_key) or next(
        (x for x in r.periods if x.scope == "all"), None
    )
    row = CommuneRow(
        commune=commune,
        level=level,
        status=r.status,
        files=[Path(p.path).name],
        period_key=r.report.period_key,
        period_label=r.report.period,
        flags=r.flags,
    )
    if period is not None:
        row.dossiers, row.derived = with_derived(period.dossiers)
        row.metrics = {**_counts_from_ratios(r, period), **period.metrics}
        row.late_by_field = _late_by_field(r, period)
        lien_thong = next(
            (x for x in r.periods if x.key == period.key and x.scope == "lien_thong"), None
        )
        if lien_thong is not None:
            row.lien_thong, _ = with_derived(lien_thong.dossiers)
    values = {**row.dossiers.model_dump(), **row.metrics}
    row.rates = rates_of(values)
    row.stated_rates = {
        p.measure_key: p.value
        for p in r.percentages
        if p.measure_key and p.value is not None and p.scope == "all" and p.item is None
    }
    row.flagged_fields = _flagged_fields(r, period)
    return row


def _counts_from_ratios(r: Record, period: Period) -> dict[str, int]:
    """Digitized counts written only as a ratio's numerator ("số hóa … 571/571 hồ sơ")."""
    out = {}
    for p in r.percentages:
        if (
            p.measure_key in METRICS
            and p.ratio_source == "explicit"
            and p.numerator is not None
            and p.scope == "all"
            and p.item is None
            and p.period_key == period.key
        ):
            out.setdefault(p.measure_key, int(p.numerator))
    return out


def _late_by_field(r: Record, period: Period) -> dict[str, int]:
    """Late dossiers by field: a breakdown of resolved_late, or per-field figures."""
    for b in period.breakdowns:
        if b.of == "resolved_late":
            return dict(b.items)
    return {
        p.scope: p.dossiers.resolved_late
        for p in r.periods
        if p.key == period.key and p.scope not in ("all", "lien_thong") and p.dossiers.resolved_late
    }


def _flagged_fields(r: Record, period: Period | None) -> dict[str, str]:
    worst: dict[str, str] = {}
    for f in r.flags:
        if period is not None and f.period_key not in (period.key, None):
            continue
        if f.scope not in (None, "all"):
            continue
        for name in f.fields:
            if name not in worst or SEVERITY_ORDER[f.severity] > SEVERITY_ORDER[worst[name]]:
                worst[name] = f.severity
    return worst


def with_derived(dossiers: Dossiers) -> tuple[Dossiers, list[str]]:
    """The figures with every unstated one that its stated parts determine filled in
    (received_new = online + offline, …), and the names of those filled in. The same
    identities as the checks; a figure is derived only from parts that are all stated."""
    values = dossiers.model_dump()
    derived: list[str] = []
    changed = True
    while changed:
        changed = False
        for identity in identities():
            if values[identity.whole] is None and all(
                values[p] is not None for p in identity.parts
            ):
                values[identity.whole] = sum(values[p] for p in identity.parts)
                derived.append(identity.whole)
                changed = True
    return Dossiers(**values), derived


def rates_of(values: dict) -> dict[str, float | None]:
    """Rates in percent from counts; None when a count it needs is not stated."""
    out: dict[str, float | None] = {}
    for name, (num, den) in RATE_DEFINITIONS.items():
        parts = [values.get(f) for f in (*num, *den)]
        if any(v is None or pd.isna(v) for v in parts):
            out[name] = None
            continue
        numerator = sum(values[f] for f in num)
        denominator = sum(values[f] for f in den)
        out[name] = round(100 * numerator / denominator, 2) if denominator else None
    return out


# ---------------------------------------------------------------- the district
def _frame(rows: list[CommuneRow]) -> pd.DataFrame:
    records = []
    for r in rows:
        values = {**r.dossiers.model_dump(), **{m: r.metrics.get(m) for m in METRICS}}
        values.update({f"rate_{k}": v for k, v in r.rates.items()})
        records.append({"commune": r.commune, "status": r.status, **values})
    frame = pd.DataFrame.from_records(records).set_index("commune")
    for c in COLUMNS:
        frame[c] = pd.to_numeric(frame[c], errors="coerce").astype("Int64")
    return frame


def _total_rates(frame: pd.DataFrame) -> dict[str, float | None]:
    """District rates from summed counts, over the communes that state every count the
    rate needs (a commune without its online figure does not lower the online rate)."""
    out: dict[str, float | None] = {}
    for name, (num, den) in RATE_DEFINITIONS.items():
        cols = list(dict.fromkeys((*num, *den)))
        rows = frame[cols].dropna()
        denominator = rows[list(den)].sum(axis=1).sum()
        out[name] = (
            round(100 * rows[list(num)].sum(axis=1).sum() / denominator, 2) if denominator else None
        )
    return out


def _sum(column: pd.Series) -> int | None:
    """Sum of the stated values; None when no commune states it (not a zero)."""
    total = column.sum(min_count=1)
    return None if pd.isna(total) else int(total)


def _rank(summary: DistrictSummary, frame: pd.DataFrame) -> None:
    for name, (column, ascending) in RANKS.items():
        values = pd.to_numeric(frame[column], errors="coerce").dropna()
        if column != "rate_online":
            values = values[values > 0]
        top = values.sort_values(ascending=ascending, kind="stable").head(RANK_SIZE)
        summary.ranks[name] = [RankItem(commune=c, value=float(v)) for c, v in top.items()]
    for rate, target in summary.targets.items():
        column = f"rate_{rate}"
        if column not in frame:
            continue
        values = pd.to_numeric(frame[column], errors="coerce").dropna()
        below = values[values < target].sort_values(kind="stable")
        summary.below_target[rate] = [RankItem(commune=c, value=float(v)) for c, v in below.items()]


def _lien_thong(summary: DistrictSummary) -> None:
    rows = [r.lien_thong for r in summary.communes if r.lien_thong is not None]
    if not rows:
        return
    frame = pd.DataFrame([d.model_dump() for d in rows]).astype("Int64")
    summary.lien_thong_totals = Dossiers(**{f: _sum(frame[f]) for f in DOSSIER_FIELDS})
    summary.lien_thong_units = len(rows)


# ---------------------------------------------------------------- previous period
def previous_key(key: str, available: set[str]) -> str | None:
    """The period to compare with: the same months a year before for "first n months";
    otherwise the latest period of the same kind that ends before this one starts."""
    if m := regex.fullmatch(r"(\d{4})-M(\d{1,2})", key):
        same = f"{int(m[1]) - 1}-M{m[2]}"
        return same if same in available else None
    kind = _kind(key)
    start, _ = period_dates(key)
    if start is None:
        return None
    earlier = [(period_dates(k)[1], k) for k in available if _kind(k) == kind and k != key]
    earlier = [(end, k) for end, k in earlier if end is not None and end < start]
    return max(earlier)[1] if earlier else None


def _kind(key: str) -> str:
    if regex.fullmatch(r"\d{4}", key):
        return "year"
    if regex.fullmatch(r"\d{4}-Q\d", key):
        return "quarter"
    if regex.fullmatch(r"\d{4}-\d\d", key):
        return "month"
    return "other"


def _compare_with_previous(summary: DistrictSummary, store: Store, key: str) -> None:
    keys: Counter[str] = Counter()
    for row in summary.communes:
        periods = dict(store.periods(row.commune))
        prev = previous_key(key, set(periods))
        if prev is None:
            continue
        record = store.record_of(periods[prev])
        period = _period_of(record, prev) if record else None
        if period is None:
            continue
        keys[prev] += 1
        row.previous, _ = with_derived(period.dossiers)
        previous_values = {**row.previous.model_dump(), **period.metrics}
        row.previous_rates = rates_of(previous_values)
        now = {**row.dossiers.model_dump(), **row.metrics}
        row.change = {
            f: (now[f] - previous_values[f])
            if now.get(f) is not None and previous_values.get(f) is not None
            else None
            for f in DOSSIER_FIELDS
        }
        row.change.update(
            {
                f"rate_{k}": round(v - row.previous_rates[k], 2)
                if v is not None and row.previous_rates.get(k) is not None
                else None
                for k, v in row.rates.items()
            }
        )
    if keys:
        summary.previous_period_key = keys.most_common(1)[0][0]
