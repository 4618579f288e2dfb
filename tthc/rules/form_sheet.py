"""tthc/rules/form_sheet.toml: the words of the national form's columns and rows in a spreadsheet
(the provincial system's export, or a commune's own form), validated when loaded."""

from __future__ import annotations

from functools import cache
from typing import Literal

import regex
from pydantic import Field, field_validator

from tthc.rules.field_names import DossierField
from tthc.rules.phrasing import PhraseList, Strict, _clean_phrases, load_rules
from tthc.textkit.forms import match_form

Group = Literal["received", "resolved", "pending"]
LeafKind = Literal[
    "rate", "early_or_on_time", "returned", "supplement", "in_time", "due", "early",
    "on_time", "late", "online", "offline", "carried", "new", "total",
]  # fmt: skip


class Leaf(Strict):
    kind: LeafKind
    words: list[str] = Field(min_length=1)

    @field_validator("words")
    @classmethod
    def _phrases(cls, value: list[str]) -> list[str]:
        return _clean_phrases(value)


class Groups(PhraseList):
    received: list[str] = Field(min_length=1)
    resolved: list[str] = Field(min_length=1)
    pending: list[str] = Field(min_length=1)


class Fields(Strict):
    received: dict[LeafKind, DossierField]
    resolved: dict[LeafKind, DossierField]
    pending: dict[LeafKind, DossierField]
    none: dict[LeafKind, DossierField] = Field(default_factory=dict)


class Rows(PhraseList):
    index_header: list[str]
    label_header: list[str]
    totals: list[str]
    commune_groups: list[str]
    other_groups: list[str]
    sections: list[str]
    unit_levels: list[str]
    committee: list[str]
    field_prefixes: list[str]


class FormSheetRules(Strict):
    threshold: int = Field(ge=50, le=100)
    groups: Groups
    leaves: list[Leaf] = Field(min_length=1)
    fields: Fields
    rows: Rows

    def unit_of(self, label: str) -> tuple[str, str] | None:
        """(level, name) when a row's label names a commune-level unit: "UBND xã Tân Hòa -
        tỉnh Bình Lĩnh" → ("xã", "Tân Hòa"). The committee word, a leading number and what
        a vendor adds after the name (" - tỉnh Y", ", huyện Z", "(…)") are dropped."""
        text = regex.sub(r"^\s*\d+[.)]\s*", "", " ".join(label.split()))
        for word in self.rows.committee:
            m = regex.match(rf"{regex.escape(word)}\s+", match_form(text))
            if m:
                text = text[m.end() :]
                break
        folded = match_form(text)
        for level in self.rows.unit_levels:
            if folded.startswith(level + " "):
                name = text[len(level) :].strip()
                name = regex.split(r"\s+[-–—]\s+|\s*,\s*|\s*\(", name)[0].strip(" .")
                return (level, name) if name else None
        return None


@cache
def form_sheet_rules() -> FormSheetRules:
    return load_rules("form_sheet.toml", FormSheetRules)
