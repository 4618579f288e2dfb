"""Vietnamese phrasing kept as data: the words around numbers, checked when loaded.

The readers (figures, rates, periods, units) hold the *shape* of what they look for; the
words that fill those shapes live in `tthc/rules/*.toml`, so a new way of writing is a
line of data. Every file is validated against a schema when it is loaded: an unknown name,
a missing list or a value of the wrong kind is a `RulesError` that names the file, the entry
and (as far as it can be found) the line, instead of a crash somewhere later.

Phrases are written in lower case, words separated by single spaces; `alternation()` turns
a list of them into one regular expression for the matching view of the text (one tone-mark
style, any run of blanks between words), longest phrase first.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import regex
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tthc.textkit.forms import match_form

RULES = Path(__file__).resolve().parent

Model = TypeVar("Model", bound=BaseModel)


class RulesError(ValueError):
    """A rules file that does not follow its schema (a developer's mistake, not a user's)."""


class Strict(BaseModel):
    """A rules section: unknown names are errors, values are read-only."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _clean_phrases(values: list[str]) -> list[str]:
    out = []
    for v in values:
        if not isinstance(v, str) or not v.strip():
            raise ValueError("a phrase must be a non-empty string")
        out.append(" ".join(v.split()))
    return out


class PhraseList(Strict):
    """Marker base for sections made only of phrase lists."""

    @field_validator("*", mode="after")
    @classmethod
    def _phrases(cls, value: Any) -> Any:
        if isinstance(value, list):
            return _clean_phrases(value)
        return value


# ---------------------------------------------------------------- loading
def line_of(source: str, loc: tuple[Any, ...]) -> int | None:
    """Best effort: the line of the entry an error location points at ("label", 12, "kind")."""
    lines = source.splitlines()
    pos, table = 0, None
    for part in loc:
        if isinstance(part, int) and table is not None:
            seen = -1
            entry = regex.compile(rf"^\s*\[\[(?:[\w.\"]+\.)?{regex.escape(table)}\]\]")
            for i in range(pos, len(lines)):
                if entry.match(lines[i]):
                    seen += 1
                    if seen == part:
                        pos = i
                        break
            continue
        if not isinstance(part, str):
            continue
        name = regex.escape(part)
        pattern = regex.compile(
            rf"^\s*(?:\[\[?(?:[\w.\"]+\.)?\"?{name}\"?(?:\.[\w.\"]+)?\]\]?|\"?{name}\"?\s*=)"
        )
        for i in range(pos, len(lines)):
            if pattern.match(lines[i]):
                pos = i
                break
        table = part
    return pos + 1 if loc else None


def _entry_name(data: dict, loc: tuple[Any, ...]) -> str | None:
    """The `name` or `key` of the [[table]] entry an error points into, to name it."""
    if len(loc) >= 2 and isinstance(loc[0], str) and isinstance(loc[1], int):
        entries = data.get(loc[0])
        if (
            isinstance(entries, list)
            and loc[1] < len(entries)
            and isinstance(entries[loc[1]], dict)
        ):
            value = entries[loc[1]].get("name") or entries[loc[1]].get("key")
            return str(value) if value else None
    return None


def load_rules(filename: str, model: type[Model], directory: Path = RULES) -> Model:
    """Read and validate one rules file; any problem is a RulesError naming file and entry."""
    return read_rules(filename, model, directory)[0]


def read_rules(
    filename: str, model: type[Model], directory: Path = RULES
) -> tuple[Model, dict[str, Any]]:
    """The validated rules and the file's data as written (for a stage that looks its words
    up by key); any problem is a RulesError naming the file, the entry and the line."""
    path = directory / filename
    try:
        source = path.read_text(encoding="utf-8")
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"{path.name}: not valid TOML: {exc}") from exc
    except OSError as exc:
        raise RulesError(f"{path.name}: cannot be read: {exc}") from exc
    try:
        return model.model_validate(data), data
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            entry = ".".join(str(p) for p in loc) or "(top)"
            named = _entry_name(data, loc)
            if named:
                entry += f" ({named})"
            line = line_of(source, loc)
            where = f" line {line}:" if line else ""
            problems.append(f"{path.name}:{where} entry {entry}: {err['msg']}")
        raise RulesError("\n".join(problems)) from exc


# ---------------------------------------------------------------- regex helpers
def phrase_pattern(phrase: str) -> str:
    """One phrase as a pattern on the matching view: words escaped, any blanks between."""
    words = match_form(phrase).split()
    return r"\s+".join(regex.escape(w) for w in words)


