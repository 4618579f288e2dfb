"""Figures that are not the reporting unit's own: sub-units, other units, parts and subsets.

Real texts put beside the unit's figures those of its levels ("Cấp huyện tiếp nhận 912 hồ
sơ …"), departments ("Sở Xây dựng có 254 hồ sơ trễ hạn"), a part ("Riêng các hồ sơ thuộc
thẩm quyền cấp xã …", "Trong tổng số hồ sơ trễ hạn có 164 …") or averages ("trung bình
mỗi ngày … 400 hồ sơ"). None of these may fill the unit's dossier fields. This module finds
the stretches of text they occupy, sentence by sentence:
- a sentence whose subject (the words before its first figure word or number) names a
  sub-unit or another unit, or that opens with a subset word ("Riêng …"), is foreign whole;
- a sentence opening with "Trong đó," / "Cụ thể," goes on about the previous one and keeps
  its scope, and so do the next sentences of the paragraph, until one names the whole unit
  again ("Toàn huyện …");
- a marker inside a sentence ("do các sở, ngành tiếp nhận", "trung bình mỗi ngày") makes the
  rest of the sentence foreign.
The words are data (tthc/rules/connectives.toml, [scopes] and [figures]).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import replace
from functools import cache

import regex
from spacy.language import Language
from spacy.tokens import Doc

from tthc.extract.lexicon import (
    SPLIT_LEAD_IN,
    field_name,
    label_hits,
    label_starts,
    scope_patterns,
    single_word_needs_capital,
    unit_patterns,
)
from tthc.extract.readings import Foreign
from tthc.rules.phrasing import alternation, connectives
from tthc.schemas import Text
from tthc.textkit.forms import compile_vi, match_form
from tthc.textkit.numbers import NUMERAL

Span = tuple[int, int]


def _clauses(match: str, sentences: list[Span]) -> list[Span]:
    """Sentences cut at ";": "UBND thành phố tiếp nhận 581 hồ sơ; UBND cấp xã tiếp nhận
    1.406 hồ sơ" speaks of two units."""
    out = []
    for start, end in sentences:
        pos = start
        for m in regex.finditer(";", match[start:end]):
            out.append((pos, start + m.end()))
            pos = start + m.end()
        out.append((pos, end))
    return [(s, e) for s, e in out if e > s]


def foreign_spans(
    text: Text,
    sentences: list[Span],
    label_starts: list[int],
    protected: list[Span] = (),
    unit: tuple[str | None, str | None] = (None, None),
    lien_thong: list[Span] = (),
) -> list[Foreign]:
    """The stretches of text whose figures are not the unit's own total (see the module
    doc). A sentence (or clause between ";") that opens on another unit or a part carries
    it to the following ones of its paragraph ("Riêng Chi nhánh … tiếp nhận 13.039 hồ sơ.
    Tổng số đã giải quyết …"), until one speaks of the whole unit again ("Toàn huyện …").
    `lien_thong` holds the spans of the liên thông label: a part named so is liên thông."""
    pats = scope_patterns()
    match, original = text.match, text.text
    # numbers that are dates, periods or symbols do not end a subject ("Năm 2024, Sở …")
    label_starts = sorted([*label_starts, *_counts(match, protected)])
    out: list[Foreign] = []
    previous: Foreign | None = None  # the clause before, when foreign to its end
    carried: Foreign | None = None  # the same, when it opened on another unit or a part
    previous_line = -1
    for start, end in _clauses(match, sentences):
        sentence = match[start:end]
        line = text.line_index(start)
        found: Foreign | None = None
        own = _speaks_of_unit(match, start, end, label_starts, pats)
        subset = pats["subset"].match(sentence)
        if subset:
            found = _subset(text, start + subset.end(), start, end, label_starts, lien_thong)
        elif own:
            found = None
        elif _opens_on(match, start, lien_thong):
            # "Hồ sơ liên thông giữa Chi nhánh … với Chi cục Thuế: tiếp nhận 83": the
            # agencies named are the two ends of the liên thông, not a part's subject
            found = Foreign(start, end, "liên thông", subset=True, kind="part", scope="lien_thong")
        elif previous is not None and pats["continues"].match(sentence):
            found = replace(previous, start=start, end=end)
        else:
            found = _by_subject(match, original, start, end, label_starts, pats, unit)
        if (
            found is None
            and not own
            and _THIS_ONE.search(match, start, _zone_end(match, start, end, label_starts))
        ):
            found = _named_before(text, start, end, pats)
        if found is None and not own and carried is not None and line == previous_line:
            found = replace(carried, start=start, end=end, carried=True)
        by_marker = False
        if found is None:
            m = pats["marker"].search(sentence)
            if m:
                found, by_marker = _by_marker(original, start + m.start(), start + m.end(), end)
        if found is not None:
            out.append(found)
        # "trong đó" goes on about any foreign clause before it; the rest of a paragraph
        # only about one that opened on another unit or a part
        previous = found if found is not None and found.end >= end else None
        carried = None if by_marker else previous
        previous_line = line
    return out


