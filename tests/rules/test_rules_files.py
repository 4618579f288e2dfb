"""The rules package's integrity: every file loads against its schema, a mistake in any of them
is a RulesError naming the file and the line, every field name comes from one list, and the
store's fingerprint notices any change to a rules file."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tthc import rules
from tthc.consolidate.store import tree_fingerprint
from tthc.rules.activities import read_rules_file
from tthc.rules.citation_codes import CitationCodes
from tthc.rules.field_names import FieldNames, all_fields, field_names
from tthc.rules.flags import FlagWords
from tthc.rules.form_sheet import FormSheetRules
from tthc.rules.identities import IdentitiesFile
from tthc.rules.labels import LabelsFile, MeasuresFile, Vocabulary, label_rules, measure_rules
from tthc.rules.legacy_fonts import LegacyFonts, Syllable, read_table
from tthc.rules.legal_registry import read_rows
from tthc.rules.notice_issuers import NoticeRules
from tthc.rules.phrasing import Connectives, PeriodWords, RulesError, load_rules
from tthc.rules.render_labels import RenderLabels, render_rules
from tthc.schemas import DOSSIER_FIELDS, Dossiers


def _toml(model) -> Callable[[Path, str], object]:
    return lambda directory, name: load_rules(name, model, directory)


def _activities(directory: Path, name: str) -> object:
    return read_rules_file(directory / name)


# Every rules file, its loader, and one mistake in it: (file, loader, written, mistaken, says).
CASES = [
    ("labels.toml", _toml(LabelsFile), 'field = "pending_total"', 'field = "pending_totl"', None),
    ("labels.toml", _toml(LabelsFile), 'kind = "noise"', 'kind = "nois"', "kind"),
    ("labels.toml", _toml(LabelsFile), "opens = true\n", "opens = 3\n", "opens"),
    (
        "measures.toml",
        _toml(MeasuresFile),
        'numerator = ["digitized_result"]',
        'numerator = ["digitised_result"]',
        None,
    ),
    ("vocabulary.toml", _toml(Vocabulary), "other_units = [", "other_unit = [", "other_unit"),
    (
        "connectives.toml",
        _toml(Connectives),
        "continuation_words = [",
        "continuation_word = [",
        "continuation_word",
    ),
    ("periods.toml", _toml(PeriodWords), '"ba" = 3', '"ba" = "three"', "ba"),
    ("field_names.toml", _toml(FieldNames), "[scopes]", "[scope]", "scope"),
    (
        "identities.toml",
        _toml(IdentitiesFile),
        'parts = ["pending_in_time", "pending_overdue"]',
        'parts = ["pending_in_time", "pending_overdu"]',
        None,
    ),
    (
        "activities.toml",
        _activities,
        'key = "desk_staff"',
        'key = "desk_staf"',
        None,
    ),
    ("activities.toml", _activities, 'units = ["staff"]', 'units = ["staf"]', "staf"),
    ("activities.toml", _activities, "left_window = 160", "left_window = -1", "left_window"),
    (
        "citation_codes.toml",
        _toml(CitationCodes),
        "max_words = 10",
        'max_words = "ten"',
        "max_words",
    ),
    (
        "flags.toml",
        _toml(FlagWords),
        '"date.registry" = "error"',
        '"date.registry" = "eror"',
        "date.registry",
    ),
    ("flags.toml", _toml(FlagWords), '"conflict" = "', '"conflict" = 3 #"', "conflict"),
    (
        "render_labels.toml",
        _toml(RenderLabels),
        'fields = ["pending_total", "pending_in_time"',
        'fields = ["pending_total", "pending_intime"',
        None,
    ),
    ("render_labels.toml", _toml(RenderLabels), 'rate = "online"', 'rate = "onlin"', None),
    ("form_sheet.toml", _toml(FormSheetRules), 'kind = "early"', 'kind = "erly"', "kind"),
    (
        "form_sheet.toml",
        _toml(FormSheetRules),
        'late = "pending_overdue"',
        'late = "pending_overdu"',
        None,
    ),
    ("notice.toml", _toml(NoticeRules), "until = 2025-12-31", 'until = "cuối năm"', "until"),
    ("notice.toml", _toml(NoticeRules), "[issuers.ubnd]", "[issuers.ubn]", "ubn"),
    (
        "flags.toml",
        _toml(FlagWords),
        "start = 2025-04-01",
        'start = "1/4/2025"',
        "start",
    ),
    ("legacy_fonts.toml", _toml(LegacyFonts), 'encoding = "vni"', 'encoding = "vnj"', "encoding"),
    ("syllable.toml", _toml(Syllable), "endings = [", "ending = [", "ending"),
    ("legal_registry.csv", lambda d, n: read_rows(d / n), ",2005-11-29,", ",2005-13-29,", "date"),
    ("legal_registry.csv", lambda d, n: read_rows(d / n), ",verified", ",verifed", "confidence"),
    ("legacy_tcvn3.tsv", lambda d, n: read_table(n, d), "A1\t", "G1\t", "G1"),
    ("legacy_vni.tsv", lambda d, n: read_table(n, d), "\t61 F9", "\t61 F9 F9", "byte"),
]

RULES_FILES = sorted(p.name for p in rules.DIR.iterdir() if p.suffix in (".toml", ".csv", ".tsv"))


def test_every_rules_file_has_a_loader_and_a_mistake_tested():
    assert sorted({case[0] for case in CASES}) == RULES_FILES


@pytest.mark.parametrize("name", RULES_FILES)
def test_every_rules_file_loads(name):
    load = next(case[1] for case in CASES if case[0] == name)
    assert load(rules.DIR, name)


@pytest.mark.parametrize(
    ("name", "load", "old", "new", "says"), CASES, ids=[f"{c[0]}:{c[3]}" for c in CASES]
)
def test_a_mistake_is_an_error_naming_file_and_line(tmp_path, name, load, old, new, says):
    text = (rules.DIR / name).read_text(encoding="utf-8")
    assert old in text
    (tmp_path / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    with pytest.raises(RulesError) as err:
        load(tmp_path, name)
    message = str(err.value)
    assert message.startswith(f"{name}:")
    assert f"line {line}:" in message, message
    assert (says or new.split('"')[-2]) in message


def test_the_dossier_fields_are_written_once():
    """The record's dossier figures are the [dossiers] of field_names.toml, in order."""
    assert tuple(field_names().dossiers) == DOSSIER_FIELDS
    assert tuple(Dossiers.model_fields) == DOSSIER_FIELDS
    assert len(DOSSIER_FIELDS) == 14


def test_every_field_a_rule_names_is_a_known_field():
    known = set(all_fields())
    for entry in label_rules().label:
        assert {entry.field or "received_total", *entry.fields.values(), *entry.joint} <= known
    for measure in measure_rules().measure:
        assert {*measure.numerator, *measure.denominator} <= known | {"total"}
    assert {f for column in render_rules().form.columns for f in column.fields} <= known


@pytest.mark.parametrize("name", RULES_FILES)
def test_the_store_fingerprint_covers_every_rules_file(tmp_path, name):
    shutil.copytree(rules.DIR, tmp_path / "rules")
    before = tree_fingerprint(tmp_path)
    assert tree_fingerprint(tmp_path) == before
    with (tmp_path / "rules" / name).open("a", encoding="utf-8") as fh:
        fh.write("\n")
    assert tree_fingerprint(tmp_path) != before
