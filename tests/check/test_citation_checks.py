"""Citation checks: each rule once where it must fire and once where it must not."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from tests.conftest import SEEDS
from tthc.check.citation_checks import (
    SUBJECT_MIN_CHARS,
    SUBJECT_SIMILARITY,
    check_citations,
    similar_subjects,
)
from tthc.check.registry import Registry, load_registry
from tthc.extract.citations import find_citations
from tthc.load import load
from tthc.normalize.text import normalize
from tthc.schemas import Flag, RawDocument, RawLine

D = dt.date


def flags_for(*lines: str, registry: Registry | None = None, **period: dt.date) -> list[Flag]:
    doc = RawDocument(path="test.txt", format="txt", lines=[RawLine(s) for s in lines])
    return check_citations(find_citations(normalize(doc)), registry=registry, **period)


def only(flags: list[Flag], code: str) -> list[Flag]:
    return [f for f in flags if f.code == code]


def assert_readable(flag: Flag) -> None:
    """A flag an officer can act on: a Vietnamese sentence and where to look."""
    assert flag.message and not any(ch in flag.message for ch in "{}")
    assert flag.evidence and all(e.quote for e in flag.evidence)
    assert flag.severity in ("error", "warning", "info")


# --------------------------------------------------------------------------- citation.code


def test_code_contradicting_the_kind_is_an_error_with_the_registry_symbol() -> None:
    flags = flags_for(
        "Bộ phận Một cửa vận hành theo Nghị định số 61/2018/QĐ-TTg ngày 23 tháng 4 năm 2018 "
        "của Thủ tướng Chính phủ về cơ chế một cửa."
    )
    (flag,) = only(flags, "citation.code")
    assert flag.severity == "error"
    assert flag.suggestion == "61/2018/QĐ-TTg → 61/2018/NĐ-CP"
    assert (flag.expected, flag.actual) == ("NĐ-CP", "QĐ-TTg")
    assert "Nghị định" in flag.message and "QĐ-TTg" in flag.message
    assert_readable(flag)


def test_matching_code_is_not_flagged() -> None:
    flags = flags_for(
        "Bộ phận Một cửa vận hành theo Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 "
        "của Chính phủ về cơ chế một cửa."
    )
    assert only(flags, "citation.code") == []


def test_code_contradicting_the_kind_without_registry_match() -> None:
    (flag,) = only(
        flags_for("Xã ban hành Quyết định số 15/KH-UBND ngày 3/3/2023 về tổ công tác."),
        "citation.code",
    )
    assert flag.severity == "error"
    assert flag.expected == "QĐ-UBND"
    assert flag.suggestion is None


def test_code_issuer_that_cannot_issue_the_kind() -> None:
    (flag,) = only(
        flags_for("Căn cứ Nghị định số 12/2020/NĐ-TTg về công tác văn thư."), "citation.code"
    )
    assert flag.severity == "error"
    assert "Chính phủ" in flag.message


def test_written_issuer_contradicting_a_central_code_is_a_warning() -> None:
    flags = flags_for("Áp dụng Thông tư 01/2018/TT-VPCP ngày 23.11.2018 của Bộ Nội vụ về một cửa.")
    (flag,) = only(flags, "citation.code")
    assert flag.severity == "warning"
    assert (flag.expected, flag.actual) == ("Văn phòng Chính phủ", "Bộ Nội vụ")


@pytest.mark.parametrize(
    "sentence",
    [
        "Áp dụng Thông tư 01/2018/TT-VPCP (23/11/2018) của Văn phòng Chính phủ về một cửa.",
        "Theo Kế hoạch số 5/KH-UBND ngày 2/2/2024 của UBND huyện Gia Lộc về kiểm tra.",
        "Theo Quyết định số 71/QĐ-UBND ngày 2/2/2024 của Chủ tịch UBND tỉnh về công bố TTHC.",
        "Theo Báo cáo số 02/BC-ĐKT ngày 2/2/2024 của Đoàn kiểm tra liên ngành về kết quả.",
        "Theo văn bản số 30/UBND-VP ngày 2/2/2024 của UBND xã về lịch trực.",
    ],
)
def test_consistent_issuers_are_not_flagged(sentence: str) -> None:
    assert only(flags_for(sentence), "citation.code") == []


# --------------------------------------------------------------------------- citation.format


def test_missing_year_is_a_warning_with_the_registry_symbol() -> None:
    (flag,) = only(
        flags_for("Bộ phận Một cửa làm việc theo đúng Nghị định61/NĐ-CP."), "citation.format"
    )
    assert flag.severity == "warning"
    assert flag.suggestion == "61/NĐ-CP → 61/2018/NĐ-CP"
    assert flag.actual == "Nghị định61/NĐ-CP"
    assert "thiếu năm" in flag.message and "viết liền" in flag.message
    assert_readable(flag)


def test_glued_alone_is_info() -> None:
    (flag,) = only(
        flags_for("Xã đã thực hiện Quyết định1291/QĐ-TTg của Thủ tướng."), "citation.format"
    )
    assert flag.severity == "info"


def test_spaced_symbol_is_info() -> None:
    (flag,) = only(
        flags_for("Xã đã thực hiện Kế hoạch số 24 /KH-UBND ngày 22/2/2022."), "citation.format"
    )
    assert flag.severity == "info"
    assert "24/KH-UBND" in flag.message


def test_unknown_code_is_a_warning() -> None:
    (flag,) = only(
        flags_for("Theo Quyết định số 9/QDX-UBND ngày 2/2/2024 về thành lập tổ."), "citation.format"
    )
    assert flag.severity == "warning"


def test_well_formed_symbols_are_not_flagged() -> None:
    flags = flags_for(
        "Căn cứ Quyết định số 1291/QĐ-TTg ngày 7 tháng 10 năm 2019 của Thủ tướng Chính phủ; "
        "Kế hoạch số 24/KH-UBND ngày 22/02/2022; văn bản số 339/UBND-TTPVHCC của UBND xã."
    )
    assert only(flags, "citation.format") == []


# --------------------------------------------------------------------------- citation.date


def test_date_contradicting_the_registry_is_an_error() -> None:
    flags = flags_for("Xã tuân thủ Nghị định số 45/2020/NĐ-CP ngày 08/5/2020 của Chính phủ.")
    (flag,) = only(flags, "citation.date")
    assert flag.severity == "error"
    assert (flag.expected, flag.actual) == ("2020-04-08", "2020-05-08")
    assert any(e.quote == "08/5/2020" for e in flag.evidence)
    assert_readable(flag)


def test_date_matching_the_registry_is_not_flagged() -> None:
    flags = flags_for(
        "Xã tuân thủ Nghị định số 45/2020/NĐ-CP ngày 08 tháng 4 năm 2020 của Chính phủ."
    )
    assert only(flags, "citation.date") == []


def test_unverified_registry_row_never_raises_an_error() -> None:
    flags = flags_for("Danh mục theo Quyết định số 1291/QĐ-TTg ngày 17/10/2019 của Thủ tướng.")
    (flag,) = only(flags, "citation.date")
    assert flag.severity == "warning"


def test_symbol_without_year_of_another_year_is_another_document() -> None:
    flags = flags_for("Thực hiện Quyết định số 1291/QĐ-TTg ngày 5/3/2021 của Thủ tướng.")
    assert only(flags, "citation.date") == []


def test_year_of_symbol_and_date_disagree() -> None:
    flags = flags_for("Triển khai Quyết định số 50/2020/QĐ-UBND ngày 16/10/2021 của UBND tỉnh.")
    (flag,) = only(flags, "citation.date")
    assert flag.severity == "error"
    assert flag.expected == 2020


def test_citation_dated_after_the_report() -> None:
    line = "Thực hiện Kế hoạch số 70/KH-UBND ngày 20/9/2023 của UBND xã về chuyển đổi số."
    (flag,) = only(flags_for(line, report_date=D(2023, 9, 15)), "citation.date")
    assert flag.severity == "warning"
    assert only(flags_for(line, report_date=D(2023, 9, 25)), "citation.date") == []


# --------------------------------------------------------------------------- citation.conflict


def test_one_symbol_two_dates_same_issuer_is_an_error() -> None:
    flags = flags_for(
        "- Thông báo số 9/TB-UBND ngày 06/3/2023 của UBND xã về lịch tiếp dân;",
        "- Thông báo số 9/TB-UBND ngày 16/3/2023 của UBND xã về lịch tiếp dân.",
    )
    (flag,) = only(flags, "citation.conflict")
    assert flag.severity == "error"
    assert flag.actual == ["2023-03-06", "2023-03-16"]
    assert {e.quote for e in flag.evidence} >= {"06/3/2023", "16/3/2023"}
    assert_readable(flag)


def test_one_symbol_two_dates_one_issuer_unstated_is_a_warning() -> None:
    flags = flags_for(
        "- Thông báo số 9/TB-UBND ngày 06/3/2023 (tháng 2);",
        "- Thông báo số 9/TB-UBND ngày 16/3/2023 của UBND xã về lịch tiếp dân.",
    )
    (flag,) = only(flags, "citation.conflict")
    assert flag.severity == "warning"


def test_same_number_from_two_registers_is_no_date_conflict() -> None:
    flags = flags_for(
        "- Kế hoạch số 9/KH-UBND ngày 06/3/2023 của UBND huyện về tuyên truyền;",
        "- Kế hoạch số 9/KH-UBND ngày 16/1/2023 của UBND xã về văn hóa công sở.",
    )
    assert only(flags, "citation.conflict") == []


def test_one_symbol_two_issuers_is_a_warning() -> None:
    flags = flags_for(
        "- Kế hoạch số 20/KH-UBND ngày 1/3/2023 của UBND xã về tuyên truyền;",
        "- tiếp tục Kế hoạch số 20/KH-UBND ngày 1/3/2023 của UBND huyện về tuyên truyền.",
    )
    (flag,) = only(flags, "citation.conflict")
    assert flag.severity == "warning"
    assert flag.actual == ["UBND xã", "UBND huyện"]


def test_one_symbol_issuer_stated_once_is_no_conflict() -> None:
    flags = flags_for(
        "- Kế hoạch số 20/KH-UBND ngày 1/3/2023 của UBND xã về tuyên truyền;",
        "- tiếp tục Kế hoạch số 20/KH-UBND ngày 1/3/2023 đã nêu.",
    )
    assert only(flags, "citation.conflict") == []


SAME_SUBJECT = "kiểm tra công vụ, kỷ luật hành chính năm 2024 trên địa bàn xã"


def test_two_numbers_same_day_same_subject_is_a_warning() -> None:
    flags = flags_for(
        f"- Kế hoạch số 12/KH-UBND ngày 5/1/2024 của UBND xã về việc {SAME_SUBJECT};",
        f"- Kế hoạch số 14/KH-UBND ngày 5/1/2024 của UBND xã về việc {SAME_SUBJECT.capitalize()}.",
    )
    (flag,) = only(flags, "citation.conflict")
    assert flag.severity == "warning"
    assert flag.actual == ["12/KH-UBND", "14/KH-UBND"]
    assert_readable(flag)


@pytest.mark.parametrize(
    ("second_date", "second_subject"),
    [
        ("5/1/2024", "tuyên truyền cải cách hành chính năm 2024 trên địa bàn xã"),
        ("6/1/2024", SAME_SUBJECT),
    ],
)
def test_other_subject_or_other_day_is_no_duplicate(second_date: str, second_subject: str) -> None:
    flags = flags_for(
        f"- Kế hoạch số 12/KH-UBND ngày 5/1/2024 của UBND xã về việc {SAME_SUBJECT};",
        f"- Kế hoạch số 14/KH-UBND ngày {second_date} của UBND xã về việc {second_subject}.",
    )
    assert only(flags, "citation.conflict") == []


def test_subject_similarity_threshold_is_a_named_constant() -> None:
    assert 0 < SUBJECT_SIMILARITY <= 100 and SUBJECT_MIN_CHARS > 0
    assert similar_subjects(SAME_SUBJECT, SAME_SUBJECT.upper() + ".")
    assert not similar_subjects("tháng 5", "tháng 5")


def test_numbers_going_back_in_time_is_a_warning() -> None:
    flags = flags_for(
        "- Kế hoạch số 35/KH-UBND ngày 20/4/2023 của UBND xã về phòng cháy;",
        "- Kế hoạch số 40/KH-UBND ngày 10/3/2023 của UBND xã về chuyển đổi số.",
    )
    (flag,) = only(flags, "citation.conflict")
    assert flag.severity == "warning"
    assert flag.actual == ["40/KH-UBND", "35/KH-UBND"]
    assert_readable(flag)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("ngày 10/3/2023 của UBND xã", "ngày 20/4/2023 của UBND xã"),  # in order
        ("ngày 20/4/2023 của UBND huyện", "ngày 10/3/2023 của UBND xã"),  # two registers
        ("ngày 20/4/2022 của UBND xã", "ngày 10/3/2023 của UBND xã"),  # two years
        ("ngày 20/4/2023", "ngày 10/3/2023 của UBND xã"),  # issuer unstated
    ],
)
def test_numbers_in_order_or_in_other_registers_are_not_flagged(first: str, second: str) -> None:
    flags = flags_for(
        f"- Kế hoạch số 35/KH-UBND {first} về phòng cháy;",
        f"- Kế hoạch số 40/KH-UBND {second} về chuyển đổi số.",
    )
    assert only(flags, "citation.conflict") == []


# --------------------------------------------------------------------------- citation.superseded

DECREE_61 = "Bộ phận Một cửa vận hành theo Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của Chính phủ."


def test_replaced_document_cited_after_its_replacement_is_a_warning() -> None:
    flags = flags_for(DECREE_61, period_start=D(2025, 7, 1), period_end=D(2025, 9, 30))
    (flag,) = only(flags, "citation.superseded")
    assert flag.severity == "warning"
    assert flag.suggestion == "61/2018/NĐ-CP → 118/2025/NĐ-CP"
    assert "01/07/2025" in flag.message
    assert_readable(flag)


def test_period_straddling_the_replacement_is_info() -> None:
    flags = flags_for(DECREE_61, period_start=D(2025, 1, 1), period_end=D(2025, 9, 30))
    (flag,) = only(flags, "citation.superseded")
    assert flag.severity == "info"


def test_period_before_the_replacement_is_not_flagged() -> None:
    flags = flags_for(DECREE_61, period_start=D(2024, 12, 15), period_end=D(2025, 6, 14))
    assert only(flags, "citation.superseded") == []
    assert only(flags_for(DECREE_61), "citation.superseded") == []


def test_report_date_stands_in_for_the_period() -> None:
    late = only(flags_for(DECREE_61, report_date=D(2025, 12, 10)), "citation.superseded")
    assert [f.severity for f in late] == ["warning"]
    early = only(flags_for(DECREE_61, report_date=D(2025, 7, 10)), "citation.superseded")
    assert [f.severity for f in early] == ["info"]


def test_document_never_replaced_is_not_flagged() -> None:
    line = "Thực hiện Nghị định số 45/2020/NĐ-CP ngày 08 tháng 4 năm 2020 của Chính phủ."
    assert only(flags_for(line, period_start=D(2025, 7, 1)), "citation.superseded") == []


# --------------------------------------------------------------------------- registry confidence


def _all_rows_as(confidence: str) -> Registry:
    return Registry(
        [dataclasses.replace(d, confidence=confidence) for d in load_registry().documents]
    )


@pytest.mark.parametrize("confidence", ["unverified", "partly verified"])
def test_unconfirmed_rows_never_raise_errors_on_their_own(confidence: str) -> None:
    registry = _all_rows_as(confidence)
    flags = flags_for(
        "Xã tuân thủ Nghị định số 45/2020/NĐ-CP ngày 08/5/2020 của Chính phủ;",
        DECREE_61,
        registry=registry,
        period_start=D(2025, 8, 1),
        period_end=D(2025, 9, 30),
    )
    assert only(flags, "citation.date") and only(flags, "citation.superseded")
    assert all(f.severity != "error" for f in flags)


def test_verified_rows_keep_their_severity() -> None:
    flags = flags_for("Xã tuân thủ Nghị định số 45/2020/NĐ-CP ngày 08/5/2020 của Chính phủ.")
    assert [f.severity for f in only(flags, "citation.date")] == ["error"]


def test_clean_citations_raise_nothing() -> None:
    flags = flags_for(
        "Căn cứ Nghị định số 63/2010/NĐ-CP ngày 8 tháng 6 năm 2010 của Chính phủ về kiểm soát TTHC; "
        "Thông tư số 02/2017/TT-VPCP ngày 31/10/2017 của Văn phòng Chính phủ; "
        "Kế hoạch số 3/KH-UBND ngày 5/1/2023 của UBND xã về kiểm soát TTHC năm 2023.",
        period_start=D(2022, 12, 15),
        period_end=D(2023, 6, 14),
        report_date=D(2023, 6, 20),
    )
    assert flags == []


# --------------------------------------------------------------------------- seeds


def seed_flags(prefix: str, **period: dt.date) -> list[Flag]:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not available")
    paths = sorted(SEEDS.glob(f"{prefix}_*"))
    if not paths:
        pytest.skip(f"seed {prefix} is not available")
    return check_citations(find_citations(normalize(load(paths[0]))), **period)


def test_seed_000_wrong_code_and_missing_year() -> None:
    flags = seed_flags("000", period_start=D(2021, 12, 15), period_end=D(2022, 12, 14))
    (code,) = only(flags, "citation.code")
    assert code.suggestion == "61/2018/QĐ-TTg → 61/2018/NĐ-CP"
    assert code.severity == "error"
    assert len(code.evidence) == 3
    (fmt,) = only(flags, "citation.format")
    assert fmt.actual == "Nghị định61/NĐ-CP"
    assert "thiếu năm" in fmt.message
    assert fmt.suggestion == "61/NĐ-CP → 61/2018/NĐ-CP"


def test_seed_004_conflicting_notice_dates_and_duplicate_plans() -> None:
    flags = only(
        seed_flags("004", period_start=D(2023, 1, 1), period_end=D(2023, 9, 15)),
        "citation.conflict",
    )
    dates = [f for f in flags if f.actual == ["2023-05-22", "2023-06-07"]]
    assert len(dates) == 1 and "17/TB-UBND" in dates[0].message
    plans = [f for f in flags if f.actual == ["33/KH-UBND", "31/KH-UBND"]]
    assert len(plans) == 1 and "31/12/2022" in plans[0].message


@pytest.mark.parametrize("prefix", ["001", "002"])
def test_seeds_without_citation_mistakes_raise_no_errors(prefix: str) -> None:
    flags = seed_flags(prefix, period_start=D(2021, 1, 1), period_end=D(2023, 7, 20))
    assert [f for f in flags if f.severity == "error"] == []


# --------------------------------------------------------------------------- the rules of 2025–26

Q3_2025 = {"period_start": D(2025, 7, 1), "period_end": D(2025, 9, 30)}
Q2_2025 = {"period_start": D(2025, 4, 1), "period_end": D(2025, 6, 30)}
Q1_2026 = {"period_start": D(2026, 1, 1), "period_end": D(2026, 3, 31)}


def test_a_cong_dien_and_a_merger_resolution_are_known_kinds_and_codes() -> None:
    flags = flags_for(
        "Thực hiện Công điện số 101/CĐ-TTg ngày 29/6/2025 của Thủ tướng Chính phủ về liên thông "
        "dữ liệu; Nghị quyết số 1656/NQ-UBTVQH15 ngày 16/6/2025 của Ủy ban Thường vụ Quốc hội "
        "về sắp xếp các đơn vị hành chính cấp xã.",
        **Q3_2025,
    )
    assert flags == []


def test_a_dotted_number_is_looked_up_in_the_registry() -> None:
    right = (
        "Triển khai Nghị quyết số 66.7/2025/NQ-CP ngày 15/11/2025 của Chính phủ về cắt giảm TTHC."
    )
    assert flags_for(right, **Q1_2026) == []
    wrong = right.replace("15/11/2025", "15/10/2025")
    (flag,) = only(flags_for(wrong, **Q1_2026), "citation.date")
    assert "66.7/2025/NQ-CP" in flag.message and flag.expected == "2025-11-15"
    assert_readable(flag)


COMMUNE_DECISION = (
    "Ban hành Quyết định số 05/2025/QĐ-UBND ngày {date} của UBND xã Tân Hòa về quy chế "
    "hoạt động của Bộ phận Một cửa."
)


def test_a_commune_normative_decision_dated_when_communes_could_not_issue_one() -> None:
    (flag,) = only(
        flags_for(COMMUNE_DECISION.format(date="12/5/2025"), **Q2_2025), "citation.window"
    )
    assert flag.severity == "warning" and flag.actual == "2025-05-12"
    assert "05/2025/QĐ-UBND" in flag.message and "30/6/2025" in flag.message
    assert_readable(flag)


@pytest.mark.parametrize(
    "line",
    [
        COMMUNE_DECISION.format(date="12/8/2025"),  # communes may issue them again from 1/7/2025
        COMMUNE_DECISION.format(date="20/3/2025"),  # before the 2025 law took effect
        COMMUNE_DECISION.format(date="12/5/2025").replace("05/2025/QĐ", "05/QĐ"),  # no year: not
        COMMUNE_DECISION.format(date="12/5/2025").replace("xã Tân Hòa", "tỉnh Bình Lĩnh"),
    ],
    ids=["after", "before", "not-normative", "province"],
)
def test_other_decisions_are_not_flagged_for_the_window(line: str) -> None:
    assert only(flags_for(line, **Q2_2025), "citation.window") == []


CIRCULAR_01_2018 = (
    "Thực hiện Thông tư số 01/2018/TT-VPCP ngày 23/11/2018 của Văn phòng Chính phủ hướng dẫn "
    "thi hành một số quy định của Nghị định số 61/2018/NĐ-CP."
)


def test_circular_01_2018_cited_for_a_period_after_the_reform_is_superseded() -> None:
    flags = {
        f.actual: f for f in only(flags_for(CIRCULAR_01_2018, **Q3_2025), "citation.superseded")
    }
    assert sorted(flags) == ["01/2018/TT-VPCP", "61/2018/NĐ-CP"]  # the decree it guides, too
    flag = flags["01/2018/TT-VPCP"]
    assert flag.severity == "warning"
    assert "03/2025/TT-VPCP" in flag.message
    assert only(flags_for(CIRCULAR_01_2018, **Q2_2025), "citation.superseded") == []


DECREE_118 = (
    "Thực hiện Nghị định số 118/2025/NĐ-CP ngày 09/6/2025 của Chính phủ về thực hiện thủ tục "
    "hành chính theo cơ chế một cửa, một cửa liên thông{more}."
)


def test_118_2025_cited_without_its_amendment_in_force() -> None:
    (flag,) = only(flags_for(DECREE_118.format(more=""), **Q1_2026), "citation.amended")
    assert flag.severity == "info" and flag.expected == ["367/2025/NĐ-CP"]
    assert "367/2025/NĐ-CP" in flag.message and "309/2026" not in flag.message
    assert_readable(flag)
    # cited with it, or for a period before the amendment, nothing to say
    with_it = DECREE_118.format(more=", được sửa đổi bởi Nghị định số 367/2025/NĐ-CP")
    assert only(flags_for(with_it, **Q1_2026), "citation.amended") == []
    assert only(flags_for(DECREE_118.format(more=""), **Q3_2025), "citation.amended") == []
