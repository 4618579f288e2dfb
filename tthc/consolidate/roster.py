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
from pydantic import ValidationError
from rapidfuzz import fuzz, process

from tthc.schemas import Record
from tthc.schemas.summary import PARENT_LEVELS, NoticeSettings, ParentUnit, RosterEntry
from tthc.textkit.forms import match_form

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
    notice: NoticeSettings = field(default_factory=NoticeSettings)
    _index: tuple[tuple[int, ...], dict] = field(
        default_factory=lambda: ((), {}), init=False, repr=False, compare=False
    )

    def _keys(self, level: str | None, every: bool = False) -> dict[str, RosterEntry]:
        """Canonical name → entry for the communes of `level` (`every`: all communes),
        built once per roster (again only if its communes change), so that matching N
        reports is linear in N."""
        ids = tuple(map(id, self.communes))
        if self._index[0] != ids:
            self._index = (ids, {})
        index = self._index[1]
        key = ("all",) if every else ("level", level)
        if key not in index:
            index[key] = _keys(
                self.communes if every else [c for c in self.communes if c.level == level]
            )
        return index[key]

    def _folded_aliases(self) -> list[tuple[RosterEntry, list[list[str]]]]:
        """Each entry with its names and aliases as folded words (see match_file_name)."""
        self._keys(None, every=True)  # refreshes the index when the communes changed
        index = self._index[1]
        if "folded" not in index:
            index["folded"] = [
                (e, [_folded_words(canonical(a)) for a in (e.name, *e.aliases)])
                for e in self.communes
            ]
        return index["folded"]

    def match(self, name: str | None, level: str | None = None) -> tuple[RosterEntry | None, float]:
        """The roster entry a written name stands for, and how close it is (0-100)."""
        if not name:
            return None, 0.0
        best: tuple[RosterEntry | None, float] = (None, 0.0)
        wanted = canonical(name)
        # the level only separates namesakes
        for keys in (self._keys(level), self._keys(level, every=True)):
            found = _closest(wanted, keys)
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
        for entry, aliases in self._folded_aliases():
            for name in aliases:
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


_FOLDED_WORDS_RE1 = regex.compile(r"[^a-z0-9]+")


