"""The words reports use for their figures: tthc/rules/labels.toml, measures.toml, vocabulary.toml.

labels.toml names the figure labels (groups, qualifiers, joint labels, scopes, noise) the
pipeline's matcher looks for; measures.toml what a percentage measures; vocabulary.toml the
units a count is written with and the names of fields (lĩnh vực). Each file is validated at
load: an unknown kind or group is an error, and every field a label or a measure names must
be one of tthc/rules/field_names.toml (`tthc.rules.field_names`); the RulesError names the file and
line.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from tthc.rules.field_names import FieldName, MeasureKey
from tthc.rules.phrasing import PhraseList, Strict, load_rules

GROUPS = ("received", "resolved", "pending", "returned", "digitized")
"""The groups a figure label may open (labels.toml `kind = "group"`)."""
Group = Literal[GROUPS]  # type: ignore[valid-type]
Pattern = Annotated[str, StringConstraints(min_length=1)]

# The wholes a rate may be taken of when its measure does not say.
WHOLES = ("received_total", "received_new", "resolved_total", "pending_total", "total")


@dataclass(frozen=True, slots=True)
class Label:
    """One entry of tthc/rules/labels.toml (or a measure of tthc/rules/measures.toml)."""

    kind: str  # group | qualifier | joint | measure | scope | noise
    name: str
    field: str | None = None  # for groups
    fields: tuple[tuple[str, str], ...] = ()  # for qualifiers: (group, field)
    group: str | None = None  # the group a qualifier implies when none is open
    opens: bool = False  # the phrase names its group too ("số hóa kết quả"): open it
    joint: tuple[str, ...] = ()  # for joint labels: the fields one number is said of

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


# ---------------------------------------------------------------- labels.toml
class LabelEntry(Strict):
    kind: Literal["group", "qualifier", "joint", "scope", "noise"]
    name: str
    patterns: list[Pattern] = Field(min_length=1)
    field: FieldName | None = None
    fields: dict[Group, FieldName] = Field(default_factory=dict)
    group: Group | None = None
    opens: bool = False
    joint: list[FieldName] = Field(default_factory=list)

    @model_validator(mode="after")
    def _coherent(self) -> LabelEntry:
        if self.kind == "qualifier" and not self.fields:
            raise ValueError(f"qualifier {self.name!r} names no field (`fields`)")
        if self.kind == "joint" and len(self.joint) < 2:
            raise ValueError(f"joint label {self.name!r} needs two fields in `joint`")
        if self.kind == "group" and self.name not in GROUPS:
            raise ValueError(f"unknown group {self.name!r} (one of {', '.join(GROUPS)})")
        return self


class LabelsFile(Strict):
    label: list[LabelEntry]


# ---------------------------------------------------------------- measures.toml
class MeasureEntry(Strict):
    key: MeasureKey
    patterns: list[Pattern] = Field(min_length=1)
    numerator: list[FieldName] = Field(default_factory=list)
    denominator: list[FieldName | Literal["total"]] = Field(default_factory=list)


class MeasureNoise(Strict):
    patterns: list[Pattern] = Field(default_factory=list)


class MeasuresFile(Strict):
    measure: list[MeasureEntry]
    noise: MeasureNoise = Field(default_factory=MeasureNoise)


# ---------------------------------------------------------------- vocabulary.toml
class Vocabulary(PhraseList):
    """Units a count is written with, and the names of fields (lĩnh vực) with their spellings."""

    dossier_units: list[str] = Field(min_length=1)  # a number followed by these counts dossiers
    other_units: list[str]  # … by these counts something else, never a dossier figure
    fields: dict[str, list[str]]  # a field's usual name → the spellings reports use
    abbreviations: dict[str, str] = Field(default_factory=dict)  # "hs" = "hồ sơ"

    @model_validator(mode="after")
    def _spelled(self) -> Vocabulary:
        empty = [name for name, spellings in self.fields.items() if not spellings]
        if empty:
            raise ValueError(f"a field needs at least one spelling: {', '.join(empty)}")
        return self


# ---------------------------------------------------------------- loaders
@cache
def label_rules() -> LabelsFile:
    return load_rules("labels.toml", LabelsFile)


@cache
def measure_rules() -> MeasuresFile:
    return load_rules("measures.toml", MeasuresFile)


@cache
def vocabulary() -> Vocabulary:
    return load_rules("vocabulary.toml", Vocabulary)


@cache
def measure_roles(key: str | None) -> tuple[frozenset[str], frozenset[str]]:
    """(fields its numerator may be, fields its denominator may be) for a measure; an empty
    numerator set means any figure that is not itself a whole."""
    for entry in measure_rules().measure:
        if entry.key == key:
            return frozenset(entry.numerator), frozenset(entry.denominator or WHOLES)
    return frozenset(), frozenset(WHOLES)


@cache
def labels() -> dict[str, Label]:
    """Labels by key, from tthc/rules/labels.toml, and measures from tthc/rules/measures.toml."""
    out = {}
    for entry in label_rules().label:
        label = Label(
            kind=entry.kind,
            name=entry.name,
            field=entry.field,
            fields=tuple(entry.fields.items()),
            group=entry.group,
            opens=entry.opens,
            joint=tuple(entry.joint),
        )
        out[label.key] = label
    for entry in measure_rules().measure:
        out[f"measure:{entry.key}"] = Label(kind="measure", name=entry.key)
    out["measure_noise:noise"] = Label(kind="measure_noise", name="noise")
    return out
