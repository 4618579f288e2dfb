"""Checks on a report's legal citations: codes, symbol format, dates, conflicts, replacements.

Each rule reads the citations `tthc.extract.citations.find_citations` produced (one entry per
document; a symbol written with two dates or two issuers is two entries) and, where it helps,
the registry of central documents (`tthc.check.registry`). Severities, thresholds and the
Vietnamese messages are data (tthc/rules/flags.toml [citations]):

- citation.code: the code contradicts the written kind (error: "Nghị định … /QĐ-TTg" cannot
  be true), the code's issuer cannot issue the kind (error), or the written issuer differs from
  the code's (warning: often a slip in the issuer, "của Chính phủ" for a VPCP circular).
- citation.format: a normative kind without its year, an unknown code (warning); the kind word
  glued to the number or blanks inside the symbol (info: the document is still identifiable).
- citation.date: the registry gives another date, or the symbol's year is not the date's
  year (error: cannot both hold); dated after the report (warning).
- citation.conflict: one symbol with two dates (error when both mentions name the same
  issuer: one register cannot give one number two dates; warning when an issuer is missing);
  one symbol with two issuers (warning: two registers may share a number); two numbers of one
  issuer and code on one day with the same subject (warning: likely a mistyped number);
  numbers that go back in time in one register within a year (warning: a typo in a number or
  a date, or a number reserved out of order).
- citation.superseded: the registry says the document was replaced before the period began
  (warning) or during it (info).
- citation.window: a commune's normative decision or resolution dated 1/4–30/6/2025, when
  communes could not issue one (warning; from 1/7/2025 they may again).
- citation.amended: 118/2025/NĐ-CP cited for a period after an amendment took effect,
  without the amendment (info).
A registry row not fully verified never raises an error on its own (downgraded).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from itertools import pairwise
from typing import Any

import regex
from rapidfuzz import fuzz

from tthc.check.registry import Registry, load_registry
from tthc.check.suggestions import date_vi, suggestion
from tthc.rules.citation_codes import (
    GLUED,
    NO_YEAR,
    SPACED,
    UNKNOWN_CODE,
    code_rules,
    issuers_compatible,
    symbol_key,
)
from tthc.rules.flags import flag_words, registry_hint, worst
from tthc.rules.legal_registry import LegalDocument
from tthc.schemas import Citation, Evidence, Flag, RegistryDocument, Repair
from tthc.textkit.forms import match_form

_PROBLEM_ORDER = (NO_YEAR, UNKNOWN_CODE, GLUED, SPACED)
_DIGITS = regex.compile(r"\d+")
_NOT_WORDS = regex.compile(r"[\s\p{P}]+")


_THRESHOLDS = flag_words().citations.thresholds
SUBJECT_SIMILARITY: int = _THRESHOLDS.subject_similarity
SUBJECT_MIN_CHARS: int = _THRESHOLDS.subject_min_chars
REPORT_PERIOD_DAYS: int = _THRESHOLDS.report_period_days


# --------------------------------------------------------------------------- helpers


_vn = date_vi


def _registry_hint(doc: LegalDocument) -> str:
    """ "Theo cơ sở dữ liệu văn bản: …": what the registry knows of the document meant."""
    lead = flag_words().citations.messages["registry_lead"]
    return registry_hint(doc.kind, doc.symbol, doc.date, doc.issuer, lead)


def _symbol_repair(c: Citation, doc: LegalDocument) -> Repair:
    """The registry's symbol for a citation's, with the document it rests on."""
    return Repair(field="symbol", stated=c.symbol, suggested=doc.symbol, document=_document(doc))


def _document(doc: LegalDocument) -> RegistryDocument:
    return RegistryDocument(kind=doc.kind, symbol=doc.symbol, date=doc.date, issuer=doc.issuer)


def _message(name: str, **values: Any) -> str:
    return flag_words().citations.messages[name].format_map(values)


def _severity(rule: str, confidence: str | None = None) -> str:
    """The rule's severity, downgraded when it rests on a registry row not fully verified."""
    severity = flag_words().citations.severity[rule]
    if confidence:
        severity = flag_words().citations.downgrade.get(confidence, {}).get(severity, severity)
    return severity


