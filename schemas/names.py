"""Vietnamese names of fields, scopes and measures, for everything an officer reads."""

from __future__ import annotations

import tomllib
from functools import cache

from rules import DIR as RULES_DIR


@cache
def _names() -> dict[str, dict[str, str]]:
    return tomllib.loads((RULES_DIR / "field_names.toml").read_text(encoding="utf-8"))


def field_label(name: str) -> str:
    """ "received_total" → "Tổng số hồ sơ tiếp nhận"; unknown names come back unchanged."""
    names = _names()
    return names["dossiers"].get(name) or names["metrics"].get(name) or name


def measure_label(key: str | None) -> str | None:
    return _names()["measures"].get(key) if key else None
