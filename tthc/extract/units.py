"""Who wrote the report, and the report's own number, date and signer.

The unit is found by vote, because an extraction may have lost the letterhead:
- the level is the one the text refers to itself by without a name ("UBND xã đã tiếp
  nhận …", "UBND huyện đề nghị …"), helped by the letterhead and signature block;
- the name is the one most often written after that level ("xã Ngọc Kỳ"), with the
  letterhead and the closing sentence ("Trên đây là báo cáo của UBND xã …") counting more;
- the district and province are the names most often written after "huyện" and "tỉnh".
The signer is the personal name closing the signature block, under its title.
"""

from __future__ import annotations

from collections import Counter

import regex
from spacy.language import Language
from spacy.tokens import Doc

from tthc.extract.dates import find_dates
from tthc.extract.lexicon import norm_level, unit_patterns
from tthc.schemas import ReportMeta, Text, Unit

CENTRAL_CITIES = {"Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế"}

KINDS = {
    "báo cáo": "báo cáo",
    "thông báo": "thông báo",
    "phụ lục": "phụ lục",
    "kế hoạch": "kế hoạch",
    "tờ trình": "tờ trình",
    "kết luận": "kết luận",
    "biểu": "biểu mẫu",
    "quyết định": "quyết định",
}
_KIND_LINE = regex.compile(
    r"^\s*(?P<kind>báo\s+cáo|thông\s+báo|phụ\s+lục|kế\s+hoạch|tờ\s+trình|kết\s+luận|biểu)\b",
    regex.I,
)
# "Số: 38/BC-UBND" at a line's start, or inside a letterhead cell ("UBND XÃ Y Số: 38/…").
_NUMBER = regex.compile(
    r"(?m)(?:^|\t|\s)Số\s*:?\s*(?P<n>\d+[a-z]?/(?:\d{4}/)?[\p{Lu}Đ][\p{L}Đ]*(?:-[\p{L}Đ]+)+)"
)
_ATTACHED = regex.compile(
    r"(?i:kèm\s+theo\s+(?:báo\s+cáo|kế\s+hoạch|công\s+văn|tờ\s+trình|thông\s+báo))\s+(?i:số)\s*(?P<n>\S*)"
)
# The distribution list closing an official document ("Nơi nhận:").
_RECIPIENTS = regex.compile(r"(?im)^\s*nơi\s+nhận\s*:")
_PLACE_DATE = regex.compile(
    r"[\p{Lu}][\p{L} .]{1,40},\s*(?i:ngày)\s+\d{1,2}\s+(?i:tháng)\s+\d{1,2}\s+(?i:năm)\s+\d{4}"
)
_TITLES = (
    "PHÓ CHỦ TỊCH",
    "CHỦ TỊCH",
    "TRƯỞNG ĐOÀN",
    "TRƯỞNG BAN",
    "CHÁNH VĂN PHÒNG",
    "PHÓ CHÁNH VĂN PHÒNG",
    "GIÁM ĐỐC",
    "PHÓ GIÁM ĐỐC",
    "TRƯỞNG PHÒNG",
    "PHÓ TRƯỞNG PHÒNG",
)
_PERSON = regex.compile(r"^(?:\p{Lu}\p{Ll}*)(?: \p{Lu}\p{Ll}*){1,4}$")


# Words of the national motto that a flattened letterhead puts right after the unit's name.
_MOTTO = regex.compile(r"\s+(?:CỘNG|Cộng)\s+(?:HÒA|HOÀ|Hòa|Hoà)\b.*$")


def _norm_name(s: str) -> str:
    s = _MOTTO.sub("", regex.sub(r"\s+", " ", s.strip()))
    return s.title() if s.isupper() else s


