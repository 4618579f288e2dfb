"""Generate the bundled sample district: commune reports, a roster and a truth file.

`tthc run` needs a district's worth of reports to consolidate, and the extractors need files
whose every figure is known. Real reports cannot be shipped, so this module writes fictional
ones in the genre: one district, one period, mixed formats (.txt extractions with their
damage, .docx in prose or with the national form's table, .pdf), varied phrasing and number
styles, figures that satisfy every identity of ../shared/domain.md except a few planted
faults, each recorded in `truth.json` with the single change that repairs it.

    python3 -m corpus.generate --out tthc/sample --communes 20 --seed 2025 \
        --truth tthc/evaluate/sample_truth.json

A generated district keeps its truth.json beside its reports; the bundled sample keeps it
outside its folder (`--truth`), so that the folder an officer runs holds only reports.

The output depends only on the arguments: all randomness comes from one `random.Random`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import string
import sys
import unicodedata
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from corpus import vocabulary as V
from corpus.documents import Block, Para, Table, write_docx, write_pdf, write_txt
from tthc.evaluate.district_truth import district_truth
from tthc.schemas import DOSSIER_FIELDS
from tthc.schemas.period_key import TWO_TIER_START, PeriodKey

# The identities of domain.md, named as the truth file names them.
ID_RECEIVED_TOTAL = "received_total = received_new + received_carried_over"
ID_RECEIVED_NEW = "received_new = received_online + received_offline"
ID_RESOLVED = "resolved_total = resolved_early + resolved_on_time + resolved_late"
ID_PENDING = "pending_total = pending_in_time + pending_overdue"
ID_BALANCE = "received_total = resolved_total + pending_total (+ returned)"
ID_RATIO = "value = numerator / denominator × 100, rounded half-up to the digits shown"

# Planted faults: the first four need figures written in prose, the last two go anywhere.
PROSE_FAULTS: tuple[str, ...] = (
    "sum.received:typo",
    "sum.received:carried",
    "missing",
    "conflict.value",
)
ANY_FAULTS: tuple[str, ...] = ("ratio", "citation.code")
# One format per report kind, cycled so each takes about a quarter (PDFs half prose,
# half table).
FORMAT_CYCLE: tuple[tuple[str, bool], ...] = (
    ("txt", False),
    ("docx", False),
    ("docx", True),
    ("pdf", False),
    ("txt", False),
    ("docx", False),
    ("docx", True),
    ("pdf", True),
)


# ---------------------------------------------------------------------------------------
# Periods


@dataclass(frozen=True)
class Period:
    """A reporting period on the statistical calendar (quarters run 15th to 14th)."""

    label: str
    key: str
    start: dt.date
    end: dt.date

    @property
    def two_tier(self) -> bool:
        """Whether the report is written after 1/7/2025 (no districts, Decree 118/2025)."""
        return self.end >= TWO_TIER_START

    def to_json(self) -> dict[str, str]:
        return {
            "label": self.label,
            "key": self.key,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }


_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


def parse_period(label: str) -> Period:
    """ "Quý I năm 2025" or "năm 2025" as a Period; the statistical quarter Q of year Y runs
    from the 15th of the month before it to the 14th of its last month."""
    m = re.fullmatch(r"\s*Quý\s+(IV|III|II|I|[1-4])\s+năm\s+(\d{4})\s*", label)
    if m:
        key = PeriodKey.of_quarter(int(m[2]), _ROMAN.get(m[1]) or int(m[1]))
        return Period(key.label_vi(), str(key), key.start, key.end)
    m = re.fullmatch(r"\s*[Nn]ăm\s+(\d{4})\s*", label)
    if m:
        key = PeriodKey.of_year(int(m[1]))
        return Period(key.label_vi(), str(key), key.start, key.end)
    raise ValueError(f'Không hiểu kỳ báo cáo {label!r}: cần dạng "Quý I năm 2025" hoặc "năm 2025".')


# ---------------------------------------------------------------------------------------
# Figures


@dataclass(frozen=True)
class Figures:
    """One scope's dossier counts, stored as independent parts so the totals and every
    identity hold by construction."""

    carried: int = 0
    online: int = 0
    offline: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    in_time: int = 0
    overdue: int = 0
    returned: int = 0

    @property
    def new(self) -> int:
        return self.online + self.offline

    @property
    def total(self) -> int:
        return self.new + self.carried

    @property
    def resolved(self) -> int:
        return self.early + self.on_time + self.late

    @property
    def pending(self) -> int:
        return self.in_time + self.overdue

    def __add__(self, other: Figures) -> Figures:
        return Figures(*(a + b for a, b in zip(self.parts(), other.parts(), strict=True)))

    def parts(self) -> tuple[int, ...]:
        return (
            self.carried,
            self.online,
            self.offline,
            self.early,
            self.on_time,
            self.late,
            self.in_time,
            self.overdue,
            self.returned,
        )

    def contract(self) -> dict[str, int]:
        """Every contract field's value (what a report would state if it stated all)."""
        return {
            "received_total": self.total,
            "received_new": self.new,
            "received_online": self.online,
            "received_offline": self.offline,
            "received_carried_over": self.carried,
            "resolved_total": self.resolved,
            "resolved_early": self.early,
            "resolved_on_time": self.on_time,
            "resolved_early_or_on_time": self.early + self.on_time,
            "resolved_late": self.late,
            "pending_total": self.pending,
            "pending_in_time": self.in_time,
            "pending_overdue": self.overdue,
            "returned": self.returned,
        }