_CLAUSE_LEAD = regex.compile(r"[\s\-+•*]*(?:\d{1,2}[.)]\s*|[a-zđ]\)\s*)?")


def _opens_on(match: str, start: int, spans: list[Span]) -> bool:
    """Whether the clause at `start` opens with one of `spans` (after a list marker)."""
    lead = _CLAUSE_LEAD.match(match, start)
    first = lead.end() if lead else start
    return any(s == first for s, _ in spans)


def _words(original: str, start: int, end: int) -> str:
    return " ".join(original[start:end].split()).strip(" ,:;-–+•*()")


# Words that end a part's name: its verb ("Riêng Chi nhánh … có 214 hồ sơ").
_TRAILING_VERB = regex.compile(r"(?:\s+(?i:có|đã|đang|được|là|thì|cũng|với|tổng\s+số|số))+$")


def _subset(
    text: Text,
    head_start: int,
    start: int,
    end: int,
    label_starts: list[int],
    lien_thong: list[Span],
) -> Foreign | None:
    """ "Riêng hồ sơ liên thông …: tiếp nhận 64": a part named by the words after "Riêng",
    up to its first figure word, number or ":"; liên thông when the liên thông label is
    among them."""
    stop = _first_from(label_starts, head_start, end)
    colon = regex.search(r"[:,(]", text.match[head_start:stop])  # "Riêng Công an tỉnh, …"
    stop = head_start + colon.start() if colon else stop
    if any(
        head_start <= s < max(stop, head_start + 1) or s <= head_start < e for s, e in lien_thong
    ):
        return Foreign(start, end, "liên thông", subset=True, kind="part", scope="lien_thong")
    agency = _done_by().search(text.match, head_start, end)
    if agency is not None and agency.start() < _first_from(label_starts, head_start, end):
        # "Riêng các thủ tục thuộc lĩnh vực cư trú do Công an phường tiếp nhận, …": the part
        # is the agency that handles them, as it is named again later
        words = _words(text.text, agency.start("who"), agency.end("who"))
        return Foreign(
            start, end, words, subset=True, kind="part", scope=f"part:{_part_name(words)}"
        )
    name = _words(text.text, head_start, stop)
    name = regex.sub(r"^(?i:(?:các|những)\s+)?(?i:hồ\s+sơ|hs)\s+", "", name)
    if _ONLY_A_VERB.fullmatch(name):
        return None  # "Riêng hồ sơ nộp qua mạng đạt 9.610/30.574": the unit's own online count
    name = _TRAILING_VERB.sub("", name) or "một phần hồ sơ"
    return Foreign(start, end, name, subset=True, kind="part", scope=f"part:{_part_name(name)}")


@cache
def _done_by() -> regex.Pattern:
    subjects = alternation(connectives().scopes.sub_unit_subjects)
    return regex.compile(
        rf"(?<![\p{{L}}])do\s+(?P<who>(?:{subjects})(?:\s+[\p{{L}}\-]+){{0,6}}?)\s+"
        r"(?=tiếp\s+nhận|giải\s+quyết|thực\s+hiện|xử\s+lý|thụ\s+lý)"
    )


# What may stand between "Riêng hồ sơ" and a figure word without naming a part.
_ONLY_A_VERB = regex.compile(r"(?i:(?:được\s+)?(?:nộp|gửi|tiếp\s+nhận|giải\s+quyết|xử\s+lý|trả))?")


def _part_name(name: str) -> str:
    """A part's name as the record keeps it: a field's usual name when it is one; an
    agency's desk by the agency ("quầy của Bảo hiểm xã hội huyện đặt tại Trung tâm" is the
    part "Bảo hiểm xã hội huyện", as the next sentence names it)."""
    known = field_name(name)
    if known:
        return known
    desk, place = _desk_and_place()
    return place.sub("", desk.sub("", name)) or name


