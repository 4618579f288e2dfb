"""The draft inspection-conclusion notice (Thông báo kết luận kiểm tra), as a .docx.

The wording lives in a Word template (templates/thong_bao_ket_luan.docx) that the office
edits without touching code; this module only computes what the template shows: the
parent's names at its level (huyện or, since 1/7/2025, tỉnh/thành phố), the district's
figures, the late dossiers by unit, the communes below target, the reports with errors
and those that never arrived. Values are plain data; the template formats numbers with
the `so` and `tyle` filters (30.566; 83,87%). Rendering runs with autoescape on, because
a commune name or a flag message containing "&" or "<" would otherwise corrupt the XML.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined

from extractors.periods import key_year
from schemas.names import field_label, measure_label
from schemas.summary import RATE_DEFINITIONS, CommuneRow, DistrictSummary

from .workbook import (
    SEVERITY_ORDER,
    communes_word,
    fmt_count,
    fmt_rate,
    period_label,
    previous_totals,
    unit_levels,
    unit_name,
)

TEMPLATE = Path(__file__).parent / "templates" / "thong_bao_ket_luan.docx"
DISTRICT_LEVELS = ("huyện", "quận", "thị xã")
LIST_LIMIT = 12  # units named in one inline list before "và N đơn vị khác"
COMPARED = ("received_total", "resolved_total", "resolved_late", "online", "on_time",
            "digitized_intake", "digitized_result")


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
    return env


# ---------------------------------------------------------------- the context


def notice_context(summary: DistrictSummary) -> dict[str, Any]:
    """Every variable the template may use (documented in consolidation/README.md)."""
    ctx: dict[str, Any] = {}
    ctx.update(_parent_context(summary))
    ctx.update(_reporting_context(summary))
    ctx.update(_figures_context(summary))
    ctx.update(_late_context(summary))
    ctx.update(_problems_context(summary))
    ctx.update(_comparison_context(summary))
    return ctx


def is_district(summary: DistrictSummary) -> bool:
    """Whether the parent is a district-level unit (before the two-tier reform), which
    decides the distribution list and the focal office."""
    parent = summary.parent
    if parent.level in DISTRICT_LEVELS:
        return True
    # a provincial city (thành phố thuộc tỉnh) names its province; a centrally-run one does not
    return parent.level == "thành phố" and bool(parent.province) and parent.province != parent.name


def _parent_context(summary: DistrictSummary) -> dict[str, Any]:
    parent = summary.parent
    district = is_district(summary)
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
        "focal_office": (f"Văn phòng HĐND và UBND {parent.level}" if district
                         else f"Văn phòng UBND {parent.level}"),
        "year": summary.generated_on.year,
        "period_year": key_year(summary.period_key) or summary.generated_on.year,
        "communes_word": communes_word(summary),
    }


def _reporting_context(summary: DistrictSummary) -> dict[str, Any]:
    levels = unit_levels(summary)
    missing = [unit_name(n, levels.get(n)) for n in summary.missing]
    reported = [r for r in summary.communes
                if r.status != "missing" and r.commune not in summary.missing]
    return {
        "period": summary.period_label or period_label(summary.period_key) or "[kỳ báo cáo]",
        "period_key": summary.period_key or "",
        "n_units": len({r.commune for r in summary.communes} | set(summary.missing)),
        "n_reported": len(reported),
        "missing": missing,
        "missing_text": join_units(missing),
    }


def _figures_context(summary: DistrictSummary) -> dict[str, Any]:
    t = summary.totals
    early_split = t.resolved_early is not None and t.resolved_on_time is not None
    combined = t.resolved_early_or_on_time
    if combined is None and early_split:
        combined = t.resolved_early + t.resolved_on_time
    # The split is shown only when it accounts for every early-or-on-time dossier.
    early_split = early_split and combined == t.resolved_early + t.resolved_on_time
    online_base = (t.received_online + t.received_offline
                   if t.received_online is not None and t.received_offline is not None
                   else t.received_new)
    rates = {k: summary.total_rates.get(k) for k in RATE_DEFINITIONS}
    return {
        "t": t.model_dump(),
        "r": rates,
        "m": dict(summary.total_metrics),
        "target": {k: summary.targets.get(k) for k in RATE_DEFINITIONS},
        "early_or_on_time": combined,
        "early_split": early_split,
        "online_base": online_base,
        "lt": summary.lien_thong_totals.model_dump() if summary.lien_thong_totals else None,
        "lt_units": summary.lien_thong_units,
    }


def _late_context(summary: DistrictSummary) -> dict[str, Any]:
    rows = [r for r in summary.communes if r.status != "missing"]
    return {
        "late_units": _counts_by_unit(rows, "resolved_late"),
        "late_fields": _late_fields(rows),
        "overdue_units": _counts_by_unit(rows, "pending_overdue"),
        "returned_units": _counts_by_unit(rows, "returned", limit=5),
    }


def _counts_by_unit(rows: list[CommuneRow], field: str, limit: int = LIST_LIMIT) -> str:
    """ "xã Mỹ Phương 09; xã Nghĩa Tuy 06": units with a positive count, largest first."""
    items = [(r, getattr(r.dossiers, field)) for r in rows]
    items = sorted(((r, v) for r, v in items if v), key=lambda x: -x[1])
    parts = [f"{unit_name(r.commune, r.level)} {v:02d}" for r, v in items]
    return join_units(parts, limit, sep="; ")


def _late_fields(rows: list[CommuneRow]) -> str:
    """Late dossiers by field (hộ tịch, đất đai …) over all communes that break them down."""
    total: Counter[str] = Counter()
    for r in rows:
        total.update(r.late_by_field)
    return "; ".join(f"{name} {n:02d}" for name, n in total.most_common())


def _problems_context(summary: DistrictSummary) -> dict[str, Any]:
    rows = [r for r in summary.communes if r.status != "missing"]
    flagged = [_flagged_unit(r) for r in rows]
    flagged = [f for f in flagged if f]
    failed = [o for o in summary.outcomes if o.status == "failed"]
    return {
        "below": _below_target(summary),
        "flagged": flagged,
        "flagged_units": join_units([f["unit"] for f in flagged], limit=len(flagged)),
        "n_consistent": sum(1 for r in rows if not _serious(r)),
        "failed_files": [{"file": Path(o.path).name, "reason": o.reason or ""} for o in failed],
        "failed_text": "; ".join(
            f"{Path(o.path).name} ({o.reason})" if o.reason else Path(o.path).name for o in failed),
    }


def _serious(row: CommuneRow) -> list[Any]:
    """The row's errors and warnings (info notes do not make a report inconsistent)."""
    return [f for f in row.flags if SEVERITY_ORDER.get(f.severity, 0) >= SEVERITY_ORDER["warning"]]


