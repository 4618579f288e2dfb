"""Rates by measure: each commune's own rate, and the district's from summed counts.

A commune's rate is the one it wrote. The tool computes its own only to compare: for the
measures defined on dossier figures (tthc.schemas.summary.RATE_DEFINITIONS: online intake,
resolved early or on time, late, returned) from the commune's figures; for the others
(digitization, online payment …) there is no common base, so only the numerator and
denominator the commune wrote count. When the stated and computed rates differ beyond the
rounding of the digits shown, both are kept and the difference becomes a flag: `rate.basis`
(info) when the commune's own counts or another of its figures explain it (a rate on all
received dossiers instead of the new ones), `rate.mismatch` (warning) otherwise.

The district's rate is the sum of the numerators over the sum of the denominators of the
communes that give counts; the communes with a rate but no counts are named, not averaged.
"""

from __future__ import annotations

from collections.abc import Iterable

from tthc.consolidate.totals import approximate_fields, doubted_fields, identities_hold
from tthc.rules.flags import flag_words
from tthc.schemas import Flag, Percentage, Period, Record
from tthc.schemas.names import field_label, measure_label
from tthc.schemas.summary import RATE_DEFINITIONS, CommuneRate, CommuneRow, MeasureRate
from tthc.textkit.numbers import format_vi, rounds_to

DECIMALS = 2  # digits of a rate the tool computes


def stated_rates(record: Record, period: Period) -> tuple[dict[str, Percentage], list[float]]:
    """The whole-unit rates the report writes for the period: the first per measure, and
    the values of those that fit no known measure."""
    by_measure: dict[str, Percentage] = {}
    unclassified: list[float] = []
    for p in record.percentages:
        if p.value is None or p.scope != "all" or p.item is not None or p.change is not None:
            continue
        if p.period_key not in (period.key, None):
            continue
        if p.measure_key is None:
            unclassified.append(p.value)
        else:
            by_measure.setdefault(p.measure_key, p)
    return by_measure, unclassified


def commune_rates(row: CommuneRow, stated: dict[str, Percentage]) -> list[Flag]:
    """Fill `row.rates`; return the flags of rates that differ from the tool's own."""
    flags: list[Flag] = []
    values = row.dossiers.model_dump()
    for measure in dict.fromkeys([*stated, *RATE_DEFINITIONS]):
        p = stated.get(measure)
        num, den = _standard_counts(values, measure)
        computed = _percent(num, den)
        if p is None:
            if computed is not None:
                row.rates[measure] = CommuneRate(
                    commune=row.commune,
                    measure=measure,
                    value=computed,
                    source="computed",
                    numerator=num,
                    denominator=den,
                    computed=computed,
                    exact=100 * num / den,
                )
            continue
        own_num, own_den = _ints(p.numerator), _ints(p.denominator)
        # the counts a district sum takes: the form's own base for a measure defined on
        # dossier figures (never another base), else the counts the commune wrote
        defined = measure in RATE_DEFINITIONS
        rate = CommuneRate(
            commune=row.commune,
            measure=measure,
            value=p.value,
            source="stated",
            stated=p.value,
            decimals=p.decimals,
            numerator=num if defined else own_num,
            denominator=den if defined else own_den,
            computed=computed,
            exact=p.value,
            evidence=p.evidence,
        )
        if computed is not None and rounds_to(computed, p.value, p.decimals or 0):
            rate.exact = 100 * num / den  # 80,0 written for 79,97: the target sees 79,97
        elif computed is not None:
            flag = _difference(row, rate, p, values, num, den)
            if flag is not None:
                rate.note = flag.message
                flags.append(flag)
        _mark_ratio_flag(row, rate, p)
        row.rates[measure] = rate
    return flags


def _mark_ratio_flag(row: CommuneRow, rate: CommuneRate, p: Percentage) -> None:
    """The check's `ratio` flag on this rate (the rate is not its own numerator over its
    denominator) names the rate it is about, so the rates sheet marks the cell and shows
    the computed rate beside it with the same words."""
    for i, f in enumerate(row.flags):
        if f.code != "ratio" or f.actual != p.value or f.period_key not in (p.period_key, None):
            continue
        if f.evidence and p.evidence and f.evidence[0].start != p.evidence.start:
            continue
        field = f"rate.{rate.measure}"
        if field not in f.fields:
            row.flags[i] = f.model_copy(update={"fields": [*f.fields, field]})
        rate.note = rate.note or f.message
        if isinstance(f.expected, int | float):
            rate.computed = float(f.expected)
        return


