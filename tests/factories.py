"""Small factories for the records tests build: a report's record, a roster, a summary made
by the real consolidation. Each takes only what a test means to vary."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from tthc.check.suggestions import suggestion
from tthc.consolidate.district import Processed, consolidate
from tthc.consolidate.roster import DEFAULT_TARGETS, Roster
from tthc.schemas import (
    Citation,
    Dossiers,
    Evidence,
    Flag,
    Percentage,
    Period,
    Record,
    Repair,
    Source,
)
from tthc.schemas.record import ReportMeta, Unit
from tthc.schemas.summary import DistrictSummary, ParentUnit, RosterEntry

PERIOD_KEY = "2025-Q1"
TRICKY = 'ghi "37 & 38" <khác nhau>'  # XML's special characters in a flag's text
PERIOD_LABEL = "Quý I năm 2025"


def evidence(quote: str = "…", line: int = 1, **more: Any) -> Evidence:
    return Evidence(line=line, start=0, end=len(quote), quote=quote, **more)


def percentage(
    value: float,
    measure: str | None,
    num: int | None = None,
    den: int | None = None,
    decimals: int | None = None,
    **more: Any,
) -> Percentage:
    """A stated rate of the period; `more` sets any other field (scope, other_unit…)."""
    if decimals is None:
        decimals = len(repr(value).split(".")[1]) if value % 1 else 0
    fields: dict[str, Any] = {
        "ratio_source": "explicit" if den else None,
        "measure_key": measure,
        "period": PERIOD_LABEL,
        "period_key": PERIOD_KEY,
        "evidence": evidence(f"{value}%"),
    }
    fields.update(more)
    return Percentage(value=value, numerator=num, denominator=den, decimals=decimals, **fields)


def citation(symbol: str, kind: str, date: dt.date | None = None, **more: Any) -> Citation:
    """A cited document as the extractor writes it: "09/2026/NĐ-CP" gives its number, year
    and code; `more` sets any other field."""
    number, year, code = symbol.split("/", 2)
    return Citation(
        kind=kind,
        number=number,
        year=int(year),
        code=code,
        symbol=symbol,
        date=date,
        evidence=more.pop("evidence", None) or evidence(symbol),
        **more,
    )


def flag(code: str, fields: list[str], severity: str = "error", **more: Any) -> Flag:
    """A flag; `repair=(field, stated, suggested)` gives it a repair and its suggestion in
    words, as the checks write them."""
    if isinstance(more.get("repair"), tuple):
        field, stated, suggested = more["repair"]
        more["repair"] = Repair(field=field, stated=stated, suggested=suggested)
        more["suggestion"] = suggestion(more["repair"])
    return Flag(
        code=code,
        severity=severity,
        message=more.pop("message", f"{code} …"),
        period=PERIOD_LABEL,
        period_key=PERIOD_KEY,
        scope="all",
        fields=fields,
        **more,
    )


def record(
    commune: str,
    level: str = "xã",
    *,
    path: str | None = None,
    lien_thong: dict[str, int] | None = None,
    percentages: list[Percentage] | None = None,
    flags: list[Flag] | None = None,
    kind: str | None = "báo cáo",
    date: dt.date | None = dt.date(2025, 3, 16),
    number: str | None = "12/BC-UBND",
    period_key: str = PERIOD_KEY,
    metrics: dict[str, int] | None = None,
    status: str = "ok",
    evidence_of: dict[str, Evidence] | None = None,
    marks: dict[str, dict[str, Any]] | None = None,
    **dossiers: int,
) -> Record:
    """A report's record with its whole-unit figures (keyword arguments) for the period.
    `marks` sets evidence marks per field: {"received_total": {"approx": True}}."""
    marks = marks or {}
    periods = [
        Period(
            label=PERIOD_LABEL,
            key=period_key,
            scope="all",
            dossiers=Dossiers(**dossiers),
            metrics=metrics or {},
            evidence=evidence_of
            or {k: evidence(f"{k} {v}", **marks.get(k, {})) for k, v in dossiers.items()},
        )
    ]
    if lien_thong is not None:
        periods.append(
            Period(
                label=PERIOD_LABEL,
                key=period_key,
                scope="lien_thong",
                dossiers=Dossiers(**lien_thong),
            )
        )
    name = path or f"{commune.lower().replace(' ', '_')}.txt"
    return Record(
        source=Source(path=name, sha256=f"sha-{name}", format=Path(name).suffix.lstrip(".")),
        status=status,
        unit=Unit(name=commune, level=level),
        report=ReportMeta(
            kind=kind, number=number, date=date, period=PERIOD_LABEL, period_key=period_key
        ),
        periods=periods,
        percentages=percentages or [],
        flags=flags or [],
    )


def failed(path: str, reason: str = "Tệp PDF bị hỏng, không đọc được.") -> Record:
    return Record(
        source=Source(path=path, format=Path(path).suffix.lstrip(".")),
        status="failed",
        errors=[reason],
    )


def consistent(
    commune: str,
    level: str = "xã",
    received: int = 100,
    online: int = 60,
    late: int = 1,
    pending: int = 5,
    carried: int = 2,
    **more: Any,
) -> Record:
    """A report whose every identity holds."""
    new = received - carried
    resolved = received - pending
    return record(
        commune,
        level,
        received_total=received,
        received_new=new,
        received_carried_over=carried,
        received_online=online,
        received_offline=new - online,
        resolved_total=resolved,
        resolved_early_or_on_time=resolved - late,
        resolved_late=late,
        pending_total=pending,
        pending_in_time=pending,
        pending_overdue=0,
        **more,
    )


def roster(
    *communes: tuple[str, str],
    level: str = "huyện",
    name: str = "Phú Lâm",
    province: str = "Bình Lĩnh",
    period_key: str | None = PERIOD_KEY,
    targets: dict[str, float] | None = None,
) -> Roster:
    return Roster(
        parent=ParentUnit(name=name, level=level, province=province),
        communes=[RosterEntry(name=n, level=lvl) for n, lvl in communes],
        targets=dict(DEFAULT_TARGETS if targets is None else targets),
        period_key=period_key,
    )


def summary(*records: Record, the_roster: Roster | None = None, **options: Any) -> DistrictSummary:
    """The real consolidation of these records (files named after their source paths)."""
    units = the_roster or roster(
        *dict.fromkeys((r.unit.name, r.unit.level) for r in records if r.unit.name)
    )
    files = [Processed(Path(r.source.path), r) for r in records]
    options.setdefault("today", dt.date(2025, 4, 2))
    return consolidate(files, units, **options)


def small_district(level: str = "huyện", **options: Any) -> DistrictSummary:
    """Four communes: two consistent (one with liên thông figures and per-field figures),
    one whose received total does not add up and states a figure twice, one that sent
    nothing; a file that could not be read; rates written and not."""
    commune_level = "xã" if level == "huyện" else "phường"
    name = "Phú Lâm" if level == "huyện" else "Bình Lĩnh"
    first = "thị trấn" if level == "huyện" else "phường"
    the_roster = roster(
        ("Đông Hòa", first),
        ("Tây Sơn", commune_level),
        ("Nam Phong", commune_level),
        ("Bắc Lý", commune_level),
        level=level,
        name=name,
    )
    dong_hoa = consistent(
        "Đông Hòa",
        first,
        received=5000,
        carried=40,
        online=3600,
        late=3,
        pending=60,
        path="01_dong_hoa.pdf",
        lien_thong={"received_total": 120, "resolved_total": 110, "pending_total": 10},
        percentages=[percentage(72.58, "online", 3600, 4960), percentage(98.5, "digitized_intake")],
    )
    dong_hoa.periods.append(
        Period(
            label=PERIOD_LABEL,
            key=PERIOD_KEY,
            scope="hộ tịch",
            dossiers=Dossiers(
                received_total=900, resolved_total=880, pending_total=20, resolved_late=1
            ),
        )
    )
    tay_son = record(
        "Tây Sơn",
        commune_level,
        path="02_tay_son.docx",
        received_total=1406,
        received_new=1393,
        received_carried_over=16,
        received_online=582,
        received_offline=811,
        resolved_total=1380,
        resolved_early_or_on_time=1379,
        resolved_late=1,
        pending_total=22,
        pending_in_time=21,
        pending_overdue=1,
        flags=[
            flag(
                "sum.received",
                ["received_total", "received_new", "received_carried_over"],
                expected=1409,
                actual=1406,
                repair=("received_carried_over", 16, 13),
                message="Tổng số hồ sơ tiếp nhận ghi 1.406 nhưng 1.393 + 16 = 1.409.",
                evidence=[evidence("Tổng số hồ sơ tiếp nhận: 1.406 hồ sơ", page=2, page_line=3)],
            ),
            flag(
                "conflict.value",
                ["pending_total"],
                "warning",
                expected=22,
                actual=[23],
                message=f"Số đang giải quyết {TRICKY}.",
            ),
        ],
        percentages=[percentage(41.78, "online", 582, 1393)],
    )
    nam_phong = consistent(
        "Nam Phong",
        commune_level,
        received=7571,
        carried=60,
        online=6011,
        late=9,
        pending=155,
        path="03_nam_phong.txt",
        percentages=[percentage(96.0, "digitized_intake", 7200, 7500)],
    )
    records = [dong_hoa, tay_son, nam_phong, failed("hong.pdf", "Tệp PDF bị hỏng & <lỗi>.")]
    return summary(*records, the_roster=the_roster, **options)
