"""Reports the project wrote itself, in phrasings and formats the seeds do not use, must
yield their figures: the extractors work from the domain's vocabulary, not the seeds'
sentences. Each fixture is scored against its gold in corpus/gold/, as text, as DOCX and as
PDF, and with its diacritics decomposed or its tone marks in the other style."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from corpus.documents import Para, Table, write_docx, write_pdf
from tests.conftest import FIXTURES, all_scope
from tests.fixtures.reports import fit_numbers
from tthc.evaluate.score import load_gold, score_file
from tthc.process import process_file

GOLD = load_gold()
NAMES = sorted(p.name for p in FIXTURES.glob("*.txt"))


def _assert_perfect(record, gold_name: str, path: Path) -> None:
    gold = dict(GOLD[gold_name], file=path.name)
    s = score_file(record.to_json(), gold)
    assert s.dossiers.recall == 1.0 and s.dossiers.precision == 1.0, (
        s.dossiers.misses,
        s.dossiers.extras,
    )
    assert s.percentages.recall == 1.0, s.percentages.misses
    assert s.citations.recall == 1.0, s.citations.misses
    assert s.unit.recall == 1.0, s.unit.misses
    assert not s.flags_forbidden, [f["message"] for f in s.flags_forbidden]


def test_every_fixture_has_gold():
    assert NAMES and all(n in GOLD for n in NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_text_fixture(name):
    path = FIXTURES / name
    _assert_perfect(process_file(path), name, path)


@pytest.mark.parametrize("name", NAMES)
def test_decomposed_diacritics_and_other_tone_style(name, tmp_path):
    """NFD text and new-style tone marks (hoá, thuỷ) read the same as NFC old style."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    swapped = text.replace("hóa", "hoá").replace("Thủy", "Thuỷ").replace("thủy", "thuỷ")
    path = tmp_path / name
    path.write_text(unicodedata.normalize("NFD", swapped), encoding="utf-8")
    record = process_file(path)
    gold = dict(GOLD[name], file=name)
    s = score_file(record.to_json(), gold)
    assert s.dossiers.recall == 1.0 and s.dossiers.precision == 1.0, (
        s.dossiers.misses,
        s.dossiers.extras,
    )
    assert s.citations.recall == 1.0


def _paragraphs(name: str) -> list[Para]:
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    return [Para(" ".join(line.split())) for line in lines if line.strip()]


@pytest.mark.parametrize("name", ["phuong_an_bien_q3_2025.txt", "xa_dong_lam_6thang_2024.txt"])
def test_docx_rendering(name, tmp_path):
    path = write_docx(tmp_path / f"{Path(name).stem}.docx", _paragraphs(name))
    _assert_perfect(process_file(path), name, path)


@pytest.mark.parametrize("name", ["phuong_an_bien_q3_2025.txt", "xa_dong_lam_6thang_2024.txt"])
def test_pdf_rendering(name, tmp_path):
    path = write_pdf(tmp_path / f"{Path(name).stem}.pdf", _paragraphs(name))
    _assert_perfect(process_file(path), name, path)


FORM_HEADER = [
    [
        "STT",
        "Lĩnh vực",
        "Số hồ sơ nhận giải quyết",
        "",
        "",
        "",
        "Kết quả giải quyết",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
    [
        "",
        "",
        "Tổng số",
        "Trong đó",
        "",
        "",
        "Số hồ sơ đã giải quyết",
        "",
        "",
        "",
        "Số hồ sơ đang giải quyết",
        "",
        "",
    ],
    [
        "",
        "",
        "",
        "Số kỳ trước chuyển qua",
        "Số mới tiếp nhận trực tuyến",
        "Số mới tiếp nhận trực tiếp, bưu chính",
        "Tổng số",
        "Trả trước hạn",
        "Trả đúng thời hạn",
        "Trả quá hạn",
        "Tổng số",
        "Chưa đến hạn",
        "Quá hạn",
    ],
]
FORM_ROWS = [
    ["1", "Hộ tịch", "212", "3", "150", "59", "209", "180", "27", "2", "3", "3", "0"],
    ["2", "Chứng thực", "1,506", "0", "1,002", "504", "1,506", "1,506", "0", "0", "0", "", ""],
    ["3", "Đất đai", "47", "5", "20", "22", "40", "30", "8", "2", "7", "6", "1"],
    ["", "Tổng cộng", "1,765", "8", "1,172", "585", "1,755", "1,716", "35", "4", "10", "9", "1"],
]


def _form_blocks() -> list:
    return [
        Para("UBND XÃ TÂN HƯNG", bold=True),
        Para("BÁO CÁO", bold=True, align="center"),
        Para("Kết quả giải quyết thủ tục hành chính quý IV năm 2024", align="center"),
        Para("Số liệu tiếp nhận và giải quyết hồ sơ theo biểu mẫu:"),
        fit_numbers(Table(rows=FORM_HEADER + FORM_ROWS, header_rows=3)),
        Para("Đề nghị UBND huyện tiếp tục hỗ trợ kinh phí số hóa hồ sơ."),
    ]


def _check_form(record):
    got = all_scope(record)
    assert got == {
        "received_total": 1765,
        "received_carried_over": 8,
        "received_online": 1172,
        "received_offline": 585,
        "resolved_total": 1755,
        "resolved_early": 1716,
        "resolved_on_time": 35,
        "resolved_late": 4,
        "pending_total": 10,
        "pending_in_time": 9,
        "pending_overdue": 1,
    }
    land = {p.scope: p for p in record.periods}["đất đai"]
    assert land.dossiers.received_total == 47 and land.dossiers.pending_overdue == 1
    certification = {p.scope: p for p in record.periods}["chứng thực"]
    assert certification.dossiers.pending_in_time is None  # an empty cell is not a zero
    assert all(p.key == "2024-Q4" for p in record.periods)
    assert not [f for f in record.flags if f.code.startswith(("sum", "balance"))]


def test_docx_with_national_form_table(tmp_path):
    record = process_file(write_docx(tmp_path / "bieu.docx", _form_blocks()))
    _check_form(record)
    ev = {p.scope: p for p in record.periods}["all"].evidence["resolved_late"]
    assert ev.quote.startswith("Tổng cộng") and ev.quote.endswith("4")


def test_pdf_with_national_form_table(tmp_path):
    record = process_file(write_pdf(tmp_path / "bieu.pdf", _form_blocks()))
    _check_form(record)
    assert record.periods[0].evidence["received_total"].page == 1