def _evidence(*citations: Citation, with_date: bool = False) -> list[Evidence]:
    out: list[Evidence] = []
    for c in citations:
        out.extend(c.mentions or [c.evidence])
        if with_date and c.date_evidence is not None:
            out.append(c.date_evidence)
    return out


def _flag(code: str, severity: str, message: str, **fields: Any) -> Flag:
    """A flag; its suggestion is its repair in words (tthc.check.suggestions)."""
    return Flag(
        code=code,
        severity=severity,
        message=message,
        suggestion=suggestion(fields.get("repair")),
        **fields,
    )


def _number_value(number: str | None) -> int | None:
    m = _DIGITS.match(number or "")
    return int(m.group()) if m else None


def _registry_docs(c: Citation, registry: Registry) -> list[LegalDocument]:
    """Registry rows for the cited symbol; for a symbol without a year, of the date's year."""
    docs = registry.by_symbol(c.symbol or "")
    if c.year is None and c.date is not None:
        docs = [d for d in docs if d.year == c.date.year]
    return docs


# --------------------------------------------------------------------------- citation.code


def _code_problem(c: Citation) -> tuple[str, dict[str, Any]] | None:
    """The first contradiction between code, kind and issuer: (rule, message values)."""
    rules = code_rules()
    kind = rules.kinds.get(c.kind or "")
    parts = rules.split_code(c.code or "")
    token = parts.issuer
    values: dict[str, Any] = {
        "symbol": c.symbol,
        "code": c.code,
        "kind": c.kind,
        "issuer": c.issuer,
    }
    if kind is not None and not rules.kind_accepts(kind.name, parts.letters):
        return "code.kind", values
    if kind is not None and kind.issuer and token is not None and token.name != kind.issuer:
        return "code.kind_issuer", {**values, "kind_issuer": kind.issuer, "code_issuer": token.name}
    written = _central_issuer(c.issuer)
    if (
        token is not None
        and c.issuer
        and (token.central or written)
        and not issuers_compatible(c.issuer, token.name)
    ):
        return "code.written_issuer", {**values, "code_issuer": token.name}
    return None


def _central_issuer(issuer: str | None) -> bool:
    """Whether a written issuer is a national body named in the code tables."""
    if not issuer:
        return False
    names = {t.name for t in code_rules().issuers.values() if t.central}
    names |= {t.name for _, t in code_rules().issuer_patterns if t.central}
    return issuer in names


def _expected_code(c: Citation) -> str | None:
    """The code the written kind uses: "NĐ-CP" for a Nghị định, "QĐ-UBND" for a local decision."""
    rules = code_rules()
    kind = rules.kinds.get(c.kind or "")
    if kind is None:
        return None
    if kind.code:
        return kind.code
    letters = rules.primary_letters(kind.name)
    parts = rules.split_code(c.code or "")
    if letters is None or parts.issuer is None:
        return None
    return "-".join([letters, parts.issuer.token, *parts.units])


def _registry_match(c: Citation, registry: Registry) -> LegalDocument | None:
    """The registry document this citation most likely means: same number, year, kind (and date)."""
    year = c.year or (c.date.year if c.date else None)
    if year is None or c.number is None:
        return None
    docs = [
        d
        for d in registry.by_number_year(c.number, year)
        if d.kind == c.kind and (c.date is None or d.date in (None, c.date))
    ]
    return docs[0] if len(docs) == 1 else None