def alternation(phrases: list[str] | tuple[str, ...]) -> str:
    """ "(?:a|b c|…)" over the phrases, longest first so the longer reading wins."""
    ordered = sorted(dict.fromkeys(phrases), key=lambda p: (-len(p), p))
    return "(?:" + "|".join(phrase_pattern(p) for p in ordered) + ")"


# ---------------------------------------------------------------- connectives.toml
class FigureWords(PhraseList):
    """What figures.py reads around a number."""

    index_words: list[str]  # a number right after these is an index, not a count ("mức độ 3")
    numbered_names: list[str]  # "Phường 1", "Quầy số 5": an index right after, not after ":"
    right_barriers: list[str]  # stop the look to the right of a number for its label
    comma_pairs: list[str]  # nouns paired with a comma ("xã, thị trấn"): no clause ends there
    partial_list: list[str]  # a list that names only some items ("một số", "như:")
    remaining: list[str]  # "còn (lại) N hồ sơ đang giải quyết": N is the pending total
    list_intro: list[str]  # what opens an itemized list ("trong đó:", "gồm")
    label_to_number: list[str]  # may stand between a label and its line-ending number
    continuation_words: list[str]  # a unit-less number followed by these words may be a figure
    continuation_prefixes: list[str]  # … or by a word or phrase starting so ("trước hạn")
    total_words: list[str]  # "tổng số", "số lượng": the words that announce a total
    announced_end: list[str]  # "… đã giải quyết là:" a total announced, its number absent
    announced_list: list[str]  # "… đã giải quyết: Trong đó:" likewise
    field_words: list[str]  # "lĩnh vực": the word before a field's name
    clause_joiners: list[str]  # words that join clauses ("và"): a quote starts after them
    per_time: list[str]  # "trung bình mỗi ngày": the number after is an average, not a total
    change_words: list[str]  # "tăng 120 hồ sơ": the number is a change, never a total
    equivalent: list[str]  # "(tương đương 9.000 hồ sơ)" after a change
    procedures: list[str]  # "3 hồ sơ cấp sổ đỏ": a count of one procedure, not a total
    topic_openers: list[str]  # "Về hồ sơ trực tuyến, …": the sentence is about that part


class RateWords(PhraseList):
    """What percentages.py reads around a rate."""

    rate_words: list[str]  # "tỷ lệ", "tỉ lệ"
    links: list[str]  # count → rate: "đạt", "chiếm", "bằng", "là"
    change_up: list[str]  # "tăng", "cao hơn"
    change_down: list[str]  # "giảm", "thấp hơn"
    change_extra: list[str]  # "thêm"
    points: list[str]  # "điểm", "điểm phần trăm"
    compared: list[str]  # "so với", "với"
    same_period: list[str]  # "cùng kỳ"
    reference_units: list[str]  # "năm", "quý", "kỳ", "tháng"
    previous: list[str]  # "trước"
    not_item: list[str]  # words that make a phrase a sentence, not a list item's name
    total_of: list[str]  # "tổng số": a count the sentence gives as the whole
    ratio_nouns: list[str]  # what a bare ratio may count and still be a rate ("nhiệm vụ")


class NumberWords(Strict):
    """Approximate figures and multipliers."""

    approx_before: list[str]  # "hơn", "gần", "trên", "khoảng" …
    approx_after: list[str]  # "(số tròn)"
    multipliers: dict[str, int]  # "nghìn" = 1000 …
    at_least: list[str]  # the approximations that mean "more than"
    at_most: list[str]  # the approximations that mean "less than"

    @field_validator("approx_before", "approx_after", "at_least", "at_most")
    @classmethod
    def _phrases(cls, value: list[str]) -> list[str]:
        return _clean_phrases(value)

    @field_validator("multipliers")
    @classmethod
    def _positive(cls, value: dict[str, int]) -> dict[str, int]:
        if any(v <= 1 for v in value.values()):
            raise ValueError("a multiplier must be greater than 1")
        return value


class DateWords(PhraseList):
    """Dates and times that look like numbers."""

    before_day_month: list[str]  # "ngày", "sáng", "chiều": "Sáng 12/10" is a date
    weekdays: list[str]  # "thứ hai" … "chủ nhật"


