"""The spaCy pipeline: tokens, sentences, label spans with character offsets, then the readers.

`spacy.blank("vi")` wants pyvi (236 MB, 10× slower) unless told `use_pyvi: false`, and then
splits on whitespace only: "hồ sơ;" stays one token and the sentencizer finds nothing. So the
tokenizer is rebuilt from spaCy's multilingual punctuation rules, with a token_match that
keeps symbols and dates whole ("61/2018/NĐ-CP", "23/4/2018", "1.164/1.639").

The pipeline runs on `Text.match` (lower case, one tone-mark style), so every pattern in
tthc/rules/labels.toml is written once for every spelling. Components:
- `tthc_line_breaks`: a new line (paragraph or table row) always starts a sentence;
- `tthc_labels`: spaCy's `span_ruler` over the figure labels → doc.spans["labels"];
- `tthc_measures`: `span_ruler` over what percentages measure (tthc/rules/measures.toml) →
  doc.spans["measures"];
  both keep the longest of overlapping matches (`spacy.first_longest_spans_filter.v1`);
- the readers (`READERS`, registered by their modules), which need the `Text` on the Doc:
  `read(text)` runs them all, `analyse(match_text)` stops before them.
Both rules files are validated when loaded (an unknown kind, group, field or measure is a
RulesError naming the file and the entry).
Each span's label_ is "<kind>:<name>" (e.g. "group:received", "qualifier:online").
"""

from __future__ import annotations

from functools import cache

import numpy
import regex
import spacy
from spacy.attrs import IDX, SENT_START
from spacy.lang.punctuation import TOKENIZER_INFIXES, TOKENIZER_PREFIXES, TOKENIZER_SUFFIXES
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

# The readers register their components when imported; the pipeline adds them by name.
from tthc.extract import activity_counts as activities  # noqa: F401
from tthc.extract import (  # noqa: F401
    citations,
    counts,
    dates,
    figures,
    periods,
    quantifiers,
    rate_links,
    rates,
    scopes,
    tables,
    units,
    unread,
)
from tthc.extract.readings import start_doc
from tthc.extract.settings import DEFAULT, ReaderSettings
from tthc.rules.labels import label_rules, measure_rules, vocabulary
from tthc.rules.phrasing import RulesError
from tthc.schemas import Text
from tthc.textkit.forms import match_form

# Kept whole by the tokenizer: numbers with inner separators, symbols with slashes.
_TOKEN_MATCH = regex.compile(
    r"^(?:\d+(?:[./,\-]\d+)+"  # 2.416 23/4/2018 1.164/1.639 15/12/2022-20/7/2023
    r"|[\p{L}\d]*\d[\p{L}\d]*(?:/[\p{L}\d.&]+)+(?:-[\p{L}\d&]+)*)$"  # 61/2018/nđ-cp 24/kh-ubnd
)


_NEW_LINE = regex.compile("\n")

# "<n>" in a pattern: a number or a period's numeral ("2024", "iii", "iv/2025", "4/2025").
NUMBER_TOKEN = r"^(?:\d+|[ivxl]{1,4})(?:[/.\-]\d+)*$"


def _token_pattern(spec: str, tokenizer: Tokenizer) -> list[dict]:
    """Compile one pattern of the mini-syntax ("kỳ trước chuyển sang|qua", "năm <n> chuyển
    sang") to Matcher form."""
    pattern = []
    for part in spec.split():
        optional = part.endswith("?") and len(part) > 1
        if part.rstrip("?") == "<n>":
            token: dict = {"LOWER": {"REGEX": NUMBER_TOKEN}}
            if optional:
                token["OP"] = "?"
            pattern.append(token)
            continue
        alts = (
            [match_form(a) for a in part.rstrip("?").split("|")]
            if optional
            else [match_form(a) for a in part.split("|")]
        )
        for alt in alts:
            if len(tokenizer(alt)) != 1:
                raise RulesError(f"pattern token {alt!r} in {spec!r} is not one token")
        token = {"LOWER": {"IN": alts}} if len(alts) > 1 else {"LOWER": alts[0]}
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


def abbreviated(spec: str) -> list[str]:
    """A pattern and its forms with the abbreviations clerks use ("đã giải quyết" → "đã gq",
    "qua dịch vụ công trực tuyến" → "qua dvc trực tuyến"; tthc/rules/vocabulary.toml)."""
    forms = [spec]
    for short, full in vocabulary().abbreviations.items():
        full_re = regex.compile(rf"(?<![\p{{L}}]){regex.escape(match_form(full))}(?![\p{{L}}])")
        forms += [full_re.sub(short, f) for f in forms if full_re.search(f)]
    return list(dict.fromkeys(forms))


