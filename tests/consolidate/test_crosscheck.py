"""The reports against the provincial system's export, end to end: a generated district with
its export (every planted difference flagged, no other `crosscheck`), and the vendor-variation
fixtures (corpus/fixtures/system) run with three communes' own reports: read and compared,
or refused with a reason."""

from __future__ import annotations

import csv
from pathlib import Path

import docx
import pytest

from corpus.generate import generate_district
from corpus.system_fixtures import AN_PHU_RETURNED, FIGURES, ROSTER
from tthc.evaluate.records import score_crosscheck
from tthc.runjob import run

FIXTURES = Path(__file__).resolve().parents[2] / "corpus" / "fixtures" / "system"


def test_a_generated_district_every_planted_difference_and_no_other(tmp_path: Path) -> None:
    folder = tmp_path / "huyen"
    truth = generate_district(folder, 8, seed=31, period="Quý III năm 2025", system=True)
    assert truth["system"]["planted"], "the generator planted no difference"
    result = run(folder, tmp_path / "out", system_path=folder / truth["system"]["file"])
    score = score_crosscheck(result.summary, truth)
    assert score.compared, score.reason
    assert score.missed == [] and score.false == []
    assert len(score.found) == score.expected > 0
    assert score.planted_found == score.planted
    # the flags CSV lists them, with the system's value as expected
    with (result.outputs["flags"]).open(encoding="utf-8-sig") as f:
        rows = [r for r in csv.DictReader(f) if "Hệ thống" in " ".join(r.values())]
    assert len(rows) >= sum(1 for e in truth["system"]["expected"] if e["kind"] == "differs")
    # the notice's paragraph names every unit whose report differs, in one sentence
    notice = docx.Document(str(result.outputs["notice"]))
    (para,) = [p.text for p in notice.paragraphs if p.text.startswith("- Đối chiếu với số liệu")]
    differing = result.summary.crosscheck.differing
    assert differing and f"báo cáo của {len(differing)}/" in para
    assert all(commune in para for commune in differing)
    assert ".." not in para and para.endswith(".")


# ---------------------------------------------------------------------------------------
# The vendor fixtures with the communes' own reports

REPORT = """UBND {LEVEL} {NAME}
Số: 45/BC-UBND
{name}, ngày 16 tháng 9 năm 2025
BÁO CÁO
Tình hình, kết quả thực hiện công tác kiểm soát thủ tục hành chính Quý III năm 2025
(Từ ngày 01/7/2025 đến ngày 14/9/2025)
- Tổng số hồ sơ tiếp nhận: {received_total} hồ sơ, trong đó trực tuyến {received_online} hồ sơ, \
trực tiếp {received_offline} hồ sơ; kỳ trước chuyển qua {received_carried_over} hồ sơ.
- Số hồ sơ đã giải quyết: {resolved_total} hồ sơ, trong đó trước hạn {resolved_early} hồ sơ, \
đúng hạn {resolved_on_time} hồ sơ, quá hạn {resolved_late} hồ sơ.
- Số hồ sơ đang giải quyết: {pending_total} hồ sơ, trong đó trong hạn {pending_in_time} hồ sơ, \
quá hạn {pending_overdue} hồ sơ.
"""

ROSTER_TOML = """[parent]
name = "Bình Lĩnh"
level = "tỉnh"
province = "Bình Lĩnh"
period_key = "2025-Q3"
"""


@pytest.fixture(scope="module")
def communes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three communes' reports of the fixtures' province, each stating the figures the
    fixtures' system counts; An Phú keeps its returned dossiers apart."""
    folder = tmp_path_factory.mktemp("tinh")
    roster = ROSTER_TOML + "".join(
        f'\n[[communes]]\nname = "{n}"\nlevel = "{lvl}"\n' for n, lvl in ROSTER
    )
    (folder / "roster.toml").write_text(roster, encoding="utf-8")
    for n, (name, level) in enumerate(ROSTER, 1):
        text = REPORT.format(LEVEL=level.upper(), NAME=name.upper(), name=name, **FIGURES[name])
        if name == "An Phú":
            text += f"- Số hồ sơ trả lại, rút hồ sơ: {AN_PHU_RETURNED} hồ sơ.\n"
        (folder / f"{n:02d}.txt").write_text(text, encoding="utf-8")
    return folder


def _run(communes: Path, tmp_path: Path, fixture: str):
    return run(communes, tmp_path / "out", system_path=FIXTURES / fixture)


def _crosscheck_flags(result) -> list:
    return [r for r in result.summary.flags if r.flag.code == "crosscheck"]


