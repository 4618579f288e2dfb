"""The draft inspection-conclusion notice (Thông báo kết luận kiểm tra), as a .docx.

The wording lives in a Word template (templates/thong_bao_ket_luan.docx) that the office
edits without touching code; this module only hands the template what consolidation
computed, in the words an officer uses: the parent at its level (huyện or, since 1/7/2025,
tỉnh/thành phố), the reconciled dossier figures with their coverage, each measure's rate,
the communes below target, what each commune sent, and each data error as a plain
sentence (what was written, what it should add up to, what to do). No figure is computed
here. Rendering runs with autoescape on: a name or a message containing "&" or "<" would
otherwise corrupt the XML.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import regex
from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined

from tthc.consolidate import LATE_BY_FIELD, by_key
from tthc.rules.flags import SEVERITY_RANK
from tthc.schemas.names import field_label
from tthc.schemas.summary import (
    GROUPS,
    CommuneRate,
    CommuneRow,
    DistrictSummary,
    MeasureRate,
    Reconciled,
    Statement,
)
from tthc.wording import (
    communes_word,
    date_vi,
    fmt_count,
    fmt_rate,
    fmt_stated_rate,
    join_units,
    labels,
    measure_name,
    period_label,
    unit_name,
)

TEMPLATE = Path(__file__).parent / "templates" / "thong_bao_ket_luan.docx"
# Measures of the electronic-services paragraph, in the order a notice names them.
ONLINE_MEASURES = ("online", "digitized_intake", "digitized_result", "payment", "satisfaction")


def write_notice(summary: DistrictSummary, path: Path | str, template: Path | None = None) -> Path:
    """Fill the notice template with the summary and save it as .docx."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = DocxTemplate(str(template or TEMPLATE))
    doc.render(notice_context(summary), jinja_env=jinja_env(), autoescape=True)
    doc.save(str(path))
    return path


def jinja_env() -> Environment:
    """Autoescaping environment with the number filters the template uses. Undefined
    names fail loudly, so a typo made while editing the template is found at once."""
    env = Environment(autoescape=True, undefined=StrictUndefined)
    env.filters["so"] = fmt_count
    env.filters["tyle"] = fmt_rate
    env.filters["khoang"] = _range
    return env


def _range(metric: dict[str, Any] | None) -> str:
    """ "từ 96 đến 142" over the communes that give a count; "40" when they all give 40."""
    if not metric or metric.get("low") is None:
        return "…"
    low, high = metric["low"], metric["high"]
    return fmt_count(low) if low == high else f"từ {fmt_count(low)} đến {fmt_count(high)}"


def notice_context(summary: DistrictSummary) -> dict[str, Any]:
    """Every variable the template may use (documented in tthc/render/README.md)."""
    ctx: dict[str, Any] = {}
    for part in (
        _parent_context,
        _reporting_context,
        _dossier_context,
        _lien_thong_context,
        _online_context,
        _activity_context,
        _problems_context,
        _comparison_context,
        _crosscheck_context,
    ):
        ctx.update(part(summary))
    return ctx


# ---------------------------------------------------------------- who issues it, when


def _with_blanks(line: str) -> list[dict[str, Any]]:
    """A line of the distribution list in parts: "[……]" (what the roster or the date could
    not name: a province, the central body between two) is a blank the officer fills in,
    highlighted like every other blank of the draft."""
    parts = []
    for n, text in enumerate(_BLANK.split(line)):
        if text:
            parts.append({"text": text, "blank": n % 2 == 1})
    return parts


_BLANK = regex.compile(r"\[([^\]]+)\]")


