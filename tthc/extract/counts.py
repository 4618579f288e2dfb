"""Every number of the text that is not a date, period, citation or rate, read as a count.

The first step of the grammar of a figure statement: what the number itself is, from the
words right around it, before any reader decides what it states.
- "hơn 41.000", "gần 19 nghìn", "12,6 ngàn": an approximate count (lexicon.read_count);
- "02 hồ sơ", "15 HS", "3 trường hợp": a count of dossiers (`dossier_unit`);
- "119 TTHC", "46 lượt": a count of something else (why = "other");
- "mức độ 3", "Điều 15": an index (why = "index"); "1." opening a line: a list number;
- "tăng 120 hồ sơ": a change, never a total (why = "change");
- "3 hồ sơ cấp sổ đỏ": the count of one procedure (why = "procedure");
- "685, trong đó …", "685 trước hạn": a bare count a figure word may still name; "02 hình
  thức": a word after it names what it counts (why = "noun").
Each is a `readings.Count` on `doc._.counts`, in order. Readers take the counts with no `why`
as the candidates for a dossier figure; the unread reader reports the dossier counts that no
reader used.
"""

from __future__ import annotations

import regex
from spacy.language import Language
from spacy.tokens import Doc

from tthc.extract.lexicon import figure_patterns, read_count, unit_after
from tthc.extract.readings import Count
from tthc.extract.series import SLASHED
from tthc.extract.settings import DEFAULT, ReaderSettings
from tthc.schemas import Text
from tthc.textkit.numbers import NUMERAL, parse_count

Span = tuple[int, int]
_WORD_RATIO_AFTER = regex.compile(r"[ \t]+trên[ \t]+(?:tổng[ \t]+số[ \t]+)?\d")
_WORD_RATIO_BEFORE = regex.compile(r"\d[ \t]+trên[ \t]+(?:tổng[ \t]+số[ \t]+)?$")


