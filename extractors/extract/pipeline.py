"""The spaCy pipeline: tokens, sentences and label matches with character offsets.

`spacy.blank("vi")` wants pyvi (236 MB, 10× slower) unless told `use_pyvi: false`, and then
splits on whitespace only: "hồ sơ;" stays one token and the sentencizer finds nothing. So the
tokenizer is rebuilt from spaCy's multilingual punctuation rules, with a token_match that
keeps symbols and dates whole ("61/2018/NĐ-CP", "23/4/2018", "1.164/1.639").

The pipeline runs on `Text.match` (lower case, one tone-mark style), so every pattern in
rules/labels.toml is written once for every spelling. Components:
- `tthc_line_breaks`: a new line (paragraph or table row) always starts a sentence;
- `tthc_labels`: Matcher over the figure labels → doc.spans["labels"];
- `tthc_measures`: Matcher over what percentages measure (rules/measures.toml) →
  doc.spans["measures"].
Both rules files are validated when loaded (an unknown kind, group, field or measure is a
RulesError naming the file and the entry).
Each span's label_ is "<kind>:<name>" (e.g. "group:received", "qualifier:online").
"""

from __future__ import annotations

from functools import cache

import regex
import spacy
from spacy.lang.punctuation import TOKENIZER_INFIXES, TOKENIZER_PREFIXES, TOKENIZER_SUFFIXES
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, filter_spans

from rules.labels import (  # noqa: F401  (re-exported: the readers take their labels here)
    WHOLES,
    Label,
    LabelsFile,
    MeasuresFile,
    label_rules,
    labels,
    measure_roles,
    measure_rules,
    vocabulary,
)
from rules.phrasing import RulesError
from textkit.forms import match_form

# Kept whole by the tokenizer: numbers with inner separators, symbols with slashes.
_TOKEN_MATCH = regex.compile(
    r"^(?:\d+(?:[./,\-]\d+)+"  # 2.416 23/4/2018 1.164/1.639 15/12/2022-20/7/2023
    r"|[\p{L}\d]*\d[\p{L}\d]*(?:/[\p{L}\d.&]+)+(?:-[\p{L}\d&]+)*)$"  # 61/2018/nđ-cp 24/kh-ubnd
)


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
                raise RulesError(f"pattern token {alt!r} in {spec!r} is not one token")
        token: dict = {"LOWER": {"IN": alts}} if len(alts) > 1 else {"LOWER": alts[0]}
        if optional:
            token["OP"] = "?"
        pattern.append(token)
    return pattern


def _entries(kinds: set[str]) -> list[tuple[str, list[str]]]:
    """(label key, patterns) of every rule of the given kinds."""
    out = [(f"{e.kind}:{e.name}", e.patterns) for e in label_rules().label if e.kind in kinds]
    if "measure" in kinds:
        out += [(f"measure:{e.key}", e.patterns) for e in measure_rules().measure]
        out.append(("measure_noise:noise", measure_rules().noise.patterns))
    return [(k, p) for k, p in out if p]


def _build_matcher(nlp: Language, kinds: set[str]) -> Matcher:
    matcher = Matcher(nlp.vocab, validate=True)
    for key, specs in _entries(kinds):
        patterns = [_token_pattern(p, nlp.tokenizer) for p in specs]
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


_matcher_component("tthc_labels", {"group", "qualifier", "joint", "scope", "noise"}, "labels")
_matcher_component("tthc_measures", {"measure"}, "measures")


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
