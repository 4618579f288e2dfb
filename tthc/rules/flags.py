"""Every flag's words (rules/flags.toml), and a flag's severities, written once.

flags.toml holds what each code is called ([codes]), the sentences of the arithmetic checks
([arithmetic]), of the unread counts ([unread]) and of the citation checks with their
thresholds and severities ([citations]), how a suggested change is written
([suggestions]), the sentences of the rate flags consolidation raises ([rates]) and how the
draft notice says each kind of slip ([notice]). It is validated when loaded: a misspelt
severity, a wrong kind or a sentence the code needs that is missing is a RulesError naming
the file and the line.

The severities, from the least to the most serious: `error` (arithmetic that cannot be
true), `warning` (probably wrong, or a reader must look), `info` (worth knowing;
../shared/contract.md). Every rules file that names one checks it against `Severity`; every
stage that ranks flags uses `SEVERITY_RANK`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from tthc.rules.phrasing import Strict, load_rules

SEVERITIES = ("info", "warning", "error")
Severity = Literal["info", "warning", "error"]
SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}

Sentence = Annotated[str, StringConstraints(min_length=1)]
Words = dict[str, Sentence]


def worst(severities: Iterable[str]) -> str:
    """The most serious of some severities."""
    return max(severities, key=SEVERITY_RANK.__getitem__)


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


class CitationWords(Strict):
    """[citations]: thresholds, the 2025 gap in communes' normative documents, the severity
    of each rule, the sentences."""

    thresholds: Thresholds
    commune_normative_gap: CommuneNormativeGap
    severity: dict[str, Severity]  # rule → severity
    downgrade: dict[Literal["partly verified", "unverified"], dict[Severity, Severity]] = Field(
        default_factory=dict
    )  # a registry row not fully verified: severity → the lower one
    messages: Words


# The sentences the code looks up, by section: the file's schema.
REQUIRED = {
    "arithmetic": (
        "sum balance impossible.part impossible.negative impossible.rate impossible.ratio "
        "breakdown ratio ratio.context delta conflict missing missing.derivable "
        "missing.unstated doubt_note unstated_part_note apart_note scanned_list_note "
        "other_scope_note unread_gap_note conflicted_note increase decrease"
    ),
    "unread": "dossier_noun label table",
    "suggestions": "figure rate value",
    "citations.messages": (
        "code_kind code_kind_bare code_kind_issuer code_written_issuer registry_hint "
        "registry_hint_undated registry_lead format_lead format_no_year format_glued "
        "format_spaced format_unknown_code date_registry date_year date_future "
        "conflict_dates conflict_issuers conflict_subject conflict_order superseded_after "
        "superseded_straddle period_range period_until period_from period_report "
        "window_commune amended_missing"
    ),
    "rates": "basis_own basis_field mismatch",
    "notice": (
        "sum conflict registry ratio missing citation rate impossible check crosscheck repair"
    ),
}


class FlagWords(Strict):
    """rules/flags.toml."""

    codes: Words
    arithmetic: Words
    unread: Words
    suggestions: Words
    citations: CitationWords
    rates: Words
    notice: Words

    @model_validator(mode="after")
    def _complete(self) -> FlagWords:
        for section, keys in REQUIRED.items():
            words = self.citations.messages if section == "citations.messages" else None
            words = words if words is not None else getattr(self, section)
            missing = [k for k in keys.split() if k not in words]
            if missing:
                raise ValueError(f"[{section}] needs {', '.join(missing)}")
        return self


@cache
def flag_words() -> FlagWords:
    return load_rules("flags.toml", FlagWords)


def registry_hint(
    kind: str | None, symbol: str, date: dt.date | None, issuer: str | None, lead: str
) -> str:
    """ "{lead} Nghị định số 61/2018/NĐ-CP ngày 23/04/2018 của Chính phủ.": what the registry
    knows of the document meant, after the flag's message (lead: registry_lead) or in the
    notice (lead: [notice] registry)."""
    messages = flag_words().citations.messages
    return messages["registry_hint" if date else "registry_hint_undated"].format_map(
        {
            "lead": lead,
            "kind": kind,
            "registry_symbol": symbol,
            "registry_date": date.strftime("%d/%m/%Y") if date else "?",
            "registry_issuer": issuer,
        }
    )
