"""The lookups every reader shares, below all of them: what a word or a number is.

- a count as written around its numeral ("hơn 41.000", "gần 19 nghìn", "12,6 ngàn"):
  `read_count`;
- the noun a number counts ("hồ sơ", "HS", "trường hợp" vs "TTHC", "lượt"): `unit_after`;
- a field's canonical name ("Tư pháp - hộ tịch" → "hộ tịch"): `field_name`;
- the figure labels the span ruler found, as `Hit`s with character offsets: `label_hits`;
- the figure words of tthc/rules/connectives.toml compiled once: `figure_patterns()`,
  `scope_patterns()`; the names of units ("xã Ngọc Kỳ", "UBND HUYỆN X"): `unit_patterns()`;
  whether a stretch names another unit or a sub-unit: `other_unit_named`;
- sentences by offset: `Sentences`.
The words are data (tthc/rules/*.toml); the shapes are here. No reader imports another reader:
what two readers both need lives here (or in readings.py, settings.py, structure.py).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

import regex
from spacy.tokens import Doc

from tthc.rules.labels import Label, labels, vocabulary
from tthc.rules.phrasing import alternation, connectives
from tthc.textkit.forms import compile_vi, match_form
from tthc.textkit.numbers import parse_count, parse_decimal

Span = tuple[int, int]


# ---------------------------------------------------------------- counts around a numeral
@dataclass(frozen=True, slots=True)
class CountReading:
    """A count as written: "hơn 41.000" (at least), "gần 19 nghìn", "2.416" (exact)."""

    start: int  # where its words start: an approximation word before the numeral
    end: int  # end of the numeral, or of its multiplier ("12,6 nghìn")
    value: int
    approx: bool = False
    bound: str | None = None  # "at_least" ("hơn", "trên") | "at_most" ("gần") | None


@cache
def _approx_patterns() -> tuple[regex.Pattern, regex.Pattern, regex.Pattern, dict[str, int]]:
    words = connectives().numbers
    before = regex.compile(rf"(?<![\p{{L}}\d])(?P<w>{alternation(words.approx_before)})[ \t]*$")
    after = regex.compile(rf"[ \t]*{alternation(words.approx_after)}")
    mult = dict(words.multipliers.items())
    multiplier = regex.compile(rf"[ \t]*(?P<m>{alternation(list(mult))})(?![\p{{L}}\d])")
    return before, after, multiplier, mult


def approx_bound(word: str) -> str | None:
    """ "hơn" → "at_least", "gần" → "at_most", "khoảng" → None."""
    words = connectives().numbers
    key = " ".join(word.split())
    if key in words.at_least:
        return "at_least"
    if key in words.at_most:
        return "at_most"
    return None


def _multiplied(numeral: str, factor: int) -> int | None:
    """ "12,6" × 1000 → 12.600; "1.300" × 1000 → 1.300.000 (a "." before three digits groups
    thousands); a comma is the decimal mark whatever follows it."""
    if "," not in numeral and regex.fullmatch(r"\d{1,3}(?:\.\d{3})+", numeral):
        count = parse_count(numeral)
        return count * factor if count is not None else None
    parsed = parse_decimal(numeral)
    if parsed is None:
        return None
    return round(parsed[0] * factor)


def read_count(match: str, start: int, end: int) -> CountReading | None:
    """The count written at match[start:end] with what is around it: an approximation word
    before, a multiplier after ("gần 43 nghìn"), "(số tròn)" after. None when the numeral
    cannot be a count ("2,5" without a multiplier)."""
    before, after, multiplier, factors = _approx_patterns()
    numeral = match[start:end]
    approx, bound, lead = False, None, start
    m = multiplier.match(match, end)
    if m:
        value = _multiplied(numeral, factors[" ".join(m["m"].split())])
        approx, end = True, m.end()
    else:
        value = parse_count(numeral)
    if value is None:
        return None
    b = before.search(match[max(0, start - 24) : start])
    if b and not _ratio_word(match, start - len(b[0]), b["w"]):
        approx, bound = True, approx_bound(b["w"])
        lead = start - len(b[0])
    a = after.match(match, end)
    if a:
        approx = True
    return CountReading(lead, end, value, approx, bound)


def _ratio_word(match: str, word_start: int, word: str) -> bool:
    """ "1.164 trên 1.639": "trên" between two counts means "out of", not "more than"."""
    return word.startswith("trên") and bool(
        regex.search(r"\d[\s.,]*$", match[max(0, word_start - 4) : word_start])
    )


# ---------------------------------------------------------------- what a number counts
@cache
def _unit_patterns() -> tuple[regex.Pattern, regex.Pattern]:
    vocab = vocabulary()
    dossier = sorted(vocab.dossier_units, key=len, reverse=True)
    other = sorted((match_form(u) for u in vocab.other_units), key=len, reverse=True)
    return (
        regex.compile(rf"(?:{'|'.join(map(regex.escape, dossier))})(?![\p{{L}}\d])"),
        regex.compile(rf"(?:{'|'.join(map(regex.escape, other))})(?![\p{{L}}\d])"),
    )


def unit_after(match: str, end: int, look: int = 40) -> tuple[int, bool | None]:
    """(end of the unit, True = dossiers / False = something else / None = no unit)."""
    rest = match[end : end + look].split("\n", 1)[0]
    stripped = rest.lstrip()
    dossier, other = _unit_patterns()
    if stripped.startswith("|"):  # a unit column: "326 | thủ tục", "420 | hồ sơ"
        cell = stripped[1:].split("|", 1)[0].strip()
        whole = dossier.fullmatch(cell) or other.fullmatch(cell)
        if whole is None:
            return end, None
        stripped = stripped[1:].lstrip()
    offset = end + len(rest) - len(stripped)
    m = dossier.match(stripped)
    if m:
        return offset + m.end(), True
    if other.match(stripped):
        return end, False
    return end, None


# ---------------------------------------------------------------- fields (lĩnh vực)
@cache
def _field_names() -> list[tuple[str, str]]:
    """(spelling in match form, canonical field name), longest spelling first."""
    pairs = [
        (match_form(s), name) for name, spellings in vocabulary().fields.items() for s in spellings
    ]
    return sorted(pairs, key=lambda p: len(p[0]), reverse=True)


@cache
def _field_index() -> dict[str, str]:
    """Spelling in match form → canonical field name (the first in `_field_names` order)."""
    index: dict[str, str] = {}
    for spelling, canonical in _field_names():
        index.setdefault(spelling, canonical)
    return index


def field_name(name: str) -> str | None:
    """The canonical field (lĩnh vực) a written name stands for, if it is one."""
    key = match_form(regex.sub(r"\s+", " ", name.strip(" :-+.,")))
    key = figure_patterns().field_word.sub("", key)
    return _field_index().get(key)


def field_before(words: str, most: int = 6) -> str | None:
    """The field named by the last words of `words` ("… lĩnh vực đất đai"), if any."""
    split = words.split()
    for n in range(min(most, len(split)), 0, -1):
        name = field_name(" ".join(split[-n:]))
        if name:
            return name
    return None


# ---------------------------------------------------------------- labels on the Doc
@dataclass(slots=True)
class Hit:
    start: int
    end: int
    label: Label


def label_hits(doc: Doc, key: str = "labels") -> list[Hit]:
    """The pipeline's label spans as Hits (character offsets), in order: fresh Hits each
    call, from the spans' offsets read once per Doc (the rulers set the spans before any
    reader asks; reading spaCy's spans again costs more than the readers using them)."""
    cached = doc.user_data.get(("tthc_label_hits", key))
    if cached is None:
        table = labels()
        cached = [(s.start_char, s.end_char, table[s.label_]) for s in doc.spans[key]]
        doc.user_data[("tthc_label_hits", key)] = cached
    return [Hit(start, end, label) for start, end, label in cached]


