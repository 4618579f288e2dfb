"""What counts of other activities look like (rules/activities.toml), validated when loaded.

The activities reader (extractors.extract.activities) counts procedures published, petitions,
surveys, staff, posts… — the [metrics] of rules/field_names.toml. This is the file's schema:
every metric a rule names must be one of those (`MetricField`), and a mistake is a RulesError
naming the file, the entry and the line. Compiling the phrases to patterns is the reader's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field

from rules import DIR
from rules.fields import MetricField
from rules.phrasing import Strict, load_rules

RULES_FILE = DIR / "activities.toml"


class Settings(Strict):
    left_window: int = Field(gt=0)
    approx_before: list[str]
    multipliers: dict[str, int]
    not_count_before: list[str]
    part_markers: list[str]
    right_fillers: list[str]
    named_levels: list[str]


class UnitRule(Strict):
    """Words right after a number that say what it counts."""

    kind: Literal["unit"]
    name: str
    words: list[str] = Field(min_length=1)
    not_followed_by: list[str] = Field(default_factory=list)
    implies: MetricField | None = None  # the metric the word itself names ("phiếu đánh giá")
    default: MetricField | None = None  # the metric when no cue names another


class MetricRule(Strict):
    """One count of Period.metrics: what it counts, the words that name it, what vetoes it."""

    kind: Literal["metric"]
    key: MetricField
    units: list[str] = Field(min_length=1)
    cues: list[str] = Field(default_factory=list)
    vetoes: list[str] = Field(default_factory=list)
    zero: list[str] = Field(default_factory=list)
    topic: list[str] = Field(default_factory=list)  # one must be in the sentence
    additive: bool = False  # counts of one sentence add up ("15 tin trên …, 20 tin trên …")


class BlockerRule(Strict):
    """Words that, nearer than any cue, mean the count is none of the metrics."""

    kind: Literal["blocker"]
    name: str
    units: list[str] = Field(min_length=1)
    phrases: list[str] = Field(min_length=1)


class JointRule(Strict):
    """Words that name two counts at once ("tiếp nhận, xử lý 03 phản ánh")."""

    kind: Literal["joint"]
    name: str
    metrics: list[MetricField] = Field(min_length=2)
    units: list[str] = Field(min_length=1)
    phrases: list[str] = Field(min_length=1)


class ActorRule(Strict):
    """Who acts: the unit itself, or another one."""

    kind: Literal["actor"]
    role: Literal["own", "other"]
    phrases: list[str] = Field(min_length=1)


Rule = Annotated[
    UnitRule | MetricRule | BlockerRule | JointRule | ActorRule, Field(discriminator="kind")
]


class RulesFile(Strict):
    settings: Settings
    rule: list[Rule]


def read_rules_file(path: Path = RULES_FILE) -> RulesFile:
    """Read and check an activities rules file (the shipped one by default)."""
    return load_rules(path.name, RulesFile, path.parent)
