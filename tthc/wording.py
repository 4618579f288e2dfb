"""The Vietnamese words and number forms every output shares (workbook, CSVs, notice,
console): labels from tthc/rules/render_labels.toml, unit and period names, counts and rates written
the Vietnamese way, and where a piece of evidence is found in the original file.

Nothing here computes a figure: it only says, in an officer's words, what consolidation
computed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache
from typing import Any

from tthc.rules.render_labels import render_labels
from tthc.schemas.names import field_label, measure_label
from tthc.schemas.period_key import PeriodKey
from tthc.schemas.record import Evidence
from tthc.textkit.numbers import format_vi

COMMUNE_LEVEL_ORDER = ("xã", "phường", "thị trấn")
LIST_LIMIT = 12  # units named in one inline list before "và N đơn vị khác"


@cache
def labels() -> dict[str, Any]:
    """The render stage's Vietnamese words (tthc/rules/render_labels.toml)."""
    return render_labels()


def message(key: str, **values: Any) -> str:
    """A Vietnamese sentence of render_labels.toml [messages], filled in."""
    return labels()["messages"][key].format_map(values)


def period_label(key: str | None) -> str | None:
    """A period key as an officer writes it: "2024-Q4" → "Quý IV năm 2024"; a key that
    names no known period is shown as written."""
    period = PeriodKey.parse(key)
    return period.label_vi() if period else (key or None)


def date_vi(d: dt.date | None) -> str:
    """15/12/2024 (no leading zeros on the day and month, as dates are usually written)."""
    return f"{d.day}/{d.month}/{d.year}" if d else "…"


def date_padded(d: dt.date | None) -> str:
    """15/03/2025, for cells and form headers."""
    return d.strftime("%d/%m/%Y") if d else "…"


def communes_word(levels: Iterable[str]) -> str:
    """ "xã, thị trấn" or "xã, phường": the levels the communes actually have."""
    present = {lvl for lvl in levels if lvl}
    ordered = [lvl for lvl in COMMUNE_LEVEL_ORDER if lvl in present]
    ordered += sorted(present - set(ordered))
    return ", ".join(ordered) or "xã"


def unit_name(name: str | None, level: str | None, capital: bool = False) -> str:
    """ "xã Ngọc Giang"; at the start of a cell "Xã Ngọc Giang". The level word is kept
    because a commune may share its name with the district (thị trấn An Trì)."""
    if not name:
        return ""
    text = f"{level} {name}" if level else name
    return text[:1].upper() + text[1:] if capital else text


def join_units(parts: list[str], limit: int = LIST_LIMIT, sep: str = ", ") -> str:
    """An inline list that stays readable: past `limit` items, "… và N đơn vị khác"."""
    if len(parts) <= limit:
        return sep.join(parts)
    return sep.join(parts[:limit]) + f" và {len(parts) - limit} đơn vị khác"


def fmt_count(value: int | float | None) -> str:
    """A dossier count the Vietnamese way (30.566); "…" when the figure is unknown."""
    return "…" if value is None else format_vi(round(value))


def fmt_rate(value: float | None, decimals: int = 2) -> str:
    """A percentage the Vietnamese way (83,87%), trailing zeros dropped (100%, 80,5%)."""
    if value is None:
        return "…"
    text = format_vi(value, decimals)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return f"{text}%"


def fmt_stated_rate(value: float | None, decimals: int | None) -> str:
    """A rate as the commune wrote it, with its own number of decimals (96,40% stays)."""
    return "…" if value is None else f"{format_vi(value, decimals or 0)}%"


def fmt_value(value: Any) -> str:
    """A flag's expected/actual value as text an officer reads (Vietnamese numbers)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return labels()["files"]["yes"] if value else labels()["files"]["no"]
    if isinstance(value, int):
        return format_vi(value)
    if isinstance(value, float):
        if value.is_integer():
            return format_vi(int(value))
        decimals = min(len(repr(value).split(".")[1]), 4)
        return format_vi(value, decimals)
    if isinstance(value, dict):
        return "; ".join(f"{label_of(str(k))}: {fmt_value(v)}" for k, v in value.items())
    if isinstance(value, list | tuple | set):
        return "; ".join(fmt_value(v) for v in value)
    return str(value)


def where(evidence: Evidence, file_format: str | None = None) -> str:
    """Where a person finds a quote in the original file: "dòng 44" of a text file (as an
    editor numbers it), "trang 2, dòng 3" in a PDF (the line on that page, page numbers
    not counted), "bảng 1, dòng 4" for a table row, "đoạn 14" in a Word file, "trang tính
    Biểu 06, ô D12" in a spreadsheet."""
    if evidence.sheet is not None and evidence.cell:
        return f"trang tính {evidence.sheet}, ô {evidence.cell}"
    if file_format == "txt" and evidence.source_line:
        return f"dòng {evidence.source_line}"
    if evidence.table is not None and evidence.row is not None:
        place = f"bảng {evidence.table}, dòng {evidence.row}"
        return f"trang {evidence.page}, {place}" if evidence.page else place
    if evidence.page is not None:
        return f"trang {evidence.page}, dòng {evidence.page_line or evidence.line}"
    if evidence.paragraph is not None:
        return f"đoạn {evidence.paragraph}"
    return f"dòng {evidence.source_line or evidence.line}"


def fmt_evidence(evidence: Iterable[Evidence], file_format: str | None = None) -> str:
    """Each quote with where to find it: "Trang 2, dòng 3: “…”", one per line."""
    out = []
    for e in evidence:
        place = where(e, file_format)
        out.append(f"{place[:1].upper()}{place[1:]}: “{e.quote.strip()}”")
    return "\n".join(out)


def label_of(field: str) -> str:
    """Vietnamese name of a flagged field: a figure, a rate ("rate.online") or a citation
    part."""
    if field.startswith("rate."):
        return measure_label(field[5:]) or field
    name = field_label(field)
    return labels()["fields"].get(field, name) if name == field else name


def severity_label(severity: str) -> str:
    return labels()["severity"].get(severity, severity)


def measure_name(key: str | None) -> str:
    """ "Tỷ lệ tiếp nhận trực tuyến"; a rate of no known measure is "unclassified"."""
    return (measure_label(key) if key else None) or labels()["rates"]["unclassified"]