def label_starts(doc: Doc) -> list[int]:
    """Where the figure words (groups, qualifiers, joint labels) of a document start."""
    table = labels()
    kinds = ("group", "qualifier", "joint")
    return [s.start_char for s in doc.spans["labels"] if table[s.label_].kind in kinds]


# Words of a row or label that count something other than dossiers ("TTHC tiếp nhận tại
# Trung tâm (thủ tục)", "Lượt công dân được hướng dẫn").
_OTHER_NOUN = compile_vi(
    r"(?<![\p{L}])(?:tthc|thủ\s+tục|dịch\s+vụ\s+công|lượt|phiếu|văn\s+bản|tin\s+bài|cuộc|người)(?![\p{L}])"
)
_DOSSIER_NOUN = compile_vi(r"(?<![\p{L}])(?:hồ\s+sơ|hs)(?![\p{L}])")


def counts_other(words: str) -> bool:
    """Whether a row's or a label's words count something other than dossiers. A system's
    name is no noun of what is counted ("Trên Hệ thống thông tin giải quyết TTHC tỉnh | 612"
    counts dossiers)."""
    words = _system_names().sub(" ", words)
    return bool(_OTHER_NOUN.search(words)) and not _DOSSIER_NOUN.search(words)


@cache
def _system_names() -> regex.Pattern:
    names = system_names()
    return compile_vi(rf"(?<![\p{{L}}])(?:{names})(?![\p{{L}}])")


