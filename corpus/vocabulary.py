"""Words, names, documents and sentence templates for the sample-district generator.

Kept apart from the generator's logic so the Vietnamese wording can be read and extended
in one place. Every sentence here was written for this project from the domain's vocabulary
(never copied from a real report), and each sentence kind has several templates so the
extractors meet the label variants of ../shared/domain.md rather than one fixed phrasing.

Placeholders in templates are `str.format` names; numbers arrive already formatted in the
report's number style, so a template never formats a number itself.
"""

from __future__ import annotations

from dataclasses import dataclass

# ---------------------------------------------------------------------------------------
# Places and people. Province and district names are invented; commune names are built
# from common place-name syllables, so some may exist somewhere, as place names repeat.

PROVINCES: tuple[str, ...] = ("Bình Lĩnh", "Hà Nguyên", "Thái Lâm", "Quảng Yên Hạ")
DISTRICTS: tuple[str, ...] = ("Kim Trạch", "Phù Lãng", "Hưng Lạc", "An Trì")
TOWNS: tuple[str, ...] = ("Chợ Vàng", "Bến Cả", "Phố Rền")

NAME_FIRST: tuple[str, ...] = (
    "Tân",
    "An",
    "Phú",
    "Thanh",
    "Đông",
    "Xuân",
    "Vĩnh",
    "Hưng",
    "Quang",
    "Minh",
    "Đức",
    "Phúc",
    "Bình",
    "Hợp",
    "Trung",
    "Nghĩa",
    "Ngọc",
    "Cẩm",
    "Liên",
    "Hồng",
    "Thái",
    "Yên",
    "Lạc",
    "Hoàng",
    "Tiên",
    "Đại",
    "Cao",
    "Long",
    "Mỹ",
    "Văn",
)
NAME_SECOND: tuple[str, ...] = (
    "Hòa",
    "Thủy",
    "Lộc",
    "Sơn",
    "Hải",
    "Thịnh",
    "Phong",
    "Lợi",
    "Thành",
    "Tiến",
    "Châu",
    "Lâm",
    "Xá",
    "Khê",
    "Đồng",
    "Mỹ",
    "Hà",
    "Giang",
    "Nguyên",
    "Quý",
    "Thuận",
    "Cường",
    "Dương",
    "Hóa",
    "Trì",
    "Vân",
    "Điền",
    "Kiều",
    "Phương",
    "Tuy",
)
# Names of communes in the seed reports: never reused, so no sample report looks like a seed.
AVOID_NAMES: frozenset[str] = frozenset({"Ngọc Kỳ", "Liên Mạc", "Thanh Thủy", "Thanh Hà"})

SURNAMES: tuple[str, ...] = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Ngô",
    "Dương",
    "Đinh",
    "Trịnh",
    "Phan",
    "Mai",
    "Lương",
    "Tạ",
    "Cao",
)
MIDDLE_NAMES: tuple[str, ...] = (
    "Văn",
    "Thị",
    "Đức",
    "Minh",
    "Quang",
    "Thanh",
    "Ngọc",
    "Hữu",
    "Xuân",
    "Công",
    "Thu",
)
GIVEN_NAMES: tuple[str, ...] = (
    "Hùng",
    "Lan",
    "Tuấn",
    "Hà",
    "Bình",
    "Dũng",
    "Hương",
    "Thắng",
    "Long",
    "Mai",
    "Sơn",
    "Nga",
    "Phong",
    "Quyết",
    "Thảo",
    "Trung",
    "Vinh",
    "Yến",
    "Hiếu",
    "Khánh",
    "Lực",
    "Toàn",
)


# ---------------------------------------------------------------------------------------
# Fields (lĩnh vực) handled at a commune's one-stop desk, with a quarter's typical volume.


@dataclass(frozen=True)
class FieldSpec:
    """A field of procedures: its name as a table row, how many dossiers a commune sees in
    a quarter, and what share of new dossiers arrive online."""

    name: str
    volume: tuple[int, int]
    online_share: tuple[float, float]
    always: bool = False

    @property
    def key(self) -> str:
        """The scope name used in the truth file and in prose breakdowns ("hộ tịch")."""
        return self.name.lower()


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("Hộ tịch", (60, 420), (0.55, 0.95), always=True),
    FieldSpec("Chứng thực", (150, 1400), (0.25, 0.85), always=True),
    FieldSpec("Đất đai", (4, 60), (0.20, 0.70)),
    FieldSpec("Bảo trợ xã hội", (5, 70), (0.50, 0.95)),
    FieldSpec("Người có công", (1, 14), (0.30, 0.90)),
    FieldSpec("Thi đua - khen thưởng", (1, 12), (0.20, 0.80)),
    FieldSpec("Môi trường", (1, 8), (0.30, 0.90)),
)