@cache
def _desk_and_place() -> tuple[regex.Pattern, regex.Pattern]:
    words = connectives().scopes
    return (
        compile_vi(rf"^(?:{alternation(words.desk_of)})\s+(?=\p{{L}})"),
        compile_vi(rf"\s+(?:{alternation(words.placed_at)})(?![\p{{L}}]).*$"),
    )


def _by_marker(original: str, m_start: int, m_end: int, end: int) -> tuple[Foreign, bool]:
    """ "trung bình mỗi ngày …": an average; "do các sở, ngành tiếp nhận", "thuộc thẩm
    quyền cấp huyện": a part of the unit's dossiers from there to the clause's end."""
    phrase = _words(original, m_start, m_end)
    key = match_form(phrase)
    if any(key.startswith(match_form(w)) for w in connectives().figures.per_time):
        return Foreign(m_start, end, phrase, kind="average"), True
    name = regex.sub(r"^(?i:do|thuộc)\s+|\s+(?i:tiếp\s+nhận)$", "", phrase)
    return Foreign(m_start, end, phrase, kind="part", scope=f"part:{name}"), True


def _counts(match: str, protected: list[Span]) -> list[int]:
    """Where the numbers that are not dates, periods or symbols start (the protected spans
    merged once, then one bisection per number rather than a scan of them all)."""
    starts, ends = _merged(protected)
    out = []
    for m in NUMERAL.finditer(match):
        i = bisect_right(starts, m.start()) - 1
        if i < 0 or m.start() >= ends[i]:
            out.append(m.start())
    return out


def _merged(spans: list[Span]) -> tuple[list[int], list[int]]:
    """The non-empty half-open spans merged into disjoint ones: (starts, ends), in order."""
    starts: list[int] = []
    ends: list[int] = []
    for s, e in sorted(span for span in spans if span[0] < span[1]):
        if ends and s <= ends[-1]:
            ends[-1] = max(ends[-1], e)
        else:
            starts.append(s)
            ends.append(e)
    return starts, ends


def _first_from(positions: list[int], start: int, end: int) -> int:
    """The first of the sorted `positions` in [start, end), else `end`."""
    i = bisect_left(positions, start)
    return positions[i] if i < len(positions) and positions[i] < end else end


def _zone_end(match: str, start: int, end: int, label_starts: list[int]) -> int:
    """Where a sentence's subject ends: its first figure word or number (both are in
    `label_starts`, sorted)."""
    return min(start + 90, _first_from(label_starts, start, end))


def _speaks_of_unit(
    match: str, start: int, end: int, label_starts: list[int], pats: dict[str, regex.Pattern]
) -> bool:
    """A sentence whose subject is the whole unit again ("Toàn huyện đã …")."""
    return bool(pats["own"].search(match, start, _zone_end(match, start, end, label_starts)))


def _by_subject(
    match: str,
    original: str,
    start: int,
    end: int,
    label_starts: list[int],
    pats: dict[str, regex.Pattern],
    unit: tuple[str | None, str | None] = (None, None),
) -> Foreign | None:
    """A sentence whose subject names a sub-unit, or a unit other than the one reporting
    ("+ Xã Đông Hòa: tiếp nhận 554 …" in a district's notice): the words before its first
    label or number."""
    lead = SPLIT_LEAD_IN.match(match, start, end)
    if lead is not None:  # "Chia theo cấp giải quyết, cấp huyện tiếp nhận …": after the comma
        start_zone = lead.end()
        found = _by_subject(match, original, start_zone, end, label_starts, pats, unit)
        return replace(found, start=start) if found is not None else None
    zone_end = _zone_end(match, start, end, label_starts)
    if pats["source"].search(match, start, zone_end):
        return None  # "Sở Tài nguyên … cho biết, …": the one who reports, not a part of it
    other = _other_named_unit(original, start, zone_end, unit)
    if other is not None:
        return Foreign(start, end, other)
    field = _FIELD_SUBJECT.match(match, start, zone_end)
    if field:
        words = field["name"].split()
        known = next(
            (
                field_name(" ".join(words[:n]))
                for n in (3, 2, 1)
                if n <= len(words) and field_name(" ".join(words[:n]))
            ),
            None,
        )
        if known:  # "Lĩnh vực đất đai vẫn là nơi … với 371 hồ sơ": that field's figures
            return Foreign(start, end, known, kind="part", scope=f"part:{known}")
    for m in pats["subject"].finditer(match, start, zone_end):
        phrase = m["s"]
        if single_word_needs_capital(phrase) and not original[m.start()].isupper():
            continue
        if m.start() > start and match[m.start() - 1] not in " ,(\t-":
            continue
        if _PARTNER.search(match, max(start, m.start() - 16), m.start()):
            continue  # "Trung tâm đã phối hợp với các phòng, ban … giải quyết": a partner
        name = _agency_name(original, m.start(), m.end(), zone_end)
        return Foreign(start, end, name, kind="part", scope=f"part:{name}")
    return None