# A group's total field.
GROUP_TOTAL = {
    "received": "received_total",
    "resolved": "resolved_total",
    "pending": "pending_total",
}

# A group in two parts: all of it in one part leaves none in the other.
COMPLEMENT = {
    "pending_in_time": "pending_overdue",
    "pending_overdue": "pending_in_time",
    "resolved_early_or_on_time": "resolved_late",
}


# ---------------------------------------------------------------- sentences
class Sentences:
    """The Doc's sentences by character offset."""

    def __init__(self, doc: Doc) -> None:
        self.starts = sorted(s.start_char for s in doc.sents)
        self.ends = sorted(s.end_char for s in doc.sents)

    def begin(self, offset: int) -> int:
        i = bisect_right(self.starts, offset) - 1
        return self.starts[i] if i >= 0 else 0

    def end(self, offset: int) -> int | None:
        i = bisect_right(self.ends, offset)
        return self.ends[i] if i < len(self.ends) else None


# ---------------------------------------------------------------- figure words
class FigurePatterns:
    """The patterns of the figure readers, built once from tthc/rules/connectives.toml and
    vocabulary.toml (the shapes are here, the words are data)."""

    def __init__(self) -> None:
        w = connectives().figures
        units = alternation(vocabulary().dossier_units)
        alt = alternation
        # Words right before a number that make it an index, not a count ("mức độ 3").
        # "Điều 15", "mức độ 3", "Tổ dân phố 3": an index; not "trong năm: 2.059 hồ sơ"
        index = alt(w.index_words)
        self.not_count_before = regex.compile(
            rf"(?<![\p{{L}}])(?:{index}\s*|(?<!trong\s+){index}\s*:\s*"
            rf"|{alt(w.numbered_names)}\s+)$"
        )
        # What stops the look to the right of a number for the label it belongs to.
        self.right_barrier = regex.compile(
            # " / " between pairs ("TN 9.846 / đã GQ 9.512"): the next pair's words
            rf"[,;:.()\[\]|]|\s[-–/]\s|(?<![\p{{L}}]){alt(w.right_barriers)}(?![\p{{L}}])"
        )
        # The second noun of a pair written with a comma ("xã, thị trấn", "tổ chức, cá nhân").
        self.comma_pair = regex.compile(rf"(?<![\p{{L}}])(?:{alt(w.comma_pairs)})(?![\p{{L}}])")
        # A list that says it names only some items ("một số", "như:", "...").
        self.partial = regex.compile(rf"\.\.\.|…|(?<![\p{{L}}]){alt(w.partial_list)}")
        self.remaining = regex.compile(rf"(?<![\p{{L}}]){alt(w.remaining)}\s*$")
        self.trailing_count = regex.compile(
            rf"(?P<num>\d+(?:[.,]\d{{3}})*)\s*(?:{units})?\s*(?:\.{{1,3}}|…)?\s*$"
        )
        self.list_intro = regex.compile(rf"(?<![\p{{L}}]){alt(w.list_intro)}\s*:?\s*")
        self.item = regex.compile(
            r"^\s*(?:[-+]\s*)?(?P<name>[\p{L}][\p{L}\s\-&.,/]{0,60}?)\s*:?\s*"
            rf"(?P<num>\d+(?:[.,]\d{{3}})*)\s*(?:{units})?\s*(?:\.{{1,3}}|…|v\.v\.?)?\s*$"
        )
        self.clause_boundary = regex.compile(
            rf"(?<!\d)[,;:(]|[,;:](?!\d)|\.(?=\s)|(?<![\p{{L}}]){alt(w.clause_joiners)}(?![\p{{L}}])|^[-+•*]"
        )
        approx = alt(connectives().numbers.approx_before)
        # What may stand between a label and a unit-less number that ends its line.
        self.label_to_number = regex.compile(
            rf"[\s:=]*(?:(?:{alt(w.label_to_number)}|{approx})[\s:=]*)*"
        )
        self.total_before = regex.compile(rf"{alt(w.total_words)}\s+(?:hồ\s+sơ\s+)?(?:tthc\s+)?$")
        self.continuation_words = frozenset(w.continuation_words)
        self.continuation = regex.compile(rf"[ \t]*(?:{alt(w.continuation_prefixes)})")
        self.procedure = regex.compile(rf"[ \t]+{alt(w.procedures)}(?![\p{{L}}])")
        self.change_before = regex.compile(
            rf"(?<![\p{{L}}]){alt([*w.change_words, *w.equivalent])}[\s:]*(?:\(\s*)?$"
        )
        self.announced = regex.compile(
            rf"\s*(?:tthc|thủ\s+tục\s+hành\s+chính)?\s*{alt(w.announced_end)}\s*"
            rf"(?:{alt(w.announced_list)}\s*:?\s*)?$|\s*:\s*{alt(w.announced_list)}\s*:?"
        )
        field_word = alt(w.field_words)
        self.field_scope = regex.compile(
            rf"[-+•*]?\s*(?:{field_word}\s+)?(?P<name>[\p{{L}}\s\-&]{{2,40}}?)\s*:"
        )
        self.field_word = regex.compile(rf"^{field_word}\s+")
        scopes = connectives().scopes
        self.subset_of = regex.compile(rf"[\s\-+•*]*(?:{alt(scopes.subset_of)})(?![\p{{L}}])")
        self.has_before = regex.compile(r"(?<![\p{L}])có\s*:?\s*$")
        self.topic = regex.compile(rf"[\s\-+•*]*{alt(w.topic_openers)}\s+")
        self.field_word_text = regex.compile(rf"^(?i:{field_word})\s+")


