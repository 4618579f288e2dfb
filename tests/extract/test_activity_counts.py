"""The activity counts (tthc/extract/activity_counts.py): what a commune did besides handling
dossiers, read into Period.metrics with evidence, on sentences written for these tests, on
the shared seeds (read from ../shared, skipped when absent), and on generated districts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus import generate
from tests.conftest import extract_text, seed_path
from tthc.evaluate.records import MetricScore, score_metrics
from tthc.extract.activity_counts import ACTIVITY_KEYS, RULES_FILE, RulesError, load_rules
from tthc.process import read_file
from tthc.schemas import Record
from tthc.schemas.names import field_label

REPORT_HEAD = (
    "BÁO CÁO\nKết quả kiểm soát thủ tục hành chính quý I năm 2025 của UBND xã Tân Lạc\n"
    "I. KẾT QUẢ THỰC HIỆN\n"
)


def read(body: str) -> Record:
    """A short report of xã Tân Lạc, Quý I/2025, whose body is `body`."""
    return extract_text(REPORT_HEAD + body)


def counts(record: Record) -> dict[str, int]:
    """Activity counts of every period, by key (a test with one period)."""
    return {k: v for p in record.periods for k, v in p.metrics.items() if k in ACTIVITY_KEYS}


def by_period(record: Record) -> dict[tuple[str | None, str], int]:
    return {
        (p.key, k): v for p in record.periods for k, v in p.metrics.items() if k in ACTIVITY_KEYS
    }


def evidence(record: Record, key: str):
    return next(p.evidence[key] for p in record.periods if key in p.metrics)


# ------------------------------------------------------------------------------ what is read
@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # procedures published / posted
        ("Xã hiện đang niêm yết 128 TTHC tại nơi tiếp nhận.", {"procedures_published": 128}),
        (
            "Tất cả 117 thủ tục hành chính thuộc thẩm quyền của UBND xã đã được công khai "
            "trên trang thông tin điện tử.",
            {"procedures_published": 117},
        ),
        (
            "- Số TTHC được công khai tại Bộ phận Một cửa: 121 thủ tục.",
            {"procedures_published": 121},
        ),
        # review and simplification, several counts in one sentence
        (
            "Trong quý, UBND xã rà soát 18 TTHC, đề xuất đơn giản hóa 03 thủ tục.",
            {"procedures_reviewed": 18, "procedures_simplification_proposed": 3},
        ),
        (
            "Qua rà soát 9 thủ tục, xã kiến nghị cơ quan có thẩm quyền bãi bỏ 1 thủ tục.",
            {"procedures_reviewed": 9, "procedures_simplification_proposed": 1},
        ),
        # petitions received and handled
        (
            "UBND xã tiếp nhận 04 phản ánh, kiến nghị của công dân, đã giải quyết xong 03.",
            {"petitions_received": 4, "petitions_resolved": 3},
        ),
        ("Trong kỳ có 2 ý kiến phản ánh về thái độ phục vụ.", {"petitions_received": 2}),
        (
            "Trong kỳ tiếp nhận 7 phản ánh, kiến nghị, đã xử lý 6.",
            {"petitions_received": 7, "petitions_resolved": 6},
        ),
        (
            "- Số phản ánh, kiến nghị đã được trả lời: 05.\n",
            {"petitions_resolved": 5},
        ),
        # online services, by kind and by the older levels (4 → full, 3 → partial)
        (
            "Xã đang triển khai 52 dịch vụ công trực tuyến toàn trình và 37 dịch vụ công "
            "trực tuyến một phần.",
            {"online_services_full": 52, "online_services_partial": 37},
        ),
        (
            "Hiện có 96 thủ tục trực tuyến (mức độ 3: 58; mức độ 4: 38).",
            {"online_services_partial": 58, "online_services_full": 38},
        ),
        ("Có 41 TTHC được cung cấp trực tuyến toàn trình.", {"online_services_full": 41}),
        # online payments
        (
            "Người dân đã thanh toán phí, lệ phí trực tuyến cho 87 hồ sơ.",
            {"online_payments": 87},
        ),
        ("Có 63 giao dịch thanh toán qua Cổng Dịch vụ công.", {"online_payments": 63}),
        # satisfaction surveys
        ("Bộ phận Một cửa đã thu về 412 phiếu khảo sát.", {"satisfaction_surveys": 412}),
        (
            "Có 350 lượt đánh giá sự hài lòng qua mã QR tại quầy.",
            {"satisfaction_surveys": 350},
        ),
        # desk staff
        (
            "UBND xã bố trí 06 công chức làm việc tại Bộ phận Một cửa.",
            {"desk_staff": 6},
        ),
        (
            "Bộ phận Tiếp nhận và Trả kết quả của xã hiện có 5 công chức.",
            {"desk_staff": 5},
        ),
        # one phrase naming two counts; counts of one sentence that add up
        (
            "Trong quý, xã đã tiếp nhận, xử lý 03 phản ánh, kiến nghị về hộ tịch.",
            {"petitions_received": 3, "petitions_resolved": 3},
        ),
        (
            "Bộ phận Một cửa của xã có 04 công chức, 01 viên chức.",
            {"desk_staff": 5},
        ),
        (
            "Quý này thu về 210 phiếu đánh giá giấy và 95 lượt đánh giá trên Cổng Dịch vụ công.",
            {"satisfaction_surveys": 305},
        ),
        (
            "Tổng số lượt đánh giá: 1.050 lượt, trong đó rất hài lòng 1.000 lượt, hài lòng 50 lượt.",
            {"satisfaction_surveys": 1050},
        ),
        (
            "Xã có 03 công chức kiêm nhiệm làm việc tại Bộ phận Một cửa.",
            {"desk_staff": 3},
        ),
        # news posts: one count, and two channels that make one total
        (
            "Xã đã đăng 14 tin, bài tuyên truyền cải cách TTHC trên trang thông tin điện tử.",
            {"communication_posts": 14},
        ),
        (
            "Về tuyên truyền dịch vụ công, loa truyền thanh phát 9 tin và trang thông tin "
            "điện tử đăng 4 bài.",
            {"communication_posts": 13},
        ),
    ],
)
def test_counts_are_read(body: str, expected: dict[str, int]) -> None:
    assert counts(read(body)) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Trong quý, UBND xã không nhận được phản ánh, kiến nghị nào về quy định hành chính.",
            {"petitions_received": 0},
        ),
        ("Không phát sinh phản ánh kiến nghị trong kỳ báo cáo.", {"petitions_received": 0}),
        (
            "Qua rà soát, xã không có đề xuất đơn giản hóa thủ tục nào.",
            {"procedures_simplification_proposed": 0},
        ),
        # none left open is not none received
        ("Không có phản ánh, kiến nghị nào quá hạn chưa giải quyết.", {}),
    ],
)
def test_a_stated_none_is_a_zero(body: str, expected: dict[str, int]) -> None:
    assert counts(read(body)) == expected


@pytest.mark.parametrize(
    "body",
    [
        # a date, a money amount, households, a rank, a change, a rate, a ratio
        "Ngày 12/3/2025 xã niêm yết bổ sung danh mục thủ tục.",
        "Công chức Bộ phận Một cửa được hỗ trợ 300.000 đồng mỗi tháng.",
        "Xã đã hướng dẫn 120 hộ gia đình thanh toán trực tuyến.",
        "Chỉ số cải cách hành chính của xã xếp thứ 4/12 toàn huyện.",
        "Số phiếu đánh giá tăng 35 phiếu so với quý trước.",
        "Tỷ lệ thanh toán trực tuyến đạt 36,5% số hồ sơ.",
        "Có 40/52 hồ sơ được thanh toán trực tuyến.",
        # people the desk serves, trains or pays
        "Công chức Bộ phận Một cửa đã hướng dẫn 215 người nộp hồ sơ trực tuyến.",
        "Chế độ phụ cấp cho công chức làm việc tại Bộ phận Một cửa mới áp dụng được cho 02 người.",
        "Xã tổ chức tập huấn cho 24 cán bộ, công chức về dịch vụ công trực tuyến.",
        # an index or both levels at once
        "Xã triển khai dịch vụ công trực tuyến mức độ 3 và mức độ 4.",
        "Số thủ tục trực tuyến mức độ 3, 4 là 88 thủ tục.",
        # counts of another unit or level
        "Xã Phú Lộc tiếp nhận 3 phản ánh, kiến nghị trong quý.",
        "UBND huyện đã công bố 45 TTHC mới cho cấp xã.",
        "Toàn huyện thu về 2.150 phiếu đánh giá sự hài lòng.",
        "Một số xã có số phản ánh nhiều: Tân Lập 03, Hòa Bình 02.",
        "Thôn Đông Hạ có 2 phản ánh về đường giao thông nông thôn.",
        "Công an xã tiếp nhận 04 phản ánh, kiến nghị về cư trú.",
        # new or amended procedures are not the list
        "Xã đã niêm yết 12 TTHC mới ban hành, sửa đổi trong quý.",
        # a word inside another ("thông tin"), a label of two things, a table row number
        "Số lượt truy cập trang thông tin điện tử tuyên truyền cải cách TTHC: 2.300.",
        "Số lượng tin bài, văn bản đăng về cải cách TTHC 310, phần lớn là văn bản.",
        "Không có kiến nghị phản ánh 3.",
        # website posts that are not about the reform
        "Trang thông tin điện tử của xã đăng 85 tin bài về kinh tế, văn hóa, xã hội.",
        # a count of reviews of procedures is not a count of survey forms
        "Các đơn vị đã rà soát, đánh giá 89 lượt thủ tục hành chính.",
        # procedures counted for the dossiers they drew
        "Trong quý có 37 TTHC phát sinh hồ sơ tại Bộ phận Một cửa.",
    ],
)
def test_other_numbers_never_fill_a_count(body: str) -> None:
    assert counts(read(body)) == {}


def test_a_part_is_not_a_second_value() -> None:
    record = read(
        "Xã tiếp nhận 05 phản ánh, kiến nghị, trong đó 03 phản ánh về đất đai, 02 phản ánh "
        "về hộ tịch."
    )
    assert counts(record) == {"petitions_received": 5}
    assert not [c for p in record.periods for c in p.conflicts]


def test_counts_of_several_periods_go_to_their_periods() -> None:
    record = read(
        "Năm 2023 có 640 phiếu đánh giá; năm 2024 có 712 phiếu và quý I năm 2025 có 180 phiếu."
    )
    assert by_period(record) == {
        ("2023", "satisfaction_surveys"): 640,
        ("2024", "satisfaction_surveys"): 712,
        ("2025-Q1", "satisfaction_surveys"): 180,
    }


def test_approximate_counts_keep_their_value_and_say_so() -> None:
    record = read("Quý này có hơn 1.200 phiếu đánh giá của người dân.")
    assert counts(record) == {"satisfaction_surveys": 1200}
    ev = evidence(record, "satisfaction_surveys")
    assert ev.approx and ev.quote.startswith("hơn 1.200")
    thousands = read("Quý này có gần 2 nghìn lượt đánh giá trên Cổng Dịch vụ công.")
    assert counts(thousands) == {"satisfaction_surveys": 2000}
    assert evidence(thousands, "satisfaction_surveys").approx
    exact = read("Quý này có 980 phiếu đánh giá.")
    assert not evidence(exact, "satisfaction_surveys").approx


def test_evidence_points_at_the_count() -> None:
    record = read("Hiện xã đang công khai 131 TTHC theo danh mục của tỉnh.")
    ev = evidence(record, "procedures_published")
    assert ev.quote == "công khai 131 TTHC"
    assert record.periods[0].key == "2025-Q1"


def test_english_number_style_and_old_tone_marks() -> None:
    record = read("Xã thu về 1,305 phiếu đánh giá; đề xuất đơn giản hoá 2 TTHC.")
    assert counts(record) == {"satisfaction_surveys": 1305, "procedures_simplification_proposed": 2}


def test_every_count_has_an_officers_label() -> None:
    for key in ACTIVITY_KEYS:
        assert field_label(key) != key, key


# ------------------------------------------------------------------------------ the rules file
def _rules_with(tmp_path: Path, old: str, new: str) -> Path:
    text = RULES_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "activities.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_the_shipped_rules_load() -> None:
    rules = load_rules()
    assert set(rules.metrics) == ACTIVITY_KEYS
    assert "petitions_received" in ACTIVITY_KEYS and "desk_staff" in ACTIVITY_KEYS


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ('key = "desk_staff"', 'key = "desk_staff"\ncuez = ["x"]', ["desk_staff", "cuez"]),
        ('kind = "blocker"', 'kind = "blocked"', ["blocked"]),
        ('units = ["staff"]', 'units = ["staf"]', ["desk_staff", "staf"]),
        ('default = "petitions_received"', 'default = "petitions_got"', ["petitions_got"]),
        (
            'metrics = ["petitions_received", "petitions_resolved"]',
            'metrics = ["petitions_received", "petitions_solved"]',
            ["petitions_received_and_handled", "petitions_solved"],
        ),
        ('"hài lòng", "khảo sát"', '"hài lòng(", "khảo sát"', ["satisfaction_surveys"]),
    ],
)
def test_a_mistake_in_the_rules_names_file_and_entry(
    tmp_path: Path, old: str, new: str, words: list[str]
) -> None:
    with pytest.raises(RulesError) as err:
        load_rules(_rules_with(tmp_path, old, new))
    message = str(err.value)
    assert message.startswith("activities.toml:")
    for word in words:
        assert word in message


# ------------------------------------------------------------------------------ the seeds
def _seed_quotes_are_in(path: Path, record: Record) -> None:
    text = " ".join(path.read_text(encoding="utf-8").split())
    for p in record.periods:
        for key in p.metrics:
            if key in ACTIVITY_KEYS:
                assert " ".join(p.evidence[key].quote.split()) in text


def test_seed_000_states_no_petitions_and_no_proposals() -> None:
    path = seed_path("000")
    record = read_file(path)
    assert by_period(record) == {
        ("2022", "petitions_received"): 0,
        ("2022", "procedures_simplification_proposed"): 0,
    }
    _seed_quotes_are_in(path, record)


def test_seed_001_per_year_counts() -> None:
    path = seed_path("001")
    record = read_file(path)
    found = by_period(record)
    # procedures published and satisfaction forms, for each of the three periods
    for key, values in {
        "procedures_published": (119, 132, 138),
        "satisfaction_surveys": (731, 1639, 685),
    }.items():
        assert [found.get((p, key)) for p in ("2021", "2022", "2023-M5")] == list(values)
    # online services by level (3 → partial, 4 → full), as they stand now
    assert found[("2023-M5", "online_services_partial")] == 65
    assert found[("2023-M5", "online_services_full")] == 43
    # two channels of posts about the reform, one total over the report's period
    report = record.report.period_key
    assert found[(report, "communication_posts")] == 102 + 60
    assert found[(report, "procedures_simplification_proposed")] == 0
    # the two officials paid an allowance are not the desk's staff; website posts on every
    # subject are not posts about the reform
    assert not [k for _, k in found if k == "desk_staff"]
    assert set(found.values()) <= {119, 132, 138, 731, 1639, 685, 65, 43, 162, 0}
    _seed_quotes_are_in(path, record)


def test_seed_notice_and_plan_give_no_commune_count() -> None:
    notice = read_file(seed_path("002"))
    assert by_period(notice) == {}  # district-wide statements, and one office's petition
    plan = read_file(seed_path("004"))
    assert set(by_period(plan).values()) == {0}  # "không tiếp nhận phản ánh, kiến nghị nào"


# ------------------------------------------------------------------------------ generated districts
@pytest.mark.parametrize(
    ("communes", "seed", "period"), [(8, 3, "Quý I năm 2025"), (8, 41, "Quý III năm 2025")]
)
def test_generated_reports_state_their_counts_and_are_read(
    tmp_path: Path, communes: int, seed: int, period: str
) -> None:
    truth = generate.generate_district(tmp_path, communes, seed, period)
    score = MetricScore()
    for report in truth["reports"]:
        record = read_file(tmp_path / report["path"])
        score_metrics(record.to_json(), report, score)
    stated = {k for r in truth["reports"] for k in r["metrics"] if k in ACTIVITY_KEYS}
    assert stated == ACTIVITY_KEYS  # every kind of count is written somewhere
    assert score.expected > 5 * communes
    assert (score.found, score.wrong, score.missed, score.extra) == (score.expected, [], [], [])


def test_activity_sentences_draw_no_randomness_from_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writing the activity sentences leaves every other figure, fault and choice as it was:
    the district without them has the same truth apart from the counts."""
    with_them = generate.generate_district(tmp_path / "with", 12, 77)
    for name in ("review_paras", "posts_paras", "online_activity_paras"):
        monkeypatch.setattr(generate, name, lambda ctx: [])
    monkeypatch.setattr(generate, "petitions_resolved_paras", lambda ctx, received: [])
    monkeypatch.setattr(generate, "desk_paras", lambda ctx, number: [])
    without = generate.generate_district(tmp_path / "without", 12, 77)

    def rest(truth: dict) -> str:
        reports = [
            {k: v for k, v in r.items() if k not in ("metrics", "txt_damage")}
            for r in truth["reports"]
        ]
        district = {k: v for k, v in truth["district"].items() if k != "activities"}
        district["statements"] = {
            k: v for k, v in district["statements"].items() if not k.startswith("activity.")
        }
        return json.dumps(
            {**truth, "reports": reports, "district": district}, ensure_ascii=False, sort_keys=True
        )

    assert rest(with_them) == rest(without)
    assert with_them["reports"] != without["reports"]


def test_activity_values_fit_the_report(tmp_path: Path) -> None:
    truth = generate.generate_district(tmp_path, 10, 515)
    for r in truth["reports"]:
        m = r["metrics"]
        d = r["scopes"][0]["dossiers"]
        if "petitions_resolved" in m:
            assert m["petitions_resolved"] <= m["petitions_received"]
        if "online_services_full" in m:
            assert (
                m["online_services_full"] + m["online_services_partial"]
                <= m["procedures_published"]
            )
        if "procedures_simplification_proposed" in m:
            assert m["procedures_simplification_proposed"] <= m["procedures_reviewed"]
        if "online_payments" in m and d["received_online"] is not None:
            assert m["online_payments"] <= d["received_online"]
