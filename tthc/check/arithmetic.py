"""Arithmetic checks: the identities of the dossier figures, rates, changes, repeated values.

Identities are data (tthc/rules/identities.toml): one declaration each, evaluated the same way.
A part the text leaves out is replaced by its own parts when those are all stated
(received_new by online + offline), so a report that gives only the finer figures is still
checked, and the message says which number was computed.

Rounding rule for stated rates: a rate passes when it equals the true ratio rounded
half-up, or truncated, to the number of decimals the text shows ("83,4%" is checked at one
decimal; "100%" at none). Writers use both conventions; anything else fails.

Suggestions: when changing one stated number would make every failing identity hold (and
break none that holds), the flag names it ("30.556 → 30.566"). When several single changes
would do, the one that differs by one typed digit is named; if that is still not unique,
none is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from tthc.check.suggestions import count, suggestion
from tthc.rules.flags import flag_words
from tthc.rules.identities import Identity, identities, identity_rules
from tthc.schemas import Evidence, Flag, Percentage, Period, Record, Repair, UnreadNumber
from tthc.schemas.names import field_label
from tthc.textkit.numbers import format_vi, rounds_to

# The flag codes of arithmetic that cannot be true (as opposed to citations).
ARITHMETIC_CODES = (
    "sum.received",
    "sum.resolved",
    "sum.pending",
    "sum.breakdown",
    "balance",
    "impossible",
    "ratio",
    "delta",
)


def _msg(key: str, **values) -> str:
    return flag_words().arithmetic[key].format(**values)


vi = count  # a count or rate written the Vietnamese way


# ---------------------------------------------------------------- identities
def _stated(period: Period) -> dict[str, int]:
    return {k: v for k, v in period.dossiers.model_dump().items() if v is not None}


def _expand(identity: Identity, stated: dict[str, int]) -> tuple[str, ...] | None:
    """The identity's parts, with unstated parts replaced by their stated sub-parts; None
    when a part is neither stated nor derivable."""
    parts: list[str] = []
    for part in identity.parts:
        if part in stated:
            parts.append(part)
            continue
        sub = next(
            (
                i
                for i in identities()
                if i.whole == part and not i.loose and all(p in stated for p in i.parts)
            ),
            None,
        )
        if sub is None:
            return None
        parts.extend(sub.parts)
    return tuple(parts)


@dataclass
class _Eval:
    identity: Identity
    parts: tuple[str, ...]
    whole: int
    total: int
    holds: bool


def evaluate(stated: dict[str, int]) -> list[_Eval]:
    """Every identity whose whole is stated and whose parts are stated or derivable."""
    out = []
    for identity in identities():
        if identity.whole not in stated:
            continue
        if any(p in stated for p in identity.unless_stated):
            continue
        parts = _expand(identity, stated)
        if parts is None or len(set(parts)) != len(parts):
            continue
        total = sum(stated[p] for p in parts)
        whole = stated[identity.whole]
        holds = whole == total
        if not holds and identity.balances_also_with:
            extra = [p for p in identity.balances_also_with if p in stated]
            holds = bool(extra) and whole == total + sum(stated[p] for p in extra)
        out.append(_Eval(identity, parts, whole, total, holds))
    return _deduplicate(out)


def _deduplicate(evals: list[_Eval]) -> list[_Eval]:
    """Two declarations may expand to the same sum (resolved = early + on time + late, and
    resolved = (early + on time) + late once derived): keep one."""
    seen, out = set(), []
    for e in evals:
        key = (e.identity.whole, tuple(sorted(e.parts)))
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def _holds_with(stated: dict[str, int], field: str, value: int) -> list[_Eval]:
    changed = dict(stated)
    changed[field] = value
    return evaluate(changed)


def _one_digit_apart(a: int, b: int) -> bool:
    """A typed digit: same length, one digit different, or two adjacent digits swapped."""
    sa, sb = str(a), str(b)
    if len(sa) != len(sb):
        return False
    diff = [i for i in range(len(sa)) if sa[i] != sb[i]]
    if len(diff) == 1:
        return True
    return (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and sa[diff[0]] == sb[diff[1]]
        and sa[diff[1]] == sb[diff[0]]
    )


def suggest(stated: dict[str, int], failing: list[_Eval]) -> tuple[str, int, int] | None:
    """(field, old, new): the single change that repairs every failing identity."""
    if not failing:
        return None
    fields = set.intersection(*({e.identity.whole, *e.parts} for e in failing))
    candidates = []
    for field in sorted(fields):
        solutions = set()
        for e in failing:
            if field == e.identity.whole:
                solutions.add(e.total)
            else:
                solutions.add(e.whole - (e.total - stated[field]))
        if len(solutions) != 1:
            continue
        value = solutions.pop()
        if value < 0 or value == stated[field]:
            continue
        if all(e.holds for e in _holds_with(stated, field, value)):
            candidates.append((field, stated[field], value))
    if len(candidates) > 1:
        candidates = [c for c in candidates if _one_digit_apart(c[1], c[2])]
    return candidates[0] if len(candidates) == 1 else None


def _ev(period: Period, fields) -> list[Evidence]:
    return [period.evidence[f] for f in fields if f in period.evidence]


def _parts_text(e: _Eval, stated: dict[str, int]) -> str:
    return " + ".join(f"{field_label(p).lower()} ({vi(stated[p])})" for p in e.parts)


def check_identities(period: Period) -> list[Flag]:
    stated = _stated(period)
    evals = evaluate(stated)
    failing = [e for e in evals if not e.holds]
    fix = suggest(stated, [e for e in failing if not e.identity.loose])
    flags = []
    for e in failing:
        key = "balance" if e.identity.code == "balance" else "sum"
        repair = None
        if fix and fix[0] in (e.identity.whole, *e.parts):
            repair = Repair(field=fix[0], stated=fix[1], suggested=fix[2])
        message = _msg(
            key,
            whole_label=field_label(e.identity.whole),
            whole=vi(e.whole),
            parts_text=_parts_text(e, stated),
            expected=vi(e.total),
            diff=vi(abs(e.whole - e.total)),
        )
        severity = "error"
        if _gap_may_be_apart(e, stated):
            severity = "warning"
            message = f"{message} {flag_words().arithmetic['apart_note']}"
        elif e.identity.loose and e.whole > e.total:
            severity = "warning"  # the unstated part may hold the difference
            message = f"{message} {flag_words().arithmetic['unstated_part_note']}"
        flags.append(
            _flag(
                period,
                e.identity.code,
                severity,
                message,
                expected=e.total,
                actual=e.whole,
                repair=repair,
                fields=[e.identity.whole, *e.parts],
            )
        )
    flags += _parts_larger_than_wholes(period, stated)
    return flags


def _gap_may_be_apart(e: _Eval, stated: dict[str, int]) -> bool:
    """More received than resolved + pending, with no returned or withdrawn count stated:
    the gap may be dossiers the office counts apart (returned, withdrawn) and the report
    leaves out, so it is a warning that says so; more handled than received cannot be."""
    apart = e.identity.balances_also_with
    return bool(apart) and e.whole > e.total and not any(p in stated for p in apart)


def _parts_larger_than_wholes(period: Period, stated: dict[str, int]) -> list[Flag]:
    flags, seen = [], set()
    for name, value in stated.items():
        if value < 0:
            flags.append(
                _flag(
                    period,
                    "impossible",
                    "error",
                    _msg("impossible.negative", label=field_label(name), value=vi(value)),
                    expected=0,
                    actual=value,
                    fields=[name],
                )
            )
    for identity in identities():
        whole = stated.get(identity.whole)
        if whole is None:
            continue
        for part in identity.parts:
            value = stated.get(part)
            if value is not None and value > whole and (part, identity.whole) not in seen:
                seen.add((part, identity.whole))
                flags.append(
                    _flag(
                        period,
                        "impossible",
                        "error",
                        _msg(
                            "impossible.part",
                            part_label=field_label(part),
                            part=vi(value),
                            whole_label=field_label(identity.whole).lower(),
                            whole=vi(whole),
                        ),
                        expected=f"≤ {whole}",
                        actual=value,
                        fields=[part, identity.whole],
                    )
                )
    return flags


def check_breakdowns(period: Period) -> list[Flag]:
    flags = []
    for b in period.breakdowns:
        if b.of is None or b.total is None or b.partial:
            continue
        total = sum(b.items.values())
        if total != b.total:
            evidence = [period.evidence[b.of]] if b.of in period.evidence else []
            evidence += [b.evidence] if b.evidence else []
            flags.append(
                _flag(
                    period,
                    "sum.breakdown",
                    "error",
                    _msg(
                        "breakdown",
                        of_label=field_label(b.of),
                        expected=vi(total),
                        actual=vi(b.total),
                    ),
                    expected=total,
                    actual=b.total,
                    fields=[b.of],
                    evidence=evidence,
                )
            )
    return flags


def check_conflicts(period: Period) -> list[Flag]:
    return [
        _flag(
            period,
            "conflict.value",
            "warning",
            _msg("conflict", label=field_label(c.field), values=", ".join(vi(v) for v in c.values)),
            expected=c.values[0],
            actual=c.values[1:],
            fields=[c.field],
            evidence=c.evidence,
        )
        for c in period.conflicts
    ]


REQUIRED = ("received_total", "resolved_total", "pending_total")


def check_missing(period: Period) -> list[Flag]:
    """Announced without a number → warning; received or resolved total never stated in a
    period that has other dossier figures → info."""
    stated = _stated(period)
    flags = []
    for name, evidence in period.missing.items():
        derived = _derivable(name, stated)
        text = (
            _msg("missing.derivable", label=field_label(name), derived=vi(derived))
            if derived is not None
            else _msg("missing", label=field_label(name))
        )
        flags.append(
            _flag(
                period,
                "missing",
                "warning",
                text,
                expected=derived,
                actual=None,
                fields=[name],
                evidence=[evidence],
                # the figure the others determine, as the change that fills it in
                repair=None
                if derived is None
                else Repair(field=name, stated=None, suggested=derived),
            )
        )
    if stated and period.scope == "all":  # a part or a field need not give every total
        for name in REQUIRED[:2]:
            if name not in stated and name not in period.missing:
                flags.append(
                    _flag(
                        period,
                        "missing",
                        "info",
                        _msg(
                            "missing.unstated", label=field_label(name).lower(), period=period.label
                        ),
                        fields=[name],
                        evidence=_ev(period, list(stated)[:1]),
                    )
                )
    return flags


def _derivable(name: str, stated: dict[str, int]) -> int | None:
    for identity in identities():
        if identity.loose:
            continue
        if identity.whole == name and all(p in stated for p in identity.parts):
            return sum(stated[p] for p in identity.parts)
    return None


# ---------------------------------------------------------------- rates
def check_rate(p: Percentage) -> list[Flag]:
    """A rate above 100, a ratio that does not round to the stated rate, a stated change
    that is not the difference of the stated values."""
    flags = []
    if p.value is not None and p.value > 100 and p.compared_to is None:
        flags.append(
            _flag(
                p,
                "impossible",
                "error",
                _msg("impossible.rate", value=vi(p.value)),
                expected="≤ 100",
                actual=p.value,
            )
        )
    if p.numerator is not None and p.denominator:
        exact = p.numerator / p.denominator * 100
        if p.numerator > p.denominator and (p.value is None or p.value <= 100):
            flags.append(
                _flag(
                    p,
                    "impossible",
                    "error",
                    _msg("impossible.ratio", num=vi(p.numerator), den=vi(p.denominator)),
                    expected=f"≤ {vi(p.denominator)}",
                    actual=p.numerator,
                )
            )
        if p.value is not None and not rounds_to(exact, p.value, p.decimals or 0):
            expected = float(
                Decimal(repr(exact)).quantize(Decimal(1).scaleb(-(p.decimals or 0)), ROUND_HALF_UP)
            )
            context = p.ratio_source == "context"
            shown, right = (format_vi(x, p.decimals or 0) for x in (p.value, expected))  # 56,20
            flags.append(
                _flag(
                    p,
                    "ratio",
                    "warning" if context else "error",
                    _msg(
                        "ratio.context" if context else "ratio",
                        actual=shown,
                        num=vi(p.numerator),
                        den=vi(p.denominator),
                        exact=format_vi(exact, 2),
                        expected=right,
                    ),
                    expected=expected,
                    actual=p.value,
                    repair=None
                    if context
                    else Repair(
                        field=f"rate.{p.measure_key}" if p.measure_key else "rate",
                        stated=p.value,
                        suggested=expected,
                        decimals=p.decimals or 0,
                    ),
                )
            )
    if p.value is not None and p.change is not None and p.reference_value is not None:
        decimals = max(_decimals(p.change), 0)
        difference = p.value - p.reference_value
        tolerance = 10**-decimals + 1e-9 if decimals else 0.5
        if not math.isclose(difference, p.change, abs_tol=tolerance):
            flags.append(
                _flag(
                    p,
                    "delta",
                    "error",
                    _msg(
                        "delta",
                        direction=flag_words().arithmetic[
                            "increase" if p.change >= 0 else "decrease"
                        ],
                        actual=vi(abs(p.change)),
                        value=vi(p.value),
                        reference=vi(p.reference_value),
                        expected=format_vi(difference, max(decimals, 1)),
                    ),
                    expected=round(difference, 4),
                    actual=p.change,
                )
            )
    return flags


def _decimals(x: float) -> int:
    text = repr(abs(x))
    return len(text.split(".")[1].rstrip("0")) if "." in text else 0


# ---------------------------------------------------------------- assembling
def _flag(
    where: Period | Percentage,
    code: str,
    severity: str,
    message: str,
    *,
    expected=None,
    actual=None,
    repair: Repair | None = None,
    fields: list[str] | None = None,
    evidence: list[Evidence] | None = None,
) -> Flag:
    """A flag about a period's figures, or about one stated rate (its own evidence);
    `repair`: the suggested single change as data (the flag's `suggestion` and `fix` are
    derived from it)."""
    fields = list(dict.fromkeys(fields or []))
    if isinstance(where, Percentage):
        label, key, scope = where.period, where.period_key, None
        evidence = evidence if evidence is not None else [where.evidence]
    else:
        label, key, scope = where.label, where.key, where.scope
        evidence = evidence if evidence is not None else _ev(where, fields)
    return Flag(
        code=code,
        severity=severity,
        period=label,
        period_key=key,
        scope=scope,
        message=message,
        expected=expected,
        actual=actual,
        suggestion=suggestion(repair),
        fields=fields,
        evidence=evidence,
        repair=repair,
    )


def check_arithmetic(record: Record) -> list[Flag]:
    """Every arithmetic flag of a record, period by period, then rate by rate, each held to
    the precision-first rule (`precision_first`)."""
    flags: list[Flag] = []
    for period in record.periods:
        found = check_identities(period) + check_breakdowns(period) + check_conflicts(period)
        found = [_unread_gap(f, record.unread, _stated(period)) for f in found]
        found = [_on_a_conflict(f, period) for f in found]
        flags += [f for f in map(precision_first, found) if f]
        flags += check_missing(period)
    for p in record.percentages:
        flags += [f for f in (precision_first(f, p.other_unit) for f in check_rate(p)) if f]
    return flags


_GAP_CODES = ("balance", "sum.")
_APART_OF = {"balance": ("returned",)}


def _unread_gap(flag: Flag, unread: list[UnreadNumber], stated: dict[str, int]) -> Flag:
    """An identity that misses by exactly a count of dossiers no reader used in the same
    period ("trả lại 03 hồ sơ …; công dân rút 01 hồ sơ" with the 01 unread): the figures are
    not read without doubt, so a warning that names the number, never an error."""
    if flag.severity != "error" or not flag.code.startswith(_GAP_CODES):
        return flag
    if flag.expected is None or flag.actual is None:
        return flag
    gap = abs(int(flag.actual) - int(flag.expected))
    # a balance stated without the counts kept apart: the gap less those counts is what
    # is left to explain ("1.494 = 1.450 + 40 + 03 trả lại + 01 rút")
    apart = sum(stated.get(f, 0) for f in _APART_OF.get(flag.code, ()))
    gaps = {gap, gap - apart} - {0}
    number = next(
        (u for u in unread if u.value in gaps and u.period_key in (flag.period_key, None)),
        None,
    )
    if number is None:
        return flag
    gap = number.value
    note = (
        flag_words()
        .arithmetic["unread_gap_note"]
        .format(gap=vi(gap), written=number.written, quote=" ".join(number.evidence.quote.split()))
    )
    return flag.model_copy(update={"severity": "warning", "message": f"{flag.message} {note}"})


def _on_a_conflict(flag: Flag, period: Period) -> Flag:
    """An error that rests on a figure the report states with two different values (one
    of them may be a reading of another part's count) is not read without doubt: a
    warning that says which figure is in question."""
    if flag.severity != "error" or flag.code == "conflict.value":
        return flag
    conflicts = [c for c in period.conflicts if c.field in flag.fields]
    if not conflicts:
        return flag
    notes = [
        flag_words()
        .arithmetic["conflicted_note"]
        .format(label=field_label(c.field), values=", ".join(vi(v) for v in c.values))
        for c in conflicts
    ]
    return flag.model_copy(
        update={"severity": "warning", "message": " ".join([flag.message, *notes])}
    )


def precision_first(flag: Flag, other: str | None = None) -> Flag | None:
    """One rule for every arithmetic flag: none when a figure involved is approximate; a
    warning at most, saying why, when one was read with doubt, is not the unit's own, or is
    a list read from a scan (a row the scan lost is likelier than a slip)."""
    rules = identity_rules().precision
    if flag.code in rules.exact_only and any(e.approx for e in flag.evidence):
        return None
    words = flag_words().arithmetic
    notes = []
    if flag.code == "sum.breakdown" and any(e.ocr for e in flag.evidence):
        notes.append(words["scanned_list_note"])
    doubts = list(dict.fromkeys(e.doubt for e in flag.evidence if e.doubt))
    if doubts:
        notes.append(words["doubt_note"].format(doubt=" ".join(doubts)))
    if other:
        notes.append(words["other_scope_note"].format(scope=other))
    if not notes:
        return flag
    severity = "warning" if flag.severity == "error" else flag.severity
    return flag.model_copy(
        update={"severity": severity, "message": " ".join([flag.message, *notes])}
    )