def _folded_words(text: str) -> list[str]:
    """Lower-case words without diacritics: "Thị trấn Chợ Vàng" → ["thi", "tran", "cho", "vang"]."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return [w for w in _FOLDED_WORDS_RE1.split(plain) if w and not w.isdigit()]


def _occurrences(words: list[str], name: list[str]) -> list[int]:
    n = len(name)
    return [i for i in range(len(words) - n + 1) if n and words[i : i + n] == name]


def _level_before(before: list[str], level: str) -> bool:
    return any(before[-1:] == [w] for options in _LEVEL_WORDS.get(level, ()) for w in options)


def _keys(candidates: list[RosterEntry]) -> dict[str, RosterEntry]:
    """Canonical name or alias → entry (a later namesake wins, as it always has)."""
    return {canonical(alias): c for c in candidates for alias in (c.name, *c.aliases)}


def _closest(wanted: str, keys: dict[str, RosterEntry]) -> tuple[RosterEntry | None, float]:
    if wanted in keys:
        return keys[wanted], 100.0
    found = process.extractOne(wanted, list(keys), scorer=fuzz.ratio) if keys else None
    if found and found[1] >= FUZZY_THRESHOLD:
        return keys[found[0]], float(found[1])
    return None, float(found[1]) if found else 0.0


_CANONICAL_RE1 = regex.compile(r"\s+")


def canonical(name: str) -> str:
    """ "TT. Chợ  Vàng" → "chợ vàng"; "Long Hoà" → "long hòa"."""
    s = match_form(_CANONICAL_RE1.sub(" ", name.strip()))
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


_LOAD_ROSTER_RE1 = regex.compile(r"line (\d+), column (\d+)")


def load_roster(path: Path) -> Roster:
    """Read a roster file; a bad one raises RosterError with a Vietnamese reason that names
    the line or the entry to fix."""
    name = path.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise RosterError(
            f"Danh sách đơn vị {name} không phải văn bản UTF-8; hãy mở bằng trình soạn thảo và "
            "lưu lại với mã hóa UTF-8."
        ) from exc
    except OSError as exc:
        why = "không có quyền đọc" if isinstance(exc, PermissionError) else "không mở được tệp"
        raise RosterError(f"Không đọc được danh sách đơn vị {name} ({why}).") from exc
    except tomllib.TOMLDecodeError as exc:
        m = _LOAD_ROSTER_RE1.search(str(exc))
        where = f" ở dòng {m[1]}, cột {m[2]}" if m else ""
        raise RosterError(
            f"Danh sách đơn vị {name} sai cú pháp{where}; xem mẫu tthc/sample/roster.toml."
        ) from exc
    parent_data = data.get("parent")
    if not isinstance(parent_data, dict) or not parent_data.get("name"):
        raise RosterError(
            f'Danh sách đơn vị {name} thiếu mục [parent] với name = "…" và level = "…".'
        )
    try:
        parent = ParentUnit(
            **{k: v for k, v in parent_data.items() if k in ("name", "level", "province")}
        )
    except ValidationError as exc:
        raise RosterError(_parent_problem(name, parent_data)) from exc
    communes = []
    for n, entry in enumerate(data.get("communes", []), 1):
        try:
            communes.append(RosterEntry(**entry))
        except (TypeError, ValidationError) as exc:
            raise RosterError(
                f'Danh sách đơn vị {name}: mục [[communes]] thứ {n} cần name = "…" và level = '
                '"xã", "phường" hoặc "thị trấn" (aliases là danh sách tên khác, nếu có).'
            ) from exc
    _check_unique(name, communes)
    targets = dict(DEFAULT_TARGETS)
    for key, value in data.get("targets", {}).items():
        if not isinstance(value, int | float) or not 0 <= value <= 100:
            raise RosterError(
                f"Danh sách đơn vị {name}: chỉ tiêu {key} = {value!r} phải là một số từ 0 đến 100."
            )
        targets[key] = float(value)
    notice = _notice_settings(name, data.get("notice", {}))
    return Roster(parent, communes, targets, parent_data.get("period_key"), path, notice)


def _notice_settings(name: str, data: object) -> NoticeSettings:
    """[notice]: issuer = "ubnd" | "van_phong", signing = "TM" | "KT", central_recipient."""
    try:
        return NoticeSettings.model_validate(data if isinstance(data, dict) else {})
    except ValidationError as exc:
        raise RosterError(
            f'Danh sách đơn vị {name}: mục [notice] chưa hợp lệ: issuer = "ubnd" (UBND ban '
            'hành) hoặc "van_phong" (Văn phòng UBND ban hành), signing = "TM" hoặc "KT", '
            "central_recipient = true hoặc false."
        ) from exc


def _check_unique(name: str, communes: list[RosterEntry]) -> None:
    """Each commune once: a name (or another name, `aliases`) given to two entries of the
    same level, even written differently (spacing, tone marks, case), would count one
    commune twice and make "who did not send" wrong."""
    first: dict[tuple[str, str], tuple[int, str]] = {}
    for n, entry in enumerate(communes, 1):
        for written in dict.fromkeys((entry.name, *entry.aliases)):
            key = (entry.level, canonical(written))
            if key not in first:
                first[key] = (n, written)
                continue
            m, before = first[key]
            if m == n:
                continue
            how = "" if before == written else f' ("{before}" và "{written}" chỉ khác cách viết)'
            raise RosterError(
                f'Danh sách đơn vị {name}: {entry.level} "{written}" có hai lần, ở mục '
                f"[[communes]] thứ {m} và thứ {n}{how}; mỗi đơn vị chỉ ghi một lần. Hãy xóa mục "
                "thừa (tên khác của đơn vị ghi trong aliases)."
            )


def _parent_problem(name: str, parent: dict) -> str:
    levels = ", ".join(f'"{lvl}"' for lvl in PARENT_LEVELS)
    if parent.get("level") not in PARENT_LEVELS:
        return (
            f'Danh sách đơn vị {name}: level = "{parent.get("level", "")}" trong mục [parent] '
            f"không hợp lệ; dùng một trong {levels}."
        )
    return f"Danh sách đơn vị {name}: mục [parent] chưa hợp lệ (name, level, province là văn bản)."
