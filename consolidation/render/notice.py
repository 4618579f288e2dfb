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

from consolidation.texts import (
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
from schemas.names import field_label
from schemas.summary import (
    GROUPS,
    CommuneRate,
    CommuneRow,
    DistrictSummary,
    MeasureRate,
    Reconciled,
)

TEMPLATE = Path(__file__).parent / "templates" / "thong_bao_ket_luan.docx"
DISTRICT_LEVELS = ("huyện", "quận", "thị xã")
SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}
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
    """Every variable the template may use (documented in consolidation/README.md)."""
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
    ):
        ctx.update(part(summary))
    return ctx


# ---------------------------------------------------------------- who issues it, when


def is_district(summary: DistrictSummary) -> bool:
    """Whether the parent is a district-level unit (before the two-tier reform), which
    decides the distribution list and the focal office."""
    parent = summary.parent
    if parent.level in DISTRICT_LEVELS:
        return True
    # a provincial city (thành phố thuộc tỉnh) names its province; a centrally-run one does not
    return parent.level == "thành phố" and bool(parent.province) and parent.province != parent.name


def _parent_context(summary: DistrictSummary) -> dict[str, Any]:
    parent, notice = summary.parent, summary.notice
    district = is_district(summary)
    date = notice.date
    return {
        "committee": parent.committee,
        "agency_line1": "ỦY BAN NHÂN DÂN",
        "agency_line2": f"{parent.level} {parent.name}".upper(),
        "level": parent.level,
        "parent_name": parent.name,
        "area": f"{parent.level} {parent.name}",
        "province": parent.province or "",
        "is_district": district,
        "place": parent.name,
        "focal_office": (
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
    }


# ---------------------------------------------------------------- who sent what


def _reporting_context(summary: DistrictSummary) -> dict[str, Any]:
    senders = summary.senders
    names = {s.commune: unit_name(s.commune, s.level) for s in senders}
    read = [s for s in senders if s.status in ("read", "partial")]
    unreadable = [s for s in senders if s.status == "unreadable"]
    not_report = [s for s in senders if s.status == "not_report"]
    missing = [s for s in senders if s.status == "missing"]
    return {
        "period": summary.period_label or period_label(summary.period_key) or "[kỳ báo cáo]",
        "period_key": summary.period_key or "",
        "period_span": (
            f"từ ngày {date_vi(summary.period_start)} đến ngày {date_vi(summary.period_end)}"
            if summary.period_start and summary.period_end
            else ""
        ),
        "roster_given": summary.roster_given,
        "n_units": len(summary.communes),
        "n_reported": len(read),
        "reported_text": join_units([names[s.commune] for s in read]),
        "missing": [names[s.commune] for s in missing],
        "missing_text": join_units([names[s.commune] for s in missing]),
        "unreadable": [
            {"unit": names[s.commune], "files": ", ".join(s.files), "reason": "; ".join(s.reasons)}
            for s in unreadable
        ],
        "unreadable_text": join_units([names[s.commune] for s in unreadable]),
        "not_report": [{"unit": names[s.commune], "files": ", ".join(s.files)} for s in not_report],
        "not_report_text": join_units([names[s.commune] for s in not_report]),
    }


# ---------------------------------------------------------------- dossier figures


def _dossier_context(summary: DistrictSummary) -> dict[str, Any]:
    rc = summary.reconciled
    levels = {r.commune: r.level for r in summary.communes}
    reporting = [r for r in summary.communes if r.status != "missing"]
    summed = [r for r in reporting if r.commune in rc.units]  # the lists add up to the totals
    return {
        "t": {f: rc.value(f) for f in rc.figures} or {f: None for f in _FIELDS},
        "full": {name: name in rc.complete for name in GROUPS},
        "rc_units": len(rc.units),
        "rc_all": len(rc.units) == len(reporting),
        "rc_left_text": _left_out_text(rc, levels),
        "lacking": {f: _lacking_text(rc, f, levels) for f in _FIELDS},
        "rc_rates": dict(rc.rates),
        "show_returned": bool(rc.value("returned")) and rc.returned_apart,
        "late_units": _counts_by_unit(summed, "resolved_late"),
        "overdue_units": _counts_by_unit(summed, "pending_overdue"),
        "returned_units": _counts_by_unit(summed, "returned", limit=5),
        "late_fields": "; ".join(
            f"{name} {fmt_count(fig.value)}" for name, fig in summary.by_field.items() if fig.value
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

_LEFT_REASONS = {
    "inconsistent": "số liệu chưa thống nhất",
    "incomplete": "thiếu số liệu tổng",
    "doubtful": "số liệu cần xác minh",
}


def _left_out_text(rc: Reconciled, levels: dict[str, str]) -> str:
    """ "thị trấn Chợ Vàng, xã Đông Thịnh (số liệu chưa thống nhất); xã Mỹ Thành (…)"."""
    groups: dict[str, list[str]] = {}
    for item in rc.left_out:
        groups.setdefault(item.reason, []).append(unit_name(item.commune, levels.get(item.commune)))
    return "; ".join(
        f"{join_units(names)} ({_LEFT_REASONS[reason]})" for reason, names in groups.items()
    )


def _lacking_text(rc: Reconciled, field: str, levels: dict[str, str]) -> str:
    figure = rc.figures.get(field)
    if figure is None or not figure.lacking:
        return ""
    return join_units([unit_name(c, levels.get(c)) for c in figure.lacking])


def _counts_by_unit(rows: list[CommuneRow], field: str, limit: int = 12) -> str:
    """ "xã Mỹ Phương 09; xã Nghĩa Tuy 06": units with a positive count, largest first."""
    items = [(r, getattr(r.dossiers, field)) for r in rows]
    items = sorted(((r, v) for r, v in items if v), key=lambda x: -x[1])
    parts = [f"{unit_name(r.commune, r.level)} ({fmt_count(v)})" for r, v in items]
    return join_units(parts, limit, sep="; ")


def _lien_thong_context(summary: DistrictSummary) -> dict[str, Any]:
    lt = summary.lien_thong
    if lt is None or not lt.units:
        return {"lt": None, "lt_units": 0, "lt_full": {}}
    return {
        "lt": {f: lt.value(f) for f in lt.figures},
        "lt_units": len(lt.units),
        "lt_full": {name: name in lt.complete for name in GROUPS},
    }


# ---------------------------------------------------------------- rates


def _online_context(summary: DistrictSummary) -> dict[str, Any]:
    levels = {r.commune: r.level for r in summary.communes}
    rates = {m: _rate_entry(rate, levels) for m, rate in summary.rates.items()}
    return {
        "r": {m: rate.value for m, rate in summary.rates.items()},
        "rate": rates,
        "online_rates": [rates[m] for m in ONLINE_MEASURES if m in rates and rates[m]["shown"]],
        "target": dict(summary.targets),
        "below": [rates[m] for m in rates if rates[m]["below_count"]],
        "met": [
            rates[m]
            for m in rates
            if rates[m]["target"] is not None and rates[m]["shown"] and not rates[m]["below_count"]
        ],
    }


def _rate_entry(rate: MeasureRate, levels: dict[str, str]) -> dict[str, Any]:
    stated_only = [unit_name(c, levels.get(c)) for c in rate.without_counts]
    return {
        "measure": rate.measure,
        "label": measure_name(rate.measure),
        "value": rate.value,
        "numerator": rate.numerator,
        "denominator": rate.denominator,
        "units": len(rate.units),
        "shown": rate.value is not None,
        "without_counts_text": join_units(stated_only),
        "target": rate.target,
        "below_count": len(rate.below),
        "below_text": join_units(
            [_unit_rate(r, levels) for r in rate.below], limit=len(rate.below), sep="; "
        ),
    }


def _unit_rate(rate: CommuneRate, levels: dict[str, str]) -> str:
    """ "xã Đức Xá 44%": the rate the commune wrote, as it wrote it (or its own counts')."""
    value = (
        fmt_stated_rate(rate.value, rate.decimals)
        if rate.source == "stated"
        else fmt_rate(rate.value)
    )
    return f"{unit_name(rate.commune, levels.get(rate.commune))} {value}"


# ---------------------------------------------------------------- other activities


def _activity_context(summary: DistrictSummary) -> dict[str, Any]:
    """Counts the reports give beyond dossiers (procedures published, petitions …), with
    how many communes state them."""
    metrics: dict[str, Any] = defaultdict(lambda: None)  # a count no report gives is None
    for name, figure in summary.metrics.items():
        metrics[name] = {
            "value": figure.value,
            "units": len(figure.units),
            "low": figure.low,
            "high": figure.high,
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
        "n_consistent": sum(1 for r in rows if not _serious(r)),
    }


def _serious(row: CommuneRow) -> list[Any]:
    """The row's errors and warnings (info notes do not make a report inconsistent)."""
    return [f for f in row.flags if SEVERITY_ORDER.get(f.severity, 0) >= SEVERITY_ORDER["warning"]]


def _flagged_unit(row: CommuneRow) -> dict[str, Any] | None:
    flags = sorted(_serious(row), key=lambda f: -SEVERITY_ORDER[f.severity])
    if not flags:
        return None
    said = [_plain(f, row) for f in flags]
    sentences = list(dict.fromkeys([text for text, _ in said] + [r for _, r in said if r]))
    return {
        "unit": unit_name(row.commune, row.level),
        "unit_title": unit_name(row.commune, row.level, capital=True),
        "file": ", ".join(row.files),
        "errors": sum(1 for f in flags if f.severity == "error"),
        "warnings": sum(1 for f in flags if f.severity == "warning"),
        "messages": sentences,
        "text": " ".join(sentences),
    }


def _plain(flag: Any, row: CommuneRow) -> tuple[str, str | None]:
    """A flag as an officer writes it in a notice: what the report says and what it should
    add up to, then what to do (render_labels.toml [notice.errors]); a unit's repeated advice is
    said once."""
    words = labels()["notice"]["errors"]
    values = row.dossiers.model_dump()
    fields = [f for f in flag.fields if f in values]
    is_sum = flag.code.startswith("sum.") or flag.code == "balance"
    if (
        is_sum
        and flag.code != "sum.breakdown"
        and fields
        and flag.actual is not None
        and flag.expected is not None
    ):
        whole, parts = fields[0], fields[1:]
        text = words["sum"].format(
            whole=field_label(whole),
            stated=fmt_count(flag.actual),
            parts=", ".join(f"{field_label(p).lower()} {fmt_count(values[p])}" for p in parts),
            total=fmt_count(flag.expected),
            diff=fmt_count(abs(flag.actual - flag.expected)),
        )
        return text, _repair(flag, words)
    if flag.code == "conflict.value" and fields and isinstance(flag.actual, list):
        seen = [flag.expected, *flag.actual]
        text = words["conflict"].format(
            label=field_label(fields[0]),
            values=" và ".join(fmt_count(v) for v in dict.fromkeys(seen) if v is not None),
        )
        return text, None
    message = _sentence(flag.message).replace("Theo cơ sở dữ liệu văn bản:", words["registry"])
    follow = words.get(flag.code) or words.get(flag.code.split(".")[0]) or words["check"]
    return message, follow


_SUGGESTION = regex.compile(r"^(?:(?P<label>[^:→]+):\s*)?(?P<old>.+?)\s*→\s*(?P<new>.+)$")


def _repair(flag: Any, words: dict[str, str]) -> str:
    """ "Nếu số kỳ trước chuyển qua đúng là 13 (không phải 16) …", or what to check."""
    m = _SUGGESTION.match(flag.suggestion or "")
    if m is None or not m["label"]:
        return words["check"]
    return words["repair"].format(label=m["label"].strip().lower(), old=m["old"], new=m["new"])


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


# ---------------------------------------------------------------- previous period


def _comparison_context(summary: DistrictSummary) -> dict[str, Any]:
    comparison = summary.comparison
    lines = []
    for line in comparison.lines:
        change = line.change
        words = ("tăng" if change > 0 else "giảm") + f" {fmt_count(abs(change))} hồ sơ"
        lines.append(
            {
                "label": field_label(line.key),
                "current": f"{fmt_count(line.current)} hồ sơ",
                "previous": f"{fmt_count(line.previous)} hồ sơ",
                "change": words if change else "không thay đổi",
            }
        )
    return {
        "has_previous": bool(lines),
        "previous_period": period_label(comparison.previous_key) or "kỳ trước",
        "comparison": lines,
        "compared_units": comparison.covered,
        "compared_all": comparison.covered == comparison.reporting,
    }


__all__ = ["TEMPLATE", "is_district", "jinja_env", "notice_context", "write_notice"]