# Why a dossier ran late, in the commune's own words; the first only for land dossiers.
LATE_REASON_LAND = "hồ sơ phải xác minh thêm nguồn gốc, hiện trạng sử dụng đất"
LATE_REASONS: tuple[str, ...] = (
    "người nộp bổ sung giấy tờ chậm so với thời hạn hẹn trả",
    "phần mềm một cửa gặp sự cố, chưa chuyển được trạng thái hồ sơ đúng ngày",
    "công chức chuyên môn đi tập huấn, việc bàn giao xử lý hồ sơ chưa kịp thời",
)


# ---------------------------------------------------------------------------------------
# Central legal documents: facts from ../shared/data/legal_registry.csv, repeated here so
# the generator runs where shared/ is absent. `subject` is our own short paraphrase.


@dataclass(frozen=True)
class LegalDoc:
    """A document a report can cite. `number_year` is False for symbols without a year
    (1291/QĐ-TTg, 24/KH-UBND)."""

    kind: str
    number: str
    year: int
    code: str
    date: str  # ISO
    issuer: str
    subject: str
    number_year: bool = True

    @property
    def symbol(self) -> str:
        if self.number_year:
            return f"{self.number}/{self.year}/{self.code}"
        return f"{self.number}/{self.code}"


CP = "Chính phủ"
TTG = "Thủ tướng Chính phủ"
VPCP = "Văn phòng Chính phủ"

DECREE_63 = LegalDoc("Nghị định", "63", 2010, "NĐ-CP", "2010-06-08", CP, "công tác kiểm soát TTHC")
DECREE_48 = LegalDoc(
    "Nghị định",
    "48",
    2013,
    "NĐ-CP",
    "2013-05-14",
    CP,
    "sửa đổi các nghị định có liên quan tới kiểm soát TTHC",
)
DECREE_92 = LegalDoc(
    "Nghị định",
    "92",
    2017,
    "NĐ-CP",
    "2017-08-07",
    CP,
    "sửa đổi, bổ sung một số quy định về kiểm soát TTHC",
)
DECREE_61 = LegalDoc(
    "Nghị định",
    "61",
    2018,
    "NĐ-CP",
    "2018-04-23",
    CP,
    "cơ chế một cửa, một cửa liên thông khi giải quyết TTHC",
)
DECREE_45 = LegalDoc(
    "Nghị định", "45", 2020, "NĐ-CP", "2020-04-08", CP, "giải quyết TTHC trên môi trường điện tử"
)
DECREE_107 = LegalDoc(
    "Nghị định",
    "107",
    2021,
    "NĐ-CP",
    "2021-12-06",
    CP,
    "sửa đổi, bổ sung Nghị định về cơ chế một cửa",
)
DECREE_42 = LegalDoc(
    "Nghị định",
    "42",
    2022,
    "NĐ-CP",
    "2022-06-24",
    CP,
    "cung cấp dịch vụ công trực tuyến của cơ quan nhà nước trên môi trường mạng",
)
DECREE_118 = LegalDoc(
    "Nghị định",
    "118",
    2025,
    "NĐ-CP",
    "2025-06-09",
    CP,
    "thực hiện TTHC theo cơ chế một cửa tại Bộ phận Một cửa và trên Cổng Dịch vụ công quốc gia",
)
CIRCULAR_02_2017 = LegalDoc(
    "Thông tư", "02", 2017, "TT-VPCP", "2017-10-31", VPCP, "nghiệp vụ kiểm soát TTHC"
)
CIRCULAR_01_2018 = LegalDoc(
    "Thông tư",
    "01",
    2018,
    "TT-VPCP",
    "2018-11-23",
    VPCP,
    "hướng dẫn cơ chế một cửa, đánh giá việc giải quyết TTHC",
)
DECREE_09_2019 = LegalDoc(
    "Nghị định", "09", 2019, "NĐ-CP", "2019-01-24", CP, "chế độ báo cáo của cơ quan hành chính"
)
CIRCULAR_01_2020 = LegalDoc(
    "Thông tư", "01", 2020, "TT-VPCP", "2020-10-21", VPCP, "chế độ báo cáo định kỳ"
)
CIRCULAR_01_2023 = LegalDoc(
    "Thông tư", "01", 2023, "TT-VPCP", "2023-04-05", VPCP, "số hóa hồ sơ, kết quả giải quyết TTHC"
)
DECISION_1291 = LegalDoc(
    "Quyết định",
    "1291",
    2019,
    "QĐ-TTg",
    "2019-10-07",
    TTG,
    "danh mục dịch vụ công tích hợp trên Cổng Dịch vụ công quốc gia",
    number_year=False,
)
DECISION_468 = LegalDoc(
    "Quyết định",
    "468",
    2021,
    "QĐ-TTg",
    "2021-03-27",
    TTG,
    "Đề án đổi mới việc thực hiện cơ chế một cửa",
    number_year=False,
)
DECISION_766 = LegalDoc(
    "Quyết định",
    "766",
    2022,
    "QĐ-TTg",
    "2022-06-23",
    TTG,
    "Bộ chỉ số đánh giá chất lượng phục vụ người dân, doanh nghiệp",
    number_year=False,
)
DECISION_06 = LegalDoc(
    "Quyết định",
    "06",
    2022,
    "QĐ-TTg",
    "2022-01-06",
    TTG,
    "Đề án phát triển ứng dụng dữ liệu dân cư, định danh điện tử",
    number_year=False,
)

