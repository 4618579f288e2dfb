"""Who is speaking (issue 17 §5): the issuer is the unit the letterhead names last (line 1
the parent body, line 2 the issuing unit); "Kính gửi:" and "Nơi nhận:" name recipients;
other units named in the text are not the issuer; the report's own number is not a
citation; the signer may sit in a table. Letterheads written here, as text and as Word."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.documents import Para, Table, write_docx
from tests.conftest import extract_text
from tthc.process import process_file

BODY = (
    "BÁO CÁO\nKết quả giải quyết TTHC quý I năm 2026\nKính gửi: Ủy ban nhân dân huyện Bình Sơn\n"
    "Thực hiện Kế hoạch số 05/KH-UBND ngày 10/01/2026 của UBND huyện Bình Sơn, theo đề nghị của "
    "UBND huyện Bình Sơn, báo cáo như sau: tiếp nhận 210 hồ sơ. Xã Tân Phú dẫn đầu huyện.\n"
    "Đề nghị UBND huyện Bình Sơn quan tâm; UBND huyện Bình Sơn chỉ đạo thêm.\n"
)

LETTERHEADS = [
    # parent body on line 1, issuer on line 2, spread with spaces as a copy from Word
    (
        "UBND HUYỆN BÌNH SƠN           CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "  UBND XÃ TÂN HƯNG              Độc lập - Tự do - Hạnh phúc\n"
        "Số: 21/BC-UBND                Tân Hưng, ngày 02 tháng 4 năm 2026\n",
        ("Tân Hưng", "xã"),
    ),
    # the committee's words on one line, the unit's level and name on the next
    (
        "ỦY BAN NHÂN DÂN               CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "PHƯỜNG AN BÌNH                Độc lập - Tự do - Hạnh phúc\n"
        "Số: 09/BC-UBND                An Bình, ngày 02 tháng 4 năm 2026\n",
        ("An Bình", "phường"),
    ),
    # the issuer's name wrapping under the motto lines
    (
        "UBND TỈNH BÌNH SƠN            CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "ỦY BAN NHÂN DÂN               Độc lập - Tự do - Hạnh phúc\n"
        "XÃ TÂN HƯNG\n"
        "Số: 21/BC-UBND                Tân Hưng, ngày 02 tháng 4 năm 2026\n",
        ("Tân Hưng", "xã"),
    ),
    # a centre under its province: the province's name and level
    (
        "UBND TỈNH HÒA BÌNH                CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG   Độc lập - Tự do - Hạnh phúc\n",
        ("Hòa Bình", "tỉnh"),
    ),
]


@pytest.mark.parametrize(
    ("head", "unit"), LETTERHEADS, ids=["two-levels", "split", "wrapped", "centre"]
)
def test_the_issuer_is_the_letterheads_last_unit_not_the_recipient(head, unit):
    record = extract_text(head + BODY)
    assert (record.unit.name, record.unit.level) == unit


def test_a_word_letterhead_and_a_signature_table(tmp_path: Path):
    head = Table(
        [
            ["UBND HUYỆN BÌNH SƠN\nUBND XÃ TÂN HƯNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
            ["", "Độc lập - Tự do - Hạnh phúc"],
            ["Số: 38/BC-UBND", "Tân Hưng, ngày 05 tháng 4 năm 2026"],
        ],
        header_rows=0,
        borders=False,
    )
    sign = Table(
        [
            [
                "Nơi nhận:\n- UBND huyện Bình Sơn;\n- Lưu: VT.",
                "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n\nTrần Thị Mai",
            ]
        ],
        header_rows=0,
        borders=False,
    )
    body = [Para(line) for line in BODY.strip().split("\n")]
    path = write_docx(tmp_path / "bao_cao.docx", [head, *body, sign])
    record = process_file(path)
    assert (record.unit.name, record.unit.level) == ("Tân Hưng", "xã")
    assert record.report.number == "38/BC-UBND"
    assert "38/BC-UBND" not in {c.symbol for c in record.citations}
    assert (record.report.signer, record.report.signer_title) == ("Trần Thị Mai", "Phó Chủ tịch")


def test_a_text_without_letterhead_is_left_to_the_vote():
    record = extract_text(
        "Năm 2025, UBND xã Tân Hưng tiếp nhận 210 hồ sơ. UBND xã đã chỉ đạo sát sao."
    )
    assert (record.unit.name, record.unit.level) == ("Tân Hưng", "xã")


def test_a_news_item_about_a_report_takes_its_number_and_period():
    record = extract_text(
        "CỔNG THÔNG TIN ĐIỆN TỬ XÃ TÂN HƯNG\n"
        "Xã Tân Hưng: quý I không có hồ sơ trễ hạn\n"
        "Ngày đăng: 06/4/2026. Sáng 05/4, xã sơ kết quý I, triển khai nhiệm vụ quý II năm 2026. "
        "Theo Báo cáo số 21/BC-UBND gửi UBND huyện, quý I xã đã giải quyết 210 hồ sơ."
    )
    assert record.report.number == "21/BC-UBND"
    assert record.report.period_key == "2026-Q1"
