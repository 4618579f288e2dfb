"""Vietnamese names of fields, scopes and measures, for everything an officer reads."""

from __future__ import annotations

from tthc.rules.field_names import field_names


def field_label(name: str) -> str:
    """ "received_total" → "Tổng số hồ sơ tiếp nhận"; unknown names come back unchanged."""
    names = field_names()
    return names.dossiers.get(name) or names.metrics.get(name) or name


def measure_label(key: str | None) -> str | None:
    return field_names().measures.get(key) if key else None