def find_unit(text: Text) -> Unit:
    """The unit that wrote the report, by the vote described above."""
    pats = unit_patterns()
    t = text.text
    head_end = text.lines[min(len(text.lines) - 1, 12)].end if text.lines else 0
    levels: Counter[str] = Counter(norm_level(m["level"]) for m in pats.self_ref.finditer(t))
    signs = list(pats.sign_block.finditer(t))
    for m in signs:
        if m["level"]:
            levels[norm_level(m["level"])] += 3
    report_like = (
        bool(signs)
        or bool(pats.named_caps.search(t))
        or bool(pats.closing.search(t))
        or bool(_NUMBER.search(t[:800]))
        or bool(_RECIPIENTS.search(t))
    )
    names: dict[str, Counter[str]] = {}
    where: dict[tuple[str, str], int] = {}
    addressed = _addressed(text)
    for pattern, weight_head in ((pats.named, 4), (pats.named_caps, 6)):
        for m in pattern.finditer(t):
            if any(s <= m.start() < e for s, e in addressed):
                continue  # "Kính gửi: UBND huyện …", "Nơi nhận: …": who it is sent to
            level, name = pats.level_of(m), _norm_name(m["name"])
            if name[0].isdigit() and level not in ("phường", "quận"):
                continue  # "chờ huyện 7." is a list number, not "Quận 7"
            weight = weight_head if m.start() < head_end else 1
            names.setdefault(level, Counter())[name] += weight
            where.setdefault((level, name), m.start())
    for m in pats.closing.finditer(t):
        level, name = norm_level(m["level"]), _norm_name(m["name"])
        names.setdefault(level, Counter())[name] += 5
        levels[level] += 3
        where.setdefault((level, name), m.start())
    unit = Unit()
    level = _pick_level(levels, names, report_like)
    issuer = _letterhead_issuer(text)
    if issuer is not None:  # line 1 is the parent body, the last unit named is the issuer
        level, name, at = issuer
        names.setdefault(level, Counter())[name] += 100
        where[(level, name)] = at
    if level is None:
        return unit
    unit.level = level
    title = pats.title_name.match(t)
    if title and not names.get(level):
        name = title["name"]
        names.setdefault(level, Counter())[name] += 4
        where.setdefault((level, name), title.start("name"))
    if names.get(level):
        unit.name = names[level].most_common(1)[0][0]
        unit.evidence["name"] = _evidence_of(text, where[(level, unit.name)], level, unit.name)
    lower = ("xã", "phường", "thị trấn")
    if level in lower:
        unit.district, ev = _most_named(names, where, text, ("huyện", "quận", "thị xã"))
        if ev:
            unit.evidence["district"] = ev
    if level != "tỉnh":
        unit.province, ev = _most_named(names, where, text, ("tỉnh",))
        if unit.province is None:
            cities = Counter(
                {n: c for n, c in names.get("thành phố", Counter()).items() if n in CENTRAL_CITIES}
            )
            if cities:
                unit.province = cities.most_common(1)[0][0]
        if ev:
            unit.evidence["province"] = ev
    return unit


# What names the recipients, not the writer: "Kính gửi: …" (its line) and "Nơi nhận: …".
_TO = regex.compile(r"(?im)^[ \t]*(?:kính\s+gửi|kg)\s*:[^\n]*")
_SENT_TO = regex.compile(
    r"(?<![\p{L}])(?i:gửi)\s+(?:(?i:đến|tới|lên)\s+)?(?i:ubnd|ủy\s+ban\s+nhân\s+dân|uỷ\s+ban"
    r"\s+nhân\s+dân|văn\s+phòng|sở)[^,.;:()\n]{0,60}"
)
_BYLINE = regex.compile(
    r"(?i)(?<![\p{L}])(?:nguồn|tác\s+giả|người\s+đăng|đơn\s+vị\s+đăng)\s*:[^\n|]*"
)
_HEADER_LINE = regex.compile(r"\s*[^\p{Ll}\n]{2,60}\s*")  # upper case, short: a letterhead's line
_REPUBLISHED_WITHIN = 40  # lines: a news item's lead before the report it reproduces
_MOTTO_LINE = regex.compile(r"(?i:cộng\s+hòa|cộng\s+hoà|độc\s+lập\s*-)")


def _addressed(text: Text) -> list[tuple[int, int]]:
    """The stretches naming who a report is sent to."""
    t = text.text
    spans = [(m.start(), m.end()) for m in _TO.finditer(t)]
    # "… của UBND xã Cẩm Xuân gửi UBND huyện Tây Phú": who it went to; "Nguồn: Bộ phận Một
    # cửa huyện …": who published the news item; neither wrote the report
    spans += [(m.start(), m.end()) for m in _SENT_TO.finditer(t)]
    spans += [(m.start(), m.end()) for m in _BYLINE.finditer(t)]
    for line in text.lines:
        cells = line.cells or [(line.start, line.end)]
        for s, e in cells:
            m = _RECIPIENTS.match(t, s, e) or regex.match(r"\s*(?i:nơi\s+nhận)\s*:", t[s:e])
            if m is not None:
                spans.append((s, e if line.cells else len(t)))
    return spans