def _parent_context(summary: DistrictSummary) -> dict[str, Any]:
    parent, notice = summary.parent, summary.notice
    district = parent.is_district
    date = notice.date
    agency = notice.agency_lines or ["ỦY BAN NHÂN DÂN", f"{parent.level} {parent.name}".upper()]
    return {
        "committee": parent.committee,
        "issuer": notice.issuer or parent.committee,
        "asks": notice.asks,
        "number_code": notice.number_code,
        "recipients": [_with_blanks(x) for x in notice.recipients],
        "signature": list(notice.signature)
        or ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
        "grounds": list(notice.grounds),
        "agency_line1": agency[0],
        "agency_line2": agency[1] if len(agency) > 1 else "",
        "level": parent.level,
        "parent_name": parent.name,
        "area": f"{parent.level} {parent.name}",
        "province": parent.province or "",
        "is_district": district,
        "place": parent.name,
        "focal_office": notice.focal_office
        or (
            f"Văn phòng HĐND và UBND {parent.level}"
            if district
            else f"Văn phòng UBND {parent.level}"
        ),
        "day": date.day if date else None,
        "month": date.month if date else None,
        "year": notice.year,
        "period_year": str(notice.year or ""),
        "communes_word": communes_word(r.level for r in summary.communes),
        "warnings": list(notice.warnings),
        "scope_note": summary.scope_note or "",
    }


# ---------------------------------------------------------------- the statements


class _Figures:
    """The summary's statements by key: the only figures the notice prints."""

    def __init__(self, summary: DistrictSummary) -> None:
        self.by_key = by_key(summary)

    def __call__(self, key: str) -> Any:
        found = self.by_key.get(key)
        return found.value if found is not None else None

    def count(self, key: str) -> int:
        """How many units a statement covers ("theo báo cáo của 13 đơn vị")."""
        found = self.by_key.get(key)
        return len(found.units) if found is not None else 0

    def statement(self, key: str) -> Statement | None:
        return self.by_key.get(key)


# ---------------------------------------------------------------- who sent what


def _reporting_context(summary: DistrictSummary) -> dict[str, Any]:
    s = _Figures(summary)
    senders = summary.senders
    names = {x.commune: unit_name(x.commune, x.level) for x in senders}

    def listed(key: str) -> list[str]:
        found = s.statement(key)
        return [names[c] for c in found.units] if found else []

    unreadable = [x for x in senders if x.status == "unreadable"]
    not_report = [x for x in senders if x.status == "not_report"]
    return {
        "period": summary.period_label or period_label(summary.period_key) or "[kỳ báo cáo]",
        "period_key": summary.period_key or "",
        "period_span": (
            f"từ ngày {date_vi(summary.period_start)} đến ngày {date_vi(summary.period_end)}"
            if summary.period_start and summary.period_end
            else ""
        ),
        "roster_given": summary.roster_given,
        "n_units": s("units.roster"),
        "n_reported": s("units.reported"),
        "n_unreadable": s("units.unreadable"),
        "n_not_report": s("units.not_report"),
        "n_missing": s("units.missing"),
        "reported_text": join_units(listed("units.reported")),
        "missing": listed("units.missing"),
        "missing_text": join_units(listed("units.missing")),
        "unreadable": [
            {"unit": names[x.commune], "files": ", ".join(x.files), "reason": "; ".join(x.reasons)}
            for x in unreadable
        ],
        "unreadable_text": join_units(listed("units.unreadable")),
        "not_report": [{"unit": names[x.commune], "files": ", ".join(x.files)} for x in not_report],
        "not_report_text": join_units(listed("units.not_report")),
    }


# ---------------------------------------------------------------- dossier figures


