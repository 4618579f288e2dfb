"""What counts of other activities look like (tthc/rules/activities.toml), validated when loaded.

The activities reader (tthc.extract.activity_counts) counts procedures published, petitions,
surveys, staff, posts… — the [metrics] of tthc/rules/field_names.toml. This is the file's schema:
every metric a rule names must be one of those (`MetricField`), and a mistake is a RulesError
naming the file, the entry and the line. Compiling the phrases to patterns is the reader's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field

from tthc.rules import DIR
from tthc.rules.field_names import MetricField
from tthc.rules.phrasing import RulesError, Strict, line_of, load_rules

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
    """Read and check an activities rules file (the shipped one by default): its schema, then
    that every unit and metric a rule names is defined once in the file."""
    data = load_rules(path.name, RulesFile, path.parent)
    _cross_check(data, path)
    return data


def _cross_check(data: RulesFile, path: Path) -> None:
    source = path.read_text(encoding="utf-8")

    def fail(index: int, key: str, problem: str) -> None:
        rule = data.rule[index]
        name = getattr(rule, "key", None) or getattr(rule, "name", None) or rule.kind
        line = line_of(source, ("rule", index, key))
        raise RulesError(f"{path.name}: line {line}: [[rule]] {name}: {problem}")

    seen: dict[tuple[str, str], int] = {}
    for i, rule in enumerate(data.rule):
        if isinstance(rule, UnitRule | MetricRule):
            ident = (rule.kind, rule.name if isinstance(rule, UnitRule) else rule.key)
            if ident in seen:
                fail(i, "name" if isinstance(rule, UnitRule) else "key", "defined twice")
            seen[ident] = i
    units = {rule.name for rule in data.rule if isinstance(rule, UnitRule)}
    metrics = {rule.key for rule in data.rule if isinstance(rule, MetricRule)}
    for i, rule in enumerate(data.rule):
        for unit in getattr(rule, "units", []):
            if unit not in units:
                fail(i, "units", f"unknown unit {unit!r} (known: {', '.join(sorted(units))})")
        for key in getattr(rule, "metrics", []):
            if key not in metrics:
                fail(i, "metrics", f"unknown metric {key!r} (not a [[rule]] of this file)")
        if isinstance(rule, UnitRule):
            for field in ("implies", "default"):
                target = getattr(rule, field)
                if target is not None and target not in metrics:
                    fail(i, field, f"unknown metric {target!r} (not a [[rule]] of this file)")
