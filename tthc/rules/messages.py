"""The check stage's Vietnamese messages, severities and thresholds, as data.

tthc/rules/check_messages.toml: the sentences of the arithmetic flags (tthc.check.arithmetic);
tthc/rules/citation_messages.toml: severities, thresholds and sentences of the citation checks
(tthc.check.citation_checks). Both are validated when loaded; a mistake is a RulesError naming the
file and the line.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Annotated, Literal

from pydantic import Field, RootModel, StringConstraints

from tthc.rules.flags import Severity
from tthc.rules.phrasing import Strict, load_rules

Sentence = Annotated[str, StringConstraints(min_length=1)]


class CheckMessages(RootModel[dict[str, Sentence]]):
    """check_messages.toml: message key ("sum", "impossible.part") → sentence with {fields}."""

    model_config = {"frozen": True}


class Thresholds(Strict):
    subject_similarity: int = Field(ge=0, le=100)  # rapidfuzz ratio of two "same" subjects
    subject_min_chars: int = Field(ge=0)  # shorter subjects say too little to compare
    report_period_days: int = Field(gt=0)  # the period taken before a report's date


class CommuneNormativeGap(Strict):
    """When communes could not issue normative documents, and which of theirs count."""

    start: dt.date
    end: dt.date
    kinds: list[str] = Field(min_length=1)
    levels: list[str] = Field(min_length=1)


class CitationMessages(Strict):
    """citation_messages.toml."""

    thresholds: Thresholds
    commune_normative_gap: CommuneNormativeGap
    severity: dict[str, Severity]  # rule → severity
    downgrade: dict[Literal["partly verified", "unverified"], dict[Severity, Severity]] = Field(
        default_factory=dict
    )  # a registry row not fully verified: severity → the lower one
    messages: dict[str, Sentence]


@cache
def check_messages() -> dict[str, str]:
    return dict(load_rules("check_messages.toml", CheckMessages).root)


@cache
def citation_messages() -> CitationMessages:
    return load_rules("citation_messages.toml", CitationMessages)