@cache
def system_names() -> str:
    """The receiving systems' names as one alternation (connectives [scopes]
    receiving_systems), for every pattern that names a system."""
    return alternation(connectives().scopes.receiving_systems)


@cache
def system_line() -> regex.Pattern:
    """A line or row naming a receiving system as its part ("+ Trên Hệ thống thông tin giải
    quyết TTHC của tỉnh: 30.102 HS", "Trong đó: - Trên Cổng Dịch vụ công quốc gia | 295"):
    the system's name from `sys` to the head's end (connectives [scopes] receiving_systems)."""
    names = system_names()
    return compile_vi(
        rf"[ \t]*(?:trong[ \t]+đó[ \t]*:?[ \t]*)?(?:[-+•*][ \t]*)?(?:trên|qua|tại)[ \t]+"
        rf"(?P<sys>{names})(?![\p{{L}}])"
    )


@cache
def figure_patterns() -> FigurePatterns:
    return FigurePatterns()


# ---------------------------------------------------------------- units named in the text
_SYLLABLE = r"(?:\p{Lu}[\p{Ll}]*|\d{1,2})"
NAME = rf"(?P<name>{_SYLLABLE}(?:[ \-]{_SYLLABLE}){{0,3}})"
NAME_CAPS = r"(?P<name>\p{Lu}+(?:[ \-]\p{Lu}+){0,3})"


def any_case(phrase: str) -> str:
    """A phrase matched whatever its case, words separated by any blanks."""
    return r"\s+".join(f"(?i:{regex.escape(w)})" for w in phrase.split())


def norm_level(s: str) -> str:
    return regex.sub(r"\s+", " ", s.lower())