def _standard_counts(values: dict, measure: str) -> tuple[int | None, int | None]:
    if measure not in RATE_DEFINITIONS:
        return None, None
    num_fields, den_fields = RATE_DEFINITIONS[measure]
    parts = [values.get(f) for f in (*num_fields, *den_fields)]
    if any(v is None for v in parts):
        return None, None
    return sum(values[f] for f in num_fields), sum(values[f] for f in den_fields)


def _percent(num: float | None, den: float | None) -> float | None:
    return round(100 * num / den, DECIMALS) if num is not None and den else None


def _ints(x: float | None) -> int | None:
    return int(x) if x is not None and float(x).is_integer() else None


def _difference(
    row: CommuneRow, rate: CommuneRate, p: Percentage, values: dict, num: int, den: int
) -> Flag | None:
    """Why a stated rate is not the tool's: the commune's own counts, another base among
    its figures, or nothing that explains it."""
    own_num, own_den = _ints(p.numerator), _ints(p.denominator)
    label = measure_label(rate.measure) or rate.measure
    common = {
        "label": label,
        "stated": format_vi(p.value, p.decimals or 0),
        "computed": format_vi(rate.computed, DECIMALS),
        "num": format_vi(num),
        "den": format_vi(den),
    }
    if own_num is not None and own_den:
        if not rounds_to(100 * own_num / own_den, p.value, p.decimals or 0):
            return None  # the ratio check already says the rate is wrong
        text = (
            flag_words()
            .rates["basis_own"]
            .format(own_num=format_vi(own_num), own_den=format_vi(own_den), **common)
        )
        return _flag("rate.basis", "info", text, rate, p)
    base_fields = RATE_DEFINITIONS[rate.measure][1]
    for field, value in values.items():
        if (
            value
            and field not in base_fields
            and rounds_to(100 * num / value, p.value, p.decimals or 0)
        ):
            text = (
                flag_words()
                .rates["basis_field"]
                .format(
                    base=field_label(field).lower(),
                    base_value=format_vi(value),
                    **common,
                )
            )
            return _flag("rate.basis", "info", text, rate, p)
    return _flag(
        "rate.mismatch", "warning", flag_words().rates["mismatch"].format(**common), rate, p
    )


def _flag(code: str, severity: str, text: str, rate: CommuneRate, p: Percentage) -> Flag:
    return Flag(
        code=code,
        severity=severity,
        period=p.period,
        period_key=p.period_key,
        scope="all",
        message=text,
        expected=rate.computed,
        actual=rate.stated,
        fields=[f"rate.{rate.measure}"],
        evidence=[p.evidence],
    )


# ---------------------------------------------------------------- the district


def district_rates(rows: list[CommuneRow], targets: dict[str, float]) -> dict[str, MeasureRate]:
    """Every measure some commune has a rate for, or a target is set for."""
    reporting = [r for r in rows if r.status != "missing"]
    measures = dict.fromkeys([m for r in reporting for m in r.rates] + list(targets))
    return {m: _district_rate(m, reporting, targets.get(m)) for m in measures}


def _district_rate(measure: str, rows: Iterable[CommuneRow], target: float | None) -> MeasureRate:
    out = MeasureRate(measure=measure, target=target)
    num = den = 0
    for row in rows:
        rate = row.rates.get(measure)
        if rate is None:
            continue
        out.communes.append(rate)
        if rate.numerator is None or not rate.denominator:
            out.without_counts.append(row.commune)
        elif counts_in_doubt(row, measure):
            out.doubtful.append(row.commune)
        else:
            out.units.append(row.commune)
            num += rate.numerator
            den += rate.denominator
    if den:
        out.numerator, out.denominator, out.value = num, den, _percent(num, den)
        out.exact = 100 * num / den
    if target is not None:
        below = [r for r in out.communes if _compared(r) is not None and _compared(r) < target]
        out.below = sorted(below, key=_compared)
    return out


def _compared(rate: CommuneRate) -> float | None:
    """The value a target is compared with: unrounded when the commune's counts give it."""
    return rate.exact if rate.exact is not None else rate.value


def counts_in_doubt(row: CommuneRow, measure: str) -> bool:
    """Whether the dossier figures a measure rests on do not hold (an identity among them
    fails, a check doubts one, or one is approximate): such a commune's rate stays its own,
    but its counts are not summed into the district's, so the district rate rests on one
    value of each figure (446 written, 325 + 221 = 546: neither is summed)."""
    if measure not in RATE_DEFINITIONS:
        return False
    fields = set(RATE_DEFINITIONS[measure][0]) | set(RATE_DEFINITIONS[measure][1])
    doubted = doubted_fields(row.flags, row.period_key) | approximate_fields(row.evidence)
    return bool(fields & (set(identities_hold(row.dossiers)) | doubted))