def _letterhead(text: Text) -> list[tuple[int, int]]:
    """The letterhead's left column: the first cells of the first rows of a header table
    (up to the report's number), or the lines (and the left part of lines) before the
    national motto."""
    t = text.text
    lines = [ln for ln in text.lines[:8] if t[ln.start : ln.end].strip()]
    if lines and lines[0].cells:
        cells = []
        for line in lines:
            if not line.cells or line.table != lines[0].table:
                break
            s, e = line.cells[0]
            if regex.match(r"\s*(?i:số)\s*:", t[s:e]):
                break
            cells.append((s, e))
        return cells
    # the motto's lines, within the first lines or, for a report republished under a news
    # item's lead, further down; the letterhead starts there or in the upper-case lines
    # right above them ("UBND HUYỆN X" / "UBND XÃ Y" typed over a one-column motto)
    lines = [ln for ln in text.lines[:_REPUBLISHED_WITHIN] if t[ln.start : ln.end].strip()]
    mottos = [k for k, ln in enumerate(lines) if _MOTTO_LINE.search(t, ln.start, ln.end)][:2]
    if not mottos:
        return []  # no letterhead to read: the vote decides
    first = mottos[0]
    while first > 0 and _HEADER_LINE.fullmatch(t[lines[first - 1].start : lines[first - 1].end]):
        first -= 1
    last = mottos[-1]
    for k in range(last + 1, min(last + 3, len(lines))):
        words = t[lines[k].start : lines[k].end].strip()
        if not words or not words.isupper() or regex.match(r"(?i:số)\s*:", words):
            break
        last = k  # "TRUNG TÂM …" / "HUYỆN THUẬN TÂN": the issuer's name wraps under the motto
    spans = []
    for line in lines[first : last + 1]:
        words = t[line.start : line.end]
        motto = _MOTTO_LINE.search(words)
        end = line.start + (motto.start() if motto else len(words))
        left = regex.match(r".*?(?=\s{2,}|\t|$)", words)
        if left is not None:
            end = min(end, line.start + max(left.end(), 1))
        spans.append((line.start, end))
    return spans


def _letterhead_issuer(text: Text) -> tuple[str, str, int] | None:
    """(level, name, where) of the unit the letterhead names last: "UBND HUYỆN X / UBND XÃ
    Y" is issued by xã Y, its parent body above it."""
    pats = unit_patterns()
    last = None
    for span in _letterhead(text):
        found = [
            m
            for pattern in (pats.named_caps, pats.named, pats.level_caps)
            for m in pattern.finditer(text.text, *span)
            if not m["name"][0].isdigit() or pats.level_of(m) in ("phường", "quận")
        ]
        if found:
            last = max(found, key=lambda m: (m.end(), m.end() - m.start()))
    if last is None:
        return None
    return pats.level_of(last), _norm_name(last["name"]), last.start()


def _pick_level(
    levels: Counter[str], names: dict[str, Counter[str]], report_like: bool
) -> str | None:
    """The level the text speaks as. A report (letterhead, signature block) names itself
    ("UBND xã đã …"): that decides, as does the first level it names when it never does. A
    news item rarely names itself; there the names it gives a level count too, half as much
    ("phường Phú An" said many times where "UBND thành phố" appears once)."""
    if report_like:
        if levels:
            return levels.most_common(1)[0][0]
        order = ("xã", "phường", "thị trấn", "huyện", "quận", "thị xã", "thành phố", "tỉnh")
        return next((level for level in order if names.get(level)), None)
    votes: Counter[str] = Counter()
    for level, count in levels.items():
        votes[level] += count
    for level, counter in names.items():
        votes[level] += 0.5 * sum(counter.values())
    if not votes:
        return None
    best = max(votes.values())
    return next(level for level in (*levels, *names) if votes[level] == best)


def _most_named(names, where, text: Text, levels: tuple[str, ...]):
    best = Counter()
    for level in levels:
        for name, count in names.get(level, Counter()).items():
            best[(level, name)] += count
    if not best:
        return None, None
    (level, name), _ = best.most_common(1)[0]
    return name, _evidence_of(text, where[(level, name)], level, name)


def _evidence_of(text: Text, start: int, level: str, name: str):
    end = text.match.find(name.lower(), start)
    end = end + len(name) if 0 <= end < start + 80 else start + len(level) + len(name) + 1
    return text.evidence(start, end)


# ---------------------------------------------------------------- report metadata
def find_report_meta(text: Text) -> ReportMeta:
    """Kind, number and date from the letterhead/title; signer from the signature block."""
    meta = ReportMeta()
    head = text.lines[:15]
    for ln in head:
        line = text.text[ln.start : ln.end]
        m = _KIND_LINE.match(line)
        if m and (line.isupper() or len(line) < 40 or m["kind"].lower() == "phụ lục"):
            meta.kind = KINDS[regex.sub(r"\s+", " ", m["kind"].lower())]
            meta.evidence["kind"] = text.evidence(
                ln.start + m.start("kind"), ln.start + m.end("kind")
            )
            title = _title_after(text, head, ln)
            if title:
                meta.title = title
            break
    _number_and_date(text, meta, head)
    _signer(text, meta)
    return meta


def _title_after(text: Text, head, kind_line) -> str | None:
    idx = head.index(kind_line)
    if idx + 1 < len(head):
        nxt = head[idx + 1]
        s = text.text[nxt.start : nxt.end].strip()
        if s and not s.isupper():
            return s
    return None