class ScopeWords(PhraseList):
    """Figures that belong to another unit, a part of the unit, or a subset."""

    sub_unit_subjects: list[str]  # "cấp huyện", "sở", "cơ quan chuyên môn" as a subject
    sub_unit_markers: list[str]  # "do các sở, ngành tiếp nhận": anywhere in the sentence
    subset_openers: list[str]  # "riêng": the sentence is about a part
    subset_of: list[str]  # "trong tổng số X có N …": N said of X again is a part of X
    own_subjects: list[str]  # "toàn huyện", "tính chung": the whole unit again
    source_verbs: list[str]  # "cho biết": the subject is who reports, not a part
    continues_previous: list[str]  # "trong đó": the sentence goes on about the previous one
    receiving_systems: list[str]  # "212 hồ sơ … trên Hệ thống thông tin …": a system's share
    desk_of: list[str]  # "quầy của Bảo hiểm xã hội huyện": the desk names its agency's part
    placed_at: list[str]  # "… đặt tại Trung tâm": where the part sits, not its name


class UnitWords(PhraseList):
    """How a report names its own unit."""

    levels: list[str]  # "thị trấn", "xã", "huyện" …
    committee: list[str]  # "ủy ban nhân dân", "ubnd"
    closing: list[str]  # "trên đây là báo cáo", "trên đây là kết quả"
    abbreviations: dict[str, str] = Field(default_factory=dict)  # "tp" = "thành phố"

    @field_validator("abbreviations")
    @classmethod
    def _abbrev(cls, value: dict[str, str]) -> dict[str, str]:
        return {match_form(k): v for k, v in value.items()}


class QuantifierWords(PhraseList):
    """Figures stated for all or none of a group, with no number of their own."""

    all: list[str]  # "đều", "tất cả đều": the figure before is all of the part named after
    whole: list[str]  # "toàn bộ", "tất cả": before a count, it is the whole group
    none: list[str]  # "không có", "không để xảy ra": the part named after is 0
    fillers: list[str]  # what may stand between those and the figure word ("hồ sơ", "nào")
    zero: list[str]  # "không" written as a value ("Quá hạn: không")
    remainder: list[str]  # "số còn lại đều …": the rest of a whole, not all of it


class Connectives(Strict):
    figures: FigureWords
    quantifiers: QuantifierWords
    rates: RateWords
    numbers: NumberWords
    dates: DateWords
    scopes: ScopeWords
    units: UnitWords


@cache
def connectives() -> Connectives:
    return load_rules("connectives.toml", Connectives)


# ---------------------------------------------------------------- periods.toml
class PeriodWords(Strict):
    quarter: list[str]  # "quý"
    month: list[str]  # "tháng"
    year: list[str]  # "năm"
    day: list[str]  # "ngày"
    first: list[str]  # "đầu": "6 tháng đầu năm"
    last: list[str]  # "cuối"
    range_from: list[str]  # "từ", "tính từ"
    range_to: list[str]  # "đến", "đến hết", "tới"
    year_start: list[str]  # "từ đầu năm", "lũy kế": from the year's start to a day
    cumulative: list[str]  # "lũy kế 6 tháng": the report year's first months
    # "Lũy kế từ đầu năm, …", "từ đầu năm đến nay": from the year's start to the report's end
    year_to_date: list[str]
    until: list[str]  # "tính đến", "lũy kế đến": "tính đến cuối tháng 5" = first 5 months
    end_of: list[str]  # "cuối", "hết"
    report_period: list[str]  # "kỳ báo cáo"
    not_report_period: list[str]  # "trước": "kỳ báo cáo trước" is another period
    comparison: list[str]  # "so với", "cùng kỳ": a period named only to compare with
    same_period: list[str]  # "cùng kỳ": the report's period a year earlier
    previous_year: list[str]  # "(năm) trước", "(năm) ngoái"
    carried_after: list[str]  # "năm 2024 chuyển sang": the period dossiers came from
    carried_before: list[str]  # "chuyển sang Quý I năm 2025": the period they go to
    planned: list[str]  # "nhiệm vụ … quý IV": a period of tasks ahead, not of the figures
    ocr_i: list[str]  # what OCR reads for the "I" of a roman numeral ("l", "|")
    target: list[str]  # "chỉ tiêu … giao trong năm 2024": a target's period
    named_after: list[str]  # "Luật Đất đai năm 2024": a year in a name
    word_numbers: dict[str, int]  # "sáu" = 6

    @field_validator("*", mode="after")
    @classmethod
    def _phrases(cls, value: Any) -> Any:
        return _clean_phrases(value) if isinstance(value, list) else value


@cache
def period_words() -> PeriodWords:
    return load_rules("periods.toml", PeriodWords)
