"""Legal-citation extraction: symbols, kinds, dates, issuers, subjects, mentions; seed recall."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import SEEDS
from tthc.extract.citations import (
    GLUED,
    NO_YEAR,
    SPACED,
    UNKNOWN_CODE,
    code_rules,
    find_citations,
    issuers_compatible,
    symbol_key,
)
from tthc.load import load
from tthc.normalize.text import normalize
from tthc.schemas import Citation, RawDocument, RawLine, Text

D = dt.date


def make_text(*lines: str) -> Text:
    """Normalized text of a small report written line by line."""
    doc = RawDocument(path="test.txt", format="txt", lines=[RawLine(s) for s in lines])
    return normalize(doc)


def cite(*lines: str) -> list[Citation]:
    return find_citations(make_text(*lines))


def one(*lines: str) -> Citation:
    found = cite(*lines)
    assert len(found) == 1, [c.symbol for c in found]
    return found[0]


# --------------------------------------------------------------------------- a full citation


def test_full_citation_with_every_part() -> None:
    c = one(
        "Xã đã tổ chức thực hiện Nghị định số 45/2020/NĐ-CP ngày 08 tháng 4 năm 2020 của Chính phủ "
        "về giải quyết thủ tục hành chính qua môi trường mạng; kết quả khả quan."
    )
    assert (c.kind, c.number, c.year, c.code) == ("Nghị định", "45", 2020, "NĐ-CP")
    assert c.symbol == "45/2020/NĐ-CP"
    assert c.date == D(2020, 4, 8)
    assert c.issuer == "Chính phủ"
    assert c.subject == "giải quyết thủ tục hành chính qua môi trường mạng"
    assert c.problems == []
    assert c.evidence.quote == "Nghị định số 45/2020/NĐ-CP ngày 08 tháng 4 năm 2020 của Chính phủ"
    assert c.date_evidence is not None and c.date_evidence.quote == "ngày 08 tháng 4 năm 2020"
    assert c.mentions == [c.evidence]


def test_evidence_offsets_point_into_the_text() -> None:
    text = make_text(
        "Dòng mở đầu.", "Theo Kế hoạch số 9/KH-UBND ngày 2/3/2023 của UBND xã An Bình."
    )
    (c,) = find_citations(text)
    assert text.text[c.evidence.start : c.evidence.end] == c.evidence.quote
    assert c.evidence.line == 2
    assert c.evidence.source_line == 2


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("ngày 23 tháng 4 năm 2018", D(2018, 4, 23)),
        (", ngày 15/8/2023", D(2023, 8, 15)),
        ("ngày 22 tháng 02 năm 2022", D(2022, 2, 22)),
        ("ngày 21.08.2023", D(2023, 8, 21)),
        ("ban hành ngày 3-5-2021", D(2021, 5, 3)),
    ],
)
def test_date_after_the_symbol(written: str, expected: dt.date) -> None:
    c = one(f"Căn cứ Quyết định số 210/QĐ-UBND {written} của UBND huyện Gia Lộc.")
    assert c.date == expected


def test_date_opening_the_sentence() -> None:
    c = one("Ngày 18/7/2025, UBND xã có văn bản số 63/UBND-TTPVHCC gửi các thôn để triển khai.")
    assert c.symbol == "63/UBND-TTPVHCC"
    assert c.kind == "Công văn"
    assert c.date == D(2025, 7, 18)
    assert c.issuer == "UBND xã"


def test_a_date_not_opening_the_sentence_is_not_taken() -> None:
    c = one("Đến hết ngày 30/6/2024, xã tiếp tục áp dụng văn bản số 7/UBND-VP của huyện.")
    assert c.date is None


def test_a_number_not_followed_by_ngay_is_no_date() -> None:
    c = one("Thực hiện Kế hoạch số 12/KH-UBND 15/3/2023 bị ghi thiếu chữ ngày.")
    assert c.date is None


# --------------------------------------------------------------------------- issuers


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("của Chính Phủ", "Chính phủ"),
        ("của Thủ tướng Chính phủ", "Thủ tướng Chính phủ"),
        ("của Văn phòng Chính phủ", "Văn phòng Chính phủ"),
        ("của UBND tỉnh Hải Dương", "UBND tỉnh Hải Dương"),
        ("của ủy ban nhân dân huyện Kim Thành", "UBND huyện Kim Thành"),
        ("của Uỷ ban nhân dân thị trấn Phú Thái", "UBND thị trấn Phú Thái"),
        ("của Chủ tịch UBND tỉnh", "Chủ tịch UBND tỉnh"),
        ("của UBND huyện", "UBND huyện"),
        ("của Đoàn kiểm tra liên ngành huyện", "Đoàn kiểm tra liên ngành huyện"),
    ],
)
def test_issuer_is_normalized(written: str, expected: str) -> None:
    c = one(f"Thực hiện Kế hoạch số 31/KH-UBND ngày 2/2/2024 {written} về việc rà soát TTHC.")
    assert c.issuer == expected
    assert c.subject == "rà soát TTHC"


def test_place_name_stops_before_a_verb() -> None:
    c = one("Quyết định số 88/QĐ-UBND ngày 4/1/2024 của UBND tỉnh Nam Định Ban hành danh mục.")
    assert c.issuer == "UBND tỉnh Nam Định"
    assert c.subject == "Ban hành danh mục"


def test_issuer_before_the_kind_word() -> None:
    c = one("- UBND xã xây dựng và ban hành Kế hoạch số 5/KH-UBND ngày 9/1/2024 về chuyển đổi số.")
    assert c.issuer == "UBND xã"
    assert c.subject == "chuyển đổi số"


def test_issuers_compatible() -> None:
    assert issuers_compatible("UBND huyện", "UBND huyện Thanh Hà")
    assert issuers_compatible("Chủ tịch UBND tỉnh Hải Dương", "UBND tỉnh")
    assert issuers_compatible(None, "UBND xã")
    assert not issuers_compatible("UBND xã", "UBND huyện")
    assert not issuers_compatible("Chính phủ", "Thủ tướng Chính phủ")


# --------------------------------------------------------------------------- subjects


@pytest.mark.parametrize(
    ("after", "subject"),
    [
        (
            "về việc tăng cường kỷ luật hành chính; và các văn bản khác",
            "tăng cường kỷ luật hành chính",
        ),
        ("về công tác văn thư lưu trữ. Xã đã thực hiện", "công tác văn thư lưu trữ"),
        (
            "ban hành quy chế làm việc của Bộ phận Một cửa.",
            "ban hành quy chế làm việc của Bộ phận Một cửa",
        ),
        (
            "hướng dẫn chấm điểm cải cách hành chính (kèm phụ lục)",
            "hướng dẫn chấm điểm cải cách hành chính",
        ),
        ("(tháng 3)", None),
    ],
)
def test_subject(after: str, subject: str | None) -> None:
    c = one(f"Theo Hướng dẫn số 14/HD-UBND ngày 6/6/2023 của UBND huyện {after}")
    assert c.subject == subject


def test_subject_stops_at_the_next_citation() -> None:
    first, second = cite(
        "Thực hiện Kế hoạch số 40/KH-UBND ngày 1/2/2024 về số hóa hồ sơ "
        "Quyết định số 41/QĐ-UBND ngày 2/2/2024 về kiện toàn tổ công tác."
    )
    assert first.subject == "số hóa hồ sơ"
    assert second.subject == "kiện toàn tổ công tác"


def test_subject_naming_another_document_keeps_its_symbol() -> None:
    first, second = cite(
        "Thông tư 01/2018/TT-VPCP (23/11/2018) của Văn phòng Chính phủ hướng dẫn "
        "một số điều của Nghị định số 61/2018/NĐ-CP được áp dụng tại xã."
    )
    assert first.subject == "hướng dẫn một số điều của Nghị định số 61/2018/NĐ-CP"
    assert second.symbol == "61/2018/NĐ-CP"


# --------------------------------------------------------------------------- articles


def test_article_of_a_document() -> None:
    c = one("Việc chấm điểm theo Điều 15 Thông tư 01/2018/TT-VPCP ngày 23.11.2018 của VPCP.")
    assert c.article == "Điều 15"
    assert c.kind == "Thông tư"
    assert c.evidence.quote.startswith("Điều 15 Thông tư")


def test_article_with_clause_and_several_articles() -> None:
    c = one("Trách nhiệm nêu tại khoản 2 Điều 7 và Điều 9 Nghị định số 63/2010/NĐ-CP đã rõ.")
    assert c.article == "khoản 2 Điều 7 và Điều 9"


# --------------------------------------------------------------------------- kinds from codes


@pytest.mark.parametrize(
    ("symbol", "kind"),
    [
        ("12/2019/NĐ-CP", "Nghị định"),
        ("733/QĐ-TTg", "Quyết định"),
        ("05/2021/TT-BNV", "Thông tư"),
        ("77/KH-UBND", "Kế hoạch"),
        ("16/BC-UBND", "Báo cáo"),
        ("3/TB-UBND", "Thông báo"),
        ("8/TTr-UBND", "Tờ trình"),
        ("2/HD-UBND", "Hướng dẫn"),
        ("4/CT-TTg", "Chỉ thị"),
        ("30/NQ-CP", "Nghị quyết"),
        ("99/2025/QH15", "Luật"),
        ("764/UBND-VP", "Công văn"),
        ("339/UBND-TTPVHCC", "Công văn"),
    ],
)
def test_kind_inferred_from_the_code(symbol: str, kind: str) -> None:
    c = one(f"Các xã tiếp tục thực hiện theo {symbol} đã được phổ biến.")
    assert c.kind == kind
    assert c.symbol == symbol


def test_written_kind_wins_over_the_code() -> None:
    c = one("Căn cứ Nghị định số 61/2018/QĐ-TTg ngày 23 tháng 4 năm 2018 của Thủ tướng Chính phủ.")
    assert c.kind == "Nghị định"
    assert c.code == "QĐ-TTg"


def test_generic_word_lets_the_code_decide() -> None:
    assert one("Đã có văn bản số 24/KH-UBND gửi các ngành.").kind == "Kế hoạch"
    assert one("Đã có văn bản số 25/UBND-VP gửi các ngành.").kind == "Công văn"


def test_kind_table_is_data() -> None:
    rules = code_rules()
    assert rules.kind_of_code("TTr-UBND") == "Tờ trình"
    assert rules.kind_of_code("QH13") == "Luật"
    assert rules.kind_of_code("UBND-VP") == "Công văn"
    assert rules.split_code("NĐ-CP").issuer.name == "Chính phủ"
    assert rules.canonical_token("ttg") == "TTg"


# --------------------------------------------------------------------------- symbol format


@pytest.mark.parametrize(
    ("written", "symbol"),
    [
        ("61/2018/ NĐ-CP", "61/2018/NĐ-CP"),
        ("24 /KH-UBND", "24/KH-UBND"),
        ("45/2020/NĐ- CP", "45/2020/NĐ-CP"),
        ("10/TTR-UBND", "10/TTr-UBND"),
        ("1291/qđ-ttg", "1291/QĐ-TTg"),
    ],
)
def test_symbol_is_normalized(written: str, symbol: str) -> None:
    c = one(f"Tiếp tục triển khai văn bản số {written} trên địa bàn.")
    assert c.symbol == symbol
    assert c.raw == written
    assert (SPACED in c.problems) == (" " in written)


def test_blank_left_by_a_line_join_is_not_spaced() -> None:
    c = one("Thực hiện Nghị định số 45/2020/", "NĐ-CP của Chính phủ về thủ tục điện tử.")
    assert c.symbol == "45/2020/NĐ-CP"
    assert SPACED not in c.problems


def test_hyphen_split_over_lines_is_glued_back() -> None:
    c = one(
        "Trong quý, các bộ phận chuyên môn đã bám sát và thực hiện Kế hoạch số 48/KH-",
        "UBND ngày 30 tháng 3 năm 2023 của UBND huyện về kiểm tra.",
    )
    assert c.symbol == "48/KH-UBND"
    assert c.problems == []


def test_kind_glued_to_the_number_and_missing_year() -> None:
    c = one("Xã làm đúng quy định tại Nghị định61/NĐ-CP.")
    assert c.symbol == "61/NĐ-CP"
    assert c.kind == "Nghị định"
    assert set(c.problems) == {GLUED, NO_YEAR}
    assert c.evidence.quote == "Nghị định61/NĐ-CP"


@pytest.mark.parametrize(
    ("written", "missing_year"),
    [
        ("Thông tư số 02/TT-VPCP", True),
        ("Luật số 20/QH15", True),
        ("Quyết định số 1291/QĐ-TTg", False),
        ("Kế hoạch số 24/KH-UBND", False),
        ("Nghị quyết số 76/NQ-CP", False),
    ],
)
def test_missing_year_only_for_normative_kinds(written: str, missing_year: bool) -> None:
    c = one(f"Căn cứ {written}, xã triển khai thực hiện.")
    assert (NO_YEAR in c.problems) == missing_year


def test_unknown_code_after_a_kind_word() -> None:
    c = one("Theo Quyết định số 12/XYZ-UBND ngày 5/1/2024 của UBND huyện.")
    assert c.problems == [UNKNOWN_CODE]
    assert c.symbol == "12/XYZ-UBND"


# --------------------------------------------------------------------------- not citations


@pytest.mark.parametrize(
    "sentence",
    [
        "Áp dụng hệ thống quản lý chất lượng theo TCVN ISO 9001:2015 tại cơ quan.",
        "Hồ sơ trực tuyến đạt 1.164/1.639 hồ sơ, bằng 71,02%.",
        "Trong quý 1/2023 và ngày 15/3/2023 không phát sinh phản ánh.",
        "Công dân chưa khớp số CMND/CCCD với số điện thoại.",
        "Mức hỗ trợ 300.000 đồng/người/tháng cho công chức một cửa.",
        "Chi tiết có Biểu số 01 và Biểu số 02 kèm theo.",
        "Đã cấp 93/93 tài khoản, đạt 100%; 78/93 = 83,4%.",
        "(Kèm theo Báo cáo số     /BC-UBND ngày 15 tháng 9 năm 2023 của UBND xã)",
        "Tổng số TTHC/danh mục TTHC năm 2022/Quý IV là 132; tỷ lệ 12/TTHC.",
        "Kỳ báo cáo từ 15/12/2022-20/7/2023, bắt đầu thu phí từ 01/7//2023.",
    ],
)
def test_not_a_citation(sentence: str) -> None:
    assert cite(sentence) == []


# --------------------------------------------------------------------------- mentions


def test_mentions_of_one_document_are_merged() -> None:
    c = one(
        "Căn cứ Thông tư số 02/2017/TT-VPCP của Văn phòng Chính phủ.",
        "Xã tiếp tục thực hiện Thông tư số 02/2017/TT-VPCP ngày 31/10/2017.",
        "Kết quả chấm điểm theo Thông tư 02/2017/TT-VPCP đạt yêu cầu.",
    )
    assert len(c.mentions) == 3
    assert c.evidence == c.mentions[0]
    assert c.date == D(2017, 10, 31)
    assert c.date_evidence is not None and c.date_evidence.line == 2
    assert c.issuer == "Văn phòng Chính phủ"


def test_fullest_issuer_spelling_is_kept() -> None:
    c = one(
        "Kế hoạch số 6/KH-UBND ngày 3/1/2023 của UBND huyện đã triển khai.",
        "Kế hoạch số 6/KH-UBND ngày 3/1/2023 của UBND huyện Ninh Giang được tổng kết.",
    )
    assert c.issuer == "UBND huyện Ninh Giang"


def test_same_symbol_with_another_date_is_a_separate_entry() -> None:
    found = cite(
        "- Thông báo số 9/TB-UBND ngày 06/3/2023 về lịch trực;",
        "- Thông báo số 9/TB-UBND ngày 16/3/2023 về lịch trực.",
    )
    assert [c.date for c in found] == [D(2023, 3, 6), D(2023, 3, 16)]
    assert all(c.symbol == "9/TB-UBND" for c in found)


def test_same_symbol_with_another_issuer_is_a_separate_entry() -> None:
    found = cite(
        "- Kế hoạch số 20/KH-UBND ngày 1/3/2023 của UBND xã về tuyên truyền;",
        "- Kế hoạch số 20/KH-UBND ngày 1/3/2023 của UBND huyện về tuyên truyền.",
    )
    assert [c.issuer for c in found] == ["UBND xã", "UBND huyện"]


def test_leading_zeros_do_not_split_a_document() -> None:
    c = one("Thông báo số 01/TB-UBND ngày 6/2/2023 và thông báo số 1/TB-UBND nói trên.")
    assert len(c.mentions) == 2
    assert symbol_key("01/TB-UBND") == symbol_key("1/tb-ubnd")


def test_large_text_is_handled() -> None:
    line = "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của Chính phủ về một cửa; tỷ lệ 98,5%."
    text = make_text(*([line] * 1200))
    assert len(text.text) > 100_000
    (c,) = find_citations(text)
    assert len(c.mentions) == 1200


# --------------------------------------------------------------------------- seeds

# Every citation of each seed, listed by hand: (symbol, date, issuer where the text states it).
SEED_CITATIONS: dict[str, list[tuple[str, dt.date | None, str | None]]] = {
    "000": [
        ("61/2018/QĐ-TTg", D(2018, 4, 23), "Thủ tướng Chính phủ"),
        ("6181/KH-UBND", D(2021, 12, 29), "UBND huyện"),
        ("24/KH-UBND", D(2022, 2, 22), "UBND huyện Thanh Hà"),
        ("07/2016/QĐ-UBND", D(2016, 4, 29), "UBND tỉnh Hải Dương"),
        ("63/2010/NĐ-CP", None, "Chính phủ"),
        ("61/NĐ-CP", None, None),
    ],
    "001": [
        ("63/2010/NĐ-CP", D(2010, 6, 8), "Chính phủ"),
        ("02/2017/TT-VPCP", D(2017, 10, 31), "Văn phòng Chính phủ"),
        ("01/2020/TT-VPCP", D(2020, 10, 21), "Văn phòng Chính phủ"),
        ("61/2018/NĐ-CP", D(2018, 4, 23), "Chính phủ"),
        ("45/2020/NĐ-CP", D(2020, 4, 8), "Chính phủ"),
        ("1217/QĐ-UBND", D(2022, 5, 12), "UBND tỉnh Hải Dương"),
        ("01/2018/TT-VPCP", D(2018, 11, 23), "Văn phòng Chính phủ"),
        ("1291/QĐ-TTg", D(2019, 10, 7), "Thủ tướng Chính phủ"),
        ("23/KH-UBND", D(2023, 2, 28), "UBND xã"),
        ("764/UBND-VP", D(2022, 3, 23), "UBND tỉnh"),
        ("26/KH-UBND", D(2023, 2, 14), "UBND huyện Tứ Kỳ"),
        ("11/KH-UBND", D(2023, 2, 15), "UBND xã"),
        ("50/2020/QĐ-UBND", D(2020, 10, 16), "UBND tỉnh"),
    ],
    "002": [
        ("34/KH-UBND", D(2023, 3, 9), "UBND huyện Thanh Hà"),
        ("48/KH-UBND", D(2023, 3, 30), "UBND huyện Thanh Hà"),
        ("01/BC-ĐKT", D(2023, 8, 15), "Đoàn kiểm tra thủ tục hành chính"),
        ("63/2010/NĐ-CP", D(2010, 6, 8), "Chính phủ"),
        ("3704/QĐ-UBND", D(2022, 12, 30), "Chủ tịch UBND tỉnh Hải Dương"),
        ("484/QĐ-UBND", D(2023, 3, 24), "Chủ tịch UBND tỉnh"),
        ("895/QĐ-UBND", D(2023, 5, 15), "Chủ tịch UBND tỉnh"),
        ("01/2018/TT-VPCP", D(2018, 11, 23), "Văn phòng Chính phủ"),
        ("45/2020/NĐ-CP", None, None),
    ],
    "004": [
        ("17/KH-UBND", D(2023, 3, 14), "UBND xã"),
        ("27/KH-UBND", D(2023, 3, 30), None),
        ("33/KH-UBND", D(2022, 12, 31), "UBND xã"),
        ("22/TB-UBND", D(2023, 8, 21), "UBND xã"),
        ("46/BC-UBND", D(2023, 6, 5), "UBND xã Thanh Thủy"),
        ("01/TB-UBND", D(2023, 2, 6), None),
        ("4/TB-UBND", D(2023, 3, 6), None),
        ("10/TB-UBND", D(2023, 4, 11), None),
        ("15/TB-UBND", D(2023, 5, 8), None),
        ("17/TB-UBND", D(2023, 6, 7), None),
        ("18/TB-UBND", D(2023, 7, 3), None),
        ("21/TB-UBND", D(2023, 8, 7), None),
        ("24/TB-UBND", D(2023, 9, 5), None),
        ("17/TB-UBND", D(2023, 5, 22), "UBND xã"),
        ("23/BC-UBND", D(2023, 4, 6), "UBND xã"),
        ("31/KH-UBND", D(2022, 12, 31), "UBND xã"),
        ("17/KH-UBND", D(2023, 3, 14), "UBND huyện"),
        ("15/BC-UBND", D(2023, 3, 15), "UBND xã"),
    ],
}


def seed_citations(prefix: str) -> list[Citation]:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not available")
    paths = sorted(SEEDS.glob(f"{prefix}_*"))
    if not paths:
        pytest.skip(f"seed {prefix} is not available")
    return find_citations(normalize(load(paths[0])))


def recall_precision(prefix: str) -> tuple[float, float]:
    """Share of hand-listed citations found (symbol, date, issuer), share of found that are real."""
    gold = SEED_CITATIONS[prefix]
    found = seed_citations(prefix)
    got = [(c.symbol, c.date, c.issuer) for c in found]
    hits = sum(
        any(s == gs and d == gd and (gi is None or i == gi) for s, d, i in got)
        for gs, gd, gi in gold
    )
    real = {(s, d) for s, d, _ in gold}
    correct = sum((c.symbol, c.date) in real for c in found)
    return hits / len(gold), (correct / len(found) if found else 1.0)


@pytest.mark.parametrize("prefix", sorted(SEED_CITATIONS))
def test_seed_recall_and_precision(prefix: str) -> None:
    recall, precision = recall_precision(prefix)
    assert recall >= 0.95
    assert precision == 1.0


def test_seed_000_merges_repeated_mentions() -> None:
    by_symbol = {c.symbol: c for c in seed_citations("000")}
    wrong = by_symbol["61/2018/QĐ-TTg"]
    assert wrong.kind == "Nghị định" and len(wrong.mentions) == 3
    assert by_symbol["61/NĐ-CP"].problems == [GLUED, NO_YEAR]
    assert by_symbol["24/KH-UBND"].date_evidence.quote == "ngày 22 tháng 02 năm 2022"


def test_seed_001_article_and_letter() -> None:
    by_symbol = {c.symbol: c for c in seed_citations("001")}
    assert by_symbol["01/2018/TT-VPCP"].article == "Điều 15"
    assert by_symbol["764/UBND-VP"].kind == "Công văn"


def test_seed_004_keeps_conflicting_entries_apart() -> None:
    found = seed_citations("004")
    notices = [c for c in found if c.symbol == "17/TB-UBND"]
    assert sorted(c.date for c in notices) == [D(2023, 5, 22), D(2023, 6, 7)]
    assert not any(c.symbol.startswith("/") for c in found)


# --------------------------------------------------------------------------- 2025–26 symbols


@pytest.mark.parametrize(
    ("written", "kind", "number", "year", "code"),
    [
        ("Công điện số 101/CĐ-TTg", "Công điện", "101", None, "CĐ-TTg"),
        ("văn bản số 242/CĐ-TTg", "Công điện", "242", None, "CĐ-TTg"),
        ("Nghị quyết số 66.7/2025/NQ-CP", "Nghị quyết", "66.7", 2025, "NQ-CP"),
        ("Nghị quyết số 1656/NQ-UBTVQH15", "Nghị quyết", "1656", None, "NQ-UBTVQH15"),
    ],
)
def test_symbols_of_2025_and_2026(
    written: str, kind: str, number: str, year: int | None, code: str
) -> None:
    c = one(f"Các xã tiếp tục thực hiện {written} trên địa bàn.")
    assert (c.kind, c.number, c.year, c.code) == (kind, number, year, code)


@pytest.mark.parametrize(
    "sentence",
    [
        "Tỷ lệ đạt 98.5/100 điểm.",  # a score, not a symbol
        "Đã giải quyết 1.234/1.250 hồ sơ.",  # a count over a count
    ],
)
def test_a_dotted_number_is_not_taken_from_figures(sentence: str) -> None:
    assert cite(sentence) == []