def _number_and_date(text: Text, meta: ReportMeta, head) -> None:
    if not head:
        return
    head_start, head_end = head[0].start, head[-1].end
    window = text.text[head_start:head_end]
    title = meta.evidence.get("kind")
    letterhead = text.text[head_start : title.start] if title else window[:600]
    m = _NUMBER.search(letterhead)
    if m:
        meta.number = regex.sub(r"\s+", "", m["n"])
        meta.evidence["number"] = text.evidence(head_start + m.start(), head_start + m.end())
    m = _PLACE_DATE.search(window)
    if m:
        d = next(find_dates(text.match, head_start + m.start(), head_start + m.end() + 1), None)
        if d:
            meta.date = d.value
            meta.evidence["date"] = text.evidence(head_start + m.start(), d.end)
            return
    m = _ATTACHED.search(window)
    if m:
        number = m["n"].rstrip(",;")
        if regex.match(r"\d", number):
            meta.number = number
        line_end = text.text.find("\n", head_start + m.end())
        d = next(
            find_dates(text.match, head_start + m.end(), line_end if line_end > 0 else None), None
        )
        if d:
            meta.date = d.value
            meta.evidence["date"] = text.evidence(head_start + m.start(), d.end)


_TITLE_THEN_NAME = regex.compile(
    r"(?P<title>"
    + "|".join(regex.escape(t) for t in _TITLES)
    + r")\s+(?P<name>\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}*){1,4})\s*$"
)


def _signer(text: Text, meta: ReportMeta) -> None:
    """The last personal name in the closing lines, and the title written above it; in a
    signature table whose cell reads "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH Lê Văn Hùng", the name
    after the title."""
    for line in reversed(text.lines[-14:]):
        for s, e in reversed(line.cells or []):
            m = _TITLE_THEN_NAME.search(text.text, s, e)
            if m is not None:
                meta.signer = " ".join(m["name"].split())
                meta.evidence["signer"] = text.evidence(m.start("name"), m.end("name"))
                meta.signer_title = m["title"].capitalize().replace("chủ tịch", "Chủ tịch")
                meta.evidence["signer_title"] = text.evidence(m.start("title"), m.end("title"))
                return
    tail = text.lines[-14:]
    segments: list[tuple[int, int, str]] = []
    for ln in tail:
        pos = ln.start
        for part in text.text[ln.start : ln.end].split("\t"):
            stripped = part.strip()
            if stripped:
                start = text.text.find(stripped, pos)
                segments.append((start, start + len(stripped), stripped))
            pos += len(part) + 1
    title_seen = None
    for start, end, s in segments:
        upper = s.upper()
        for title in _TITLES:
            if upper == title or upper.endswith(" " + title) or upper == f"KT. {title}":
                title_seen = (start, end, title)
                break
        if title_seen and _PERSON.match(s) and not s.isupper() and start > title_seen[0]:
            meta.signer = s
            meta.evidence["signer"] = text.evidence(start, end)
            meta.signer_title = title_seen[2].capitalize().replace("chủ tịch", "Chủ tịch")
            meta.evidence["signer_title"] = text.evidence(title_seen[0], title_seen[1])


@Language.component(
    "tthc_units",
    requires=["doc._.text", "doc._.citations"],
    assigns=["doc._.unit", "doc._.meta"],
)
def unit_reader(doc: Doc) -> Doc:
    """The reporting unit, and the report's own number, date and place."""
    doc._.unit = find_unit(doc._.text)
    doc._.meta = find_report_meta(doc._.text)
    if (
        doc._.meta.number is None and doc._.meta.kind != "báo cáo" and not _letterhead(doc._.text)
    ):  # a news item, or a notice re-published with no letterhead ("THÔNG BÁO … Căn cứ Báo
        # cáo số 235/BC-UBND … của UBND phường …"): the unit's own report it is about
        _number_of_own_report(doc._.text, doc._.meta, doc._.unit, doc._.citations)
    return doc


def _number_of_own_report(text: Text, meta: ReportMeta, unit: Unit, citations: list) -> None:
    """A news item (no letterhead, no kind line) about a report: "… được nêu tại Báo cáo số
    34/BC-UBND của UBND phường" names the report it is about, issued by the unit itself (its
    level alone, or its name) or by no one named ("… đã có Báo cáo số 24/BC-UBND gửi …")."""
    for c in citations:
        if not (c.code or "").upper().startswith("BC"):
            continue
        issuer = norm_level(c.issuer or "")
        own = not issuer or (
            unit.level
            and (
                issuer.endswith(norm_level(unit.level))
                or (unit.name and norm_level(unit.name) in issuer)
            )
        )
        if own:
            meta.number = c.symbol
            meta.evidence["number"] = c.evidence
            return