# "quầy này", "cơ quan này", "đơn vị nói trên": the agency the sentence before named.
_THIS_ONE = regex.compile(
    r"(?<![\p{L}])(?:quầy|cơ\s+quan|đơn\s+vị|bộ\s+phận)\s+(?:này|đó|nói\s+trên|trên)(?![\p{L}])"
)


def _named_before(
    text: Text, start: int, end: int, pats: dict[str, regex.Pattern]
) -> Foreign | None:
    """ "… Bảo hiểm xã hội huyện là nơi có lượng giao dịch lớn nhất. Năm qua, quầy này
    tiếp nhận 3.971 hồ sơ": the last agency named earlier in the paragraph is the part."""
    match, original = text.match, text.text
    line = text.lines[text.line_index(start)]
    named = [
        m
        for m in pats["subject"].finditer(match, line.start, start)
        if not (single_word_needs_capital(m["s"]) and not original[m.start()].isupper())
        and original[m.start()].isupper()
    ]
    if not named:
        return None
    m = named[-1]
    name = _agency_name(original, m.start(), m.end(), start)
    return Foreign(start, end, name, kind="part", scope=f"part:{name}")


# The words before an agency that make it the partner of the subject, not the subject.
_PARTNER = regex.compile(r"(?<![\p{L}])(?:phối\s+hợp\s+(?:với|cùng)|cùng\s+với)\s+$")


# A sentence opening on one field as its subject ("Lĩnh vực đất đai vẫn là …").
_FIELD_SUBJECT = regex.compile(
    r"[\s\-+•*]*(?:riêng\s+|còn\s+)?lĩnh\s+vực\s+(?P<name>[\p{L}]+(?:\s+[\p{L}]+){0,3})"
)


def _agency_name(original: str, start: int, end: int, limit: int) -> str:
    """The subject phrase with the capitalised words that name it ("Sở Tư pháp",
    "Chi nhánh Văn phòng Đăng ký đất đai"), at most six words."""
    words = regex.match(
        r"(?:[ \t]+(?:\p{Lu}[\p{L}&\-]*|và|-))*(?:[ \t]+(?:tỉnh|huyện|xã|phường|quận|thị\s+xã|"
        r"thị\s+trấn|thành\s+phố)(?![\p{L}]))?",
        original[end:limit],
    )
    tail = words.group(0) if words else ""
    name = _words(original, start, end + len(tail))
    return " ".join(name.split()[:6]).removesuffix(" và").removesuffix(" -")


def _other_named_unit(
    original: str, start: int, end: int, unit: tuple[str | None, str | None]
) -> str | None:
    """A unit named with its level ("xã Đông Hòa", "UBND huyện Tân Phú") that is not the
    reporting unit; None when the reporting unit is unknown."""
    _level, name = unit
    if not name:
        return None
    pats = unit_patterns()
    own = match_form(name)
    for m in pats.named.finditer(original, start, end):
        written = m["name"]
        if written[0].isdigit() and pats.level_of(m) not in ("phường", "quận"):
            continue
        if match_form(" ".join(written.split())) != own:
            return original[m.start() : m.end()]
    return None


def inside(spans: list[Foreign], offset: int) -> Foreign | None:
    """The foreign stretch holding `offset`, if any."""
    for f in spans:
        if f.start <= offset < f.end:
            return f
    return None


@Language.component(
    "tthc_scopes",
    requires=["doc._.text", "doc._.claimed", "doc._.unit", "doc.spans", "doc.sents"],
    assigns=["doc._.parts"],
)
def scope_reader(doc: Doc) -> Doc:
    """The stretches of text about another unit or a part of the unit's dossiers."""
    sentences = [(s.start_char, s.end_char) for s in doc.sents]
    unit = (doc._.unit.level, doc._.unit.name)
    lien_thong = [
        (h.start, h.end)
        for h in label_hits(doc)
        if h.label.kind == "scope" and h.label.name == "lien_thong"
    ]
    doc._.parts = foreign_spans(
        doc._.text, sentences, label_starts(doc), list(doc._.claimed), unit, lien_thong
    )
    return doc