# The one-stop decree in force: 61/2018 until 30/6/2025, 118/2025 from 1/7/2025.
ONE_STOP_BEFORE_2025_07 = DECREE_61
ONE_STOP_FROM_2025_07 = DECREE_118
# Cited besides the one-stop decree, whatever the period.
OTHER_CENTRAL: tuple[LegalDoc, ...] = (
    DECREE_63,
    DECREE_48,
    DECREE_92,
    DECREE_45,
    DECREE_42,
    CIRCULAR_02_2017,
    CIRCULAR_01_2018,
    CIRCULAR_01_2020,
    CIRCULAR_01_2023,
    DECISION_1291,
    DECISION_468,
    DECISION_766,
    DECISION_06,
)
# Cited only before 1/7/2025 (it amends 61/2018, replaced from that day).
BEFORE_2025_07_ONLY: tuple[LegalDoc, ...] = (DECREE_107,)
# Lapsed with 61/2018 on 1/7/2025: from then on a report cites another document in its place
# (the pool keeps its length, so the reports of earlier periods are written as before).
LAPSED_2025_07: dict[LegalDoc, LegalDoc] = {CIRCULAR_01_2018: DECREE_09_2019}

# How a citation is introduced in a list of documents: kind, symbol, date, issuer, subject.
CITATION_TEMPLATES: tuple[str, ...] = (
    "{kind} số {symbol} của {issuer} ngày {date} về {subject}",
    "{kind} số {symbol} do {issuer} ban hành ngày {date} về {subject}",
    "{kind} {symbol} ({date}) của {issuer} về {subject}",
)

# Subjects of the local documents (plans, letters, decisions) of the parent and the commune.
PARENT_PLAN_SUBJECTS: tuple[str, ...] = (
    "kiểm soát TTHC và vận hành Bộ phận Một cửa năm {year}",
    "cải cách hành chính năm {year}",
    "số hóa hồ sơ, kết quả giải quyết TTHC năm {year}",
)
PARENT_LETTER_SUBJECT = "báo cáo định kỳ công tác kiểm soát TTHC {period}"
COMMUNE_DOC_SUBJECTS: tuple[tuple[str, str, str], ...] = (
    # (kind, code, subject)
    ("Kế hoạch", "KH-UBND", "kiểm soát TTHC năm {year} trên địa bàn xã"),
    ("Kế hoạch", "KH-UBND", "tuyên truyền cải cách hành chính năm {year}"),
    ("Quyết định", "QĐ-UBND", "kiện toàn Bộ phận Tiếp nhận và Trả kết quả của xã"),
    ("Kế hoạch", "KH-UBND", "rà soát, đánh giá quy định, TTHC năm {year}"),
    ("Thông báo", "TB-UBND", "phân công công chức trực tại Bộ phận Một cửa"),
)


# ---------------------------------------------------------------------------------------
# Sentences. Headings carry their own numbering; {unit} is "xã" / "thị trấn" / "phường",
# {name} the commune's name as written in this report.

SUBJECTS: tuple[str, ...] = (
    "Về kết quả kiểm soát thủ tục hành chính, vận hành cơ chế một cửa, một cửa liên thông {period}",
    "Tình hình, kết quả kiểm soát TTHC và giải quyết TTHC trên môi trường điện tử {period}",
    "Kết quả công tác kiểm soát TTHC, hoạt động của Bộ phận Một cửa {period}",
    "Công tác kiểm soát TTHC, cải cách TTHC và chuyển đổi số trong giải quyết hồ sơ {period}",
)

OPENINGS: tuple[str, ...] = (
    "Thực hiện chỉ đạo của {parent} về chế độ báo cáo định kỳ, UBND {unit} {name} báo cáo "
    "kết quả thực hiện {period} như sau:",
    "Theo yêu cầu của {parent}, Ủy ban nhân dân {unit} {name} tổng hợp, báo cáo tình hình "
    "kiểm soát TTHC {period} với các nội dung sau:",
    "Căn cứ hướng dẫn của {parent}, UBND {unit} báo cáo kết quả công tác {period} cụ thể như sau:",
)

