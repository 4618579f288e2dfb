"""Phrasing as data: every rules file loads against its schema, and a mistake in one is an
error that names the file, the entry and its line, not a crash later."""

from __future__ import annotations

import shutil

import pytest

from tthc.rules.field_names import field_names
from tthc.rules.identities import IdentitiesFile
from tthc.rules.labels import LabelsFile, MeasuresFile, label_rules, measure_rules
from tthc.rules.phrasing import (
    RULES,
    Connectives,
    PeriodWords,
    RulesError,
    alternation,
    connectives,
    load_rules,
    period_words,
)


def test_every_rules_file_loads():
    assert connectives().numbers.multipliers["nghìn"] == 1000
    assert "đến" in period_words().range_to
    assert {m.key for m in measure_rules().measure} <= set(field_names().measures)
    assert any(e.kind == "joint" for e in label_rules().label)
    assert load_rules("identities.toml", IdentitiesFile).precision.exact_only


def _broken(tmp_path, name: str, old: str, new: str, directory=RULES):
    shutil.copy(directory / name, tmp_path / name)
    text = (tmp_path / name).read_text(encoding="utf-8")
    assert old in text
    (tmp_path / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    return line


@pytest.mark.parametrize(
    ("name", "model", "old", "new", "says"),
    [
        ("labels.toml", LabelsFile, 'field = "pending_total"', 'field = "pending_totl"', "field"),
        ("labels.toml", LabelsFile, 'kind = "group"', 'kind = "grup"', "kind"),
        ("measures.toml", MeasuresFile, 'key = "late"', 'key = "lateness"', "lateness"),
        ("connectives.toml", Connectives, "remaining = ", "remainng = ", "remainng"),
        ("periods.toml", PeriodWords, "range_to = ", "range_too = ", "range_too"),
    ],
)
def test_a_mistake_names_file_entry_and_line(tmp_path, name, model, old, new, says):
    line = _broken(tmp_path, name, old, new)
    with pytest.raises(RulesError) as err:
        load_rules(name, model, tmp_path)
    message = str(err.value)
    assert name in message and says in message
    assert f"line {line}" in message


def test_an_unknown_identity_field_is_an_error(tmp_path):
    _broken(tmp_path, "identities.toml", 'whole = "received_new"', 'whole = "received_nw"')
    with pytest.raises(RulesError, match=r"identities\.toml.*identity"):
        load_rules("identities.toml", IdentitiesFile, tmp_path)


def test_phrases_match_any_tone_style_and_blanks_longest_first():
    import regex

    from tthc.textkit.forms import match_form

    pattern = regex.compile(alternation(["khoảng", "khoảng hơn"]))
    m = pattern.search(match_form("đạt khoảng  hơn 300"))
    assert m and m.group().split() == ["khỏang", "hơn"]