def check_code(c: Citation, registry: Registry) -> list[Flag]:
    """citation.code: the code contradicts the kind or the issuer."""
    found = _code_problem(c)
    if found is None:
        return []
    rule, values = found
    expected, actual = _expected_code(c), c.code
    if rule == "code.kind":
        message = _message(
            "code_kind" if expected else "code_kind_bare", **values, expected=expected
        )
    else:
        message = _message(rule.replace("code.", "code_"), **values)
    if rule == "code.written_issuer":  # the code is fine; the written issuer is not its issuer
        expected, actual = values["code_issuer"], c.issuer
    doc = _registry_match(c, registry)
    repair = None
    if doc is not None and symbol_key(doc.symbol) != symbol_key(c.symbol or ""):
        repair = _symbol_repair(c, doc)
        message += _registry_hint(doc)
    return [
        _flag(
            "citation.code",
            _severity(rule),
            message,
            expected=expected,
            actual=actual,
            repair=repair,
            fields=["code", "kind", "issuer"],
            evidence=_evidence(c),
        )
    ]


# --------------------------------------------------------------------------- citation.format


def _written(c: Citation) -> str:
    """The citation as written up to the end of its symbol ("Nghị định61/NĐ-CP")."""
    quote, raw = c.evidence.quote, c.raw or ""
    at = quote.find(raw) if raw else -1
    return quote[: at + len(raw)] if at >= 0 else (raw or c.symbol or "")


def _missing_year_match(c: Citation, registry: Registry) -> LegalDocument | None:
    docs = [d for d in registry.by_number_code(c.number or "", c.code or "") if d.year_in_symbol]
    if c.date is not None:
        docs = [d for d in docs if d.date in (None, c.date)]
    return docs[0] if len(docs) == 1 else None


def check_format(c: Citation, registry: Registry) -> list[Flag]:
    """citation.format: a symbol missing its year, with an unknown code, glued or spaced."""
    problems = [p for p in _PROBLEM_ORDER if p in c.problems]
    if not problems:
        return []
    values = {"symbol": c.symbol, "code": c.code, "kind": c.kind}
    parts = [_message(f"format_{p}", **values) for p in problems]
    message = _message("format_lead", written=_written(c), problems="; ".join(parts))
    doc = _missing_year_match(c, registry) if NO_YEAR in problems else None
    repair = _symbol_repair(c, doc) if doc else None
    if doc is not None:
        message += _registry_hint(doc)
    # The symbol as written is judged on its own; the registry only offers the suggestion.
    severity = worst(_severity(f"format.{p}") for p in problems)
    return [
        _flag(
            "citation.format",
            severity,
            message,
            expected=doc.symbol if doc else c.symbol,
            actual=_written(c),
            repair=repair,
            fields=["symbol"],
            evidence=_evidence(c),
        )
    ]


# --------------------------------------------------------------------------- citation.date


def check_date(c: Citation, registry: Registry, report_date: dt.date | None = None) -> list[Flag]:
    """citation.date: the symbol's year, the registry's date, or the report's own date disagree."""
    if c.date is None:
        return []
    flags: list[Flag] = []
    common = {"fields": ["date"], "evidence": _evidence(c, with_date=True)}
    if c.year is not None and c.date.year != c.year:
        flags.append(
            _flag(
                "citation.date",
                _severity("date.year"),
                _message("date_year", symbol=c.symbol, year=c.year, actual=_vn(c.date)),
                expected=c.year,
                actual=c.date.isoformat(),
                **common,
            )
        )
    docs = [d for d in _registry_docs(c, registry) if d.date is not None]
    if docs and all(d.date != c.date for d in docs):
        doc = docs[0]
        flags.append(
            _flag(
                "citation.date",
                _severity("date.registry", doc.confidence),
                _message(
                    "date_registry", symbol=c.symbol, actual=_vn(c.date), expected=_vn(doc.date)
                ),
                expected=doc.date.isoformat(),
                actual=c.date.isoformat(),
                repair=Repair(
                    field="date", stated=c.date, suggested=doc.date, document=_document(doc)
                ),
                **common,
            )
        )
    if report_date is not None and c.date > report_date:
        flags.append(
            _flag(
                "citation.date",
                _severity("date.future"),
                _message(
                    "date_future", symbol=c.symbol, actual=_vn(c.date), report_date=_vn(report_date)
                ),
                expected=None,
                actual=c.date.isoformat(),
                **common,
            )
        )
    return flags