HEAD_I: tuple[str, ...] = (
    "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",
    "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO VÀ BAN HÀNH VĂN BẢN",
    "I. VIỆC TRIỂN KHAI VĂN BẢN CỦA CẤP TRÊN",
)
HEAD_I_1: tuple[str, ...] = (
    "1. Quán triệt, triển khai văn bản của Trung ương",
    "1. Triển khai các văn bản quy phạm pháp luật về kiểm soát TTHC",
)
CENTRAL_INTROS: tuple[str, ...] = (
    "Thực hiện {docs}, UBND {unit} đã giao Bộ phận Một cửa và công chức chuyên môn bám sát "
    "nhiệm vụ, bảo đảm hồ sơ được tiếp nhận, luân chuyển và trả kết quả đúng quy trình.",
    "Trên cơ sở {docs}, Ủy ban nhân dân {unit} đã phổ biến tới toàn thể cán bộ, công chức và "
    "giao việc cụ thể cho từng bộ phận.",
    "UBND {unit} tiếp tục quán triệt và tổ chức thực hiện nghiêm {docs}.",
    "Các văn bản đang được áp dụng tại {unit} gồm: {docs}.",
)
HEAD_I_2: tuple[str, ...] = (
    "2. Văn bản chỉ đạo của cấp trên và của {unit}",
    "2. Ban hành văn bản triển khai tại địa phương",
)
LOCAL_INTROS: tuple[str, ...] = (
    "Căn cứ {parent_docs}, UBND {unit} đã ban hành {own_docs}, phân công rõ người chịu trách "
    "nhiệm và thời hạn hoàn thành từng nhiệm vụ.",
    "Để cụ thể hóa {parent_docs}, UBND {unit} xây dựng và ban hành {own_docs}.",
    "Bám sát {parent_docs}, trong kỳ UBND {unit} đã ban hành {own_docs}; các văn bản được gửi "
    "tới công chức chuyên môn qua hệ thống quản lý văn bản.",
)
HEAD_I_3: tuple[str, ...] = (
    "3. Công khai TTHC và tiếp nhận phản ánh, kiến nghị",
    "3. Niêm yết, công khai thủ tục hành chính",
)
PUBLISHED: tuple[str, ...] = (
    "Toàn bộ {n} thủ tục hành chính thuộc thẩm quyền giải quyết của cấp xã đã được niêm yết "
    "tại Bộ phận Một cửa và đăng trên Trang thông tin điện tử của {unit}, kèm theo địa chỉ, số "
    "điện thoại tiếp nhận phản ánh.",
    "Hiện {unit} đang công khai {n} TTHC theo danh mục do Chủ tịch UBND tỉnh công bố; danh mục "
    "được cập nhật ngay khi có quyết định sửa đổi, thay thế hoặc bãi bỏ.",
    "Số TTHC được công khai đầy đủ, đúng quy định tại nơi tiếp nhận hồ sơ: {n} thủ tục.",
)
PETITIONS_NONE: tuple[str, ...] = (
    "Trong kỳ, UBND {unit} không nhận được phản ánh, kiến nghị nào của cá nhân, tổ chức về "
    "quy định hành chính.",
    "Không phát sinh phản ánh, kiến nghị liên quan đến việc giải quyết TTHC tại {unit}.",
)
PETITIONS_SOME: tuple[str, ...] = (
    "Trong kỳ có {n} phản ánh, kiến nghị của người dân về thời gian giải quyết hồ sơ; UBND "
    "{unit} đã xem xét và trả lời bằng văn bản trong thời hạn.",
    "UBND {unit} tiếp nhận {n} ý kiến phản ánh qua hòm thư góp ý tại Bộ phận Một cửa, tất cả "
    "đã được giải đáp.",
)