@pytest.mark.parametrize(
    "fixture",
    [
        "merged_header.xlsx",
        "group_rows.xlsx",
        "sections_rates.xlsx",
        "html_saved_as.xls",
        "sheets_per_system.xlsx",
    ],
)
def test_an_export_that_agrees_is_compared_and_raises_nothing(
    communes: Path, tmp_path: Path, fixture: str
) -> None:
    result = _run(communes, tmp_path, fixture)
    check = result.summary.crosscheck
    assert check is not None and check.status == "compared", check and check.reason
    assert {u.commune for u in check.units} == {n for n, _ in ROSTER}
    assert check.differing == []
    assert [f.flag for f in _crosscheck_flags(result) if f.flag.severity != "info"] == []


def test_returns_counted_as_resolved_on_time_is_said_as_the_convention(
    communes: Path, tmp_path: Path
) -> None:
    result = _run(communes, tmp_path, "returns_on_time.xlsx")
    flags = _crosscheck_flags(result)
    assert [f for f in flags if f.flag.severity == "warning"] == []
    said = [f for f in flags if f.commune == "An Phú" and f.flag.severity == "info"]
    assert said and all(str(AN_PHU_RETURNED) in f.flag.message for f in said)
    assert {f.flag.fields[0] for f in said} >= {"resolved_total", "resolved_on_time"}
    notice = docx.Document(str(result.outputs["notice"]))
    (para,) = [p.text for p in notice.paragraphs if p.text.startswith("- Đối chiếu với số liệu")]
    assert "khớp với Hệ thống; riêng xã An Phú: chênh lệch đúng bằng 6 hồ sơ" in para
    assert ".." not in para


def test_a_planted_difference_names_both_values_and_the_column(
    communes: Path, tmp_path: Path
) -> None:
    report = communes / "01.txt"  # Tân Hòa
    text = report.read_text(encoding="utf-8")
    other = tmp_path / "khac"
    other.mkdir()
    for p in communes.iterdir():
        (other / p.name).write_bytes(p.read_bytes())
    changed = text.replace("quá hạn 2 hồ sơ", "quá hạn 1 hồ sơ").replace(
        "đúng hạn 8 hồ sơ", "đúng hạn 9 hồ sơ"
    )
    assert changed != text
    (other / "01.txt").write_text(changed, encoding="utf-8")
    result = _run(other, tmp_path, "merged_header.xlsx")
    (row,) = [f for f in _crosscheck_flags(result) if f.flag.severity == "warning"
              and f.flag.fields == ["resolved_late"]]  # fmt: skip
    assert row.commune == "Tân Hòa"
    assert (row.flag.expected, row.flag.actual) == (2, 1)
    assert "2" in row.flag.message and "1" in row.flag.message
    assert result.summary.crosscheck.differing == ["Tân Hòa"]


@pytest.mark.parametrize(
    ("fixture", "status", "says"),
    [
        ("other_period.xlsx", "other_period", "Quý II năm 2025"),
        ("not_an_export.xlsx", "refused", "không có biểu"),
        ("renamed_text.xls", "refused", "không phải bảng tính"),
    ],
)
def test_an_export_not_to_compare_is_refused_with_a_reason(
    communes: Path, tmp_path: Path, fixture: str, status: str, says: str
) -> None:
    result = _run(communes, tmp_path, fixture)
    check = result.summary.crosscheck
    assert check is not None and check.status == status
    assert check.reason and says.lower() in check.reason.lower(), check.reason
    assert _crosscheck_flags(result) == []
    assert result.summary.figures["received_total"].value == sum(
        f["received_total"] for f in FIGURES.values()
    )  # the reports are consolidated all the same


def test_a_communes_report_and_its_own_form_are_one_record(communes: Path, tmp_path: Path) -> None:
    """Tân Hòa sends its report and its form (corpus/fixtures/system); the report's resolved
    figures are one less than the form's: one unit, the two figures in conflict.value."""
    folder = tmp_path / "tan_hoa"
    folder.mkdir()
    (folder / "roster.toml").write_bytes((communes / "roster.toml").read_bytes())
    text = (communes / "01.txt").read_text(encoding="utf-8")
    changed = text.replace("giải quyết: 106", "giải quyết: 105").replace(
        "trước hạn 96", "trước hạn 95"
    )
    assert changed.count("105") == 1 and "trước hạn 95" in changed
    (folder / "tan_hoa.txt").write_text(changed, encoding="utf-8")
    (folder / "tan_hoa_bieu.xlsx").write_bytes(
        (FIXTURES / "commune_form_tan_hoa.xlsx").read_bytes()
    )
    result = run(folder, tmp_path / "out")
    row = next(r for r in result.summary.communes if r.commune == "Tân Hòa")
    assert row.status != "missing"
    conflicts = {
        f.flag.fields[0]: f.flag.actual
        for f in result.summary.flags
        if f.commune == "Tân Hòa" and f.flag.code == "conflict.value"
    }
    assert conflicts == {"resolved_total": [105, 106], "resolved_early": [95, 96]}
