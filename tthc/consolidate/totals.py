"""Dossier figures of the district: each commune's figures completed from its own
identities, the district sums with their coverage, and the reconciled sets the notice
prints.

A commune's unstated figure is filled in only where its own stated figures determine it
exactly: a whole from all of its parts, or the one missing part from the whole and the
other parts (received 1.165 and new 1.148 give carried over 17). The balance (received =
resolved + pending) is never used to fill a figure, because offices count returned
dossiers either inside or outside it.

Two kinds of district figure are computed here, each once:
- `district_figures`: every commune that states the figure (the workbook's total row);
- `reconcile`: the figures over the communes whose three totals are known and whose every
  identity holds, so that a whole printed next to its parts, and the balance, add up.
  Communes left out are named with the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from tthc.rules.identities import identities
from tthc.rules.render_labels import form_splits
from tthc.schemas import DOSSIER_FIELDS, Dossiers, Evidence, Flag
from tthc.schemas.summary import (
    GROUPS,
    CommuneRow,
    DistrictFigure,
    FigureSource,
    LeftOut,
    Reconciled,
    SplitGap,
)

TOTALS = ("received_total", "resolved_total", "pending_total")
# Flags that put a figure in doubt: a commune with one on a dossier figure is left out of
# the reconciled sums (its figures are shown, and the notice says why they are not summed).
DOUBT_CODES = ("sum.", "balance", "impossible", "conflict.value")


@dataclass(frozen=True)
class _Identity:
    whole: str
    parts: tuple[str, ...]


def _strict_identities() -> list[_Identity]:
    """The identities between a commune's figures that always hold: the balance and those
    that hold only when other figures are unstated (on time + late, when early is not
    stated) are never used to fill a figure in."""
    return [
        _Identity(i.whole, tuple(i.parts))
        for i in identities()
        if i.code != "balance" and not getattr(i, "unless_stated", ())
    ]


def complete_figures(dossiers: Dossiers) -> tuple[Dossiers, list[str]]:
    """The figures with every unstated one that the stated ones determine exactly, and
    the names of those filled in. A figure is never filled with a negative number, nor
    with a value another identity of the unit's own figures contradicts (whole 12.096 from
    one set of parts while another set gives 12.168): then it stays as written (unstated)
    and the check's flag on those parts says why."""
    values = dossiers.model_dump()
    derived: list[str] = []
    changed = True
    while changed:
        changed = False
        for identity in _strict_identities():
            names = (identity.whole, *identity.parts)
            unknown = [n for n in names if values[n] is None]
            if len(unknown) != 1:
                continue
            name = unknown[0]
            value = _implied(identity, name, values)
            if value < 0 or _contradicted(name, value, values):
                continue
            values[name] = value
            derived.append(name)
            changed = True
    return Dossiers(**values), derived


def _implied(identity: _Identity, name: str, values: dict) -> int:
    """The value of `name` that makes `identity` hold (every other member known)."""
    known_parts = sum(values[p] for p in identity.parts if p != name)
    return known_parts if name == identity.whole else values[identity.whole] - known_parts


def _contradicted(name: str, value: int, values: dict) -> bool:
    """Whether another identity whose other members are all known implies another value."""
    for identity in _strict_identities():
        names = (identity.whole, *identity.parts)
        if name not in names or any(values[n] is None for n in names if n != name):
            continue
        if _implied(identity, name, values) != value:
            return True
    return False


def identities_hold(dossiers: Dossiers) -> list[str]:
    """The figures of identities that do not hold (every figure of them known), balance
    included: received = resolved + pending, or + returned when returned is stated."""
    values = dossiers.model_dump()
    broken: list[str] = []
    for identity in _strict_identities():
        names = (identity.whole, *identity.parts)
        if all(values[n] is not None for n in names) and values[identity.whole] != sum(
            values[p] for p in identity.parts
        ):
            broken += [n for n in names if n not in broken]
    if balance_mode(dossiers) == "broken":
        broken += [n for n in (*TOTALS, "returned") if n not in broken]
    return broken