class UnitPatterns:
    """Level words, committee names and closings from tthc/rules/connectives.toml [units]."""

    def __init__(self) -> None:
        w = connectives().units
        levels = sorted(w.levels, key=len, reverse=True)
        level = "|".join(r"\s+".join(regex.escape(x) for x in lv.split()) for lv in levels)
        level_caps = "|".join(
            r"\s+".join(regex.escape(x.upper()) for x in lv.split()) for lv in levels
        )
        abbrev = "|".join(
            regex.escape(a).replace(r"\.", r"\.\s*")
            for a in sorted(w.abbreviations, key=len, reverse=True)
        )
        committee = "|".join(any_case(c) for c in w.committee)
        self.abbreviations = w.abbreviations
        self.level = level
        self.level_caps = level_caps
        self.committee = committee
        # Named mentions, case-sensitive on the name: "xã Ngọc Kỳ", "TP. Bảo Lộc", "Q.3".
        self.named = regex.compile(
            rf"(?<![\p{{L}}])(?:(?i:(?P<level>{level}))[ ]+"
            rf"|(?i:(?P<abbr>{abbrev}))[ ]*(?=\p{{Lu}}|\d)){NAME}(?![\p{{L}}])"
        )
        # a name in capitals stops where the next unit's words begin ("UBND HUYỆN X UBND XÃ
        # Y" is a letterhead cell whose line break was lost)
        # ("UBND HUYỆN X TRUNG TÂM PHỤC VỤ …": the centre's words are not the name)
        stop = (
            rf"(?:UBND|ỦY|UỶ|CỘNG|TRUNG\s+TÂM|VĂN\s+PHÒNG|BỘ\s+PHẬN|SỞ|CHI\s+CỤC|"
            rf"{level_caps})(?![\p{{L}}])"
        )
        word = r"\p{Lu}+(?![\p{Ll}])"  # a whole word in capitals, not the "S" of "Số"
        name_caps = rf"(?P<name>(?!{stop}){word}(?:[ \-](?!{stop}){word}){{0,3}})"
        self.named_caps = regex.compile(
            rf"(?:{committee})\s+(?P<level>{level_caps})[ ]+{name_caps}"
        )
        # "XÃ TÂN HƯNG" on a letterhead line of its own, under "ỦY BAN NHÂN DÂN"
        self.level_caps = regex.compile(
            rf"(?<![\p{{L}}])(?P<level>{level_caps})[ ]+{name_caps}(?![\p{{L}}])"
        )
        # A unit referring to itself: "UBND xã" with no name after it (not "UBND các xã").
        self.self_ref = regex.compile(
            rf"(?:{committee})\s+(?i:(?P<level>{level}))(?!\s+(?:{_SYLLABLE}|các))"
        )
        closing = "|".join(any_case(c) for c in w.closing)
        self.closing = regex.compile(
            rf"(?:{closing})(?i:[^.\n]{{0,40}}?của\s+)"
            rf"(?:{committee})\s+(?i:(?P<level>{level}))[ ]+{NAME}"
        )
        self.sign_block = regex.compile(
            rf"(?:TM|KT|Q|TL)\.\s*(?:{committee})(?:\s+(?P<level>{level_caps}))?"
        )
        # A news title "Kiến Xương: …" names the place it is about.
        self.title_name = regex.compile(r"^\s*(?P<name>\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+){1,3})\s*:\s")

    def level_of(self, m: regex.Match) -> str:
        if m.groupdict().get("abbr"):
            key = regex.sub(r"\s+", "", m["abbr"].lower())
            return self.abbreviations.get(key) or self.abbreviations.get(key.rstrip("."), key)
        return norm_level(m["level"])


@cache
def unit_patterns() -> UnitPatterns:
    return UnitPatterns()


# ---------------------------------------------------------------- parts and other units
# A head naming a part: a competence block or a level, desk or agency inside the unit
# ("2. Hồ sơ thuộc thẩm quyền của …", "- Cấp xã: …", "1. Chi nhánh …").
PART_HEAD = regex.compile(
    r"(?<![\p{L}])(?:thuộc\s+(?:phạm\s+vi\s+)?thẩm\s+quyền|cấp\s+(?:xã|huyện|tỉnh)|"
    r"các\s+sở|sở,\s+ngành|chi\s+nhánh|cơ\s+quan\s+ngành\s+dọc)(?![\p{L}])"
)


