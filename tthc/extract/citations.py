"""Legal citations: "Nghị định số 45/2020/NĐ-CP ngày 8/4/2020 của Chính phủ về ...".

Built like eyecite, in small steps over the normalized text:
1. find: symbol candidates NUMBER[/YEAR]/CODE. Structure is matched on `Text.match`; the
   code's letter case is read from `Text.text` (same offsets), because a code ("QĐ-TTg") and a
   unit ("đồng/người") differ only in case;
2. attach: the kind word before the number and an article before the kind ("Điều 15 Thông
   tư ..."); the date, issuer and subject after the symbol; or a date and issuer opening the
   sentence ("Ngày 18/7/2025, UBND xã có văn bản số 63/UBND-TTPVHCC");
3. resolve: mentions of one document with compatible attributes become one `Citation`; a
   mention whose date or issuer differs stays a separate entry so the checks can flag it.

Kinds, codes and issuers are data (tthc/rules/citation_codes.toml), not branches.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import regex
from spacy.language import Language
from spacy.tokens import Doc

from tthc.extract.dates import find_dates
from tthc.rules.citation_codes import (
    GLUED,
    NO_YEAR,
    SPACED,
    UNKNOWN_CODE,
    CodeRules,
    code_rules,
    issuers_compatible,
    symbol_key,
)
from tthc.schemas import Citation, Evidence, Text
from tthc.textkit.forms import compile_vi

_KIND_WINDOW = 60  # characters before a number searched for its kind word
_BEFORE_WINDOW = 160  # characters before a citation searched for a date/issuer opening it
_DATE_WINDOW = 40  # characters after "ngày" that may hold the date


# NUMBER / [YEAR /] CODE on the matching view. Spaces around "/" and "-" are allowed (a
# report may space them, extraction may leave them); the letters are validated afterwards.
_SYMBOL = compile_vi(
    r"""
    (?<![\d.,/])
    (?P<num>\d{1,5}(?:\.\d{1,2}(?=[ \t]{0,2}/))?[a-zđ]?)
    [ \t]{0,2}/[ \t]{0,2}
    (?:(?P<year>(?:19|20)\d{2})[ \t]{0,2}/[ \t]{0,2})?
    (?P<code>\p{L}[\p{L}\d]{0,11}(?:[ \t]?[-–][ \t]?\p{L}[\p{L}\d]{0,11}){0,4})
    """,
    regex.X,
)
_TOKEN = regex.compile(r"[\p{L}\d]+")
_BLANKS = regex.compile(r"[ \t]+")
_WS = regex.compile(r"\s+")
_ARTICLE = compile_vi(
    r"""(?<!\p{L})
    (?P<art>(?:điểm[ \t]+[a-zđ][ \t]*,?[ \t]+)?(?:khoản[ \t]+\d+[ \t]*,?[ \t]+)?
      điều[ \t]+\d+[a-zđ]?(?:[ \t]*(?:,|và)[ \t]*(?:điều[ \t]+)?\d+[a-zđ]?)*)
    [ \t]+(?:của[ \t]+)?$""",
    regex.X,
)
_DATE_LEAD = compile_vi(r"[ \t]*[,(]?[ \t]*(?:(?:ký|ban hành)[ \t]+)?(?P<ngay>ngày)[ \t]+")
_ISSUER_LEAD = compile_vi(r"[ \t]*\)?[ \t]*,?[ \t]*(?:của|do)[ \t]+")
_DATE_BRACKET = compile_vi(r"[ \t]*\([ \t]*(?:ngày[ \t]+)?")
_BRACKET_CLOSE = regex.compile(r"[ \t]*\)")
_PLACE_WORD = regex.compile(r"[ \t]+(\p{Lu}\p{Ll}+)")
_ORG_WORD = regex.compile(r"[ \t]+([\p{L}\d]+)")
_SUBJECT_END = regex.compile(r"[;\n(]|\.(?=\s|$)")
_SUBJECT_TRAIL = compile_vi(r"(?:[\s,.:;\-–]|(?<!\p{L})(?:của|theo|tại|và))+$")
_OPENS_SENTENCE = compile_vi(r"(?:^|[.;:!?+•\-–(])[ \t]*(?:(?:vào[ \t]+)?ngày[ \t]+)?$", regex.M)
_NAMES_NEXT = compile_vi(r"(?:của|theo|tại)[ \t]*$")
_DATE_BEFORE_TAIL = regex.compile(r"[ \t]*,[ \t]*[^\n.;\d]{0,80}")


# --------------------------------------------------------------------------- mentions


@dataclass(slots=True)
class Mention:
    """One written occurrence of a citation, with what was attached to it."""

    start: int  # first character: the article, kind word or number
    num_start: int
    end: int  # end of the symbol
    number: str
    year: int | None
    code: str
    raw: str
    problems: list[str]
    kind: str | None = None
    article: str | None = None
    date: dt.date | None = None
    date_span: tuple[int, int] | None = None
    issuer: str | None = None
    subject: str | None = None
    span_end: int = 0  # end of symbol, date and issuer (the quoted citation)
    after_end: int = 0  # end of everything attached after it, subject included

    @property
    def symbol(self) -> str:
        year = f"{self.year}/" if self.year else ""
        return f"{self.number}/{year}{self.code}"


def _is_line_join(text: Text, start: int, end: int) -> bool:
    """Whether a blank run is where normalization joined two raw lines (not the writer's)."""
    seg = text.segment(start)
    after = text.segment(end)
    return seg is not None and after is not None and seg is not after


def _spaced(text: Text, start: int, end: int) -> bool:
    """Blanks inside the written symbol that the writer typed (line joins excepted)."""
    return any(
        not _is_line_join(text, m.start(), m.end()) for m in _BLANKS.finditer(text.text, start, end)
    )


def _code_tokens(text: Text, start: int, end: int, rules: CodeRules) -> tuple[list[str], int]:
    """The accepted code tokens in text[start:end] and where the last one ends."""
    tokens: list[str] = []
    last = start
    for m in _TOKEN.finditer(text.text, start, end):
        canonical = rules.canonical_token(m.group())
        if canonical is None:
            break
        tokens.append(canonical)
        last = m.end()
    return tokens, last


def _kind_before(text: Text, num_start: int, rules: CodeRules) -> tuple[Any, bool]:
    """The kind-word match right before a number, and whether it is glued to the number."""
    lo = max(0, num_start - _KIND_WINDOW)
    m = rules.kind_before.search(text.match, lo, num_start)
    if m is None:
        return None, False
    glued = (m["so"] is None and not m["gap1"]) or (m["so"] is not None and not m["gap2"])
    return m, glued


def _article_before(text: Text, kind_start: int) -> tuple[int, str] | None:
    lo = max(0, kind_start - _KIND_WINDOW)
    m = _ARTICLE.search(text.match, lo, kind_start)
    if m is None:
        return None
    return m.start("art"), _WS.sub(" ", text.text[m.start("art") : m.end("art")])


def _candidate(text: Text, m: Any, rules: CodeRules) -> Mention | None:
    """Validate one symbol match and attach what lies before it (kind word, article)."""
    tokens, code_end = _code_tokens(text, m.start("code"), m.end("code"), rules)
    if not tokens:
        return None
    num_start = m.start("num")
    kind_m, glued = _kind_before(text, num_start, rules)
    letter_before = num_start > 0 and text.match[num_start - 1].isalpha()
    if letter_before and not glued:
        return None  # "ABC12/KH-UBND": part of a longer word, not a citation
    known = rules.is_known_token(tokens[0])
    bare_letters = len(tokens) == 1 and tokens[0] in rules.letter_kind
    if (not known or bare_letters) and kind_m is None:
        return None  # an unknown or incomplete code counts only after a kind word
    problems: list[str] = []
    if glued:
        problems.append(GLUED)
    if _spaced(text, num_start, code_end):
        problems.append(SPACED)
    if not known:
        problems.append(UNKNOWN_CODE)
    code = "-".join(tokens)
    written_kind = rules.kind_words.get(_BLANKS.sub(" ", kind_m["kind"])) if kind_m else None
    kind = written_kind or rules.kind_of_code(code)
    start = kind_m.start("kind") if kind_m else num_start
    article = _article_before(text, start) if kind_m else None
    if article:
        start = article[0]
    year = int(m["year"]) if m["year"] else None
    rule = rules.kinds.get(kind or "")
    if year is None and rule is not None and rule.requires_year:
        problems.append(NO_YEAR)
    return Mention(
        start=start,
        num_start=num_start,
        end=code_end,
        number=text.text[num_start : m.end("num")].lower(),
        year=year,
        code=code,
        raw=text.text[num_start:code_end],
        problems=problems,
        kind=kind,
        article=article[1] if article else None,
        span_end=code_end,
        after_end=code_end,
    )


def _find_mentions(text: Text) -> list[Mention]:
    rules = code_rules()
    found = []
    for m in _SYMBOL.finditer(text.match):
        mention = _candidate(text, m, rules)
        if mention is not None:
            found.append(mention)
    return found


# --------------------------------------------------------------------------- attach after


def _date_at(text: Text, pos: int, limit: int) -> tuple[dt.date, int, int] | None:
    """A date introduced by "ngày" at `pos`, or bracketed right after the symbol
    ("766/QĐ-TTg (23/6/2022)"): (value, start, end)."""
    m = _DATE_LEAD.match(text.match, pos, limit)
    if m is None:
        b = _DATE_BRACKET.match(text.match, pos, limit)
        d = (
            next(find_dates(text.match, b.end(), min(limit, b.end() + _DATE_WINDOW)), None)
            if b
            else None
        )
        if d is not None and d.start == b.end() and _BRACKET_CLOSE.match(text.match, d.end, limit):
            return d.value, d.start, d.end
        return None
    for d in find_dates(text.match, m.start("ngay"), min(limit, m.end() + _DATE_WINDOW)):
        if d.start in (m.start("ngay"), m.end()):
            return d.value, d.start, d.end
        break
    return None


def _place_after(text: Text, pos: int, limit: int, rules: CodeRules) -> tuple[str, int]:
    """Capitalized words after a level word ("huyện Thanh Hà"): the place name and its end."""
    words: list[str] = []
    end = pos
    for _ in range(4):
        m = _PLACE_WORD.match(text.text, end, limit)
        if m is None or rules.place_stop_re.match(text.match, m.start(1), limit):
            break
        words.append(m[1])
        end = m.end()
    return " ".join(words), end


def _local_issuer(text: Text, pos: int, limit: int, rules: CodeRules) -> tuple[str, int] | None:
    m = rules.local_re.match(text.match, pos, limit)
    if m is None:
        return None
    parts = []
    if m["head"]:
        parts.append(_WS.sub(" ", text.text[m.start("head") : m.end("head")]).capitalize())
    parts.append(rules.local_bodies[_BLANKS.sub(" ", m["body"])])
    end = m.end()
    if m["level"]:
        parts.append(_BLANKS.sub(" ", m["level"]))
        place, end = _place_after(text, end, limit, rules)
        if place:
            parts.append(place)
    return " ".join(parts), end


def _organization(text: Text, pos: int, limit: int, rules: CodeRules) -> tuple[str, int] | None:
    """An organization ("Đoàn kiểm tra ...", "Sở Nội vụ tỉnh X"): a head word, words to a stop."""
    m = rules.org_re.match(text.match, pos, limit)
    if m is None or not text.text[pos].isupper():
        return None
    end = m.end()
    for _ in range(rules.org_max_words):
        w = _ORG_WORD.match(text.text, end, limit)
        if w is None or rules.stop_re.match(text.match, w.start(1), limit):
            break
        end = w.end()
    return _WS.sub(" ", text.text[pos:end]), end


def _issuer_at(text: Text, pos: int, limit: int) -> tuple[str, int] | None:
    """The issuer named at `pos`, normalized ("ủy ban nhân dân huyện X" → "UBND huyện X")."""
    rules = code_rules()
    local = _local_issuer(text, pos, limit, rules)
    if local is not None:
        return local
    m = rules.issuer_name_re.match(text.match, pos, limit)
    if m is not None:
        return rules.issuer_names[_BLANKS.sub(" ", m.group())], m.end()
    return _organization(text, pos, limit, rules)


_ISSUED_ON = regex.compile(r"[ \t]*(?:ban[ \t]+hành[ \t]+)?ngày[ \t]+\d")


def _subject_at(text: Text, pos: int, limit: int, nxt: Mention | None) -> tuple[str, int] | None:
    """The subject: "về việc X" → X, "ban hành X" kept; ends at ";", sentence end or citation."""
    rules = code_rules()
    m = rules.subject_re.match(text.match, pos, limit)
    if m is None or _ISSUED_ON.match(text.match, m.end(), limit):
        return None  # "… ban hành ngày 06/10, trong 9 tháng …": when it was issued, no subject
    start = m.end()
    hard = min(limit, start + rules.subject_max)
    stop = _SUBJECT_END.search(text.match, start, hard)
    end = stop.start() if stop else hard
    names_next = stop is None and nxt is not None and end == nxt.start
    if names_next and _NAMES_NEXT.search(text.match, max(start, end - 8), end):
        end = nxt.end  # "hướng dẫn ... của Nghị định số 61/2018/NĐ-CP": it names another document
    if end == hard and stop is None and hard < limit:
        end = text.text.rfind(" ", start, hard) if " " in text.text[start:hard] else hard
    subject = _SUBJECT_TRAIL.sub("", text.text[start:end])
    subject = _WS.sub(" ", subject).strip()
    return (subject, end) if subject else None


def _attach_after(text: Text, mention: Mention, nxt: Mention | None) -> None:
    """Date and issuer (either order), then the subject, stopping at the next citation."""
    limit = nxt.start if nxt else len(text.text)
    pos = mention.end
    for _ in range(2):
        if mention.date is None and (d := _date_at(text, pos, limit)):
            mention.date, mention.date_span, pos = d[0], (d[1], d[2]), d[2]
            continue
        lead = _ISSUER_LEAD.match(text.match, pos, limit)
        if mention.issuer is None and lead and (iss := _issuer_at(text, lead.end(), limit)):
            mention.issuer, pos = iss
            continue
        break
    mention.span_end = mention.after_end = pos
    subject = _subject_at(text, pos, limit, nxt)
    if subject:
        mention.subject, mention.after_end = subject


# --------------------------------------------------------------------------- attach before


def _line_start(text: Text, offset: int) -> int:
    return text.lines[text.line_index(offset)].start if text.lines else 0


def _date_before(text: Text, mention: Mention, lo: int) -> tuple[dt.date, int, int] | None:
    """ "Ngày 18/7/2025, UBND xã có văn bản số ...": a date opening the sentence."""
    dates = list(find_dates(text.match, lo, mention.start))
    if not dates:
        return None
    d = dates[-1]
    if not _DATE_BEFORE_TAIL.fullmatch(text.match, d.end, mention.start):
        return None
    head_lo = max(_line_start(text, d.start), d.start - 20)
    if not _OPENS_SENTENCE.search(text.match, head_lo, d.start):
        return None
    if not text.match.startswith("ngày", d.start) and not text.match[
        head_lo : d.start
    ].rstrip().endswith("ngày"):
        return None
    return d.value, d.start, d.end


def _issuer_before(text: Text, mention: Mention, lo: int) -> str | None:
    """ "UBND xã xây dựng, ban hành Kế hoạch số ...": the body that issued it, before the kind."""
    rules = code_rules()
    found = None
    for m in rules.issuer_start_re.finditer(text.match, lo, mention.start):
        iss = _issuer_at(text, m.start(), mention.start)
        if iss and rules.issuer_tail_re.fullmatch(text.match, iss[1], mention.start):
            found = iss[0]
    return found


def _attach_before(text: Text, mention: Mention, prev_end: int) -> None:
    if mention.start == mention.num_start:
        return  # no kind word: a bare symbol in a list borrows nothing from before it
    lo = max(prev_end, _line_start(text, mention.start), mention.start - _BEFORE_WINDOW)
    if mention.date is None and (d := _date_before(text, mention, lo)):
        mention.date, mention.date_span = d[0], (d[1], d[2])
    if mention.issuer is None:
        mention.issuer = _issuer_before(text, mention, lo)


# --------------------------------------------------------------------------- resolve


@dataclass(slots=True)
class _Entry:
    """Mentions resolved to one document (one Citation)."""

    first: Mention
    mentions: list[Mention]
    date: dt.date | None
    date_span: tuple[int, int] | None
    issuer: str | None
    subject: str | None
    article: str | None
    problems: list[str]

    def accepts(self, m: Mention) -> bool:
        same_date = self.date is None or m.date is None or self.date == m.date
        return same_date and issuers_compatible(self.issuer, m.issuer)

    def add(self, m: Mention) -> None:
        self.mentions.append(m)
        if self.date is None and m.date is not None:
            self.date, self.date_span = m.date, m.date_span
        if m.issuer and (self.issuer is None or len(m.issuer) > len(self.issuer)):
            self.issuer = m.issuer  # keep the fullest spelling ("UBND huyện Thanh Hà")
        self.subject = self.subject or m.subject
        self.article = self.article or m.article
        self.problems.extend(p for p in m.problems if p not in self.problems)


def _new_entry(m: Mention) -> _Entry:
    return _Entry(m, [m], m.date, m.date_span, m.issuer, m.subject, m.article, list(m.problems))


def _resolve(mentions: list[Mention]) -> list[_Entry]:
    groups: dict[str, list[_Entry]] = {}
    entries: list[_Entry] = []
    for m in mentions:
        group = groups.setdefault(symbol_key(m.symbol), [])
        entry = next((e for e in group if e.accepts(m)), None)
        if entry is None:
            entry = _new_entry(m)
            group.append(entry)
            entries.append(entry)
        else:
            entry.add(m)
    return entries


def _to_citation(text: Text, e: _Entry) -> Citation:
    m = e.first
    evidences: list[Evidence] = [text.evidence(x.start, x.span_end) for x in e.mentions]
    return Citation(
        kind=m.kind,
        number=m.number,
        year=m.year,
        code=m.code,
        symbol=m.symbol,
        date=e.date,
        issuer=e.issuer,
        subject=e.subject,
        article=e.article,
        raw=m.raw,
        problems=e.problems,
        evidence=evidences[0],
        date_evidence=text.evidence(*e.date_span) if e.date_span else None,
        mentions=evidences,
    )


def find_mentions(text: Text) -> list[Mention]:
    """Every citation mention in the text, in order, with its attributes attached."""
    mentions = _find_mentions(text)
    for i, m in enumerate(mentions):
        _attach_after(text, m, mentions[i + 1] if i + 1 < len(mentions) else None)
    prev_end = 0
    for m in mentions:
        _attach_before(text, m, prev_end)
        prev_end = m.after_end
    return mentions


def find_citations(text: Text, mentions: list[Mention] | None = None) -> list[Citation]:
    """The legal citations of a report: one entry per document, with every mention's evidence.

    The same symbol written with a different date or issuer stays a separate entry, so that
    `tthc.check.citation_checks` can report the conflict. Pass `mentions` when already found.
    """
    if mentions is None:
        mentions = find_mentions(text)
    return [_to_citation(text, e) for e in _resolve(mentions)]


@Language.component(
    "tthc_citations",
    requires=["doc._.text", "doc._.claimed"],
    assigns=["doc._.mentions", "doc._.citations", "doc._.claimed"],
)
def citation_reader(doc: Doc) -> Doc:
    """Every mention of a document and the citations they make; claims each mention with
    its number, date and issuer."""
    text = doc._.text
    doc._.mentions = find_mentions(text)
    doc._.citations = find_citations(text, doc._.mentions)
    doc._.claimed.extend((c.start, c.span_end or c.end) for c in doc._.mentions)
    return doc
