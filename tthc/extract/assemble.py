"""The extract stage's entry: a normalized `Text` → one `Record`, every value with its evidence.

The spaCy pipeline (pipeline.py: tokens, labels, then the readers, each writing its readings
onto the Doc) reads the text; `record_from_doc` reads the finished Doc into the record. The
per-file pipeline (tthc/process.py) loads and normalizes before, and checks after.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import replace

import regex
from spacy.tokens import Doc

from tthc.extract.activity_counts import ACTIVITY_KEYS
from tthc.extract.pipeline import read
from tthc.extract.readings import Figure, FigureResult, PeriodMention, Unread, ahead_of
from tthc.schemas import (
    Breakdown,
    Dossiers,
    Period,
    RawDocument,
    Record,
    Source,
    Text,
    UnreadNumber,
    ValueConflict,
)
from tthc.textkit.numbers import fits_approximation

# Figures kept beside the dossier fields: digitized counts, online dossiers by kind of service.
METRIC_FIELDS = {"digitized_intake", "digitized_result", "online_full", "online_partial"}
METRIC_FIELDS |= ACTIVITY_KEYS  # what the unit did: procedures published, petitions, ...


def extract(text: Text, raw: RawDocument) -> Record:
    """The record of a normalized text (`raw`, the document it was normalized from, gives
    the source and the loader's warnings)."""
    return record_from_doc(read(text), raw)


def record_from_doc(doc: Doc, raw: RawDocument) -> Record:
    """The record of a document the whole pipeline has read (its readings on the Doc)."""
    text: Text = doc._.text
    report = doc._.periods.report
    found = FigureResult(
        doc._.figures.figures + doc._.activities,
        doc._.figures.breakdowns,
        doc._.figures.missing,
    )
    record = Record(
        source=Source(
            path=raw.path,
            sha256=raw.sha256,
            format=raw.format,
            pages=raw.pages,
            encoding=raw.encoding,
            ocr_pages=raw.ocr_pages,
        ),
        errors=list(raw.warnings),
        unit=doc._.unit,
        report=doc._.meta,
        periods=assemble_periods(found, text, report, doc._.meta.date),
        percentages=doc._.rates,
        citations=doc._.citations,
        unread=[_unread(u, text, report) for u in doc._.unread],
    )
    if record.report.number:  # the report's own number is not a document it cites
        record.citations = [c for c in record.citations if c.symbol != record.report.number]
    if report is not None:
        record.report.period = report.label
        record.report.period_key = report.key
    if raw.warnings:
        record.status = "partial"
    return record


def _unread(u: Unread, text: Text, report: PeriodMention | None) -> UnreadNumber:
    label, key = _period_label(u.period, report)
    evidence = text.evidence(u.quote_start, u.quote_end, value=(u.count.start, u.count.end))
    written = " ".join(text.text[u.count.lead : u.count.end].split())
    return UnreadNumber(
        value=u.count.value,
        written=written,
        why=u.why,
        period=label,
        period_key=key,
        evidence=evidence,
    )


def _period_label(p: PeriodMention | None, report: PeriodMention | None) -> tuple[str, str | None]:
    if p is None:
        return "không rõ kỳ báo cáo", None
    if report is not None and p.key == report.key and report.kind != "report":
        return report.label, report.key
    return p.label, p.key


def assemble_periods(
    found: FigureResult,
    text: Text,
    report: PeriodMention | None,
    written_on: dt.date | None = None,
) -> list[Period]:
    """Group figures by (period, scope); a field stated twice with two values is a conflict.
    What is said of a period still ahead is a plan, not a figure (`ahead_of`)."""

    def ahead(p: PeriodMention | None) -> bool:
        return ahead_of(p, report, written_on)

    periods: OrderedDict[tuple[str | None, str], Period] = OrderedDict()

    def period_for(p: PeriodMention | None, scope: str) -> Period:
        label, key = _period_label(p, report)
        slot = (key or label, scope)
        if slot not in periods:
            dated = (
                p
                if p is not None and p.start_date
                else report
                if report and report.key == key
                else None
            )
            periods[slot] = Period(
                label=label,
                key=key,
                kind=p.kind if p else None,
                scope=scope,
                start=dated.start_date if dated else None,
                end=dated.end_date if dated else None,
            )
        period = periods[slot]
        if p is not None and p.start_date and period.start is None:
            period.start, period.end = p.start_date, p.end_date
        return period

    names = _part_names([f.scope for f in sorted(found.figures, key=lambda f: f.start)])
    held: dict[tuple[int, str], Figure] = {}
    for fig in found.figures:
        fig = replace(fig, scope=names.get(fig.scope, fig.scope))
        if not ahead(fig.period):
            _put(period_for(fig.period, fig.scope), fig, text, held)
    for b in found.breakdowns:
        if ahead(b.period):
            continue
        period = period_for(b.period, b.scope)
        period.breakdowns.append(
            Breakdown(
                of=b.of,
                total=b.total,
                partial=b.partial,
                items={i.name: i.value for i in b.items},
                evidence=text.evidence(b.start, b.end),
                item_evidence={i.name: text.evidence(i.start, i.end) for i in b.items},
            )
        )
    for m in found.missing:
        if ahead(m.period):
            continue
        period = period_for(m.period, m.scope)
        if getattr(period.dossiers, m.field) is None:
            period.missing[m.field] = text.evidence(m.start, m.end)
    out = [p for p in periods.values() if _has_content(p)]
    for p in out:
        _total_of_its_parts(p)
    return out + _whole_from_collective(out, text)


def _total_of_its_parts(period: Period) -> None:
    """A field stated as parts, then as their total ("Trả lại 04 hồ sơ …; xin rút 02 hồ sơ.
    Tổng cộng 06 hồ sơ trả lại, rút"): the total is the figure, not a conflict of three
    values. Only when one value is exactly the sum of all the others."""
    for c in list(period.conflicts):
        total = max(c.values)
        if len(c.values) < 3 or sum(c.values) - total != total:
            continue
        i = c.values.index(total)
        if c.field in METRIC_FIELDS:
            period.metrics[c.field] = total
        else:
            setattr(period.dossiers, c.field, total)
        period.evidence[c.field] = c.evidence[i]
        period.conflicts.remove(c)


def _part_names(scopes: list[str]) -> dict[str, str]:
    """One part, one name: a part named again in other letters ("Cấp xã", "cấp xã") or by the
    start of its name ("Chi nhánh Văn phòng đăng ký đất đai huyện …", then "Chi nhánh đã giải
    quyết …") keeps the name it was first given, so its figures are not split in two."""
    first: list[str] = []
    out: dict[str, str] = {}
    for scope in scopes:
        if not scope.startswith("part:") or scope in out:
            continue
        words = scope.casefold().split()
        same = next(
            (f for f in first if f.casefold().split()[: len(words)] == words),
            None,
        )
        if same is None:
            first.append(scope)
        else:
            out[scope] = same
    return out


# "Các sở, ngành (tại Trung tâm) đã tiếp nhận …": every agency at a centre together is the
# centre's whole; the words say so ("các", "tất cả các", "toàn bộ các" + agencies).
_COLLECTIVE = regex.compile(
    r"^part:(?i:(?:tất\s+cả\s+|toàn\s+bộ\s+)?các\s+(?:sở|cơ\s+quan|đơn\s+vị|ngành))"
)
_CENTRE = regex.compile(r"(?i:trung\s+tâm\s+(?:phục\s+vụ\s+)?hành\s+chính\s+công)")


def _whole_from_collective(periods: list[Period], text: Text) -> list[Period]:
    """A centre's text whose figures are all given for "các sở, ngành" yields the centre's own
    (scope all) from that part, and only then: a part stands in for the whole only when its
    words say it is all of it and the text gives no whole of its own."""
    if not _CENTRE.search(text.text[:3000]):
        return []
    out = []
    for key in dict.fromkeys(p.key for p in periods):
        same = [p for p in periods if p.key == key]
        collective = [p for p in same if _COLLECTIVE.match(p.scope)]
        if len(collective) != 1:
            continue
        part = collective[0]
        whole = next((p for p in same if p.scope == "all"), None)
        if whole is None or not whole.dossiers.model_dump(exclude_none=True):
            out.append(part.model_copy(update={"scope": "all"}, deep=True))
            continue
        _groups_from_collective(whole, part)
    return out


def _groups_from_collective(whole: Period, part: Period) -> None:
    """The centre's whole states some groups itself ("Trung tâm tiếp nhận …") and leaves
    another to all its agencies ("các sở, ngành … đã giải quyết 77.666 hồ sơ"): that group's
    figures are the whole's too, each with its evidence. A group the whole states with any
    other value is never touched."""
    # a rounded figure of the whole ("hơn 78 nghìn hồ sơ") gives way to its agencies' exact one
    stated = {
        f: v
        for f, v in whole.dossiers.model_dump(exclude_none=True).items()
        if not (whole.evidence.get(f) and whole.evidence[f].approx)
    }
    given = part.dossiers.model_dump(exclude_none=True)
    for name in ("received", "resolved", "pending"):
        if any(f.startswith(name) and f in given and given[f] != v for f, v in stated.items()):
            continue
        for f, value in given.items():
            if f.startswith(name) and f not in stated:
                setattr(whole.dossiers, f, value)
                whole.evidence[f] = part.evidence[f]


def _evidence_of(fig: Figure, text: Text):
    evidence = text.evidence(fig.quote_start, fig.quote_end, value=(fig.start, fig.end))
    evidence.approx = evidence.approx or fig.approx
    evidence.doubt = evidence.doubt or fig.doubt
    evidence.quantifier = fig.quantifier
    return evidence


def _put(period: Period, fig: Figure, text: Text, held: dict[tuple[int, str], Figure]) -> None:
    """Record a figure. An exact figure replaces an approximate or weak reading of the same
    field when it can be what that reading rounds ("hơn 41.000" then 41.388); an approximate
    or weak one never replaces an exact one; two different exact values are a conflict.
    `held` remembers the figure behind each recorded value."""
    slot = (id(period), fig.field)
    current = held.get(slot)
    if current is None or (current.value != fig.value and _replaces(current, fig)):
        if fig.field in METRIC_FIELDS:
            period.metrics[fig.field] = fig.value
        else:
            setattr(period.dossiers, fig.field, fig.value)
        period.evidence[fig.field] = _evidence_of(fig, text)
        held[slot] = fig
        return
    if current.value == fig.value and (current.joined or not _withdrawn_beside(current, fig, text)):
        return  # the same value again; after two parts joined, their total said after them
    if fig.approx or fig.weak or current.approx or current.weak:
        return  # a rounded or weak statement beside another value: not a conflict
    if _part_of_stopped(current, fig, text):
        return  # "5 hồ sơ dừng giải quyết: 4 hồ sơ bị trả lại …, 1 hồ sơ … xin rút"
    if not current.joined and _withdrawn_beside(current, fig, text):
        # "04 hồ sơ bị trả lại … và 02 hồ sơ công dân xin rút": the field counts dossiers
        # returned or withdrawn (the form's one column), stated here in its two parts
        joined = replace(
            current,
            value=current.value + fig.value,
            quote_start=min(current.quote_start, fig.quote_start),
            quote_end=max(current.quote_end, fig.quote_end),
            joined=True,
        )
        setattr(period.dossiers, fig.field, joined.value)
        period.evidence[fig.field] = _evidence_of(joined, text)
        held[slot] = joined
        return
    _conflict(period, fig.field, current.value, fig.value, _evidence_of(fig, text))


_WITHDRAWN = regex.compile(r"(?<![\p{L}])rút(?![\p{L}])")


def _withdrawn_beside(current: Figure, fig: Figure, text: Text) -> bool:
    """A returned count, then in the same paragraph the withdrawn one (or the other way
    round): two parts of the field "returned or withdrawn", not two values of it."""
    if fig.field != "returned" or current.field != "returned":
        return False
    if text.line_index(current.start) != text.line_index(fig.start):
        return False
    said = [bool(_WITHDRAWN.search(text.match, f.quote_start, f.quote_end)) for f in (current, fig)]
    return said[0] != said[1] and not _TOTAL_WORDS.search(
        text.match, min(current.quote_start, fig.quote_start), max(current.end, fig.end)
    )


_STOPPED = regex.compile(r"(?<![\p{L}])dừng\s+(?:giải\s+quyết|xử\s+lý)(?![\p{L}])")


def _part_of_stopped(current: Figure, fig: Figure, text: Text) -> bool:
    """The dossiers stopped ("dừng giải quyết": returned or withdrawn) stated as a total, then
    its parts in the same paragraph: each part is smaller than the total and no new value."""
    return (
        fig.field == current.field == "returned"
        and fig.value < current.value
        and fig.start > current.start
        and text.line_index(current.start) == text.line_index(fig.start)
        and bool(
            _STOPPED.search(
                text.match, current.quote_start, max(current.quote_end, current.end + 40)
            )
        )
    )


_TOTAL_WORDS = regex.compile(r"(?<![\p{L}])(?:tổng\s+cộng|tổng\s+số|cộng)(?![\p{L}])")


def _replaces(current: Figure, fig: Figure) -> bool:
    """Whether `fig` replaces the figure held for its field: only an exact one, stated on
    its own, replaces a weak reading, or an approximate one it fits."""
    if fig.weak:
        return False
    if fig.approx:  # "hơn 59 ngàn", then "59,72 ngàn": the finer rounding wins
        return (
            current.approx
            and _significant(fig.value) > _significant(current.value)
            and fits_approximation(fig.value, current.value, current.bound)
        )
    # an exact figure stated on its own replaces a weak reading (one number said of two
    # groups) whether or not it fits its rounding ("tiếp nhận và xử lý hơn 3.400 hồ sơ",
    # then "giải quyết xong 3.279 hồ sơ"); a rounded figure of its own only when it fits
    if current.weak:
        return True
    return current.approx and fits_approximation(fig.value, current.value, current.bound)


def _significant(value: int) -> int:
    """Significant digits of a rounded count: 59.720 has four, 59.000 two."""
    return len(str(abs(value)).rstrip("0")) or 1


def _conflict(period: Period, field: str, first: int, value: int, evidence) -> None:
    for c in period.conflicts:
        if c.field == field:
            if value not in c.values:
                c.values.append(value)
                c.evidence.append(evidence)
            return
    period.conflicts.append(
        ValueConflict(
            field=field, values=[first, value], evidence=[period.evidence[field], evidence]
        )
    )


def _has_content(p: Period) -> bool:
    return bool(p.dossiers.model_dump(exclude_none=True) or p.metrics or p.breakdowns or p.missing)


__all__ = ["Dossiers", "assemble_periods", "extract", "record_from_doc"]