# What the commune did besides handling dossiers (the activities a notice covers). Each
# value is a count the template states; `None` in a tuple's place means "not stated".
REVIEWED_AND_PROPOSED: tuple[str, ...] = (
    "Thực hiện kế hoạch rà soát, đánh giá TTHC, UBND {unit} đã rà soát {reviewed} thủ tục hành "
    "chính, đề xuất đơn giản hóa {proposed} thủ tục.",
    "Qua rà soát {reviewed} TTHC thuộc thẩm quyền, {unit} kiến nghị cấp có thẩm quyền sửa đổi, "
    "bãi bỏ {proposed} thủ tục có quy định không còn phù hợp với thực tế.",
    "Trong kỳ, công chức chuyên môn đã rà soát, đánh giá {reviewed} TTHC; trong đó có {proposed} "
    "TTHC được đề xuất phương án đơn giản hóa gửi cấp trên xem xét.",
)
REVIEWED_NONE_PROPOSED: tuple[str, ...] = (
    "UBND {unit} đã rà soát {reviewed} TTHC thuộc thẩm quyền giải quyết; qua rà soát, không có "
    "đề xuất phương án đơn giản hóa TTHC nào.",
    "Kết quả rà soát {reviewed} thủ tục cho thấy các quy định hiện hành vẫn phù hợp, {unit} "
    "không kiến nghị sửa đổi, bãi bỏ thủ tục nào.",
)
REVIEWED_ONLY: tuple[str, ...] = (
    "Các bộ phận chuyên môn đã hoàn thành rà soát {reviewed} TTHC theo kế hoạch được giao.",
    "Số TTHC được rà soát, đánh giá trong kỳ: {reviewed} thủ tục.",
)
PETITIONS_RESOLVED: tuple[str, ...] = (
    "Đến nay đã giải quyết xong {resolved} phản ánh, kiến nghị; không có phản ánh, kiến nghị "
    "tồn đọng.",
    "Số phản ánh, kiến nghị đã được xử lý: {resolved}.",
    "UBND {unit} đã trả lời {resolved} phản ánh, kiến nghị trong thời hạn quy định.",
)
# Posts about the reform; the two-channel templates state a total split by channel.
POSTS_ONE: tuple[str, ...] = (
    "Trong kỳ, {unit} đăng tải {posts} tin, bài tuyên truyền về cải cách thủ tục hành chính "
    "trên Trang thông tin điện tử.",
    "Công tác tuyên truyền được đẩy mạnh với {posts} tin bài về cải cách hành chính, dịch vụ "
    "công trực tuyến và thanh toán không dùng tiền mặt.",
)
POSTS_TWO: tuple[str, ...] = (
    "Đài truyền thanh {unit} phát {radio} tin về kiểm soát TTHC và dịch vụ công trực tuyến, "
    "trang thông tin điện tử của {unit} đăng {web} bài.",
    "Về tuyên truyền cải cách TTHC, {unit} đã đăng {web} bài viết trên Trang thông tin điện tử "
    "và phát {radio} tin trên hệ thống loa truyền thanh.",
)
ONLINE_SERVICES: tuple[str, ...] = (
    "Hiện {unit} cung cấp {full} dịch vụ công trực tuyến toàn trình và {partial} dịch vụ công "
    "trực tuyến một phần.",
    "Trong tổng số {published} TTHC đang công khai có {full} thủ tục thực hiện trực tuyến toàn "
    "trình và {partial} thủ tục trực tuyến một phần.",
    "Số dịch vụ công trực tuyến mức độ 4 là {full}, mức độ 3 là {partial}.",
)
ONLINE_PAYMENTS: tuple[str, ...] = (
    "Có {payments} hồ sơ được thanh toán phí, lệ phí trực tuyến qua Cổng Dịch vụ công.",
    "Số giao dịch thanh toán trực tuyến phí, lệ phí trong kỳ: {payments}.",
    "UBND {unit} đã hướng dẫn người dân thanh toán trực tuyến cho {payments} hồ sơ.",
)
HEAD_II_DESK: tuple[str, ...] = (
    "Hoạt động của Bộ phận Một cửa",
    "Bộ phận Một cửa và đánh giá sự hài lòng",
)
DESK_STAFF: tuple[str, ...] = (
    "Bộ phận Một cửa của {unit} được bố trí {staff} công chức làm việc thường xuyên, đúng "
    "chuyên môn.",
    "UBND {unit} phân công {staff} công chức trực tại Bộ phận Tiếp nhận và Trả kết quả theo "
    "lịch hằng tuần.",
    "Số công chức làm việc tại Bộ phận Một cửa: {staff} người.",
)
SURVEYS: tuple[str, ...] = (
    "Trong kỳ đã thu về {surveys} phiếu đánh giá mức độ hài lòng của người dân đối với việc "
    "giải quyết TTHC.",
    "Người dân đã thực hiện {surveys} lượt đánh giá sự hài lòng trên Cổng Dịch vụ công và tại "
    "Bộ phận Một cửa.",
    "Số phiếu lấy ý kiến đánh giá sự hài lòng thu về: {surveys}.",
)
DESK_ONLY_WORDS: tuple[str, ...] = (
    "Công chức Bộ phận Một cửa mặc đồng phục, đeo thẻ, niêm yết lịch trực tại nơi tiếp nhận.",
    "Hòm thư góp ý và số điện thoại đường dây nóng được công khai tại Bộ phận Một cửa.",
)

