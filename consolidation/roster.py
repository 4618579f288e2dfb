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
import unicodedata
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

    def match_file_name(self, path: Path | str) -> RosterEntry | None:
        """The commune a file name names ("02_thi_tran_cho_vang.pdf", "BC Ngọc Giang.docx"),
        for files whose text says nothing (unreadable, a photo): diacritics and case are
        ignored, a name right after a parent's level word (huyện, tỉnh) does not count, and
        a name two communes could share gives no match."""
        words = _folded_words(Path(path).stem)
        found: dict[str, tuple[int, bool]] = {}  # commune → (words matched, level word before)
        for entry in self.communes:
            for alias in (entry.name, *entry.aliases):
                name = _folded_words(canonical(alias))
                for at in _occurrences(words, name):
                    before = words[at - 2 : at]
                    if _parent_before(before):
                        continue
                    levelled = _level_before(before, entry.level)
                    best = found.get(entry.name, (0, False))
                    found[entry.name] = max(best, (len(name), levelled))
        if not found:
            return None
        top = max(found.values())
        names = [n for n, v in found.items() if v == top]
        if len(names) != 1:
            return None
        return next(c for c in self.communes if c.name == names[0])


_PARENT_WORDS = {"huyen", "tinh", "quan", "tp", "pho"}  # huyện, tỉnh, quận, TP, thành phố


def _parent_before(before: list[str]) -> bool:
    """The name follows a parent's level word: "huyện An Trì", "thị xã X"."""
    return bool(before) and (before[-1] in _PARENT_WORDS or before[-2:] == ["thi", "xa"])


_LEVEL_WORDS = {"xã": ({"xa"},), "phường": ({"phuong"}, {"p"}), "thị trấn": ({"tran"}, {"tt"})}


def _folded_words(text: str) -> list[str]:
    """Lower-case words without diacritics: "Thị trấn Chợ Vàng" → ["thi", "tran", "cho", "vang"]."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return [w for w in regex.split(r"[^a-z0-9]+", plain) if w and not w.isdigit()]


def _occurrences(words: list[str], name: list[str]) -> list[int]:
    n = len(name)
    return [i for i in range(len(words) - n + 1) if n and words[i : i + n] == name]


def _level_before(before: list[str], level: str) -> bool:
    return any(before[-1:] == [w] for options in _LEVEL_WORDS.get(level, ()) for w in options)


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
        parent = ParentUnit(
            name=districts.most_common(1)[0][0],
            level="huyện",
            province=provinces.most_common(1)[0][0] if provinces else None,
        )
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