# --------------------------------------------------------------------------- citation.superseded


def _period(
    period_start: dt.date | None, period_end: dt.date | None, report_date: dt.date | None
) -> tuple[dt.date | None, dt.date | None, str]:
    """The reported period and how to name it; with only the report date, the days before it."""
    if period_start is None and period_end is None:
        if report_date is None:
            return None, None, ""
        start = report_date - dt.timedelta(days=REPORT_PERIOD_DAYS)
        return start, report_date, _message("period_report", date=_vn(report_date))
    if period_start is None:
        return None, period_end, _message("period_until", end=_vn(period_end))
    if period_end is None:
        return period_start, None, _message("period_from", start=_vn(period_start))
    label = _message("period_range", start=_vn(period_start), end=_vn(period_end))
    return period_start, period_end, label


def check_superseded(
    c: Citation,
    registry: Registry,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    report_date: dt.date | None = None,
) -> list[Flag]:
    """citation.superseded: a replaced document cited for a period after (or across) its end."""
    start, end, label = _period(period_start, period_end, report_date)
    if start is None and end is None:
        return []
    flags: list[Flag] = []
    for doc in _registry_docs(c, registry):
        replaced_on = registry.replacement_date(doc)
        if replaced_on is None:
            continue
        if start is not None and start >= replaced_on:
            rule = "superseded.after"
        elif end is not None and end >= replaced_on:
            rule = "superseded.straddle"
        else:
            continue
        message = _message(
            rule.replace(".", "_"),
            symbol=c.symbol,
            replaced_by=doc.replaced_by or "?",
            replaced_on=_vn(replaced_on),
            period=label,
        )
        flags.append(
            _flag(
                "citation.superseded",
                _severity(rule, doc.confidence),
                message,
                expected=doc.replaced_by,
                actual=c.symbol,
                repair=Repair(
                    field="symbol",
                    stated=c.symbol,
                    suggested=doc.replaced_by,
                    document=_document(doc),
                )
                if doc.replaced_by
                else None,
                fields=["symbol"],
                evidence=_evidence(c),
            )
        )
    return flags


# --------------------------------------------------------------------------- the 2025 reform


def _commune_issuer(issuer: str | None, levels: list[str]) -> bool:
    """ "UBND xã Tân Hòa", "HĐND phường 3": a commune-level body named as the issuer."""
    words = match_form(issuer or "").split()
    return (
        len(words) >= 2
        and words[0] in ("ubnd", "hđnd")
        and any(" ".join(words[1 : 1 + len(level.split())]) == level for level in levels)
    )


def check_window(c: Citation) -> list[Flag]:
    """citation.window: a commune's normative decision or resolution (a year in its symbol)
    dated 1/4/2025–30/6/2025, when communes could not issue one (Luật 64/2025/QH15; Luật
    87/2025/QH15 restored them from 1/7/2025)."""
    gap = flag_words().citations.commune_normative_gap
    if c.year is None or c.date is None or c.kind not in gap.kinds:
        return []
    if not gap.start <= c.date <= gap.end or not _commune_issuer(c.issuer, gap.levels):
        return []
    return [
        _flag(
            "citation.window",
            _severity("window.commune"),
            _message("window_commune", symbol=c.symbol, date=_vn(c.date), issuer=c.issuer),
            expected=None,
            actual=c.date.isoformat(),
            fields=["symbol", "date"],
            evidence=_evidence(c, with_date=True),
        )
    ]