HEAD_II: tuple[str, ...] = (
    "II. KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
    "II. TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC",
    "II. KẾT QUẢ TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ TẠI BỘ PHẬN MỘT CỬA",
)
RESULTS_INTROS: tuple[str, ...] = (
    "Số liệu được tổng hợp từ Hệ thống thông tin giải quyết TTHC của tỉnh cho kỳ báo cáo "
    "{period} (từ ngày {start} đến ngày {end}).",
    "Kỳ báo cáo tính từ ngày {start} đến hết ngày {end}.",
    "Trong {period}, kết quả tiếp nhận và giải quyết hồ sơ như sau:",
)
TABLE_INTROS: tuple[str, ...] = (
    "Kết quả tiếp nhận, giải quyết hồ sơ TTHC {period} theo từng lĩnh vực tại biểu dưới đây "
    "(đơn vị tính: hồ sơ):",
    "Chi tiết số liệu giải quyết hồ sơ theo lĩnh vực như sau (đơn vị: hồ sơ):",
)
TABLE_SUMMARIES: tuple[str, ...] = (
    "Tổng số hồ sơ tiếp nhận trong kỳ là {received_total} hồ sơ, đã giải quyết {resolved_total} "
    "hồ sơ, còn {pending_total} hồ sơ đang giải quyết.",
    "Như vậy, UBND {unit} đã giải quyết {resolved_total} hồ sơ trên tổng số {received_total} "
    "hồ sơ nhận giải quyết.",
)

# Received: every template names the fields it states; the generator picks one whose
# fields suit the report (a planted fault may need received_new to be written).
RECEIVED_TEMPLATES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (
        (
            "received_total",
            "received_new",
            "received_online",
            "received_offline",
            "received_carried_over",
        ),
        (
            "- Tổng số hồ sơ tiếp nhận: {received_total} hồ sơ, trong đó: số mới tiếp nhận "
            "trong kỳ {received_new} hồ sơ ({received_online} hồ sơ trực tuyến, "
            "{received_offline} hồ sơ trực tiếp và qua dịch vụ bưu chính công ích); số từ kỳ "
            "trước chuyển qua {received_carried_over} hồ sơ.",
        ),
    ),
    (
        (
            "received_total",
            "received_new",
            "received_online",
            "received_offline",
            "received_carried_over",
        ),
        (
            "- Tổng số hồ sơ nhận giải quyết: {received_total} hồ sơ.",
            "+ Số kỳ trước chuyển sang: {received_carried_over} hồ sơ;",
            "+ Số mới tiếp nhận: {received_new} hồ sơ, trong đó tiếp nhận qua dịch vụ công "
            "trực tuyến: {received_online} hồ sơ; tiếp nhận trực tiếp: {received_offline} hồ sơ.",
        ),
    ),
    (
        (
            "received_total",
            "received_new",
            "received_online",
            "received_offline",
            "received_carried_over",
        ),
        (
            "Trong kỳ, Bộ phận Một cửa đã tiếp nhận tổng số {received_total} hồ sơ, gồm "
            "{received_carried_over} hồ sơ kỳ trước chuyển sang và {received_new} hồ sơ mới; "
            "trong số hồ sơ mới có {received_online} hồ sơ nộp trực tuyến, {received_offline} "
            "hồ sơ nộp trực tiếp hoặc qua bưu chính.",
        ),
    ),
    (
        ("received_total", "received_online", "received_offline", "received_carried_over"),
        (
            "UBND {unit} đã tiếp nhận {received_total} hồ sơ TTHC (trực tuyến: "
            "{received_online}; trực tiếp, bưu chính: {received_offline}; kỳ trước chuyển qua: "
            "{received_carried_over}).",
        ),
    ),
    (
        ("received_total", "received_new", "received_carried_over"),
        (
            "- Tổng số hồ sơ đã tiếp nhận: {received_total} hồ sơ (số mới tiếp nhận: "
            "{received_new}; từ kỳ trước chuyển qua: {received_carried_over}).",
            "- Hồ sơ nộp qua dịch vụ công trực tuyến: {received_online} hồ sơ; nộp trực tiếp "
            "tại Bộ phận Một cửa: {received_offline} hồ sơ.",
        ),
    ),
)

# Resolved, with early and on time apart or together.
RESOLVED_SPLIT: tuple[str, ...] = (
    "- Số hồ sơ đã giải quyết: {resolved_total} hồ sơ, trong đó trước hạn {resolved_early}, "
    "đúng hạn {resolved_on_time}, quá hạn {resolved_late}.",
    "Đã giải quyết xong {resolved_total} hồ sơ ({resolved_early} hồ sơ trước hạn, "
    "{resolved_on_time} hồ sơ đúng hạn, {resolved_late} hồ sơ trễ hạn).",
    "- Hồ sơ đã giải quyết: {resolved_total}; trong đó: trước hạn: {resolved_early}; đúng hạn: "
    "{resolved_on_time}; quá hạn: {resolved_late}.",
)
RESOLVED_TOGETHER: tuple[tuple[str, ...], ...] = (
    (
        "- Tổng số hồ sơ đã giải quyết: {resolved_total} hồ sơ; trong đó:",
        "+ Giải quyết trước hạn, đúng hạn: {resolved_early_or_on_time} hồ sơ;",
        "+ Trễ hạn: {resolved_late} hồ sơ.",
    ),
    (
        "Số hồ sơ đã có kết quả là {resolved_total} hồ sơ, trong đó trả trước hạn, đúng hạn "
        "{resolved_early_or_on_time} hồ sơ và quá hạn {resolved_late} hồ sơ.",
    ),
)
# The required total announced, its number forgotten (planted fault "missing").
RESOLVED_MISSING: tuple[str, ...] = (
    "- Tổng số hồ sơ đã giải quyết: trong đó:",
    "+ Trước hạn: {resolved_early} hồ sơ;",
    "+ Đúng hạn: {resolved_on_time} hồ sơ;",
    "+ Quá hạn: {resolved_late} hồ sơ.",
)
LATE_BY_FIELD: tuple[str, ...] = (
    "Hồ sơ giải quyết quá hạn thuộc lĩnh vực {items}; nguyên nhân chủ yếu do {reason}.",
    "Các hồ sơ trễ hạn gồm: {items}, do {reason}; UBND {unit} đã gửi thư xin lỗi người dân.",
)