@cache
def scope_patterns() -> dict[str, regex.Pattern]:
    words = connectives().scopes
    markers = [*words.sub_unit_markers, *connectives().figures.per_time]
    return {
        "subject": regex.compile(
            rf"(?<![\p{{L}}])(?P<s>{alternation(words.sub_unit_subjects)})(?![\p{{L}}])"
        ),
        "marker": regex.compile(rf"(?<![\p{{L}}])(?P<s>{alternation(markers)})(?![\p{{L}}])"),
        "subset": regex.compile(
            rf"^[\s\-+•*]*(?:{alternation(words.subset_openers)})(?![\p{{L}}])"
        ),
        "source": regex.compile(rf"(?<![\p{{L}}]){alternation(words.source_verbs)}(?![\p{{L}}])"),
        "own": regex.compile(rf"(?<![\p{{L}}]){alternation(words.own_subjects)}(?![\p{{L}}])"),
        "continues": regex.compile(
            rf"^[\s\-+•*]*(?:{alternation(words.continues_previous)})(?![\p{{L}}])"
        ),
    }


def single_word_needs_capital(phrase: str) -> bool:
    """ "sở", "phòng", "ban": only a capitalised word names an agency ("Sở Xây dựng")."""
    return " " not in phrase and "," not in phrase and not phrase.startswith("cấp")


def other_unit_named(match: str, original: str, start: int, end: int) -> bool:
    """Whether match[start:end] names a sub-unit or a unit ("Sở Công Thương", "UBND cấp
    xã", "xã Mỹ Phương"): a number after it, past its label, is that unit's."""
    if any(
        not m["name"][0].isdigit() for m in unit_patterns().named.finditer(original, start, end)
    ):
        return True
    for m in scope_patterns()["subject"].finditer(match, start, end):
        if single_word_needs_capital(m["s"]) and not original[m.start()].isupper():
            continue
        if m.start() > start and match[m.start() - 1] not in " ,(\t-:":
            continue
        if _OWNED_BY.search(match, max(start, m.start() - 8), m.start()):
            continue  # "hồ sơ thuộc thẩm quyền của các phòng chuyên môn … là 993": whose dossiers
        return True
    return False


_OWNED_BY = regex.compile(r"(?<![\p{L}])(?:của|thuộc)\s+$")

# "Chia theo cấp giải quyết, …", "Xét theo thẩm quyền giải quyết, …": how the figures after
# the comma are split; the clause's subject and figures come after it.
SPLIT_LEAD_IN = compile_vi(
    r"[\s\-+•*]*(?:chia|phân|xét|tính|nếu\s+tính)\s+theo\s+[^,;:\d]{2,40},\s*"
)


# ---------------------------------------------------------------- rates
NUM = r"\d+(?:[.,]\d+)*"  # a numeral of a rate or ratio, either number style
# "382 trên tổng số 400 hồ sơ", "318 hồ sơ trên tổng số 420 hồ sơ": a ratio in words.
RATIO_WORDS = compile_vi(
    rf"(?<![\d.,/])(?P<a>{NUM})(?:\s+(?:hồ\s+sơ|hs))?\s+trên\s+(?:tổng\s+số\s+)?"
    rf"(?:(?:hồ\s+sơ|hs)\s+)?(?P<b>{NUM})(?![\d/]|[.,]\d)"
)