def _flagged_unit(row: CommuneRow) -> dict[str, Any] | None:
    flags = sorted(_serious(row), key=lambda f: -SEVERITY_ORDER[f.severity])
    if not flags:
        return None
    texts = [m if m.endswith((".", "!", "?")) else f"{m}."
             for m in dict.fromkeys(f.message.strip() for f in flags)]
    suggestions = list(dict.fromkeys(f.suggestion for f in flags if f.suggestion))
    text = " ".join(texts)
    if suggestions:
        text += f" Gợi ý sửa: {'; '.join(suggestions)}."
    return {
        "unit": unit_name(row.commune, row.level),
        "unit_title": unit_name(row.commune, row.level, capital=True),
        "file": ", ".join(row.files),
        "errors": sum(1 for f in flags if f.severity == "error"),
        "warnings": sum(1 for f in flags if f.severity == "warning"),
        "messages": texts,
        "suggestions": suggestions,
        "text": text,
    }


def _below_target(summary: DistrictSummary) -> list[dict[str, Any]]:
    levels = unit_levels(summary)
    out = []
    for rate, items in summary.below_target.items():
        if not items:
            continue
        parts = [f"{unit_name(i.commune, levels.get(i.commune))} {fmt_rate(i.value)}"
                 for i in items]
        out.append({
            "rate": rate,
            "measure": measure_label(rate) or rate,
            "target": summary.targets.get(rate),
            "count": len(items),
            "units": join_units(parts, limit=len(parts), sep="; "),
            "names": join_units([unit_name(i.commune, levels.get(i.commune)) for i in items],
                                limit=len(items)),
        })
    return out


def _comparison_context(summary: DistrictSummary) -> dict[str, Any]:
    prev = previous_totals(summary)
    label = period_label(summary.previous_period_key) or "kỳ trước"
    rows = []
    for key in COMPARED:
        before, change = prev.previous.get(key), prev.change.get(key)
        if before is None or change is None:
            continue
        rows.append(_comparison_row(key, before, change))
    note = (f"Số liệu so sánh tính trên {prev.covered}/{prev.reporting} đơn vị có báo cáo của "
            f"cả hai kỳ.") if prev.covered < prev.reporting else (
            "Số liệu so sánh tính trên tất cả các đơn vị đã gửi báo cáo.")
    return {
        "has_previous": bool(rows),
        "previous_period": label,
        "comparison": rows,
        "comparison_note": note,
    }


def _comparison_row(key: str, before: float, change: float) -> dict[str, str]:
    """One line of the comparison: counts in dossiers, rates in percentage points."""
    if key in RATE_DEFINITIONS:
        now = before + change
        amount = fmt_rate(abs(change)).rstrip("%")
        words = ("tăng" if change > 0 else "giảm") + f" {amount} điểm phần trăm"
        return {"label": measure_label(key) or key, "current": fmt_rate(now),
                "previous": fmt_rate(before), "change": words if change else "không thay đổi"}
    now = before + change
    words = ("tăng" if change > 0 else "giảm") + f" {fmt_count(abs(change))} hồ sơ"
    return {"label": field_label(key), "current": f"{fmt_count(now)} hồ sơ",
            "previous": f"{fmt_count(before)} hồ sơ",
            "change": words if change else "không thay đổi"}


def join_units(parts: list[str], limit: int = LIST_LIMIT, sep: str = ", ") -> str:
    """An inline list that stays readable: past `limit` items, "… và N đơn vị khác"."""
    if len(parts) <= limit:
        return sep.join(parts)
    return sep.join(parts[:limit]) + f" và {len(parts) - limit} đơn vị khác"


__all__ = ["TEMPLATE", "is_district", "jinja_env", "notice_context", "write_notice"]