def _dossier_context(summary: DistrictSummary) -> dict[str, Any]:
    s = _Figures(summary)
    rc = summary.reconciled
    levels = {r.commune: r.level for r in summary.communes}
    reporting = [r for r in summary.communes if r.status != "missing"]
    flagged = {r.commune for r in reporting if _serious_notes(r)}
    late = s("dossiers.resolved_late")
    by_field = s(LATE_BY_FIELD)
    return {
        "t": {f: s(f"dossiers.{f}") for f in _FIELDS},
        "full": {name: name in rc.complete for name in GROUPS},
        "rc_units": s("dossiers.units"),
        "rc_all": len(rc.units) == len(reporting),
        "rc_left_text": _left_out_text(rc, levels, flagged),
        "lacking": {f: _lacking_text(rc, f, levels) for f in _FIELDS},
        "rc_rates": {m: s(f"dossiers.rate_{m}") for m in ("on_time", "late", "online")},
        "show_returned": bool(s("dossiers.returned")) and rc.returned_apart,
        "late_units": _by_unit(s, "resolved_late", levels),
        "overdue_units": _by_unit(s, "pending_overdue", levels),
        "returned_units": _by_unit(s, "returned", levels),
        "late_fields": "; ".join(
            f"{key.rsplit('.', 1)[1]} {fmt_count(x.value)}"
            for key, x in s.by_key.items()
            if key.startswith(LATE_BY_FIELD + ".")
        ),
        "late_fields_partial": (
            f"{fmt_count(by_field)}/{fmt_count(late)}"
            if by_field is not None and late is not None and by_field < late
            else ""
        ),
    }


_FIELDS = (
    *tuple(GROUPS["received"][1] + GROUPS["received_new"][1]),
    "received_total",
    "received_new",
    "resolved_total",
    "resolved_early_or_on_time",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending_total",
    "pending_in_time",
    "pending_overdue",
    "returned",
)


def _left_out_text(rc: Reconciled, levels: dict[str, str], flagged: set[str]) -> str:
    """ "thị trấn Chợ Vàng, xã Đông Thịnh (số liệu chưa thống nhất, nêu tại Mục III); xã
    Mỹ Thành (thiếu số liệu tổng)": Mục III is named only for the units it speaks of."""
    reasons = labels()["left_out"]
    groups: dict[tuple[str, bool], list[str]] = {}
    for item in rc.left_out:
        key = (item.reason, item.commune in flagged)
        groups.setdefault(key, []).append(unit_name(item.commune, levels.get(item.commune)))
    return "; ".join(
        f"{join_units(names)} ({reasons[reason]}{', nêu tại Mục III' if named else ''})"
        for (reason, named), names in groups.items()
    )


def _lacking_text(rc: Reconciled, field: str, levels: dict[str, str]) -> str:
    figure = rc.figures.get(field)
    if figure is None or not figure.lacking:
        return ""
    return join_units([unit_name(c, levels.get(c)) for c in figure.lacking])


def _by_unit(s: _Figures, field: str, levels: dict[str, str]) -> str:
    """ "xã Mỹ Phương (9); xã Nghĩa Tuy (6) và 3 đơn vị khác": the units' statements,
    largest first."""
    prefix = f"unit.{field}."
    parts = [
        f"{unit_name(key[len(prefix) :], levels.get(key[len(prefix) :]))} ({fmt_count(x.value)})"
        for key, x in s.by_key.items()
        if key.startswith(prefix) and key != f"{prefix}more"
    ]
    more = s(f"{prefix}more")
    text = "; ".join(parts)
    return f"{text} và {more} đơn vị khác" if more and field != "returned" else text


def _lien_thong_context(summary: DistrictSummary) -> dict[str, Any]:
    s = _Figures(summary)
    lt = summary.lien_thong
    if lt is None or not lt.units:
        return {"lt": None, "lt_units": 0, "lt_full": {}}
    return {
        "lt": {f: s(f"lien_thong.{f}") for f in _FIELDS},
        "lt_units": s("lien_thong.units"),
        "lt_full": {name: name in lt.complete for name in GROUPS},
    }


# ---------------------------------------------------------------- rates