def check_amendments(
    citations: list[Citation],
    registry: Registry,
    period_start: dt.date | None,
    period_end: dt.date | None,
    report_date: dt.date | None,
) -> list[Flag]:
    """citation.amended (info): a document tthc/rules/notice.toml says is to be cited with its
    amendments (118/2025/NĐ-CP), cited for a period after an amendment took effect, and
    the report cites no such amendment."""
    from tthc.rules.notice_issuers import notice_rules

    _, end, label = _period(period_start, period_end, report_date)
    if end is None:
        return []
    cited = {symbol_key(c.symbol or "") for c in citations}
    flags: list[Flag] = []
    for ground in notice_rules().grounds:
        if not ground.cite_with_amendments or symbol_key(ground.symbol) not in cited:
            continue
        due: list[str] = []  # the amendments in force by the period's end, not cited
        named: list[str] = []
        for symbol in ground.amended_by:
            docs = registry.by_symbol(symbol)
            start = (docs[0].effective or docs[0].date) if docs else None
            if start is not None and start <= end and symbol_key(symbol) not in cited:
                due.append(symbol)
                named.append(f"{docs[0].kind} {symbol} (từ ngày {_vn(start)})")
        if not due:
            continue
        first = next(
            c for c in citations if symbol_key(c.symbol or "") == symbol_key(ground.symbol)
        )
        flags.append(
            _flag(
                "citation.amended",
                _severity("amended.missing"),
                _message(
                    "amended_missing",
                    symbol=ground.symbol,
                    amendments=", ".join(named),
                    period=label,
                ),
                expected=due,
                actual=first.symbol,
                fields=["symbol"],
                evidence=_evidence(first),
            )
        )
    return flags


# --------------------------------------------------------------------------- citation.conflict


def _same_symbol_conflicts(citations: list[Citation]) -> list[Flag]:
    """One symbol with two dates (same or unknown issuer) or two issuers (same or unknown date)."""
    groups: dict[str, list[Citation]] = defaultdict(list)
    for c in citations:
        groups[symbol_key(c.symbol or "")].append(c)
    flags: list[Flag] = []
    for group in groups.values():
        if len(group) > 1:
            flags.extend(_date_conflict(group))
            flags.extend(_issuer_conflict(group))
    return flags


def _pairs(items: list[Citation]) -> Iterable[tuple[Citation, Citation]]:
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            yield a, b


def _date_conflict(group: list[Citation]) -> list[Flag]:
    pairs = [
        (a, b)
        for a, b in _pairs(group)
        if a.date and b.date and a.date != b.date and issuers_compatible(a.issuer, b.issuer)
    ]
    if not pairs:
        return []
    involved = _unique(c for pair in pairs for c in pair)
    same_issuer = all(a.issuer and b.issuer for a, b in pairs)
    dates = sorted({c.date for c in involved if c.date})
    return [
        _flag(
            "citation.conflict",
            _severity("conflict.dates_same_issuer" if same_issuer else "conflict.dates"),
            _message(
                "conflict_dates", symbol=involved[0].symbol, dates=", ".join(_vn(d) for d in dates)
            ),
            actual=[d.isoformat() for d in dates],
            fields=["date"],
            evidence=_evidence(*involved, with_date=True),
        )
    ]


def _issuer_conflict(group: list[Citation]) -> list[Flag]:
    pairs = [
        (a, b)
        for a, b in _pairs(group)
        if not issuers_compatible(a.issuer, b.issuer)
        and (a.date is None or b.date is None or a.date == b.date)
    ]
    if not pairs:
        return []
    involved = _unique(c for pair in pairs for c in pair)
    issuers = list(dict.fromkeys(c.issuer for c in involved if c.issuer))
    return [
        _flag(
            "citation.conflict",
            _severity("conflict.issuers"),
            _message("conflict_issuers", symbol=involved[0].symbol, issuers=", ".join(issuers)),
            actual=issuers,
            fields=["issuer"],
            evidence=_evidence(*involved),
        )
    ]


def _unique(items: Iterable[Citation]) -> list[Citation]:
    seen: list[Citation] = []
    for c in items:
        if not any(c is s for s in seen):
            seen.append(c)
    return seen


def _subject_key(subject: str | None) -> str:
    return _NOT_WORDS.sub(" ", match_form(subject or "")).strip()


