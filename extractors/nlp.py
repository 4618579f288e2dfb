"""The spaCy pipeline: tokens, sentences and label matches with character offsets.

`spacy.blank("vi")` wants pyvi (236 MB, 10× slower) unless told `use_pyvi: false`, and then
splits on whitespace only: "hồ sơ;" stays one token and the sentencizer finds nothing. So the
tokenizer is rebuilt from spaCy's multilingual punctuation rules, with a token_match that
keeps symbols and dates whole ("61/2018/NĐ-CP", "23/4/2018", "1.164/1.639").

The pipeline runs on `Text.match` (lower case, one tone-mark style), so every pattern in
rules/labels.toml is written once for every spelling. Components:
- `tthc_line_breaks`: a new line (paragraph or table row) always starts a sentence;
- `tthc_labels`: Matcher over the figure labels → doc.spans["labels"];
- `tthc_measures`: Matcher over what percentages measure → doc.spans["measures"].
Each span's label_ is "<kind>:<name>" (e.g. "group:received", "qualifier:online").
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import regex
import spacy
from spacy.lang.punctuation import TOKENIZER_INFIXES, TOKENIZER_PREFIXES, TOKENIZER_SUFFIXES
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, filter_spans

from extractors.normalize import match_form

RULES = Path(__file__).parent / "rules"

# Kept whole by the tokenizer: numbers with inner separators, symbols with slashes.
_TOKEN_MATCH = regex.compile(
    r"^(?:\d+(?:[./,\-]\d+)+"  # 2.416 23/4/2018 1.164/1.639 15/12/2022-20/7/2023
    r"|[\p{L}\d]*\d[\p{L}\d]*(?:/[\p{L}\d.&]+)+(?:-[\p{L}\d&]+)*)$"  # 61/2018/nđ-cp 24/kh-ubnd
)


@dataclass(frozen=True, slots=True)
class Label:
    """One entry of rules/labels.toml."""

    kind: str  # group | qualifier | measure | scope | noise
    name: str
    field: str | None = None  # for groups
    fields: tuple[tuple[str, str], ...] = ()  # for qualifiers: (group, field)
    group: str | None = None  # the group a qualifier implies when none is open
    opens: bool = False  # the phrase names its group too ("số hóa kết quả"): open it

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.name}"

    def field_in(self, group: str | None) -> str | None:
        """The field this label names when `group` is the open group."""
        if self.kind == "group":
            return self.field
        mapping = dict(self.fields)
        if self.opens or group not in mapping:
            group = self.group  # the phrase names its own group, or the open one has no such part
        return mapping.get(group) if group else None


@cache
def labels() -> dict[str, Label]:
    """Labels by key, from rules/labels.toml."""
    data = tomllib.loads((RULES / "labels.toml").read_text(encoding="utf-8"))
    out = {}
    for entry in data["label"]:
        label = Label(
            kind=entry["kind"],
            name=entry["name"],
            field=entry.get("field"),
            fields=tuple(entry.get("fields", {}).items()),
            group=entry.get("group"),
            opens=entry.get("opens", False),
        )
        out[label.key] = label
    return out


@cache
def vocabulary() -> dict:
    return tomllib.loads((RULES / "vocabulary.toml").read_text(encoding="utf-8"))


def _token_pattern(spec: str, tokenizer: Tokenizer) -> list[dict]:
    """Compile one pattern of the mini-syntax ("kỳ trước chuyển sang|qua") to Matcher form."""
    pattern = []
    for part in spec.split():
        optional = part.endswith("?") and len(part) > 1
        alts = (
            [match_form(a) for a in part.rstrip("?").split("|")]
            if optional
            else [match_form(a) for a in part.split("|")]
        )
        for alt in alts:
            if len(tokenizer(alt)) != 1:
                raise ValueError(f"pattern token {alt!r} in {spec!r} is not one token")
        token: dict = {"LOWER": {"IN": alts}} if len(alts) > 1 else {"LOWER": alts[0]}
        if optional:
            token["OP"] = "?"
        pattern.append(token)
    return pattern


def _build_matcher(nlp: Language, kinds: set[str]) -> Matcher:
    data = tomllib.loads((RULES / "labels.toml").read_text(encoding="utf-8"))
    matcher = Matcher(nlp.vocab, validate=True)
    for entry in data["label"]:
        if entry["kind"] not in kinds:
            continue
        key = f"{entry['kind']}:{entry['name']}"
        patterns = [_token_pattern(p, nlp.tokenizer) for p in entry["patterns"]]
        matcher.add(key, patterns, greedy="LONGEST")
    return matcher


@Language.component("tthc_line_breaks")
def _line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: paragraphs and table rows never share one."""
    for i, token in enumerate(doc[:-1]):
        if "\n" in token.text or token.whitespace_.endswith("\n"):
            doc[i + 1].is_sent_start = True
    return doc


def _matcher_component(name: str, kinds: set[str], span_key: str) -> None:
    """Register a component that stores the longest non-overlapping matches of `kinds`."""

    @Language.factory(name)
    def factory(nlp: Language, name: str):
        matcher = _build_matcher(nlp, kinds)

        def component(doc: Doc) -> Doc:
            spans = [Span(doc, s, e, label=match_id) for match_id, s, e in matcher(doc)]
            doc.spans[span_key] = filter_spans(spans)
            return doc

        return component


_matcher_component("tthc_labels", {"group", "qualifier", "scope", "noise"}, "labels")
_matcher_component("tthc_measures", {"measure", "noise"}, "measures")


@cache
def pipeline() -> Language:
    """The shared pipeline, built once per process."""
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.tokenizer = Tokenizer(
        nlp.vocab,
        prefix_search=compile_prefix_regex(TOKENIZER_PREFIXES).search,
        suffix_search=compile_suffix_regex(TOKENIZER_SUFFIXES).search,
        infix_finditer=compile_infix_regex(TOKENIZER_INFIXES).finditer,
        token_match=_TOKEN_MATCH.match,
    )
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("tthc_line_breaks")
    nlp.add_pipe("tthc_labels")
    nlp.add_pipe("tthc_measures")
    return nlp


def analyse(match_text: str) -> Doc:
    """Run the pipeline over the matching view of a normalized text."""
    return pipeline()(match_text)