def _online_context(summary: DistrictSummary) -> dict[str, Any]:
    s = _Figures(summary)
    levels = {r.commune: r.level for r in summary.communes}
    rates = {m: _rate_entry(s, rate, levels) for m, rate in summary.rates.items()}
    return {
        "r": {m: s(f"rate.{m}") for m in summary.rates},
        "rate": rates,
        "online_rates": [rates[m] for m in ONLINE_MEASURES if m in rates and rates[m]["shown"]],
        "target": {m: s(f"rate.{m}.target") for m in summary.targets},
        "below": [rates[m] for m in rates if rates[m]["below_count"]],
        "met": [
            rates[m]
            for m in rates
            if rates[m]["target"] is not None and rates[m]["shown"] and not rates[m]["below_count"]
        ],
    }


def _rate_entry(s: _Figures, rate: MeasureRate, levels: dict[str, str]) -> dict[str, Any]:
    m = rate.measure
    reasons = labels()["statements"]
    names = {
        "without": [unit_name(c, levels.get(c)) for c in rate.without_counts],
        "doubtful": [unit_name(c, levels.get(c)) for c in rate.doubtful],
    }
    left = "; ".join(
        f"{join_units(units)} {why}"
        for units, why in (
            (names["without"], "do " + reasons["rate_only"]),
            (names["doubtful"], "do " + labels()["left_out"]["inconsistent"]),
        )
        if units
    )
    return {
        "measure": m,
        "label": measure_name(m),
        "value": s(f"rate.{m}"),
        "numerator": s(f"rate.{m}.numerator"),
        "denominator": s(f"rate.{m}.denominator"),
        "units": s.count(f"rate.{m}"),
        "shown": s(f"rate.{m}") is not None,
        "without_counts_text": left,
        "target": s(f"rate.{m}.target"),
        "below_count": s(f"rate.{m}.below") or 0,
        "below_text": join_units(
            [_unit_rate(s, r, levels) for r in rate.below], limit=len(rate.below), sep="; "
        ),
    }


def _unit_rate(s: _Figures, rate: CommuneRate, levels: dict[str, str]) -> str:
    """ "xã Đức Xá 44%": the rate the commune wrote, as it wrote it (or its own counts');
    "80,0% (tính theo số hồ sơ 79,97%)" when the written rate was rounded up to the target."""
    key = f"rate.{rate.measure}.below.{rate.commune}"
    value = s(key)
    shown = fmt_stated_rate(value, rate.decimals) if rate.source == "stated" else fmt_rate(value)
    exact = s(f"{key}.computed")
    if exact is not None:
        shown += f" (tính theo số hồ sơ {fmt_rate(exact)})"
    return f"{unit_name(rate.commune, levels.get(rate.commune))} {shown}"


# ---------------------------------------------------------------- other activities


def _activity_context(summary: DistrictSummary) -> dict[str, Any]:
    """Counts the reports give beyond dossiers (procedures published, petitions …), with
    how many communes state them."""
    s = _Figures(summary)
    metrics: dict[str, Any] = defaultdict(lambda: None)  # a count no report gives is None
    for name in summary.metrics:
        if s.statement(f"activity.{name}") is None:
            continue
        metrics[name] = {
            "value": s(f"activity.{name}"),
            "units": s.count(f"activity.{name}"),
            "low": s(f"activity.{name}.low"),
            "high": s(f"activity.{name}.high"),
            "label": field_label(name),
        }
    return {"m": metrics}


# ---------------------------------------------------------------- data errors


def _problems_context(summary: DistrictSummary) -> dict[str, Any]:
    rows = [r for r in summary.communes if r.status != "missing"]
    flagged = [item for r in rows if (item := _flagged_unit(r))]
    return {
        "flagged": flagged,
        "flagged_units": join_units([f["unit"] for f in flagged], limit=len(flagged)),
        "n_consistent": _Figures(summary)("dossiers.units"),
    }


def _serious_notes(row: CommuneRow) -> list[Any]:
    """The row's slips that are errors or warnings (info notes do not make a report
    inconsistent); a difference from the system's export is said in its own paragraph."""
    return [
        n
        for n in row.notes
        if SEVERITY_RANK[n.severity] >= SEVERITY_RANK["warning"] and n.code != "crosscheck"
    ]