PENDING_SPLIT: tuple[str, ...] = (
    "- Số hồ sơ đang giải quyết: {pending_total} hồ sơ (trong hạn {pending_in_time}, quá hạn "
    "{pending_overdue}).",
    "Hiện còn {pending_total} hồ sơ đang giải quyết, trong đó {pending_in_time} hồ sơ chưa "
    "đến hạn và {pending_overdue} hồ sơ đã quá hạn.",
    "- Đang giải quyết: {pending_total} hồ sơ, gồm: trong hạn {pending_in_time} hồ sơ, quá "
    "hạn {pending_overdue} hồ sơ.",
)
# A pending total said to be all in time: the truth records pending in time by quantifier.
ALL_IN_TIME = "đều còn trong thời hạn"
PENDING_TOTAL_ONLY: tuple[str, ...] = (
    "- Số hồ sơ đang giải quyết: {pending_total} hồ sơ, " + ALL_IN_TIME + " quy định.",
    "Còn {pending_total} hồ sơ đang trong quá trình giải quyết.",
)
RETURNED: tuple[str, ...] = (
    "- Số hồ sơ trả lại do không đủ điều kiện giải quyết: {returned} hồ sơ (đã có phiếu "
    "hướng dẫn, nêu rõ lý do).",
    "Ngoài ra, {returned} hồ sơ bị trả lại hoặc người nộp xin rút, không tính vào số đã giải "
    "quyết.",
)

# Itemized lists by field ("trong đó: hộ tịch 120; chứng thực 310").
BREAKDOWN_FULL: dict[str, tuple[str, ...]] = {
    "received_total": (
        "Phân theo lĩnh vực, hồ sơ tiếp nhận gồm: {items}.",
        "Số hồ sơ tiếp nhận theo lĩnh vực (trong đó: {items}).",
    ),
    "resolved_total": (
        "Hồ sơ đã giải quyết theo lĩnh vực: {items}.",
        "Trong số hồ sơ đã giải quyết có: {items}.",
    ),
}
BREAKDOWN_PARTIAL: tuple[str, ...] = ("Hồ sơ tập trung ở một số lĩnh vực như: {items}...",)

LIEN_THONG: tuple[str, ...] = (
    "Đối với nhóm thủ tục liên thông (khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế "
    "cho trẻ dưới 6 tuổi; khai tử, xóa thường trú, hỗ trợ mai táng phí), UBND {unit} đã tiếp "
    "nhận {received_total} hồ sơ, đã giải quyết {resolved_total} hồ sơ, đang giải quyết "
    "{pending_total} hồ sơ.",
    "Hồ sơ liên thông: tiếp nhận {received_total}, đã giải quyết {resolved_total}, đang giải "
    "quyết {pending_total}.",
)

# Rates. {num}/{den} are counts, {pct} the rate without its sign.
RATE_EXPLICIT: dict[str, tuple[str, ...]] = {
    "online": (
        "- Tỷ lệ hồ sơ tiếp nhận trực tuyến: {num}/{den} = {pct}%.",
        "Số hồ sơ nộp trực tuyến là {num}/{den} hồ sơ, đạt tỷ lệ {pct}%.",
    ),
    "digitized_intake": (
        "- Số hóa thành phần hồ sơ khi tiếp nhận: {num}/{den} hồ sơ = {pct}%.",
        "Số hồ sơ được số hóa thành phần khi tiếp nhận đạt {num}/{den}, tỷ lệ {pct}%.",
    ),
    "digitized_result": (
        "- Số hóa kết quả giải quyết: {num}/{den} hồ sơ = {pct}%.",
        "Kết quả giải quyết được số hóa {num}/{den} hồ sơ, đạt tỷ lệ {pct}%.",
    ),
    "on_time": ("- Tỷ lệ giải quyết trước hạn, đúng hạn: {num}/{den} = {pct}%.",),
}
RATE_BARE: dict[str, tuple[str, ...]] = {
    "online": ("Tỷ lệ hồ sơ trực tuyến trên tổng số hồ sơ mới tiếp nhận đạt {pct}%.",),
    "digitized_intake": ("Tỷ lệ số hóa hồ sơ khi tiếp nhận đạt {pct}%.",),
    "digitized_result": ("Tỷ lệ số hóa kết quả giải quyết TTHC đạt {pct}%.",),
    "on_time": ("Hồ sơ giải quyết trước hạn và đúng hạn chiếm {pct}% số hồ sơ đã có kết quả.",),
}
HEAD_II_RATES: tuple[str, ...] = (
    "Giải quyết TTHC trên môi trường điện tử",
    "Dịch vụ công trực tuyến và số hóa hồ sơ",
)