def span_patterns(kinds: set[str], tokenizer: Tokenizer) -> list[dict]:
    """The SpanRuler patterns of every rule of the given kinds, labelled "<kind>:<name>",
    each also in its abbreviated forms. A pattern of fixed words only is given as the
    phrases it matches (`phrases`), which the ruler's PhraseMatcher finds in one pass over
    the text; only a pattern with a number ("<n>") stays a token pattern for the Matcher,
    which tries every pattern at every token. Both find the same (label, start, end)."""
    patterns = []
    for key, specs in _entries(kinds):
        for spec in specs:
            for form in abbreviated(match_form(spec)):
                pattern = _token_pattern(form, tokenizer)
                texts = phrases(pattern)
                if texts is None:
                    patterns.append({"label": key, "pattern": pattern})
                else:
                    patterns += [{"label": key, "pattern": text} for text in texts]
    return patterns


def phrases(pattern: list[dict]) -> list[str] | None:
    """Every word sequence a token pattern of fixed lower-case words matches (alternatives
    and optional words spelled out), or None when it has a token only a regex matches."""
    texts = [""]
    for token in pattern:
        value = token["LOWER"]
        if isinstance(value, dict) and "IN" not in value:
            return None
        words = value["IN"] if isinstance(value, dict) else [value]
        if any(w != w.lower() or not w or w.split() != [w] for w in words):
            return None
        options = words + ([""] if token.get("OP") == "?" else [])
        texts = [f"{t} {w}".strip() for t in texts for w in options]
    return [t for t in dict.fromkeys(texts) if t]


@Language.component("tthc_line_breaks", assigns=["token.is_sent_start"])
def _line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: paragraphs and table rows never share one. The token
    after each line break (in a token's text; a token's trailing whitespace is one space at
    most) starts a sentence; every start is written in one array call, since each
    `is_sent_start` assignment costs a pass over the document's tokens."""
    if len(doc) < 2:
        return doc
    breaks = [m.start() for m in _NEW_LINE.finditer(doc.text)]
    if not breaks:
        return doc
    starts = doc.to_array([SENT_START])
    token_at = numpy.searchsorted(doc.to_array([IDX]), breaks, side="right") - 1
    following = token_at[token_at < len(doc) - 1] + 1
    if not len(following):
        return doc
    starts[following] = 1
    doc.from_array([SENT_START], starts.reshape(-1, 1))
    return doc


def _add_span_ruler(nlp: Language, name: str, kinds: set[str], span_key: str) -> None:
    """spaCy's stock span ruler over the rules of `kinds`; where matches overlap, the (first)
    longest wins (`filter_spans`), so "đã giải quyết đúng hạn" is one label, not two."""
    ruler = nlp.add_pipe(
        "span_ruler",
        name=name,
        config={
            "spans_key": span_key,
            "spans_filter": {"@misc": "spacy.first_longest_spans_filter.v1"},
            "annotate_ents": False,
            "overwrite": True,
            "validate": True,
            "phrase_matcher_attr": "LOWER",
        },
    )
    ruler.add_patterns(span_patterns(kinds, nlp.tokenizer))


# The readers, in order: each declares what it requires and assigns on the Doc (readings.py);
# `nlp.analyze_pipes()` finds no reader requiring what no earlier one assigns.
READERS = (
    "tthc_dates",  # dates, times, day-months: claimed
    "tthc_citations",  # documents cited: claimed
    "tthc_periods",  # periods named, the report's own, which governs where: claimed
    "tthc_units",  # the reporting unit and the report's number and date
    "tthc_scopes",  # stretches about another unit or a part
    "tthc_rates",  # rates and ratios: claimed
    "tthc_counts",  # every other number, read as a count with what it counts
    "tthc_tables",  # tables: their rows are left to no other reader
    "tthc_figures",  # dossier figures in running text
    "tthc_quantifiers",  # figures stated for all or none ("đều trong hạn", "không có …")
    "tthc_activities",  # what the unit did (procedures published, petitions …)
    "tthc_rate_links",  # each rate's numerator and denominator among the figures
    "tthc_ratio_figures",  # a figure stated only as a rate's numerator ("53,41% (1.257/2.403)")
    "tthc_unread",  # the counts of dossiers no reader used
)


@cache
def pipeline() -> Language:
    """The shared pipeline, built once per process: tokens, sentences, labels, measures,
    then the readers (which need `readings.start_doc`; see `read`)."""
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
    _add_span_ruler(nlp, "tthc_labels", {"group", "qualifier", "joint", "scope", "noise"}, "labels")
    _add_span_ruler(nlp, "tthc_measures", {"measure"}, "measures")
    for name in READERS:
        nlp.add_pipe(name)
    return nlp


def analyse(match_text: str) -> Doc:
    """Tokens, sentences, labels and measures of the matching view of a text (no readers)."""
    return pipeline()(match_text, disable=READERS)


def read(text: Text, settings: ReaderSettings = DEFAULT) -> Doc:
    """Run the whole pipeline over a normalized text: every reader's readings on the Doc."""
    nlp = pipeline()
    return nlp(start_doc(nlp.make_doc(text.match), text, settings))