def _flagged_unit(row: CommuneRow) -> dict[str, Any] | None:
    notes = _serious_notes(row)
    if not notes:
        return None
    return {
        "unit": unit_name(row.commune, row.level),
        "unit_title": unit_name(row.commune, row.level, capital=True),
        "file": ", ".join(row.files),
        "errors": sum(1 for n in notes if n.severity == "error"),
        "warnings": sum(1 for n in notes if n.severity == "warning"),
        "messages": [n.text for n in notes],
        "text": " ".join(n.text for n in notes),
    }


# ---------------------------------------------------------------- previous period


def _comparison_context(summary: DistrictSummary) -> dict[str, Any]:
    s = _Figures(summary)
    comparison = summary.comparison
    lines = []
    for line in comparison.lines:
        key = f"comparison.{line.key}"
        change = s(f"{key}.change")
        words = ("tăng" if line.change > 0 else "giảm") + f" {fmt_count(change)} hồ sơ"
        lines.append(
            {
                "label": field_label(line.key),
                "current": f"{fmt_count(s(f'{key}.current'))} hồ sơ",
                "previous": f"{fmt_count(s(f'{key}.previous'))} hồ sơ",
                "change": words if change else "không thay đổi",
            }
        )
    return {
        "has_previous": bool(lines),
        "previous_period": period_label(comparison.previous_key) or "kỳ trước",
        "comparison": lines,
        "compared_units": s("comparison.units"),
        "compared_all": comparison.covered == comparison.reporting,
    }


# ---------------------------------------------------------------- the system's export


def _crosscheck_context(summary: DistrictSummary) -> dict[str, Any]:
    """The units whose reports differ from the provincial system's export, each difference
    as "tổng số hồ sơ tiếp nhận: báo cáo ghi 1.234, Hệ thống 1.250" (the statements'
    values, shown on the "Đối chiếu hệ thống" sheet)."""
    check = summary.crosscheck
    if check is None or check.status != "compared":
        return {"xc": None}
    s = _Figures(summary)
    levels = {r.commune: r.level for r in summary.communes}
    parts = []
    for unit in check.units:
        if unit.commune not in check.differing:
            continue
        said = [
            f"{field_label(v.field).lower()} báo cáo ghi "
            f"{fmt_count(s(f'crosscheck.{unit.commune}.{v.field}.stated'))}, Hệ thống ghi "
            f"{fmt_count(s(f'crosscheck.{unit.commune}.{v.field}.system'))}"
            for v in unit.values
            if v.kind == "differs"
        ]
        parts.append(f"{unit_name(unit.commune, levels.get(unit.commune))} ({'; '.join(said)})")
    conventions = [
        f"{unit_name(u.commune, levels.get(u.commune))}: {_mid_sentence(u.note)}"
        for u in check.units
        if u.note and u.status in ("read", "partial")
    ]
    source = " – ".join(x for x in (check.reporting_unit, check.period_label) if x)
    return {
        "xc": {
            "source": f"tệp {check.file}" + (f", {source}" if source else ""),
            "n_compared": s("crosscheck.units"),
            "n_differing": s("crosscheck.differing"),
            "differing": bool(check.differing),
            "differing_text": "; ".join(parts),
            "differing_units": join_units(
                [unit_name(c, levels.get(c)) for c in check.differing], limit=len(check.differing)
            ),
            "convention_text": "; ".join(conventions),
        }
    }


def _mid_sentence(note: str) -> str:
    """A sheet's note ("Chênh lệch đúng bằng … sai số liệu.") inside the notice's sentence:
    its first word in lower case (a proper name, "Hệ thống", kept), no closing stop."""
    note = note.strip().rstrip(".")
    first = note.split(" ", 1)[0]
    if first not in ("Hệ", "UBND", "Trung") and first[1:].islower():
        note = note[0].lower() + note[1:]
    return note


__all__ = ["TEMPLATE", "jinja_env", "notice_context", "write_notice"]
