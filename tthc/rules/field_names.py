"""The one list of field names (tthc/rules/field_names.toml), and the types that check against it.

field_names.toml names every figure a record can hold, with the words an officer reads for
it: [dossiers] the 14 dossier figures of `Period.dossiers` (the record's contract, written
nowhere else: tthc.schemas.record builds `Dossiers` and `DOSSIER_FIELDS` from it), [metrics] the
other counts of `Period.metrics`, [scopes] and [measures] the scopes and rate measures.

Every other rules file that names a field does it through the types below (`DossierField`,
`FieldName`, `MeasureKey`, `MetricField`), so a misspelt name is a RulesError at load naming
the file and the line, not a crash far from it.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated

from pydantic import AfterValidator, Field, ValidationInfo, field_validator

from tthc.rules.phrasing import Strict, load_rules

_NAME = r"^[a-z][a-z0-9_]*$"


class FieldNames(Strict):
    """tthc/rules/field_names.toml: name → what officers call it, by family."""

    dossiers: dict[Annotated[str, Field(pattern=_NAME)], str] = Field(min_length=1)
    metrics: dict[Annotated[str, Field(pattern=_NAME)], str]
    scopes: dict[str, str]
    measures: dict[Annotated[str, Field(pattern=_NAME)], str] = Field(min_length=1)

    @field_validator("metrics")
    @classmethod
    def _apart(cls, metrics: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        both = set(metrics) & set(info.data.get("dossiers", {}))
        if both:
            raise ValueError(f"a metric may not repeat a dossier field: {', '.join(sorted(both))}")
        return metrics


@cache
def field_names() -> FieldNames:
    return load_rules("field_names.toml", FieldNames)


def dossier_fields() -> tuple[str, ...]:
    """The 14 dossier figures, in the order of the contract."""
    return tuple(field_names().dossiers)


def metric_fields() -> tuple[str, ...]:
    return tuple(field_names().metrics)


def all_fields() -> tuple[str, ...]:
    """Every figure a period can hold: dossier fields, then metrics."""
    return (*dossier_fields(), *metric_fields())


def measure_keys() -> tuple[str, ...]:
    return tuple(field_names().measures)


def _one_of(known: tuple[str, ...], what: str, name: str) -> str:
    if name not in known:
        raise ValueError(
            f"unknown {what} {name!r}: not in tthc/rules/field_names.toml "
            f"(known: {', '.join(known)})"
        )
    return name


def _dossier(name: str) -> str:
    return _one_of(dossier_fields(), "dossier field", name)


def _field(name: str) -> str:
    return _one_of(all_fields(), "field", name)


def _metric(name: str) -> str:
    return _one_of(metric_fields(), "metric", name)


def _measure(name: str) -> str:
    return _one_of(measure_keys(), "measure", name)


DossierField = Annotated[str, AfterValidator(_dossier)]
"""A name of [dossiers] (identities, form columns)."""
FieldName = Annotated[str, AfterValidator(_field)]
"""A name of [dossiers] or [metrics] (labels, measures' numerators)."""
MetricField = Annotated[str, AfterValidator(_metric)]
"""A name of [metrics] (activities)."""
MeasureKey = Annotated[str, AfterValidator(_measure)]
"""A name of [measures] (measures.toml, render ranks)."""