def _inside(spans: list[Span], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


# A year written without "năm" where dossiers come from ("tồn 2022 chuyển sang").
_BARE_YEAR = regex.compile(r"(?:19|20)\d{2}")
_YEAR_CONTEXT = regex.compile(
    r"(?:tồn|từ|cuối|đầu)[ \t]+(?:19|20)\d{2}(?!\d)|(?<!\d)(?:19|20)\d{2}[ \t]+chuyển(?![\p{L}])"
)
# A period word numbers only what fits it: "quý 4", "tháng 12", "năm 2023"; "tiếp nhận mới
# trong năm 3.197 hồ sơ", "trong quý 120 hồ sơ" are counts after the period's word.
_PERIOD_WORD_LIMITS = {"quý": 4, "tháng": 12, "ngày": 31}
_LAST_WORD = regex.compile(r"(\p{L}+)[ \t:]*$")


def _beyond_period_word(before: str, numeral: str) -> bool:
    m = _LAST_WORD.search(before)
    value = parse_count(numeral)
    if m is None or value is None:
        return False
    word = m.group(1).lower()
    if word == "năm":
        return not 1900 <= value <= 2100 and value > 99
    limit = _PERIOD_WORD_LIMITS.get(word)
    return limit is not None and value > limit


def read_counts(
    text: Text, start: int, end: int, protected: list[Span], settings: ReaderSettings = DEFAULT
) -> list[Count]:
    """The counts of text[start:end] (one line): every numeral outside `protected`, each
    with what the words around it make of it (see the module doc)."""
    match = text.match
    pats = figure_patterns()
    out = _series_counts(text, start, end, protected, settings)
    for m in NUMERAL.finditer(match, start, end):
        if _inside(protected, m.start(), m.end()):
            continue
        why = None
        if m.end() < len(match) and match[m.end()] == "/":
            why = "ratio"  # a symbol or a ratio ("24/KH-UBND", "78/93")
        elif _WORD_RATIO_AFTER.match(match, m.end()) or _WORD_RATIO_BEFORE.search(
            match[max(start, m.start() - 20) : m.start()]
        ):
            why = "ratio"  # "7 trên 10 hồ sơ": a proportion, not two counts
        before = match[max(start, m.start() - settings.index_look_chars) : m.start()]
        if (
            why is None
            and pats.not_count_before.search(before)
            and not _beyond_period_word(before, match[m.start() : m.end()])
        ):
            why = "index"
        if (
            why is None
            and _BARE_YEAR.fullmatch(m.group())
            and _YEAR_CONTEXT.search(
                match, max(start, m.start() - 12), min(len(match), m.end() + 14)
            )
        ):
            why = "index"  # "tồn 2022 chuyển sang: 3.279": a year written bare, not a count
        if (
            why is None
            and regex.match(r"\s*$", before)
            and regex.match(r"[.)]", match[m.end() : m.end() + 1])
        ):
            why = "list"  # "1." at the start of a line is a list number
        reading = read_count(match, m.start(), m.end())
        if reading is None:
            continue
        unit_end, dossier = unit_after(match, reading.end, settings.unit_look_chars)
        if why is None:
            why = _why_not(match, start, reading.start, reading.end, unit_end, dossier, settings)
        out.append(
            Count(
                m.start(),
                reading.end,
                reading.value,
                unit_end,
                bool(dossier),
                reading.start,
                reading.approx,
                reading.bound,
                why,
            )
        )
    out.sort(key=lambda c: c.start)
    _bracket_of_other(match, start, out)
    return out


def _bracket_of_other(match: str, line_start: int, counts: list[Count]) -> None:
    """ "tiếp nhận 09 phản ánh, kiến nghị (đã xử lý xong 08, đang xác minh 01)": a bare count
    in a bracket opened after a count of something else, in the same clause, counts that
    thing too (why = "other")."""
    for c in counts:
        if c.why is not None or c.dossier_unit:
            continue
        opened = _open_bracket(match, line_start, c.start)
        if opened is None:
            continue
        before = [p for p in counts if p.end <= opened]
        if not before or before[-1].why != "other":
            continue
        if regex.search(r"[.;]\s", match[before[-1].end : opened]):
            continue
        c.why = "other"


def _open_bracket(match: str, line_start: int, offset: int) -> int | None:
    """Where the bracket still open at `offset` opens, on its line."""
    depth = 0
    for i in range(offset - 1, line_start - 1, -1):
        ch = match[i]
        if ch == ")":
            depth += 1
        elif ch == "(":
            if depth == 0:
                return i
            depth -= 1
    return None


def _series_counts(
    text: Text, start: int, end: int, protected: list[Span], settings: ReaderSettings
) -> list[Count]:
    """The members of "350/45/5 hồ sơ" (why = "series": the series reader pairs them)."""
    out = []
    for m in SLASHED.finditer(text.match, start, end):
        if _inside(protected, m.start(), m.end()):
            continue
        unit_end, dossier = unit_after(text.match, m.end(), settings.unit_look_chars)
        for n in regex.finditer(r"\d+(?:[.,]\d{3})*", m.group()):
            value = parse_count(n.group())
            if value is not None:
                s = m.start() + n.start()
                out.append(
                    Count(s, s + len(n.group()), value, unit_end, bool(dossier), why="series")
                )
    return out


def _why_not(
    match: str,
    line_start: int,
    lead: int,
    end: int,
    unit_end: int,
    dossier: bool | None,
    settings: ReaderSettings,
) -> str | None:
    pats = figure_patterns()
    look = settings.change_look_chars
    if pats.change_before.search(match[max(line_start, lead - look) : lead]):
        return "change"  # "tăng 9,6 ngàn hồ sơ so với quý II": a change, not a total
    if dossier is False:
        return "other"
    if dossier and pats.procedure.match(match, unit_end):
        return "procedure"  # "3 hồ sơ cấp sổ đỏ": the count of one procedure, not a total
    if not dossier and not continues(match, end):
        return "noun"
    return None


def continues(match: str, end: int) -> bool:
    """Whether a unit-less number may be a figure: what follows is punctuation, the end,
    a label, or a word that continues the sentence, not a noun it counts."""
    pats = figure_patterns()
    word = regex.match(r"[ \t]*([\p{L}]+)", match[end : end + 30])
    return (
        word is None
        or word.group(1) in pats.continuation_words
        or bool(pats.continuation.match(match, end, end + 12))
    )


@Language.component(
    "tthc_counts",
    requires=["doc._.text", "doc._.settings", "doc._.claimed"],
    assigns=["doc._.counts"],
)
def count_reader(doc: Doc) -> Doc:
    """Every unclaimed number of the text as a count, line by line."""
    text, settings = doc._.text, doc._.settings
    protected = list(doc._.claimed)
    doc._.counts = [
        c
        for line in text.lines
        for c in read_counts(text, line.start, line.end, protected, settings)
    ]
    return doc