class RatePatterns:
    """The rate readers' patterns: shapes here, words from tthc/rules/connectives.toml [rates]."""

    def __init__(self) -> None:
        w = connectives().rates
        alt = alternation
        up, down = alt(w.change_up), alt(w.change_down)
        units = alt(w.reference_units)
        nouns = alt(w.ratio_nouns)
        rate_words = alt(w.rate_words)
        links = alt(w.links)
        # "x% (a/b)", "x% (a hồ sơ trên b hồ sơ đã giải quyết)", "x%, với a/b hồ sơ": the
        # ratio written after the rate.
        pair = (
            rf"(?P<a>{NUM})(?:\s*{nouns})?\s*(?:/|\s+trên\s+(?:tổng\s+số\s+)?)\s*"
            rf"(?P<b>{NUM})(?![\d/]|[.,]\d)(?:\s*{nouns})?"
        )
        self.ratio_after = regex.compile(
            rf"\s*\(\s*{pair}[^()\n\d%]{{0,50}}\)"
            rf"|\s*[,:\-–]?\s*(?:với|tương\s+ứng(?:\s+với)?|tương\s+đương(?:\s+với)?|tức\s+là)"
            rf"\s+{pair}"
        )
        # "x%" may be followed by a change against an earlier value.
        self.change = regex.compile(
            rf"\s*,?\s*(?P<dir>{up}|{down})\s+(?:{alt(w.change_extra)}\s+)?(?P<c>{NUM})\s*%?"
            rf"(?:\s*{alt(w.points)})?\s*{alt(w.compared)}\s+"
            rf"(?P<ref>(?:{alt(w.same_period)}\s+)?{units}(?:\s+(?:{alt(w.previous)}|\d{{4}}"
            rf"|[ivx]+\s+năm\s+\d{{4}}))?|{alt(w.same_period)})\s*(?:\(\s*(?P<r>{NUM})\s*%\s*\))?"
        )
        self.down = regex.compile(rf"{down}")
        # A rate written without its sign after "Tỷ lệ …:" at the end of a line.
        self.bare_rate = regex.compile(rf"{rate_words}[^:\n]{{0,80}}:\s*(?P<v>{NUM})\s*(?=\n|$)")
        # "tăng 12% so với cùng kỳ" with no rate before it: a change, not a rate.
        self.change_only = regex.compile(rf"(?P<dir>{up}|{down})\s+(?:{alt(w.change_extra)}\s+)?$")
        self.not_item = regex.compile(rf"(?<![\p{{L}}]){alt(w.not_item)}(?![\p{{L}}])")
        # What may stand between a ratio "a/b" and the rate it gives ("hồ sơ, đạt tỷ lệ").
        self.ratio_to_rate = regex.compile(
            rf"[\s,:(]*(?:{nouns})?[\s,:(]*(?:(?:{links}|{rate_words}|=)[\s,:(]*)*"
        )
        self.ratio_noun = regex.compile(rf"\s*{nouns}(?![\p{{L}}])")
        self.link = regex.compile(rf"(?<![\p{{L}}]){links}(?![\p{{L}}])|=")
        # The words right before a rate that tie it to what came before ("…, đạt tỷ lệ").
        self.link_before_rate = regex.compile(
            rf"[\s,]*(?:(?<![\p{{L}}])(?:{links})(?:[\s:]+{rate_words})?|=)[\s:(]*$"
        )
        self.rate_word = regex.compile(rf"(?<![\p{{L}}]){rate_words}(?![\p{{L}}])")
        self.linked_rate_word = regex.compile(rf"(?<![\p{{L}}]){links}\s+{rate_words}(?![\p{{L}}])")
        self.total_of = regex.compile(rf"(?<![\p{{L}}]){alt(w.total_of)}[\s:]*(?:là\s+)?$")
        self.total_of_after = regex.compile(rf"[\s,]*(?:so\s+với\s+|của\s+)?{alt(w.total_of)}")
        approx = alt(connectives().numbers.approx_before)
        self.approx_rate = regex.compile(rf"(?<![\p{{L}}]){approx}\s*$")
        # "bằng 112% so với cùng kỳ", "đạt 95% của năm trước": a share of another period's
        # figure, not a rate of this one.
        same, prev = alt(w.same_period), alt(w.previous)
        ref = rf"(?:{same}|{units}(?:[ \t]+(?:{prev}|[ivx\d]+))?)"
        self.compared_words = regex.compile(
            rf"(?<![\p{{L}}])(?:{alt(w.compared)})\s+(?:{same}|{units})(?![\p{{L}}])|{same}"
        )
        self.compared_rate = regex.compile(
            rf"[ \t]*(?:(?:{alt(w.compared)}|của)[ \t]+(?P<ref>{ref}[^,.;:\n()]{{0,30}})"
            rf"|(?P<same>{same}[^,.;:\n()]{{0,30}}))"
        )


@cache
def rate_patterns() -> RatePatterns:
    return RatePatterns()
