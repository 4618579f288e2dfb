"""The roster the officer edits: the parent unit, its communes, and the targets.

    [parent]
    name = "An Trì"
    level = "huyện"          # huyện | quận | thị xã | thành phố | tỉnh
    province = "Bình Lĩnh"
    period_key = "2025-Q1"   # optional: the period being consolidated

    [targets]                # optional, in percent; defaults in DEFAULT_TARGETS
    online = 80

    [[communes]]
    name = "An Trì"
    level = "thị trấn"
    aliases = ["TT An Trì"]  # optional other spellings

Reports name their commune in many spellings ("Long Hoà" / "Long Hòa", "Tân  Hòa",
"TT. Chợ Vàng"); matching compares a canonical form (NFC, lower case, one tone-mark style,
single spaces) and falls back to rapidfuzz for typos. The level must agree when both sides
state it: thị trấn An Trì is not huyện An Trì.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import regex
from rapidfuzz import fuzz, process

from extractors.normalize import match_form
from schemas import Record
from schemas.summary import ParentUnit, RosterEntry

ROSTER_NAMES = ("roster.toml", "danh_sach.toml", "danh-sach.toml")
DEFAULT_TARGETS = {"online": 80.0, "digitized_intake": 100.0, "digitized_result": 100.0}
FUZZY_THRESHOLD = 88  # rapidfuzz ratio (0-100) below which a name is not the same commune
_LEVEL_PREFIX = regex.compile(r"^(?:ubnd\s+)?(?:xã|phường|thị\s+trấn|tt\.?|p\.)\s+")


class RosterError(Exception):
    """A roster file that cannot be used; the message is shown to the officer."""


@dataclass
class Roster:
    parent: ParentUnit
    communes: list[RosterEntry]
    targets: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_TARGETS))
    period_key: str | None = None
    path: Path | None = None

    def match(self, name: str | None, level: str | None = None) -> tuple[RosterEntry | None, float]:
        """The roster entry a written name stands for, and how close it is (0-100)."""
        if not name:
            return None, 0.0
        same_level = [c for c in self.communes if c.level == level]
        best: tuple[RosterEntry | None, float] = (None, 0.0)
        for candidates in (same_level, self.communes):  # the level only separates namesakes
            found = _closest(canonical(name), candidates)
            if found[0] is not None:
                return found
            best = max(best, found, key=lambda f: f[1])
        return best


def _closest(wanted: str, candidates: list[RosterEntry]) -> tuple[RosterEntry | None, float]:
    keys = {canonical(alias): c for c in candidates for alias in (c.name, *c.aliases)}
    if wanted in keys:
        return keys[wanted], 100.0
    found = process.extractOne(wanted, list(keys), scorer=fuzz.ratio) if keys else None
    if found and found[1] >= FUZZY_THRESHOLD:
        return keys[found[0]], float(found[1])
    return None, float(found[1]) if found else 0.0


def canonical(name: str) -> str:
    """ "TT. Chợ  Vàng" → "chợ vàng"; "Long Hoà" → "long hòa"."""
    s = match_form(regex.sub(r"\s+", " ", name.strip()))
    return _LEVEL_PREFIX.sub("", s).strip(" .,-")


def roster_from_records(records: list[Record]) -> Roster:
    """A provisional roster when the folder has none: the communes the reports name, under
    the district (or, failing that, the province) most of them name. It cannot tell who
    sent nothing; the run says so."""
    readable = [r for r in records if r.status != "failed" and r.unit.name]
    districts = Counter(r.unit.district for r in readable if r.unit.district)
    provinces = Counter(r.unit.province for r in readable if r.unit.province)
    if districts:
        parent = ParentUnit(name=districts.most_common(1)[0][0], level="huyện",
                            province=provinces.most_common(1)[0][0] if provinces else None)
    elif provinces:
        name = provinces.most_common(1)[0][0]
        parent = ParentUnit(name=name, level="tỉnh", province=name)
    else:
        parent = ParentUnit(name="(chưa xác định)", level="huyện")
    communes: dict[str, RosterEntry] = {}
    for r in readable:
        key = canonical(r.unit.name)
        if key not in communes and r.unit.level in ("xã", "phường", "thị trấn"):
            communes[key] = RosterEntry(name=r.unit.name, level=r.unit.level)
    return Roster(parent, sorted(communes.values(), key=lambda c: canonical(c.name)))


def find_roster(folder: Path) -> Path | None:
    for name in ROSTER_NAMES:
        if (folder / name).is_file():
            return folder / name
    return None


def load_roster(path: Path) -> Roster:
    """Read a roster file; a bad one raises RosterError with a Vietnamese reason."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise RosterError(f"Không đọc được danh sách đơn vị {path.name}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RosterError(f"Danh sách đơn vị {path.name} sai cú pháp TOML: {exc}") from exc
    try:
        parent = ParentUnit(
            **{k: v for k, v in data["parent"].items() if k in ("name", "level", "province")}
        )
        communes = [RosterEntry(**c) for c in data.get("communes", [])]
    except (KeyError, TypeError, ValueError) as exc:
        raise RosterError(
            f"Danh sách đơn vị {path.name} thiếu mục [parent] (name, level) hoặc [[communes]] "
            f"(name, level) hợp lệ: {exc}"
        ) from exc
    targets = dict(DEFAULT_TARGETS)
    targets.update({k: float(v) for k, v in data.get("targets", {}).items()})
    return Roster(parent, communes, targets, data["parent"].get("period_key"), path)