def balance_mode(dossiers: Dossiers) -> str:
    """How a commune's totals balance: "within" (received = resolved + pending), "apart"
    (returned dossiers counted outside them), "broken", or "unknown"."""
    received, resolved, pending = (getattr(dossiers, f) for f in TOTALS)
    if received is None or resolved is None or pending is None:
        return "unknown"
    if received == resolved + pending:
        return "within"
    if dossiers.returned and received == resolved + pending + dossiers.returned:
        return "apart"
    return "broken"


def doubted_fields(flags: Iterable[Flag], period_key: str | None, scope: str = "all") -> set[str]:
    """Dossier figures an error or warning puts in doubt (a sum that fails, a value
    stated twice, a figure read from a scan with low confidence)."""
    out: set[str] = set()
    for f in flags:
        if f.severity == "info" or not f.code.startswith(DOUBT_CODES):
            continue
        if f.period_key not in (period_key, None) or (f.scope or "all") != scope:
            continue
        out |= {x for x in f.fields if x in DOSSIER_FIELDS}
    return out


def approximate_fields(evidence: dict[str, Evidence]) -> set[str]:
    """Figures written as approximations ("hơn 1.000") or read with doubt (a scan)."""
    return {k for k, e in evidence.items() if k in DOSSIER_FIELDS and (e.approx or e.doubt)}


# ---------------------------------------------------------------- district sums


def district_figure(
    rows: Iterable[CommuneRow],
    field: str,
    values: dict[str, Dossiers] | None = None,
    derived: dict[str, list[str]] | None = None,
) -> DistrictFigure:
    """The sum of one figure over the rows that state it (or derive it), with coverage
    and each commune's share. `values` (and `derived`) replace the rows' whole-unit
    figures for another scope (liên thông, one field)."""
    figure = DistrictFigure()
    total = 0
    for row in rows:
        dossiers = values.get(row.commune) if values is not None else row.dossiers
        value = getattr(dossiers, field) if dossiers is not None else None
        if value is None:
            figure.lacking.append(row.commune)
            continue
        filled = (derived or {}).get(row.commune, []) if values is not None else row.derived
        is_derived = field in filled
        figure.units.append(row.commune)
        figure.sources.append(
            FigureSource(
                commune=row.commune,
                value=value,
                derived=is_derived,
                file=row.files[0] if row.files else None,
                evidence=None if values is not None else row.evidence.get(field),
            )
        )
        total += value
    figure.value = total if figure.units else None
    return figure


def district_figures(rows: list[CommuneRow]) -> dict[str, DistrictFigure]:
    """Every dossier figure summed over the communes that state it."""
    reporting = [r for r in rows if r.status != "missing"]
    return {field: district_figure(reporting, field) for field in DOSSIER_FIELDS}


def named_sums(
    rows: list[CommuneRow],
    of: Callable[[CommuneRow], dict[str, int]],
    largest_first: bool = False,
) -> dict[str, DistrictFigure]:
    """Counts a commune gives by name (other activities, late dossiers per field), each
    summed over the communes that give it; the others are `lacking`."""
    names = dict.fromkeys(name for r in rows for name in of(r))
    out = {}
    for name in names:
        figure = DistrictFigure()
        for r in rows:
            if name in of(r):
                figure.units.append(r.commune)
                figure.sources.append(FigureSource(commune=r.commune, value=of(r)[name]))
            else:
                figure.lacking.append(r.commune)
        values = [x.value for x in figure.sources]
        figure.value, figure.low, figure.high = sum(values), min(values), max(values)
        out[name] = figure
    if largest_first:
        return dict(sorted(out.items(), key=lambda kv: -(kv[1].value or 0)))
    return out


def split_gaps(values: dict[str, Dossiers], scope: str = "all") -> list[SplitGap]:
    """For each total of the form, the units that make the column total differ from the
    sum of its parts' totals: a whole given without (all) its parts, or parts given
    without their whole (`unsplit`), or parts that do not add up to it (`mismatch`). The
    differences add up to the difference of the column totals."""
    out = []
    for whole, parts in form_splits().items():
        gap = SplitGap(scope=scope, whole=whole, parts=list(parts))
        for commune, dossiers in values.items():
            members = [getattr(dossiers, f) for f in (whole, *parts)]
            if all(v is None for v in members):
                continue
            diff = (members[0] or 0) - sum(v or 0 for v in members[1:])
            if diff and all(v is not None for v in members):
                gap.mismatch[commune] = diff
            elif diff:
                gap.unsplit[commune] = diff
        if gap.unsplit or gap.mismatch:
            out.append(gap)
    return out