def similar_subjects(a: str | None, b: str | None) -> bool:
    """Whether two subjects are (near-)identical: rapidfuzz ratio ≥ SUBJECT_SIMILARITY."""
    x, y = _subject_key(a), _subject_key(b)
    if min(len(x), len(y)) < SUBJECT_MIN_CHARS:
        return False
    return fuzz.ratio(x, y) >= SUBJECT_SIMILARITY


def _same_subject_conflicts(citations: list[Citation]) -> list[Flag]:
    """Two numbers of one issuer and code, on one day, with the same subject."""
    groups: dict[tuple[str, dt.date], list[Citation]] = defaultdict(list)
    for c in citations:
        if c.date is not None and c.code:
            groups[(c.code.upper(), c.date)].append(c)
    flags: list[Flag] = []
    for (_, day), group in groups.items():
        for a, b in _pairs(group):
            if symbol_key(a.symbol or "") == symbol_key(b.symbol or ""):
                continue
            if not issuers_compatible(a.issuer, b.issuer) or not similar_subjects(
                a.subject, b.subject
            ):
                continue
            flags.append(
                _flag(
                    "citation.conflict",
                    _severity("conflict.subject"),
                    _message(
                        "conflict_subject",
                        symbols=f"{a.symbol} và {b.symbol}",
                        date=_vn(day),
                        subject=a.subject,
                    ),
                    actual=[a.symbol, b.symbol],
                    fields=["number", "subject"],
                    evidence=_evidence(a, b),
                )
            )
    return flags


def _registers(citations: list[Citation]) -> list[list[Citation]]:
    """Citations grouped by register: one code, one year, one stated issuer."""
    by_code: dict[tuple[str, int], list[Citation]] = defaultdict(list)
    for c in citations:
        if c.date and c.issuer and c.code and _number_value(c.number) is not None:
            by_code[(c.code.upper(), c.date.year)].append(c)
    registers: list[list[Citation]] = []
    for group in by_code.values():
        clusters: list[list[Citation]] = []
        for c in group:
            home = next(
                (cl for cl in clusters if all(issuers_compatible(c.issuer, x.issuer) for x in cl)),
                None,
            )
            if home is None:
                clusters.append([c])
            else:
                home.append(c)
        registers.extend(cl for cl in clusters if len(cl) > 1)
    return registers


def _order_conflicts(citations: list[Citation]) -> list[Flag]:
    """A higher number dated before a lower one, in one register and year (adjacent numbers)."""
    flags: list[Flag] = []
    for register in _registers(citations):
        ordered = sorted(register, key=lambda c: (_number_value(c.number), c.date))
        for lower, higher in pairwise(ordered):
            if _number_value(lower.number) == _number_value(higher.number):
                continue
            if higher.date and lower.date and higher.date < lower.date:
                flags.append(
                    _flag(
                        "citation.conflict",
                        _severity("conflict.order"),
                        _message(
                            "conflict_order",
                            later=higher.symbol,
                            later_date=_vn(higher.date),
                            earlier=lower.symbol,
                            earlier_date=_vn(lower.date),
                        ),
                        actual=[higher.symbol, lower.symbol],
                        fields=["number", "date"],
                        evidence=_evidence(higher, lower, with_date=True),
                    )
                )
    return flags


# --------------------------------------------------------------------------- entry point


def check_citations(
    citations: list[Citation],
    *,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    report_date: dt.date | None = None,
    registry: Registry | None = None,
) -> list[Flag]:
    """Every citation flag of one report.

    `period_start`/`period_end` bound the reported period (for replaced documents); without
    them the report date stands in. `registry` defaults to the shipped one.
    """
    registry = registry if registry is not None else load_registry()
    flags: list[Flag] = []
    for c in citations:
        flags += check_format(c, registry)
        flags += check_code(c, registry)
        flags += check_date(c, registry, report_date)
        flags += check_superseded(c, registry, period_start, period_end, report_date)
        flags += check_window(c)
    flags += check_amendments(citations, registry, period_start, period_end, report_date)
    flags += _same_symbol_conflicts(citations)
    flags += _same_subject_conflicts(citations)
    flags += _order_conflicts(citations)
    return flags