def field_figures(rng: random.Random, spec: V.FieldSpec, returns: bool) -> Figures:
    """A plausible quarter for one field: most dossiers resolved early, a few pending,
    late ones rare and mostly in land matters."""
    new = rng.randint(*spec.volume)
    online = round(new * rng.uniform(*spec.online_share))
    carried = rng.randint(0, max(1, new // 40))
    total = new + carried
    pending = min(total, rng.randint(0, max(1, total // 25)))
    returned = min(total - pending, rng.randint(0, max(1, total // 60))) if returns else 0
    overdue = 1 if pending and rng.random() < 0.15 else 0
    resolved = total - pending - returned
    late_odds = 0.5 if spec.name == "Đất đai" else 0.08
    late = min(resolved, rng.randint(1, 3)) if rng.random() < late_odds else 0
    on_time = rng.randint(0, max(0, (resolved - late) // 12))
    return Figures(
        carried=carried,
        online=online,
        offline=new - online,
        early=resolved - late - on_time,
        on_time=on_time,
        late=late,
        in_time=pending - overdue,
        overdue=overdue,
        returned=returned,
    )


def lien_thong_figures(rng: random.Random) -> Figures:
    """Inter-agency dossiers (birth + residence + health card, and the like): few, online."""
    new = rng.randint(6, 60)
    online = round(new * rng.uniform(0.7, 1.0))
    carried = rng.randint(0, 2)
    pending = rng.randint(0, 3)
    resolved = new + carried - pending
    on_time = rng.randint(0, resolved // 10)
    return Figures(
        carried=carried,
        online=online,
        offline=new - online,
        early=resolved - on_time,
        on_time=on_time,
        in_time=pending,
    )


def field_key(name: str) -> str:
    """A field's scope name in prose and in the truth file: "Hộ tịch" → "hộ tịch"."""
    return name.lower()


def sum_figures(parts: Iterable[Figures]) -> Figures:
    total = Figures()
    for p in parts:
        total = total + p
    return total


# ---------------------------------------------------------------------------------------
# Number style


@dataclass(frozen=True)
class NumberStyle:
    """How a report writes numbers: Vietnamese (2.416; 83,4) or English (2,416; 83.4), and
    whether small counts get a leading zero (05 hồ sơ)."""

    english: bool = False
    zero_pad: bool = False

    def count(self, n: int) -> str:
        if self.zero_pad and 0 < n < 10:
            return f"0{n}"
        grouped = f"{n:,}"
        return grouped if self.english else grouped.replace(",", ".")

    def table_count(self, n: int) -> str:
        """Counts in a table cell: grouped, never zero-padded."""
        return replace(self, zero_pad=False).count(n)

    def rate(self, value: Decimal, decimals: int) -> str:
        text = f"{value:.{decimals}f}"
        return text if self.english else text.replace(".", ",")


def rate_value(num: int, den: int, decimals: int) -> Decimal:
    """The ratio in percent, rounded half-up to `decimals` digits (how a rate is right)."""
    exact = Decimal(num) * 100 / Decimal(den)
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------------------
# Spelling damage: the other tone-mark style and decomposed diacritics


_OLD_TONE = {
    "òa": "oà",
    "óa": "oá",
    "ỏa": "oả",
    "õa": "oã",
    "ọa": "oạ",
    "òe": "oè",
    "óe": "oé",
    "ỏe": "oẻ",
    "õe": "oẽ",
    "ọe": "oẹ",
    "ùy": "uỳ",
    "úy": "uý",
    "ủy": "uỷ",
    "ũy": "uỹ",
    "ụy": "uỵ",
}
_OLD_TONE.update({k.upper(): v.upper() for k, v in list(_OLD_TONE.items())})
_OLD_TONE.update(
    {k[0].upper() + k[1:]: v[0].upper() + v[1:] for k, v in list(_OLD_TONE.items()) if k.islower()}
)
_OLD_TONE_RE = re.compile("(" + "|".join(sorted(_OLD_TONE, key=len, reverse=True)) + r")(?!\w)")


def to_old_tone(text: str) -> str:
    """Move the tone mark to the old place in word-final oa/oe/uy ("hòa" → "hoà",
    "Thủy" → "Thuỷ", "Ủy" → "Uỷ"), as many offices still type."""
    return _OLD_TONE_RE.sub(lambda m: _OLD_TONE[m[1]], unicodedata.normalize("NFC", text))


def has_old_tone_variant(name: str) -> bool:
    return to_old_tone(name) != name


def slug(text: str) -> str:
    """ASCII file-name form: "Thị trấn Đông Thủy" → "thi_tran_dong_thuy"."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")


# ---------------------------------------------------------------------------------------
# The district


@dataclass(frozen=True)
class Unit:
    name: str
    level: str  # xã | thị trấn | phường


@dataclass(frozen=True)
class LocalDoc:
    """A plan, letter or decision of the parent or of a commune, cited by symbol."""

    kind: str
    number: int
    code: str
    date: dt.date
    issuer: str
    subject: str

    @property
    def symbol(self) -> str:
        return f"{self.number:02d}/{self.code}"


@dataclass
class District:
    """The parent unit (district, or province after 1/7/2025) and its communes."""

    province: str
    parent_name: str
    parent_level: str  # huyện | tỉnh | thành phố
    period: Period
    units: list[Unit]
    parent_docs: list[LocalDoc]

    @property
    def parent_phrase(self) -> str:
        """How a commune names its parent: "UBND huyện Kim Trạch"."""
        return f"UBND {self.parent_level} {self.parent_name}"


def parent_level_for(period: Period, parent_level: str | None) -> str:
    """Districts report upward until 30/6/2025; afterwards there is no district level."""
    if parent_level is None:
        return "tỉnh" if period.two_tier else "huyện"
    if parent_level not in ("huyện", "tỉnh", "thành phố"):
        raise ValueError(f"Cấp trên không hợp lệ: {parent_level!r} (huyện, tỉnh hoặc thành phố).")
    if parent_level == "huyện" and period.two_tier:
        raise ValueError(
            "Từ ngày 01/7/2025 không còn cấp huyện: chọn cấp trên là tỉnh hoặc thành phố."
        )
    return parent_level


def commune_names(rng: random.Random, n: int, reserved: set[str]) -> list[str]:
    """n distinct two-syllable names; at least two can be written in the other tone-mark
    style, so a roster/report spelling mismatch can be planted."""
    pool = [
        f"{a} {b}"
        for a in V.NAME_FIRST
        for b in V.NAME_SECOND
        if a != b and f"{a} {b}" not in V.AVOID_NAMES | reserved
    ]
    rng.shuffle(pool)
    names = pool[:n]
    short = 2 - sum(has_old_tone_variant(x) for x in names)
    plain = [i for i, x in enumerate(names) if not has_old_tone_variant(x)]
    variants = [p for p in pool[n:] if has_old_tone_variant(p)]
    for i, variant in zip(plain[: max(0, short)], variants, strict=False):
        names[i] = variant
    return names


def make_units(
    rng: random.Random, n: int, parent_name: str, parent_level: str, reserved: set[str]
) -> list[Unit]:
    """Mostly xã. Before 7/2025 a couple of thị trấn, the first named after its district as
    is usual (so "huyện Kim Trạch" and "thị trấn Kim Trạch" share a name); after 7/2025
    phường instead, as thị trấn were abolished."""
    if parent_level == "huyện":
        towns = [parent_name, rng.choice(V.TOWNS)][: min(2, n - 1)]
        names = commune_names(rng, n - len(towns), reserved | set(towns))
        return [Unit(t, "thị trấn") for t in towns] + [Unit(x, "xã") for x in names]
    names = commune_names(rng, n, reserved)
    wards = n // 2 if parent_level == "thành phố" else min(2, n - 1)
    return [Unit(name, "phường" if i < wards else "xã") for i, name in enumerate(names)]


def person(rng: random.Random) -> str:
    return f"{rng.choice(V.SURNAMES)} {rng.choice(V.MIDDLE_NAMES)} {rng.choice(V.GIVEN_NAMES)}"


def parent_documents(
    rng: random.Random, province: str, parent_name: str, parent_level: str, period: Period
) -> list[LocalDoc]:
    """Plans and the reporting letter of the parent (and the province's plan), numbered so
    that a larger number never carries an earlier date within one register."""
    year = period.end.year
    first = max(dt.date(year, 1, 2), period.start + dt.timedelta(days=16))
    issuer = f"UBND {parent_level} {parent_name}"
    docs: list[LocalDoc] = []
    # A district's plans open the year; a province's register is far along by mid-year.
    number = rng.randint(2, 9) if first.month == 1 else rng.randint(150, 260)
    day = first
    for subject in V.PARENT_PLAN_SUBJECTS[:2]:
        docs.append(LocalDoc("Kế hoạch", number, "KH-UBND", day, issuer, subject.format(year=year)))
        number += rng.randint(3, 12)
        day += dt.timedelta(days=rng.randint(4, 12))
    letter_day = period.end - dt.timedelta(days=rng.randint(6, 12))
    docs.append(
        LocalDoc(
            "Công văn",
            rng.randint(120, 480),
            "UBND-VP",
            letter_day,
            issuer,
            V.PARENT_LETTER_SUBJECT.format(period=period.label),
        )
    )
    if parent_level == "huyện":
        docs.append(
            LocalDoc(
                "Kế hoạch",
                rng.randint(180, 320),
                "KH-UBND",
                dt.date(year - 1, 12, rng.randint(18, 28)),
                f"UBND tỉnh {province}",
                V.PARENT_PLAN_SUBJECTS[0].format(year=year),
            )
        )
    return docs


# ---------------------------------------------------------------------------------------
# One report's plan


@dataclass
class Plan:
    """Everything chosen for one commune's report before any text is written."""

    index: int
    unit: Unit
    path: str
    fmt: str  # txt | docx | pdf
    table: bool
    style: NumberStyle
    nfd: bool
    old_tone: bool
    written_name: str
    fields: dict[str, Figures]
    lien_thong: Figures | None
    counts_returned: bool
    metrics: dict[str, int]
    report_number: int
    report_date: dt.date
    own_docs: list[LocalDoc]
    signer: str
    signer_title: str  # Chủ tịch | Phó Chủ tịch
    fault: str | None = None

    @property
    def totals(self) -> Figures:
        return sum_figures(self.fields.values())


def choose_fields(rng: random.Random) -> list[V.FieldSpec]:
    optional = [f for f in V.FIELDS if not f.always]
    picked = set(rng.sample(optional, rng.randint(2, 4)))
    return [f for f in V.FIELDS if f.always or f in picked]


def own_documents(
    rng: random.Random, unit: Unit, period: Period, report_date: dt.date, taken: set[str]
) -> tuple[list[LocalDoc], int]:
    """The commune's own plans and decisions in the period, and the report's number, all
    from one register whose numbers grow with the date. Symbols in `taken` (the parent's)
    are skipped, so one report never cites one symbol for two documents."""
    year = report_date.year
    first = max(dt.date(year, 1, 3), period.start + dt.timedelta(days=10))
    if report_date >= TWO_TIER_START:  # the commune as it stands was set up on 1/7/2025
        first = max(first, TWO_TIER_START)
    issuer = f"UBND {unit.level} {unit.name}"
    chosen = rng.sample(V.COMMUNE_DOC_SUBJECTS, rng.randint(2, 3))
    span = max(1, (report_date - first).days - 10)
    days = sorted(rng.sample(range(span), len(chosen)))
    number = rng.randint(1, 6)
    docs = []
    for (kind, code, subject), offset in zip(chosen, days, strict=True):
        while f"{number:02d}/{code}" in taken:
            number += 1
        docs.append(
            LocalDoc(
                kind,
                number,
                code,
                first + dt.timedelta(days=offset),
                issuer,
                subject.format(year=year),
            )
        )
        number += rng.randint(1, 7)
    return docs, number + rng.randint(1, 9)


def make_plan(
    rng: random.Random, index: int, unit: Unit, fmt: str, table: bool, district: District
) -> Plan:
    specs = choose_fields(rng)
    returns = not table and rng.random() < 0.3
    fields = {s.name: field_figures(rng, s, returns) for s in specs}
    totals = sum_figures(fields.values())
    period = district.period
    report_date = period.end + dt.timedelta(days=rng.randint(0, 6))
    docs, number = own_documents(
        rng, unit, period, report_date, {d.symbol for d in district.parent_docs}
    )
    chair = rng.random() < 0.6
    return Plan(
        index=index,
        unit=unit,
        path=f"{index:02d}_{slug(unit.level)}_{slug(unit.name)}.{fmt}",
        fmt=fmt,
        table=table,
        style=NumberStyle(zero_pad=rng.random() < 0.6),
        nfd=False,
        old_tone=False,
        written_name=unit.name,
        fields=fields,
        lien_thong=lien_thong_figures(rng) if rng.random() < 0.5 else None,
        counts_returned=returns,
        metrics={
            "procedures_published": rng.randint(96, 142),
            "petitions_received": rng.choice((0, 0, 0, 1, 2)),
            "digitized_intake": totals.new - rng.randint(0, max(1, totals.new // 30)),
            "digitized_result": totals.resolved - rng.randint(0, max(1, totals.resolved // 12)),
        },
        report_number=number,
        report_date=report_date,
        own_docs=docs,
        signer=person(rng),
        signer_title="Chủ tịch" if chair else "Phó Chủ tịch",
    )


def assign_styles(rng: random.Random, plans: list[Plan]) -> None:
    """Spread the spelling and number-style damage: decomposed diacritics in one or two
    .txt files, English number style in one or two files, the old tone-mark style in about
    a quarter of them."""
    txts = [p for p in plans if p.fmt == "txt"]
    for p in rng.sample(txts, min(len(txts), max(1, round(len(txts) * 0.25)))):
        p.nfd = True
    for p in rng.sample(plans, min(len(plans), max(1, round(len(plans) * 0.08)))):
        p.style = replace(p.style, english=True)
    for p in rng.sample(plans, round(len(plans) * 0.25)):
        p.old_tone = True
        p.written_name = to_old_tone(p.unit.name)


def plant_name_variant(rng: random.Random, plans: list[Plan]) -> Plan | None:
    """One report in the ordinary spelling writes its own name in the other tone style
    ("Đông Thuỷ" where the roster says "Đông Thủy"), so the roster match must be fuzzy."""
    fits = [
        p for p in plans if not p.old_tone and not p.fault and has_old_tone_variant(p.unit.name)
    ]
    if not fits:
        return None
    plan = rng.choice(fits)
    plan.written_name = to_old_tone(plan.unit.name)
    return plan


def assign_faults(rng: random.Random, plans: list[Plan]) -> None:
    """Each planted fault in a different report. Faults about the received figures, the
    missing total and the repeated figure need prose figures; the others go anywhere."""
    prose = [p for p in plans if not p.table]
    rng.shuffle(prose)
    for code, plan in zip(PROSE_FAULTS, prose, strict=False):
        plan.fault = code
    free = [p for p in plans if p.fault is None]
    rng.shuffle(free)
    for code, plan in zip(ANY_FAULTS, free, strict=False):
        plan.fault = code


def build_district(
    n_communes: int, seed: int, period_label: str, parent_level: str | None, faults: bool
) -> tuple[District, list[Plan], Unit]:
    """The district, one plan per reporting commune, and the commune that sends nothing."""
    if n_communes < 2:
        raise ValueError("Cần ít nhất 2 đơn vị cấp xã.")
    rng = random.Random(seed)
    period = parse_period(period_label)
    level = parent_level_for(period, parent_level)
    province = rng.choice(V.PROVINCES)
    parent_name = province if level != "huyện" else rng.choice(V.DISTRICTS)
    units = make_units(rng, n_communes, parent_name, level, {province, parent_name, *V.DISTRICTS})
    silent = rng.choice(units[1:])  # the roster lists it; no report comes from it
    district = District(
        province,
        parent_name,
        level,
        period,
        units,
        parent_documents(rng, province, parent_name, level, period),
    )
    reporting = [u for u in units if u is not silent]
    formats = [FORMAT_CYCLE[i % len(FORMAT_CYCLE)] for i in range(len(reporting))]
    rng.shuffle(formats)
    plans = [
        make_plan(rng, i + 1, u, fmt, table, district)
        for i, (u, (fmt, table)) in enumerate(zip(reporting, formats, strict=True))
    ]
    assign_styles(rng, plans)
    if faults:
        assign_faults(rng, plans)
    plant_name_variant(rng, plans)
    return district, plans, silent


# ---------------------------------------------------------------------------------------
# Truth of one file, recorded as the text is written


@dataclass
class ScopeTruth:
    """What one scope's text states: the value of each field (None if never stated), the
    string as written, breakdowns, second statements that disagree, and announced-but-
    empty figures."""

    dossiers: dict[str, int | None] = field(default_factory=lambda: dict.fromkeys(DOSSIER_FIELDS))
    written: dict[str, str] = field(default_factory=dict)
    breakdowns: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    by_quantifier: list[str] = field(default_factory=list)  # stated for all, no number


class Recorder:
    """Formats every number a template writes and notes it, so the truth file holds
    exactly what the text states: never a figure the text leaves out."""

    def __init__(self, style: NumberStyle) -> None:
        self.style = style
        self.scopes: dict[str, ScopeTruth] = {}
        self.percentages: list[dict[str, Any]] = []
        self.citations: dict[tuple[str, str], dict[str, Any]] = {}
        self.metrics: dict[str, int] = {}

    def scope(self, name: str) -> ScopeTruth:
        return self.scopes.setdefault(name, ScopeTruth())

    def count(self, scope: str, name: str, value: int, *, table: bool = False) -> str:
        text = self.style.table_count(value) if table else self.style.count(value)
        truth = self.scope(scope)
        first = truth.dossiers[name]
        if first is None:
            truth.dossiers[name] = value
            truth.written[name] = text
        elif first != value:
            truth.conflicts.append(
                {"field": name, "values": [first, value], "written": [truth.written[name], text]}
            )
        return text

    def quantified(self, scope: str, name: str, value: int) -> None:
        """A figure the text states with no number of its own ("…, đều còn trong thời hạn":
        pending in time = the pending total)."""
        truth = self.scope(scope)
        if truth.dossiers[name] is None:
            truth.dossiers[name] = value
            truth.by_quantifier.append(name)

    def missing(self, scope: str, name: str) -> None:
        self.scope(scope).missing.append(name)

    def metric(self, name: str, value: int) -> str:
        self.metrics[name] = value
        return self.style.count(value)

    def breakdown(self, of: str, items: dict[str, int], partial: bool = False) -> str:
        """Items as "hộ tịch 120; chứng thực 310", noted as a breakdown of `of`."""
        written = {k: self.style.count(v) for k, v in items.items()}
        self.scope("all").breakdowns.append(
            {"of": of, "items": dict(items), "written": written, "partial": partial}
        )
        sep = ", " if partial else "; "
        return sep.join(f"{k} {w}" for k, w in written.items())

    def rate(
        self,
        measure: str,
        num: int,
        den: int,
        decimals: int,
        *,
        explicit: bool,
        basis: dict[str, str],
        stated: Decimal | None = None,
    ) -> dict[str, str]:
        """A percentage: its right value from num/den, or `stated` when the report gets it
        wrong. Returns the strings a template needs."""
        right = rate_value(num, den, decimals)
        value = right if stated is None else stated
        pct = self.style.rate(value, decimals)
        self.percentages.append(
            {
                "measure": measure,
                "value": float(value),
                "decimals": decimals,
                "written": pct,
                "numerator": num if explicit else None,
                "denominator": den if explicit else None,
                "written_numerator": self.style.count(num) if explicit else None,
                "written_denominator": self.style.count(den) if explicit else None,
                "basis": basis,
                "scope": "all",
                "correct": value == right,
                "correct_value": float(right),
            }
        )
        return {"num": self.style.count(num), "den": self.style.count(den), "pct": pct}

    def cite(
        self,
        kind: str,
        number: str,
        year: int,
        code: str,
        symbol: str,
        date: dt.date,
        issuer: str,
        subject: str,
    ) -> None:
        entry = self.citations.get((symbol, issuer))
        if entry:
            entry["mentions"] += 1
            return
        self.citations[(symbol, issuer)] = {
            "kind": kind,
            "number": number,
            "year": year,
            "code": code,
            "symbol": symbol,
            "date": date.isoformat(),
            "issuer": issuer,
            "subject": subject,
            "mentions": 1,
        }

    def fill(self, template: str, values: dict[str, int], scope: str = "all", **extra: str) -> str:
        """Fill a template: contract-field placeholders take `values` (recorded), the
        others take `extra`."""
        args: dict[str, str] = dict(extra)
        for _, name, _, _ in string.Formatter().parse(template):
            if name in DOSSIER_FIELDS:
                args[name] = self.count(scope, name, values[name])
        return template.format(**args)

    def scopes_json(self) -> list[dict[str, Any]]:
        order = sorted(self.scopes, key=lambda s: (s != "all", s != "lien_thong", s))
        return [
            {
                "scope": s,
                "dossiers": self.scopes[s].dossiers,
                "written": self.scopes[s].written,
                "breakdowns": self.scopes[s].breakdowns,
                "conflicts": self.scopes[s].conflicts,
                "missing": self.scopes[s].missing,
                "by_quantifier": self.scopes[s].by_quantifier,
            }
            for s in order
        ]


# ---------------------------------------------------------------------------------------
# Writing one report


@dataclass
class Ctx:
    """What every section writer needs: the randomness, the plan, the district, the
    recorder, the values the text states (faults applied), and fault bookkeeping."""

    rng: random.Random
    plan: Plan
    district: District
    rec: Recorder
    stated: dict[str, int]
    faults: list[dict[str, Any]] = field(default_factory=list)
    # The activity sentences' own randomness, seeded apart from `rng`, so that writing them
    # changes no other figure, fault or choice of the report.
    activity: random.Random = field(default_factory=lambda: random.Random(0))
    acts: dict[str, Any] | None = None

    @property
    def unit(self) -> str:
        """How the text names the unit's own kind: "xã", "thị trấn" or "phường"."""
        return self.plan.unit.level

    @property
    def period(self) -> Period:
        return self.district.period

    def pick(self, options: tuple[Any, ...] | list[Any]) -> Any:
        return self.rng.choice(options)

    def fault_record(
        self,
        code: str,
        fields: list[str],
        stated: Any,
        correct: Any,
        suggestion: str | None,
        identities: list[str],
        note: str,
    ) -> None:
        self.faults.append(
            {
                "file": self.plan.path,
                "commune": self.plan.unit.name,
                "code": code,
                "scope": "all",
                "fields": fields,
                "stated": stated,
                "correct": correct,
                "suggestion": suggestion,
                "identities": identities,
                "note": note,
            }
        )


def date_numeric(d: dt.date, pad: bool) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}" if pad else f"{d.day}/{d.month}/{d.year}"


def date_words(d: dt.date) -> str:
    return f"ngày {d.day:02d} tháng {d.month} năm {d.year}"


def header(ctx: Ctx) -> list[Block]:
    """The two-column agency/motto header, a borderless layout table."""
    d, p = ctx.district, ctx.plan
    if d.parent_level == "huyện":
        top = f"UBND HUYỆN {d.parent_name.upper()}"
    else:
        top = f"{d.parent_level.upper()} {d.parent_name.upper()}"
    place = f"{p.written_name}, {date_words(p.report_date)}"
    rows = [
        [top, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        [f"UBND {p.unit.level.upper()} {p.written_name.upper()}", "Độc lập - Tự do - Hạnh phúc"],
        [f"Số: {p.report_number:02d}/BC-UBND", place],
    ]
    return [Table(rows, header_rows=0, borders=False, widths=[1.0, 1.4])]


def title(ctx: Ctx) -> list[Block]:
    subject = ctx.pick(V.SUBJECTS).format(period=ctx.period.label)
    return [
        Para("BÁO CÁO", bold=True, align="center", size=14),
        Para(subject, bold=True, align="center"),
    ]


def opening(ctx: Ctx) -> list[Block]:
    text = ctx.pick(V.OPENINGS).format(
        parent=ctx.district.parent_phrase,
        unit=ctx.unit,
        name=ctx.plan.written_name,
        period=ctx.period.label,
    )
    return [Para(text, align="justify")]


def central_docs(ctx: Ctx) -> list[V.LegalDoc]:
    """The one-stop decree in force for the period, Decree 63 most of the time, and a few
    others."""
    before = not ctx.period.two_tier
    main = V.ONE_STOP_BEFORE_2025_07 if before else V.ONE_STOP_FROM_2025_07
    pool = list(V.OTHER_CENTRAL) + (list(V.BEFORE_2025_07_ONLY) if before else [])
    if not before:
        pool = [V.LAPSED_2025_07.get(doc, doc) for doc in pool]
    others = ctx.rng.sample(pool, ctx.rng.randint(2, 4))
    docs = [main, *others]
    if V.DECREE_63 not in docs and ctx.rng.random() < 0.6:
        docs.insert(1, V.DECREE_63)
    return docs


def cite_central(ctx: Ctx, doc: V.LegalDoc) -> str:
    """One central document in a list, with the planted wrong code when this report
    carries the citation fault."""
    code = doc.code
    if (
        ctx.plan.fault == "citation.code"
        and doc.kind == "Nghị định"
        and doc in (V.ONE_STOP_BEFORE_2025_07, V.ONE_STOP_FROM_2025_07)
    ):
        code = "QĐ-TTg"
        wrong = f"{doc.number}/{doc.year}/{code}"
        ctx.fault_record(
            "citation.code",
            ["citation"],
            wrong,
            doc.symbol,
            f"{wrong} → {doc.symbol}",
            [],
            "Nghị định của Chính phủ mang ký hiệu NĐ-CP, không phải QĐ-TTg.",
        )
    symbol = f"{doc.number}/{doc.year}/{code}" if doc.number_year else f"{doc.number}/{code}"
    date = dt.date.fromisoformat(doc.date)
    written_date = ctx.pick(
        (date_numeric(date, True), date_numeric(date, False), date_words(date)[5:])
    )
    ctx.rec.cite(doc.kind, doc.number, doc.year, code, symbol, date, doc.issuer, doc.subject)
    return ctx.pick(V.CITATION_TEMPLATES).format(
        kind=doc.kind, symbol=symbol, date=written_date, issuer=doc.issuer, subject=doc.subject
    )


def cite_local(ctx: Ctx, doc: LocalDoc, with_issuer: bool) -> str:
    ctx.rec.cite(
        doc.kind,
        f"{doc.number:02d}",
        doc.date.year,
        doc.code,
        doc.symbol,
        doc.date,
        doc.issuer,
        doc.subject,
    )
    kind = "Văn bản" if doc.kind == "Công văn" and ctx.rng.random() < 0.5 else doc.kind
    issuer = f" của {doc.issuer}" if with_issuer else ""
    return (
        f"{kind} số {doc.symbol} ngày {date_numeric(doc.date, ctx.rng.random() < 0.7)}"
        f"{issuer} về {doc.subject}"
    )


def section_i(ctx: Ctx) -> list[Block]:
    """Leadership: central documents, the parent's and the commune's own plans, publicity
    of procedures and petitions."""
    p, rec = ctx.plan, ctx.rec
    central = "; ".join(cite_central(ctx, d) for d in central_docs(ctx))
    parents = ctx.rng.sample(ctx.district.parent_docs, min(2, len(ctx.district.parent_docs)))
    parent_text = " và ".join(cite_local(ctx, d, True) for d in parents)
    own_text = "; ".join(cite_local(ctx, d, False) for d in p.own_docs)
    petitions = p.metrics["petitions_received"]
    if petitions:
        pet = ctx.pick(V.PETITIONS_SOME).format(
            unit=ctx.unit, n=rec.metric("petitions_received", petitions)
        )
    else:
        pet = ctx.pick(V.PETITIONS_NONE).format(unit=ctx.unit)
        rec.metric("petitions_received", 0)  # "không nhận được …": a stated zero
    published = rec.metric("procedures_published", p.metrics["procedures_published"])
    return [
        Para(ctx.pick(V.HEAD_I), bold=True),
        Para(ctx.pick(V.HEAD_I_1), bold=True),
        Para(ctx.pick(V.CENTRAL_INTROS).format(docs=central, unit=ctx.unit), align="justify"),
        Para(ctx.pick(V.HEAD_I_2).format(unit=ctx.unit), bold=True),
        Para(
            ctx.pick(V.LOCAL_INTROS).format(
                parent_docs=parent_text, own_docs=own_text, unit=ctx.unit
            ),
            align="justify",
        ),
        Para(ctx.pick(V.HEAD_I_3), bold=True),
        Para(ctx.pick(V.PUBLISHED).format(n=published, unit=ctx.unit), align="justify"),
        *review_paras(ctx),
        Para(pet, align="justify"),
        *petitions_resolved_paras(ctx, petitions),
        *posts_paras(ctx),
    ]


# ---------------------------------------------------------------------------------------
# What the commune did besides handling dossiers: procedures reviewed, petitions handled,
# news posts, online services and payments, surveys, desk staff. Every choice here comes
# from `ctx.activity`, never from `ctx.rng`, so the rest of a report stays as it was.


def activities(ctx: Ctx) -> dict[str, Any]:
    """The report's activity facts, drawn once in a fixed order: whether each is stated
    and its value (consistent with the report's other figures)."""
    if ctx.acts is not None:
        return ctx.acts
    r, p = ctx.activity, ctx.plan
    totals = p.totals
    published = p.metrics["procedures_published"]
    full = r.randint(published * 3 // 10, published * 6 // 10)
    ctx.acts = {
        "review": r.random() < 0.65,
        "reviewed": r.randint(6, 30),
        "proposed": r.choice((0, 0, 1, 2, 3)),
        "proposed_stated": r.random() < 0.8,
        "resolved": r.random() < 0.7,
        "posts": r.random() < 0.6,
        "two_channels": r.random() < 0.5,
        "radio": r.randint(2, 18),
        "web": r.randint(1, 12),
        "services": r.random() < 0.6,
        "full": full,
        "partial": r.randint(5, max(5, min(60, published - full))),
        "payments": r.random() < 0.6 and totals.online > 0,
        "paid": max(1, round(totals.online * r.uniform(0.15, 0.6))),
        "surveys": r.random() < 0.6 and totals.resolved > 0,
        "forms": max(1, round(totals.resolved * r.uniform(0.3, 0.9))),
        "staff": r.random() < 0.6,
        "desk": r.randint(3, 8),
    }
    return ctx.acts


def act_pick(ctx: Ctx, options: tuple[str, ...]) -> str:
    return ctx.activity.choice(options)


def review_paras(ctx: Ctx) -> list[Block]:
    """Procedures reviewed, and those proposed for simplification (a stated none, or not
    stated at all)."""
    a, rec = activities(ctx), ctx.rec
    if not a["review"]:
        return []
    reviewed = rec.metric("procedures_reviewed", a["reviewed"])
    if not a["proposed_stated"]:
        text = act_pick(ctx, V.REVIEWED_ONLY).format(reviewed=reviewed, unit=ctx.unit)
    elif a["proposed"] == 0:
        rec.metric("procedures_simplification_proposed", 0)
        text = act_pick(ctx, V.REVIEWED_NONE_PROPOSED).format(reviewed=reviewed, unit=ctx.unit)
    else:
        proposed = rec.metric("procedures_simplification_proposed", a["proposed"])
        text = act_pick(ctx, V.REVIEWED_AND_PROPOSED).format(
            reviewed=reviewed, proposed=proposed, unit=ctx.unit
        )
    return [Para(text, align="justify")]


def petitions_resolved_paras(ctx: Ctx, received: int) -> list[Block]:
    """The petitions received were all handled; some reports say so with the count."""
    if not received or not activities(ctx)["resolved"]:
        return []
    resolved = ctx.rec.metric("petitions_resolved", received)
    text = act_pick(ctx, V.PETITIONS_RESOLVED).format(resolved=resolved, unit=ctx.unit)
    return [Para(text, align="justify")]


def posts_paras(ctx: Ctx) -> list[Block]:
    """News posts about the reform: one count, or two channels that add up to the total."""
    a = activities(ctx)
    if not a["posts"]:
        return []
    style = ctx.rec.style
    if a["two_channels"]:
        ctx.rec.metric("communication_posts", a["radio"] + a["web"])
        text = act_pick(ctx, V.POSTS_TWO).format(
            radio=style.count(a["radio"]), web=style.count(a["web"]), unit=ctx.unit
        )
    else:
        posts = ctx.rec.metric("communication_posts", a["radio"] + a["web"])
        text = act_pick(ctx, V.POSTS_ONE).format(posts=posts, unit=ctx.unit)
    return [Para(text, align="justify")]


def online_activity_paras(ctx: Ctx) -> list[Block]:
    """Online services offered (fully / partly online) and dossiers paid online."""
    a, rec, blocks = activities(ctx), ctx.rec, []
    if a["services"]:
        published = rec.metric("procedures_published", ctx.plan.metrics["procedures_published"])
        full = rec.metric("online_services_full", a["full"])
        partial = rec.metric("online_services_partial", a["partial"])
        text = act_pick(ctx, V.ONLINE_SERVICES).format(
            full=full, partial=partial, published=published, unit=ctx.unit
        )
        blocks.append(Para(text, align="justify"))
    if a["payments"]:
        paid = rec.metric("online_payments", a["paid"])
        text = act_pick(ctx, V.ONLINE_PAYMENTS).format(payments=paid, unit=ctx.unit)
        blocks.append(Para(text, align="justify"))
    return blocks


def desk_paras(ctx: Ctx, number: int) -> list[Block]:
    """The one-stop desk: its staff and the satisfaction surveys it collected."""
    a, rec = activities(ctx), ctx.rec
    blocks: list[Block] = [Para(f"{number}. {act_pick(ctx, V.HEAD_II_DESK)}", bold=True)]
    if a["staff"]:
        staff = rec.metric("desk_staff", a["desk"])
        blocks.append(
            Para(act_pick(ctx, V.DESK_STAFF).format(staff=staff, unit=ctx.unit), align="justify")
        )
    if a["surveys"]:
        forms = rec.metric("satisfaction_surveys", a["forms"])
        blocks.append(Para(act_pick(ctx, V.SURVEYS).format(surveys=forms), align="justify"))
    if len(blocks) == 1:
        blocks.append(Para(act_pick(ctx, V.DESK_ONLY_WORDS), align="justify"))
    return blocks


def received_paras(ctx: Ctx) -> list[Block]:
    """The received figures; the typo and carried-over faults need a template that states
    the new-dossier count."""
    needs_new = ctx.plan.fault in ("sum.received:typo", "sum.received:carried")
    options = [
        t
        for t in V.RECEIVED_TEMPLATES
        if not needs_new or {"received_new", "received_online"} <= set(t[0])
    ]
    _, lines = ctx.pick(options)
    return [Para(ctx.rec.fill(line, ctx.stated, unit=ctx.unit), align="justify") for line in lines]


def resolved_paras(ctx: Ctx) -> list[Block]:
    rec, stated = ctx.rec, ctx.stated
    if ctx.plan.fault == "missing":
        rec.missing("all", "resolved_total")
        lines: tuple[str, ...] = V.RESOLVED_MISSING
        correct = ctx.plan.totals.resolved
        ctx.fault_record(
            "missing",
            ["resolved_total"],
            None,
            correct,
            None,
            [],
            "Tổng số hồ sơ đã giải quyết được nêu nhưng không có số liệu.",
        )
    elif ctx.rng.random() < 0.65:
        lines = (ctx.pick(V.RESOLVED_SPLIT),)
    else:
        lines = ctx.pick(V.RESOLVED_TOGETHER)
    return [Para(rec.fill(line, stated, unit=ctx.unit), align="justify") for line in lines]


def late_paras(ctx: Ctx) -> list[Block]:
    late = {field_key(name): f.late for name, f in ctx.plan.fields.items() if f.late}
    if not late:
        return []
    items = ctx.rec.breakdown("resolved_late", late)
    reasons = V.LATE_REASONS + ((V.LATE_REASON_LAND,) if set(late) == {"đất đai"} else ())
    text = ctx.pick(V.LATE_BY_FIELD).format(items=items, reason=ctx.pick(reasons), unit=ctx.unit)
    return [Para(text, align="justify")]


def pending_paras(ctx: Ctx) -> list[Block]:
    totals = ctx.plan.totals
    if totals.overdue == 0 and ctx.rng.random() < 0.35:
        template = ctx.pick(V.PENDING_TOTAL_ONLY)
    else:
        template = ctx.pick(V.PENDING_SPLIT)
    blocks = [Para(ctx.rec.fill(template, ctx.stated, unit=ctx.unit), align="justify")]
    if V.ALL_IN_TIME in template:  # "…, đều còn trong thời hạn": in time = the total
        ctx.rec.quantified("all", "pending_in_time", ctx.stated["pending_total"])
        ctx.rec.quantified("all", "pending_overdue", 0)  # all in time: none overdue
    if ctx.plan.counts_returned and totals.returned:
        blocks.append(Para(ctx.rec.fill(ctx.pick(V.RETURNED), ctx.stated), align="justify"))
    return blocks


def breakdown_paras(ctx: Ctx) -> list[Block]:
    """Sometimes an itemized list by field, in full (sums to its total) or partial."""
    blocks: list[Block] = []
    fields = ctx.plan.fields
    for of in ("received_total", "resolved_total"):
        if of == "resolved_total" and ctx.plan.fault == "missing":
            continue
        if ctx.rng.random() < 0.3:
            items = {field_key(n): f.contract()[of] for n, f in fields.items() if f.contract()[of]}
            text = ctx.pick(V.BREAKDOWN_FULL[of]).format(items=ctx.rec.breakdown(of, items))
            blocks.append(Para(text, align="justify"))
    if not blocks and ctx.rng.random() < 0.25:
        top = sorted(fields.items(), key=lambda kv: -kv[1].total)[:2]
        items = {field_key(n): f.total for n, f in top}
        text = ctx.pick(V.BREAKDOWN_PARTIAL).format(
            items=ctx.rec.breakdown("received_total", items, partial=True)
        )
        blocks.append(Para(text, align="justify"))
    return blocks


def lien_thong_paras(ctx: Ctx) -> list[Block]:
    lt = ctx.plan.lien_thong
    if lt is None:
        return []
    text = ctx.rec.fill(ctx.pick(V.LIEN_THONG), lt.contract(), scope="lien_thong", unit=ctx.unit)
    return [Para(text, align="justify")]


TABLE_HEAD: list[list[str]] = [
    [
        "Lĩnh vực",
        "Tổng số hồ sơ nhận giải quyết",
        "Trong đó",
        "",
        "",
        "Số hồ sơ đã giải quyết",
        "",
        "",
        "",
        "Số hồ sơ đang giải quyết",
        "",
        "",
    ],
    [
        "",
        "",
        "Số kỳ trước chuyển qua",
        "Số mới tiếp nhận trực tuyến",
        "Số mới tiếp nhận trực tiếp, bưu chính",
        "Tổng số",
        "Trước hạn",
        "Đúng hạn",
        "Quá hạn",
        "Tổng số",
        "Trong hạn",
        "Quá hạn",
    ],
]
TABLE_FIELDS: tuple[str, ...] = (
    "received_total",
    "received_carried_over",
    "received_online",
    "received_offline",
    "resolved_total",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending_total",
    "pending_in_time",
    "pending_overdue",
)


def form_table(ctx: Ctx) -> Table:
    """The national periodic form's columns: one row per field and a "Tổng cộng" row."""
    rows = [list(r) for r in TABLE_HEAD]
    for name, fig in ctx.plan.fields.items():
        values = fig.contract()
        rows.append(
            [name]
            + [ctx.rec.count(field_key(name), f, values[f], table=True) for f in TABLE_FIELDS]
        )
    rows.append(
        ["Tổng cộng"] + [ctx.rec.count("all", f, ctx.stated[f], table=True) for f in TABLE_FIELDS]
    )
    return Table(
        rows,
        header_rows=2,
        borders=True,
        widths=[1.5, 1.1, 1.2, 1.1, 1.1, 1.0, 1.2, 1.1, 1.0, 1.0, 1.2, 1.0],
    )


def section_ii(ctx: Ctx) -> list[Block]:
    d = ctx.district
    intro = ctx.pick(V.RESULTS_INTROS).format(
        period=d.period.label,
        start=date_numeric(d.period.start, True),
        end=date_numeric(d.period.end, ctx.rng.random() < 0.5),
    )
    blocks: list[Block] = [Para(ctx.pick(V.HEAD_II), bold=True), Para(intro, align="justify")]
    if ctx.plan.table:
        blocks.append(Para("1. Kết quả tiếp nhận, giải quyết hồ sơ", bold=True))
        blocks.append(Para(ctx.pick(V.TABLE_INTROS).format(period=d.period.label), align="justify"))
        blocks.append(form_table(ctx))
        if ctx.rng.random() < 0.5:
            blocks.append(
                Para(
                    ctx.rec.fill(ctx.pick(V.TABLE_SUMMARIES), ctx.stated, unit=ctx.unit),
                    align="justify",
                )
            )
        blocks += late_paras(ctx)
    else:
        blocks.append(Para("1. Tiếp nhận hồ sơ", bold=True))
        blocks += received_paras(ctx)
        blocks.append(Para("2. Kết quả giải quyết hồ sơ", bold=True))
        blocks += resolved_paras(ctx) + late_paras(ctx) + pending_paras(ctx)
        blocks += breakdown_paras(ctx)
    blocks += lien_thong_paras(ctx)
    rates_number = 2 if ctx.plan.table else 3
    blocks.append(Para(f"{rates_number}. {ctx.pick(V.HEAD_II_RATES)}", bold=True))
    blocks += rate_paras(ctx)
    blocks += online_activity_paras(ctx)
    blocks += desk_paras(ctx, rates_number + 1)
    return blocks


def rate_paras(ctx: Ctx) -> list[Block]:
    """Online and digitization rates, and sometimes the on-time rate; each as an explicit
    ratio ("a/b = x%") or a bare rate."""
    p, totals, rng = ctx.plan, ctx.plan.totals, ctx.rng
    specs: list[tuple[str, int, int, dict[str, str]]] = []
    if p.fault != "sum.received:typo":  # the typo would reach the online ratio's denominator
        specs.append(
            (
                "online",
                totals.online,
                totals.new,
                {"numerator": "received_online", "denominator": "received_new"},
            )
        )
    if rng.random() < 0.7:
        use_total = p.fault == "sum.received:typo" or rng.random() < 0.5
        den = totals.total if use_total else totals.new
        specs.append(
            (
                "digitized_intake",
                min(p.metrics["digitized_intake"], den),
                den,
                {
                    "numerator": "digitized_intake",
                    "denominator": "received_total" if use_total else "received_new",
                },
            )
        )
    if rng.random() < 0.6 and totals.resolved:
        specs.append(
            (
                "digitized_result",
                p.metrics["digitized_result"],
                totals.resolved,
                {"numerator": "digitized_result", "denominator": "resolved_total"},
            )
        )
    if rng.random() < 0.4 and totals.resolved:
        specs.append(
            (
                "on_time",
                totals.early + totals.on_time,
                totals.resolved,
                {"numerator": "resolved_early + resolved_on_time", "denominator": "resolved_total"},
            )
        )
    blocks: list[Block] = []
    for k, (measure, num, den, basis) in enumerate(specs):
        faulty = p.fault == "ratio" and k == 0
        explicit = faulty or rng.random() < 0.65
        if p.fault == "missing" and basis["denominator"] == "resolved_total":
            explicit = False  # an explicit ratio would state the missing total
        blocks.append(
            Para(rate_sentence(ctx, measure, num, den, basis, explicit, faulty), align="justify")
        )
        if explicit and measure.startswith("digitized"):
            ctx.rec.metrics[measure] = num  # the count is written as the ratio's numerator
    return blocks


def rate_sentence(
    ctx: Ctx, measure: str, num: int, den: int, basis: dict[str, str], explicit: bool, faulty: bool
) -> str:
    decimals = 0 if num == den else ctx.pick((2, 2, 2, 1))
    stated = None
    if faulty:
        right = rate_value(num, den, decimals)
        stated = wrong_rate(ctx.rng, right, decimals)
        style = ctx.rec.style
        ctx.fault_record(
            "ratio",
            [basis["numerator"], basis["denominator"]],
            float(stated),
            float(right),
            f"{style.rate(stated, decimals)}% → {style.rate(right, decimals)}%",
            [ID_RATIO],
            f"Tỷ lệ {MEASURE_NAMES[measure]} không khớp với tử số, mẫu số nêu kèm.",
        )
    parts = ctx.rec.rate(measure, num, den, decimals, explicit=explicit, basis=basis, stated=stated)
    templates = V.RATE_EXPLICIT if explicit else V.RATE_BARE
    return ctx.pick(templates[measure]).format(**parts)


MEASURE_NAMES = {
    "online": "hồ sơ trực tuyến",
    "digitized_intake": "số hóa hồ sơ khi tiếp nhận",
    "digitized_result": "số hóa kết quả",
    "on_time": "giải quyết trước hạn, đúng hạn",
}


def wrong_rate(rng: random.Random, right: Decimal, decimals: int) -> Decimal:
    """A rate off by 0.4-2.5 points (whole points when no decimals are shown), within
    0..100, and different from the right one at the digits shown."""
    delta = Decimal(rng.randint(4, 25)) / 10
    if decimals == 0:
        delta = delta.to_integral_value(rounding=ROUND_HALF_UP) or Decimal(1)
    up = right + delta < 100 and (right - delta < 0 or rng.random() < 0.5)
    return (right + delta if up else right - delta).quantize(Decimal(1).scaleb(-decimals))


def section_iii(ctx: Ctx) -> list[Block]:
    """Assessment; sometimes restates the pending total — with another value when the
    report carries the conflict fault."""
    rng = ctx.rng
    blocks: list[Block] = [Para(ctx.pick(V.HEAD_III), bold=True), Para("1. Ưu điểm", bold=True)]
    blocks += [Para(f"- {s}", align="justify") for s in rng.sample(V.STRENGTHS, 2)]
    blocks.append(Para("2. Tồn tại, hạn chế", bold=True))
    blocks += [Para(f"- {s}", align="justify") for s in rng.sample(V.WEAKNESSES, 2)]
    restate = ctx.plan.fault == "conflict.value" or (not ctx.plan.table and rng.random() < 0.3)
    if restate:
        values = dict(ctx.stated)
        if ctx.plan.fault == "conflict.value":
            right = values["pending_total"]
            values["pending_total"] = right + rng.randint(1, 4)
            style = ctx.rec.style
            ctx.fault_record(
                "conflict.value",
                ["pending_total"],
                [right, values["pending_total"]],
                right,
                f"{style.count(values['pending_total'])} → {style.count(right)}",
                pending_identities(ctx.rec.scope("all").dossiers),
                "Số hồ sơ đang giải quyết được nêu hai lần với hai giá trị khác nhau.",
            )
        blocks.append(
            Para(ctx.rec.fill(ctx.pick(V.PENDING_RESTATED), values, unit=ctx.unit), align="justify")
        )
    return blocks


def pending_identities(stated: dict[str, int | None]) -> list[str]:
    """The identities that a second, different pending total breaks, given what is stated."""
    ids = []
    if stated["pending_in_time"] is not None and stated["pending_overdue"] is not None:
        ids.append(ID_PENDING)
    if stated["received_total"] is not None and stated["resolved_total"] is not None:
        ids.append(ID_BALANCE)
    return ids


def section_iv(ctx: Ctx) -> list[Block]:
    parent = ctx.district.parent_phrase
    blocks: list[Block] = [Para(ctx.pick(V.HEAD_IV), bold=True)]
    blocks += [Para(f"- {s}", align="justify") for s in ctx.rng.sample(V.TASKS, 2)]
    blocks += [
        Para(f"- {s.format(parent=parent)}", align="justify") for s in ctx.rng.sample(V.REQUESTS, 2)
    ]
    closing = ctx.pick(V.CLOSINGS).format(
        period=ctx.period.label, unit=ctx.unit, name=ctx.plan.written_name
    )
    return [*blocks, Para(closing, align="justify")]


def signature(ctx: Ctx) -> list[Block]:
    """Distribution list and signature block side by side, a borderless layout table."""
    d, p = ctx.district, ctx.plan
    if d.parent_level == "huyện":
        recipients = [f"- UBND huyện {d.parent_name} (b/c);", "- Văn phòng HĐND và UBND huyện;"]
    else:
        recipients = [
            f"- UBND {d.parent_level} {d.parent_name} (b/c);",
            f"- Văn phòng UBND {d.parent_level};",
            f"- Trung tâm Phục vụ hành chính công {d.parent_level};",
        ]
    recipients += [f"- TT Đảng ủy, HĐND {ctx.unit};", "- Lưu: VT."]
    if p.signer_title == "Chủ tịch":
        sign = ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    else:
        sign = ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    sign += ["", "", p.signer]
    left = ["Nơi nhận:", *recipients]
    height = max(len(left), len(sign))
    rows = [
        [left[i] if i < len(left) else "", sign[i] if i < len(sign) else ""] for i in range(height)
    ]
    return [Table(rows, header_rows=0, borders=False, widths=[1.2, 1.0])]


def stated_values(ctx: Ctx) -> dict[str, int]:
    """The "all" scope as the text will state it: the true figures, with the typed digit or
    the miscounted carried-over applied (and recorded as faults)."""
    values = ctx.plan.totals.contract()
    count = ctx.plan.style.count
    if ctx.plan.fault == "sum.received:typo":
        right = values["received_new"]
        low = max(values["received_online"], values["received_offline"])
        wrong = values["received_new"] = typo_digit(ctx.rng, right, low, values["received_total"])
        ctx.fault_record(
            "sum.received",
            ["received_new"],
            wrong,
            right,
            f"{count(wrong)} → {count(right)}",
            [ID_RECEIVED_TOTAL, ID_RECEIVED_NEW],
            "Gõ nhầm một chữ số của số hồ sơ mới tiếp nhận.",
        )
    elif ctx.plan.fault == "sum.received:carried":
        right = values["received_carried_over"]
        up = right < 3 or ctx.rng.random() < 0.5
        wrong = values["received_carried_over"] = right + ctx.rng.randint(1, 6) if up else right - 1
        ctx.fault_record(
            "sum.received",
            ["received_carried_over"],
            wrong,
            right,
            f"{count(wrong)} → {count(right)}",
            [ID_RECEIVED_TOTAL],
            "Số hồ sơ kỳ trước chuyển sang bị đếm sai.",
        )
    return values


def typo_digit(rng: random.Random, n: int, low: int, high: int) -> int:
    """n with one digit changed (never the leading digit to 0): a typing slip. The slip
    stays within [low, high] when it can, so it breaks the sums without also making a part
    larger than its whole."""
    text = str(n)
    slips = [
        int(text[:i] + c + text[i + 1 :])
        for i in range(len(text))
        for c in "0123456789"
        if c != text[i] and (i or c != "0" or len(text) == 1)
    ]
    fitting = [x for x in slips if low <= x <= high]
    return rng.choice(fitting or slips)


def build_report(district: District, plan: Plan, seed: int) -> tuple[list[Block], dict[str, Any]]:
    """The report's blocks and its truth entry."""
    ctx = Ctx(
        random.Random(f"{seed}:{plan.index}"),
        plan,
        district,
        Recorder(plan.style),
        {},
        activity=random.Random(f"{seed}-activities-{plan.index}"),
    )
    ctx.stated = stated_values(ctx)
    blocks = (
        header(ctx)
        + title(ctx)
        + opening(ctx)
        + section_i(ctx)
        + section_ii(ctx)
        + section_iii(ctx)
        + section_iv(ctx)
        + signature(ctx)
    )
    if plan.old_tone:
        blocks = [map_block(b, to_old_tone) for b in blocks]
    return blocks, truth_entry(ctx)


def map_block(block: Block, fn: Callable[[str], str]) -> Block:
    if isinstance(block, Para):
        return replace(block, text=fn(block.text))
    return replace(block, rows=[[fn(c) for c in row] for row in block.rows])


def truth_entry(ctx: Ctx) -> dict[str, Any]:
    p, rec = ctx.plan, ctx.rec
    citations = list(rec.citations.values())
    if p.old_tone:  # subjects and issuers as this file spells them
        for c in citations:
            c["subject"], c["issuer"] = to_old_tone(c["subject"]), to_old_tone(c["issuer"])
    return {
        "path": p.path,
        "commune": p.unit.name,
        "written_name": p.written_name,
        "level": p.unit.level,
        "format": p.fmt,
        "has_table": p.table,
        "number_style": "en" if p.style.english else "vi",
        "zero_padded": p.style.zero_pad,
        "tone_style": "old" if p.old_tone else "new",
        "nfd": p.nfd,
        "period": ctx.period.to_json(),
        "report": {
            "kind": "báo cáo",
            "number": f"{p.report_number:02d}/BC-UBND",
            "date": p.report_date.isoformat(),
            "signer": to_old_tone(p.signer) if p.old_tone else p.signer,
            "signer_title": p.signer_title,
        },
        "counts_returned_apart": rec.scope("all").dossiers["returned"] is not None,
        "scopes": rec.scopes_json(),
        "percentages": rec.percentages,
        "metrics": rec.metrics,
        "citations": citations,
        "faults": ctx.faults,
        "consistent": not ctx.faults,
    }


# ---------------------------------------------------------------------------------------
# Text-extraction damage for the .txt reports


def damage_txt(text: str, rng: random.Random, urls: list[str]) -> tuple[str, dict[str, Any]]:
    """Make a clean text look like a PDF/Word extraction: layout-table rows spread with
    spaces, paragraphs hard-wrapped at 75–85 characters (a blank line now and then inside
    one), lone page numbers between pages, and sometimes a footnote URL in the body."""
    lines: list[str] = []
    blank_inside = 0
    for line in text.split("\n"):
        if "\t" in line:
            left, _, right = line.partition("\t")
            lines.append(f"{left:<{rng.randint(38, 46)}}{right}".rstrip() if right else left)
            continue
        width = rng.randint(75, 85)
        if len(line) <= width:
            lines.append(line)
        else:
            parts = wrap_words(line, width - 1)
            for k, part in enumerate(parts):
                last = k == len(parts) - 1
                lines.append(part if last else part + " ")
                if not last and rng.random() < 0.06:
                    lines.append("")
                    blank_inside += 1
        if line.strip() and rng.random() < 0.45:
            lines.append("")
    out, pages, placed = paginate(lines, rng, urls)
    info = {
        "wrap_width": [75, 85],
        "blank_lines_inside_paragraphs": blank_inside,
        "page_numbers": pages,
        "footnote_urls": placed,
    }
    return "\n".join(out).rstrip("\n") + "\n", info


def wrap_words(line: str, width: int) -> list[str]:
    """Greedy word wrap that never splits a word (so a number stays whole)."""
    out: list[str] = []
    current = ""
    for word in line.split(" "):
        candidate = f"{current} {word}" if current else word
        if len(candidate) > width and current:
            out.append(current)
            current = word
        else:
            current = candidate
    out.append(current)
    return out


def paginate(
    lines: list[str],
    rng: random.Random,
    urls: list[str],
) -> tuple[list[str], list[int], list[str]]:
    out: list[str] = []
    pages: list[int] = []
    placed: list[str] = []
    page, budget = 1, rng.randint(44, 52)
    for line in lines:
        if budget == 0:
            page += 1
            if urls and rng.random() < 0.5:
                placed.append(urls.pop(0))
                out.append(placed[-1])
            out += ["", "", str(page), ""]
            pages.append(page)
            budget = rng.randint(44, 52)
        out.append(line)
        budget -= 1
    return out, pages, placed


def footnote_urls(rng: random.Random, district: District, entry: dict[str, Any]) -> list[str]:
    """URLs of cited decrees, as a footnote would print them (fictional addresses)."""
    decrees = [c for c in entry["citations"] if c["kind"] == "Nghị định"]
    if not decrees or rng.random() < 0.5:
        return []
    c = rng.choice(decrees)
    return [
        rng.choice(V.FOOTNOTE_URLS).format(
            slug=slug(district.province).replace("_", ""), number=c["number"], year=c["year"]
        )
    ]


# ---------------------------------------------------------------------------------------
# Writing files


def write_report(
    out: Path, district: District, plan: Plan, blocks: list[Block], entry: dict[str, Any], seed: int
) -> None:
    path = out / plan.path
    if plan.fmt == "docx":
        write_docx(path, blocks)
    elif plan.fmt == "pdf":
        write_pdf(path, blocks, page_numbers=plan.index % 2 == 0)
    else:
        write_txt(path, blocks, table_style="tabs")
        rng = random.Random(f"{seed}:txt:{plan.index}")
        text, info = damage_txt(
            path.read_text(encoding="utf-8"), rng, footnote_urls(rng, district, entry)
        )
        if plan.nfd:
            text = unicodedata.normalize("NFD", text)
        path.write_text(text, encoding="utf-8", newline="\n")
        entry["txt_damage"] = info


def write_one(job: tuple[Path, District, Plan, int]) -> dict[str, Any]:
    """Build and write one report; return its truth entry. Each report draws from its own
    seeded generator, so the output does not depend on the order or the process."""
    out, district, plan, seed = job
    blocks, entry = build_report(district, plan, seed)
    write_report(out, district, plan, blocks, entry, seed)
    return entry


PARALLEL_FROM = 40  # reports; below this a process pool costs more than it saves
ROSTER_NAME = "roster.toml"
TRUTH_NAME = "truth.json"


def roster_text(district: District) -> str:
    """The roster an officer edits: the parent unit, then every commune that must report."""
    p = district.period
    lines = [
        "# Danh sách đơn vị cấp xã phải gửi báo cáo kiểm soát TTHC.",
        "# Cán bộ tổng hợp sửa tệp này khi có thay đổi đơn vị hành chính.",
        "# [parent]: đơn vị cấp trên nhận báo cáo (level = huyện, tỉnh hoặc thành phố).",
        "",
        "[parent]",
        f'name = "{district.parent_name}"',
        f'level = "{district.parent_level}"',
        f'province = "{district.province}"',
        f'period = "{p.label}"',
        f'period_key = "{p.key}"',
        "",
    ]
    lines += ["# Chỉ tiêu (%) để đánh giá các đơn vị chưa đạt.", "[targets]"]
    lines += [f"{k} = {v:g}" for k, v in TARGETS.items()] + [""]
    for u in district.units:
        lines += ["[[communes]]", f'name = "{u.name}"', f'level = "{u.level}"', ""]
    return "\n".join(lines)


TARGETS = {"online": 80.0, "digitized_intake": 100.0, "digitized_result": 100.0}
# Communes that send something other than a readable report, when asked for: what each
# sends instead (the truth's sender outcome of that commune).
SENDER_CASES = ("photo", "unreadable", "not_report")


def plant_sender_cases(
    out: Path, district: District, plans: list[Plan], entries: list[dict[str, Any]], seed: int
) -> dict[str, dict[str, Any]]:
    """Replace the reports of three consistent communes by a photo (.jpg), a damaged PDF and
    a decision that is not a report; return every commune's sender outcome. Drawn from
    their own generator, so the other reports and their figures are unchanged."""
    rng = random.Random(f"{seed}:senders")
    candidates = [
        i for i, e in enumerate(entries) if not e["faults"] and e["written_name"] == e["commune"]
    ]
    picked = rng.sample(candidates, min(len(SENDER_CASES), len(candidates)))
    outcomes: dict[str, dict[str, Any]] = {
        e["commune"]: {"status": "read", "files": [e["path"]]} for e in entries
    }
    for case, i in zip(SENDER_CASES, picked, strict=False):
        entry, plan = entries[i], plans[i]
        (out / entry["path"]).unlink()
        stem = Path(entry["path"]).stem
        if case == "photo":
            name = f"{stem}_anh_chup.jpg"
            _write_photo(out / name)
            status = "not_report"
        elif case == "unreadable":
            name = f"{stem}.pdf"
            (out / name).write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog")
            status = "unreadable"
        else:
            name = f"{stem}_quyet_dinh.txt"
            (out / name).write_text(_decision_text(district, plan), encoding="utf-8")
            status = "not_report"
        outcomes[entry["commune"]] = {"status": status, "files": [name], "case": case}
        entry["sender_case"] = case
    return outcomes


def _write_photo(path: Path) -> None:
    """A small photo of a page (a grey image): what a commune sends from a phone."""
    from PIL import Image

    Image.new("L", (320, 440), 235).save(path, "JPEG", quality=70)


def _decision_text(district: District, plan: Plan) -> str:
    """A commune's decision on its one-stop desk: a document of the commune, dated in the
    period, that is not a report and states no dossier figures."""
    unit, period = plan.unit, district.period
    day = period.end - dt.timedelta(days=20)
    return "\n".join(
        [
            f"UBND {unit.level.upper()} {unit.name.upper()}",
            f"Số: {plan.index + 40}/QĐ-UBND",
            f"{unit.name}, ngày {day.day} tháng {day.month} năm {day.year}",
            "QUYẾT ĐỊNH",
            "Về việc cử công chức trực ở Bộ phận Một cửa của xã",
            f"CHỦ TỊCH UBND {unit.level.upper()} {unit.name.upper()}",
            "Điều 1. Phân công công chức tư pháp - hộ tịch và công chức địa chính luân phiên làm "
            "việc tại Bộ phận Tiếp nhận và Trả kết quả của xã.",
            "Điều 2. Quyết định có hiệu lực kể từ ngày ký.",
            "",
        ]
    )


def clear_previous(out: Path, truth: Path) -> None:
    """Remove what an earlier run wrote here (listed in its truth file), nothing else."""
    if not truth.exists():
        return
    try:
        old = json.loads(truth.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    senders = old.get("district", {}).get("senders", {}).values()
    names = [r.get("path", "") for r in old.get("reports", [])]
    names += [f for s in senders for f in s.get("files", [])]
    names.append(old.get("system", {}).get("file", ""))
    for name in names:
        target = out / name
        if name and target.is_file() and target.parent == out:
            target.unlink()
    (out / ROSTER_NAME).unlink(missing_ok=True)
    truth.unlink(missing_ok=True)


def generate_district(
    out_dir: str | Path,
    n_communes: int = 20,
    seed: int = 2025,
    period: str = "Quý I năm 2025",
    parent_level: str | None = None,
    faults: bool = True,
    sender_cases: bool = False,
    truth_path: str | Path | None = None,
    system: bool = False,
) -> dict[str, Any]:
    """Write a district's reports, roster.toml and truth.json into out_dir; return the truth.
    `truth_path` writes the truth elsewhere (the bundled sample keeps it outside its folder).
    `system` also writes the provincial system's export with the true figures, some of them
    planted apart from what the reports state (corpus/system_truth.py); without it every
    file is as before.

    `parent_level` None means the level the period implies: "huyện" until 30/6/2025,
    "tỉnh" after. The roster lists `n_communes` communes; one of them sends no report.
    """
    district, plans, silent = build_district(n_communes, seed, period, parent_level, faults)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    truth_file = Path(truth_path) if truth_path else out / TRUTH_NAME
    clear_previous(out, truth_file)
    jobs = [(out, district, plan, seed) for plan in plans]
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) >= PARALLEL_FROM and workers > 1:  # PDF rendering dominates a big run
        with ProcessPoolExecutor(workers) as pool:
            entries = list(pool.map(write_one, jobs, chunksize=4))
    else:
        entries = [write_one(job) for job in jobs]
    (out / ROSTER_NAME).write_text(roster_text(district), encoding="utf-8")
    senders = (
        plant_sender_cases(out, district, plans, entries, seed)
        if sender_cases
        else {e["commune"]: {"status": "read", "files": [e["path"]]} for e in entries}
    )
    truth = truth_document(district, entries, silent, seed, n_communes, faults, senders)
    if system:
        from corpus.system_truth import write_district_export

        truth["system"] = write_district_export(out, district, plans, silent, seed, truth)
    truth_file.write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return truth


def truth_document(
    district: District,
    entries: list[dict[str, Any]],
    silent: Unit,
    seed: int,
    n_communes: int,
    faults: bool,
    senders: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    reports = [e for e in entries if "sender_case" not in e]
    roster = [u.name for u in district.units]
    return {
        "schema": "tthc-sample-truth/2",
        "generator": {
            "seed": seed,
            "communes": n_communes,
            "faults": faults,
            "sender_cases": any("sender_case" in e for e in entries),
        },
        "parent": {
            "name": district.parent_name,
            "level": district.parent_level,
            "province": district.province,
        },
        "period": district.period.to_json(),
        "roster": ROSTER_NAME,
        "missing_communes": [silent.name],
        "name_variants": [
            {"roster": e["commune"], "written": e["written_name"], "file": e["path"]}
            for e in entries
            if e["written_name"] != e["commune"]
        ],
        "faults": [f for e in reports for f in e["faults"]],
        "targets": TARGETS,
        "reports": reports,
        "district": district_truth(reports, roster, TARGETS, senders),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python3 -m corpus.generate",
        description="Sinh bộ báo cáo mẫu của một huyện (kèm danh sách đơn vị và tệp đáp án).",
    )
    parser.add_argument("--out", required=True, type=Path, help="thư mục ghi kết quả")
    parser.add_argument("--communes", type=int, default=20, help="số đơn vị cấp xã (mặc định 20)")
    parser.add_argument("--seed", type=int, default=2025, help="hạt giống ngẫu nhiên")
    parser.add_argument(
        "--period", default="Quý I năm 2025", help='kỳ báo cáo, ví dụ "Quý I năm 2025"'
    )
    parser.add_argument(
        "--parent-level",
        choices=("huyện", "tỉnh", "thành phố"),
        default=None,
        help="cấp trên nhận báo cáo (mặc định theo kỳ báo cáo)",
    )
    parser.add_argument(
        "--truth", type=Path, default=None, help="tệp đáp án (mặc định: OUT/truth.json)"
    )
    parser.add_argument("--no-faults", action="store_true", help="không cài lỗi cố ý")
    parser.add_argument(
        "--sender-cases",
        action="store_true",
        help="thêm ba đơn vị gửi ảnh chụp, tệp hỏng, văn bản không phải báo cáo",
    )
    parser.add_argument(
        "--system",
        action="store_true",
        help="ghi thêm tệp xuất của Hệ thống thông tin giải quyết TTHC (số liệu đúng, có chênh "
        "lệch cài sẵn với báo cáo của một số xã)",
    )
    args = parser.parse_args(argv)
    try:
        truth = generate_district(
            args.out,
            args.communes,
            args.seed,
            args.period,
            args.parent_level,
            not args.no_faults,
            args.sender_cases,
            args.truth,
            args.system,
        )
    except ValueError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    print(
        f"Đã ghi {len(truth['reports'])} báo cáo, {len(truth['faults'])} lỗi cài sẵn vào {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