def field_figures(rows: list[CommuneRow]) -> dict[str, dict[str, DistrictFigure]]:
    """Per-field figures ("hộ tịch", "chứng thực" …) summed over the communes that give
    that field's figures."""
    names = dict.fromkeys(name for r in rows for name in r.by_field)
    out = {}
    for name in names:
        having = [r for r in rows if name in r.by_field]
        values = {r.commune: r.by_field[name] for r in having}
        out[name] = {f: district_figure(having, f, values) for f in DOSSIER_FIELDS}
    return out


def reconcile(
    rows: list[CommuneRow],
    scope: str = "all",
) -> Reconciled:
    """The figures of one scope over the communes whose totals are known and hold every
    identity; the others are left out with the reason."""
    values = {r.commune: _scope_values(r, scope) for r in rows if r.status != "missing"}
    values = {c: d for c, d in values.items() if d is not None}
    kept: list[CommuneRow] = []
    left: list[LeftOut] = []
    for row in rows:
        dossiers = values.get(row.commune)
        if dossiers is None:
            continue
        reason = _left_out(row, dossiers, scope)
        if reason is None:
            kept.append(row)
        else:
            left.append(reason)
    result = Reconciled(scope=scope, units=[r.commune for r in kept], left_out=left)
    chosen = {r.commune: values[r.commune] for r in kept}
    lt_derived = {r.commune: r.lien_thong_derived for r in kept} if scope == "lien_thong" else {}
    result.figures = {
        f: district_figure(kept, f, chosen if scope != "all" else None, lt_derived)
        for f in DOSSIER_FIELDS
    }
    result.complete = [
        name
        for name, (whole, parts) in GROUPS.items()
        if kept and all(result.figures[f].complete for f in (whole, *parts))
    ]
    modes = {balance_mode(chosen[r.commune]) for r in kept if chosen[r.commune].returned}
    result.returned_apart = modes <= {"apart"}
    result.rates = _rates_over(result)
    return result


# Rates a notice prints beside the reconciled counts: measure → (numerator, denominator).
_RECONCILED_RATES = {
    "on_time": ("resolved_early_or_on_time", "resolved_total", "resolved"),
    "late": ("resolved_late", "resolved_total", "resolved"),
    "online": ("received_online", "received_new", "received_new"),
}


def _rates_over(result: Reconciled) -> dict[str, float | None]:
    """Rates over the reconciled set, only where the identity's parts are complete (so the
    rate and the counts printed beside it are of the same communes)."""
    out: dict[str, float | None] = {}
    for measure, (num, den, group) in _RECONCILED_RATES.items():
        n, d = result.value(num), result.value(den)
        complete = group in result.complete
        out[measure] = round(100 * n / d, 2) if complete and n is not None and d else None
    return out


def _scope_values(row: CommuneRow, scope: str) -> Dossiers | None:
    if scope == "all":
        return row.dossiers
    if scope == "lien_thong":
        return row.lien_thong
    return row.by_field.get(scope)


def _left_out(row: CommuneRow, dossiers: Dossiers, scope: str) -> LeftOut | None:
    missing = [f for f in TOTALS if getattr(dossiers, f) is None]
    if missing:
        return LeftOut(commune=row.commune, reason="incomplete", fields=missing)
    broken = identities_hold(dossiers)
    if broken:
        return LeftOut(commune=row.commune, reason="inconsistent", fields=broken)
    doubted = doubted_fields(row.flags, row.period_key, scope)
    if scope == "all":
        doubted |= approximate_fields(row.evidence)
    if doubted:
        return LeftOut(commune=row.commune, reason="doubtful", fields=sorted(doubted))
    return None