HEAD_III: tuple[str, ...] = ("III. ĐÁNH GIÁ CHUNG", "III. ĐÁNH GIÁ, NHẬN XÉT")
STRENGTHS: tuple[str, ...] = (
    "Bộ phận Một cửa được bố trí ở vị trí thuận tiện, đủ máy tính, máy quét và ghế chờ cho "
    "người dân.",
    "Công chức tiếp nhận hồ sơ có thái độ niềm nở, hướng dẫn tận tình, không để xảy ra tình "
    "trạng gây phiền hà.",
    "Tỷ lệ hồ sơ nộp trực tuyến tăng rõ so với kỳ trước nhờ tổ công nghệ số cộng đồng hỗ trợ "
    "tận thôn, xóm.",
    "Kết quả giải quyết được cập nhật đầy đủ lên Hệ thống thông tin giải quyết TTHC của tỉnh.",
    "Việc công khai danh mục và quy trình giải quyết được thực hiện kịp thời, người dân dễ "
    "tra cứu.",
)
WEAKNESSES: tuple[str, ...] = (
    "Đường truyền mạng có thời điểm chậm, làm gián đoạn việc số hóa giấy tờ.",
    "Nhiều người cao tuổi chưa quen sử dụng điện thoại thông minh nên vẫn nộp hồ sơ trực tiếp.",
    "Một số công chức kiêm nhiệm nhiều việc nên việc cập nhật trạng thái hồ sơ còn chậm.",
    "Kinh phí cho trang thiết bị của Bộ phận Một cửa còn hạn chế, máy quét đã xuống cấp.",
)
# Restating the pending total in the assessment: same value normally; another value is the
# planted "conflict.value" fault.
PENDING_RESTATED: tuple[str, ...] = (
    "Tính đến ngày lập báo cáo, {unit} còn {pending_total} hồ sơ đang giải quyết và sẽ trả "
    "kết quả đúng hẹn.",
    "Số hồ sơ đang giải quyết chuyển sang kỳ sau là {pending_total} hồ sơ.",
)

HEAD_IV: tuple[str, ...] = (
    "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ VÀ KIẾN NGHỊ",
    "IV. ĐỀ XUẤT, KIẾN NGHỊ",
)
TASKS: tuple[str, ...] = (
    "Tiếp tục duy trì nề nếp hoạt động của Bộ phận Một cửa, trả kết quả đúng hẹn cho người dân.",
    "Đẩy mạnh hướng dẫn người dân nộp hồ sơ trực tuyến toàn trình, thanh toán phí, lệ phí "
    "không dùng tiền mặt.",
    "Số hóa đầy đủ thành phần hồ sơ khi tiếp nhận và kết quả giải quyết theo quy định.",
    "Rà soát, cập nhật kịp thời danh mục TTHC được sửa đổi, bổ sung.",
)
REQUESTS: tuple[str, ...] = (
    "Đề nghị {parent} quan tâm hỗ trợ kinh phí thay thế máy quét, máy tính cho Bộ phận Một cửa.",
    "Đề nghị {parent} tổ chức thêm lớp tập huấn về số hóa hồ sơ cho công chức cấp xã.",
    "Đề nghị đơn vị cung cấp phần mềm khắc phục lỗi đồng bộ trạng thái hồ sơ giữa các hệ thống.",
)
CLOSINGS: tuple[str, ...] = (
    "Trên đây là báo cáo kết quả {period} của UBND {unit} {name}./.",
    "UBND {unit} {name} trân trọng báo cáo./.",
)

# Footnote URLs that a text extraction drops into the body (fictional addresses).
FOOTNOTE_URLS: tuple[str, ...] = (
    "https://vanban.{slug}.gov.vn/van-ban/nghi-dinh-{number}-{year}-nd-cp.html",
    "https://dichvucong.{slug}.gov.vn/huong-dan/{number}-{year}",
)
