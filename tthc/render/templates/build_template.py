"""Build `thong_bao_ket_luan.docx`, the editable template of the draft notice.

Run once (python3 -m tthc.render.templates.build_template) and commit the .docx: from
then on the office edits the .docx itself in Word or LibreOffice, and the code that fills
it (tthc/render/notice.py) never changes for a change of wording. This script exists so
the first version is reproducible and laid out exactly as Nghị định 30/2020/NĐ-CP asks:
A4, margins 20/15/30/20 mm (top/right/left/bottom), Times New Roman, the two-column
agency/motto header, the title, the body, "Nơi nhận" and the signature block side by side,
page numbers from page 2.

The body below is written in a small markup, so the Vietnamese text reads as text:
`[[…]]` is a placeholder only a person can fill (highlighted yellow), `**…**` is bold,
`__…__` is italic; `{{ … }}` and `{% … %}` are docxtpl/Jinja tags (see
tthc/render/README.md for what each variable holds). A line that is only a
`{%p … %}` tag is a paragraph-level tag: docxtpl removes that paragraph.
"""

from __future__ import annotations

import sys
from pathlib import Path

import regex
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

TEMPLATE = Path(__file__).with_name("thong_bao_ket_luan.docx")
FONT = "Times New Roman"
BODY_PT = 14
TEXT_WIDTH_CM = 16.5  # A4 210 mm - left 30 mm - right 15 mm

# ---------------------------------------------------------------- the body text
# One entry per paragraph: (kind, text). Kinds: "h1" section heading, "h2" sub-heading,
# "p" body paragraph (first line indented), "tag" a {%p …%} tag alone, "note" italic.
BODY: list[tuple[str, str]] = [
    ("tag", "{%p for w in warnings %}"),
    ("p", "**[[Lưu ý khi soát dự thảo: {{ w }}]]**"),
    ("tag", "{%p endfor %}"),
    ("tag", "{%p for g in grounds %}"),
    ("p", "{{ g }}"),
    ("tag", "{%p endfor %}"),
    (
        "p",
        "Thực hiện [[Kế hoạch số …/KH-UBND ngày …/…/{{ period_year }} của {{ committee }} về "
        "kiểm tra việc kiểm soát thủ tục hành chính và cơ chế một cửa, một cửa liên thông]];",
    ),
    (
        "p",
        "Căn cứ báo cáo {{ period }}{% if period_span %} ({{ period_span }}){% endif %} của "
        "UBND các {{ communes_word }} và kết quả kiểm tra trực tiếp tại [[tên các đơn vị được "
        "kiểm tra trực tiếp]], {{ issuer }} thông báo kết luận kiểm tra như sau:",
    ),
    ("h1", "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO"),
    (
        "p",
        "- [[Đoàn kiểm tra nhận xét việc ban hành và triển khai kế hoạch kiểm soát thủ tục "
        "hành chính, kế hoạch rà soát, đánh giá thủ tục hành chính, kế hoạch truyền thông của "
        "các đơn vị.]]",
    ),
    ("tag", "{%p if roster_given %}"),
    (
        "p",
        "- Về chế độ báo cáo: {{ n_reported }}/{{ n_units }} đơn vị đã gửi báo cáo {{ period }}"
        "{% if unreadable %}; {{ n_unreadable }} đơn vị gửi tệp không đọc được nội dung "
        "({{ unreadable_text }}), cần gửi lại bản điện tử{% endif %}{% if not_report %}; "
        "{{ n_not_report }} đơn vị gửi văn bản không phải báo cáo {{ period }} "
        "({{ not_report_text }}){% endif %}{% if missing %}; {{ n_missing }} đơn vị chưa "
        "gửi báo cáo: {{ missing_text }}{% endif %}.",
    ),
    ("tag", "{%p else %}"),
    (
        "p",
        "- Về chế độ báo cáo: đã nhận báo cáo {{ period }} của {{ n_reported }} đơn vị "
        "({{ reported_text }}){% if unreadable %}; {{ unreadable_text }} gửi tệp không đọc "
        "được nội dung, cần gửi lại bản điện tử{% endif %}. [[Đoàn kiểm tra đối chiếu danh sách "
        "các đơn vị phải báo cáo để xác định đơn vị chưa gửi.]]",
    ),
    ("tag", "{%p endif %}"),
    ("h1", "II. KẾT QUẢ THỰC HIỆN"),
    ("h2", "1. Công tác kiểm soát thủ tục hành chính"),
    (
        "p",
        "a) Công khai thủ tục hành chính: {% if m.procedures_published %}theo báo cáo của "
        "{{ m.procedures_published.units }} đơn vị, các đơn vị đang niêm yết, công khai "
        "{{ m.procedures_published|khoang }} thủ tục "
        "hành chính thuộc thẩm quyền giải quyết. {% endif %}[[Đoàn kiểm tra nhận xét việc cập "
        "nhật, công khai danh mục thủ tục hành chính và kết quả giải quyết hồ sơ.]]",
    ),
    (
        "p",
        "b) Rà soát, đánh giá thủ tục hành chính: {% if m.procedures_reviewed %}theo báo cáo "
        "của {{ m.procedures_reviewed.units }} đơn vị, trong kỳ đã rà soát, đánh giá "
        "{{ m.procedures_reviewed.value|so }} lượt thủ tục hành chính"
        "{% if m.procedures_simplification_proposed %}, đề xuất đơn giản hóa, sửa đổi, bãi bỏ "
        "{{ m.procedures_simplification_proposed.value|so }} thủ tục{% endif %}. {% endif %}"
        "[[Đoàn kiểm tra nhận xét chất lượng rà soát, đề xuất đơn giản hóa thủ tục hành "
        "chính.]]",
    ),
    ("tag", "{%p if m.petitions_received %}"),
    (
        "p",
        "c) Tiếp nhận, xử lý phản ánh, kiến nghị: {% if m.petitions_received.value %}theo báo "
        "cáo của {{ m.petitions_received.units }} đơn vị, trong kỳ tiếp nhận "
        "{{ m.petitions_received.value|so }} phản ánh, kiến nghị{% if m.petitions_resolved %}, "
        "đã xử lý {{ m.petitions_resolved.value|so }} phản ánh, kiến nghị"
        "{% if m.petitions_resolved.units != m.petitions_received.units %} (theo báo cáo của "
        "{{ m.petitions_resolved.units }} đơn vị)"
        "{% endif %}{% endif %}{% else %}"
        "{{ m.petitions_received.units }} đơn vị báo cáo trong kỳ không phát sinh phản ánh, "
        "kiến nghị về quy định hành chính{% endif %}.",
    ),
    ("tag", "{%p else %}"),
    (
        "p",
        "c) Tiếp nhận, xử lý phản ánh, kiến nghị: [[Đoàn kiểm tra bổ sung kết quả tiếp nhận, "
        "xử lý phản ánh, kiến nghị của các đơn vị.]]",
    ),
    ("tag", "{%p endif %}"),
    (
        "p",
        "d) Truyền thông về kiểm soát thủ tục hành chính: {% if m.communication_posts %}theo "
        "báo cáo của {{ m.communication_posts.units }} đơn vị, đã đăng "
        "{{ m.communication_posts.value|so }} tin, bài về cải cách thủ tục hành chính. "
        "{% endif %}[[Đoàn kiểm tra nhận xét công tác truyền thông và chế độ báo cáo.]]",
    ),
    ("h2", "2. Thực hiện cơ chế một cửa, một cửa liên thông"),
    (
        "p",
        "a) Tổ chức, hoạt động của Bộ phận Một cửa: {% if m.desk_staff %}theo báo cáo của "
        "{{ m.desk_staff.units }} đơn vị, có {{ m.desk_staff.value|so }} công chức làm việc tại "
        "Bộ phận Một cửa. {% endif %}[[Đoàn kiểm tra nhận xét việc bố trí công chức, trang "
        "thiết bị, niêm yết nội quy và thái độ phục vụ tại Bộ phận Một cửa.]]",
    ),
    (
        "p",
        "b) Kết quả tiếp nhận, giải quyết hồ sơ thủ tục hành chính{% if rc_all %}, tổng hợp "
        "từ báo cáo của {{ rc_units }} đơn vị{% else %}, tổng hợp từ báo cáo của {{ rc_units }} "
        "đơn vị có số liệu hồ sơ đầy đủ, thống nhất (chưa tính {{ rc_left_text }})"
        "{% endif %}:",
    ),
    ("tag", "{%p if scope_note %}"),
    ("p", "__{{ scope_note }}__"),
    ("tag", "{%p endif %}"),
    (
        "p",
        "- Tổng số hồ sơ tiếp nhận: **{{ t.received_total|so }}** hồ sơ{% if full.received %}, "
        "trong đó: kỳ trước chuyển sang {{ t.received_carried_over|so }} hồ sơ; mới tiếp nhận "
        "trong kỳ {{ t.received_new|so }} hồ sơ{% if full.received_new %} (trực tuyến "
        "{{ t.received_online|so }} hồ sơ; trực tiếp, qua dịch vụ bưu chính công ích "
        "{{ t.received_offline|so }} hồ sơ){% endif %}{% elif full.received_new %}, trong đó mới "
        "tiếp nhận trong kỳ {{ t.received_new|so }} hồ sơ (trực tuyến {{ t.received_online|so }} "
        "hồ sơ; trực tiếp, qua dịch vụ bưu chính công ích {{ t.received_offline|so }} hồ sơ)"
        "{% endif %}.",
    ),
    (
        "p",
        "- Số hồ sơ đã giải quyết: **{{ t.resolved_total|so }}** hồ sơ{% if full.resolved %}, "
        "trong đó: trước hạn, đúng hạn {{ t.resolved_early_or_on_time|so }} hồ sơ"
        "{% if full.resolved_split %} (trước hạn {{ t.resolved_early|so }} hồ sơ, đúng hạn "
        "{{ t.resolved_on_time|so }} hồ sơ){% endif %}, đạt tỷ lệ {{ rc_rates.on_time|tyle }}; "
        "quá hạn {{ t.resolved_late|so }} hồ sơ{% if t.resolved_late %}, chiếm "
        "{{ rc_rates.late|tyle }}{% endif %}{% elif t.resolved_late is not none %}, trong đó quá "
        "hạn {{ t.resolved_late|so }} hồ sơ{% if lacking.resolved_late %} (không gồm "
        "{{ lacking.resolved_late }} do báo cáo không ghi){% endif %}{% endif %}.",
    ),
    ("tag", "{%p if late_units %}"),
    (
        "p",
        "- Hồ sơ giải quyết quá hạn ở các đơn vị: {{ late_units }}{% if late_fields %}; theo "
        "lĩnh vực{% if late_fields_partial %} (trong đó đã nêu rõ lĩnh vực: "
        "{{ late_fields_partial }} hồ sơ){% endif %}: {{ late_fields }}{% endif %}. "
        "[[Đoàn kiểm tra ghi nhận nguyên nhân và việc xin lỗi tổ chức, cá nhân.]]",
    ),
    ("tag", "{%p elif t.resolved_late == 0 %}"),
    ("p", "- Trong kỳ không có hồ sơ giải quyết quá hạn."),
    ("tag", "{%p endif %}"),
    (
        "p",
        "- Số hồ sơ đang giải quyết: **{{ t.pending_total|so }}** hồ sơ{% if full.pending %}, "
        "trong đó: trong hạn {{ t.pending_in_time|so }} hồ sơ; quá hạn "
        "{{ t.pending_overdue|so }} hồ sơ{% elif t.pending_overdue is not none %}, trong đó quá "
        "hạn {{ t.pending_overdue|so }} hồ sơ{% if lacking.pending_overdue %} (không gồm "
        "{{ lacking.pending_overdue }} do báo cáo không ghi){% endif %}{% endif %}"
        "{% if overdue_units %}; đơn vị có hồ sơ quá hạn: {{ overdue_units }}{% endif %}.",
    ),
    ("tag", "{%p if show_returned %}"),
    (
        "p",
        "- Số hồ sơ trả lại do không đủ điều kiện giải quyết: {{ t.returned|so }} hồ sơ"
        "{% if returned_units %}, nhiều nhất ở {{ returned_units }}{% endif %}.",
    ),
    ("tag", "{%p elif returned_units %}"),
    ("p", "- Đơn vị có hồ sơ trả lại do không đủ điều kiện giải quyết: {{ returned_units }}."),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if xc %}"),
    (
        "p",
        "- Đối chiếu với số liệu trên Hệ thống thông tin giải quyết thủ tục hành chính "
        "({{ xc.source }}): {% if xc.differing %}báo cáo của {{ xc.n_differing }}/"
        "{{ xc.n_compared }} đơn vị có số liệu khác Hệ thống: {{ xc.differing_text }}"
        "{% else %}số liệu báo cáo của {{ xc.n_compared }} đơn vị khớp với Hệ thống{% endif %}"
        "{% if xc.convention_text %}; riêng {{ xc.convention_text }}{% endif %}.",
    ),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if lt %}"),
    (
        "p",
        "c) Đối với nhóm thủ tục liên thông, theo báo cáo của {{ lt_units }} đơn vị: đã tiếp "
        "nhận {{ lt.received_total|so }} hồ sơ, đã giải quyết {{ lt.resolved_total|so }} hồ sơ"
        "{% if lt.resolved_late %} (quá hạn {{ lt.resolved_late|so }} hồ sơ){% endif %}, đang "
        "giải quyết {{ lt.pending_total|so }} hồ sơ.",
    ),
    ("tag", "{%p endif %}"),
    ("note", "(Số liệu chi tiết của từng đơn vị tại Bảng tổng hợp kèm theo.)"),
    ("h2", "3. Giải quyết thủ tục hành chính trên môi trường điện tử"),
    ("tag", "{%p for x in online_rates %}"),
    (
        "p",
        "- {{ x.label }} toàn {{ level }} đạt **{{ x.value|tyle }}** ({{ x.numerator|so }}/"
        "{{ x.denominator|so }} hồ sơ, tính trên {{ x.units }} đơn vị có số liệu"
        "{% if x.without_counts_text %}; chưa tính {{ x.without_counts_text }}{% endif %})"
        "{% if x.target %}, chỉ tiêu {{ x.target|tyle }}{% endif %}.",
    ),
    ("tag", "{%p endfor %}"),
    ("tag", "{%p if m.online_services_full or m.online_services_partial %}"),
    (
        "p",
        "- Cung cấp dịch vụ công trực tuyến: {% if m.online_services_full %}theo báo cáo của "
        "{{ m.online_services_full.units }} đơn vị, mỗi đơn vị cung cấp "
        "{{ m.online_services_full|khoang }} dịch vụ "
        "công trực tuyến toàn trình{% endif %}{% if m.online_services_full and "
        "m.online_services_partial %}; {% endif %}{% if m.online_services_partial %}"
        "{{ m.online_services_partial|khoang }} "
        "dịch vụ công trực tuyến một phần (theo báo cáo của {{ m.online_services_partial.units }}"
        " đơn vị){% endif %}.",
    ),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if m.online_payments %}"),
    (
        "p",
        "- Thanh toán trực tuyến: theo báo cáo của {{ m.online_payments.units }} đơn vị, có "
        "{{ m.online_payments.value|so }} lượt thanh toán phí, lệ phí trực tuyến.",
    ),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if m.satisfaction_surveys %}"),
    (
        "p",
        "- Đánh giá sự hài lòng: theo báo cáo của {{ m.satisfaction_surveys.units }} đơn vị, "
        "đã thu thập {{ m.satisfaction_surveys.value|so }} phiếu, lượt đánh giá của người dân, "
        "doanh nghiệp.",
    ),
    ("tag", "{%p endif %}"),
    (
        "p",
        "- [[Đoàn kiểm tra bổ sung nhận xét về dịch vụ công trực tuyến, thanh toán trực tuyến "
        "và đánh giá sự hài lòng của người dân, doanh nghiệp.]]",
    ),
    ("tag", "{%p if has_previous %}"),
    ("h2", "4. So sánh với {{ previous_period }}"),
    (
        "p",
        "{% if compared_all %}Tính trên tất cả các đơn vị đã gửi báo cáo:{% else %}Tính trên "
        "{{ compared_units }} đơn vị có báo cáo của cả hai kỳ:{% endif %}",
    ),
    ("tag", "{%p for c in comparison %}"),
    (
        "p",
        "- {{ c.label }}: {{ c.current }} ({{ previous_period }}: {{ c.previous }}), "
        "{{ c.change }}.",
    ),
    ("tag", "{%p endfor %}"),
    ("tag", "{%p endif %}"),
    ("h1", "III. ĐÁNH GIÁ CHUNG"),
    ("h2", "1. Kết quả đạt được"),
    ("tag", "{%p for x in met %}"),
    (
        "p",
        "- {{ x.label }} toàn {{ level }} đạt {{ x.value|tyle }}, đạt chỉ tiêu "
        "{{ x.target|tyle }}.",
    ),
    ("tag", "{%p endfor %}"),
    ("tag", "{%p if n_consistent %}"),
    (
        "p",
        "- Báo cáo của {{ n_consistent }}/{{ n_reported }} đơn vị có số liệu hồ sơ đầy đủ, "
        "thống nhất: các số tổng khớp với số liệu chi tiết và với nhau.",
    ),
    ("tag", "{%p endif %}"),
    ("p", "- [[Đoàn kiểm tra nêu các kết quả nổi bật của các đơn vị trong kỳ …]]"),
    ("h2", "2. Tồn tại, hạn chế"),
    ("tag", "{%p for b in below %}"),
    (
        "p",
        "- {{ b.label }} chưa đạt chỉ tiêu {{ b.target|tyle }} tại {{ b.below_count }} đơn vị: "
        "{{ b.below_text }}.",
    ),
    ("tag", "{%p endfor %}"),
    ("tag", "{%p if missing %}"),
    ("p", "- Chưa gửi báo cáo {{ period }} theo quy định: {{ missing_text }}."),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if flagged %}"),
    ("p", "- Báo cáo có số liệu chưa thống nhất, cần rà soát, chỉnh sửa:"),
    ("tag", "{%p for f in flagged %}"),
    ("p", "+ {{ f.unit_title }}: {{ f.text }}"),
    ("tag", "{%p endfor %}"),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if xc and xc.differing %}"),
    (
        "p",
        "- Báo cáo của {{ xc.differing_units }} có số liệu khác Hệ thống thông tin giải quyết "
        "thủ tục hành chính (nêu tại Mục II).",
    ),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if unreadable %}"),
    (
        "p",
        "- Tệp báo cáo gửi đến không đọc được nội dung, cần gửi lại bản điện tử: "
        "{% for u in unreadable %}{{ u.unit }} ({{ u.files }}){% if not loop.last %}; "
        "{% endif %}{% endfor %}.",
    ),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if late_units or overdue_units %}"),
    (
        "p",
        "- Vẫn còn hồ sơ giải quyết quá hạn hoặc đang giải quyết đã quá hạn tại một số đơn vị "
        "(nêu tại Mục II).",
    ),
    ("tag", "{%p endif %}"),
    (
        "p",
        "- [[Đoàn kiểm tra bổ sung các tồn tại, hạn chế khác phát hiện qua kiểm tra trực tiếp …]]",
    ),
    ("h2", "3. Nguyên nhân"),
    ("p", "- [[Đoàn kiểm tra nêu nguyên nhân khách quan, chủ quan của các tồn tại, hạn chế …]]"),
    ("h1", "IV. KIẾN NGHỊ"),
    (
        "p",
        "Để khắc phục những tồn tại nêu trên, {{ issuer }} {{ asks }} Chủ tịch UBND các "
        "{{ communes_word }} chỉ đạo thực hiện tốt các nội dung sau:",
    ),
    ("tag", "{%p if flagged %}"),
    (
        "p",
        "- UBND {{ flagged_units }}: đối chiếu số liệu báo cáo {{ period }} với Hệ thống "
        "thông tin giải quyết thủ tục hành chính, chỉnh sửa các nội dung nêu tại Mục III và "
        "gửi lại báo cáo về {{ focal_office }} trước ngày [[…/…/…]].",
    ),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if xc and xc.differing %}"),
    (
        "p",
        "- UBND {{ xc.differing_units }}: đối chiếu, giải trình các số liệu khác Hệ thống thông "
        "tin giải quyết thủ tục hành chính (nêu tại Mục II); điều chỉnh báo cáo cho đúng và gửi "
        "lại về {{ focal_office }} trước ngày [[…/…/…]].",
    ),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if missing or unreadable %}"),
    (
        "p",
        "- UBND {% if missing %}{{ missing_text }}{% endif %}{% if missing and unreadable %}, "
        "{% endif %}{% if unreadable %}{{ unreadable_text }}{% endif %}: khẩn trương gửi báo cáo "
        "{{ period }} (bản điện tử đọc được), chậm nhất ngày [[…/…/…]]; từ kỳ sau gửi báo cáo "
        "đúng thời hạn quy định.",
    ),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if below %}"),
    (
        "p",
        "- Các đơn vị có tỷ lệ chưa đạt chỉ tiêu (nêu tại Mục III) tăng cường hướng dẫn, hỗ "
        "trợ người dân nộp hồ sơ trực tuyến, số hóa hồ sơ và kết quả giải quyết thủ tục hành "
        "chính, phấn đấu đạt chỉ tiêu trong kỳ tới.",
    ),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if late_units or overdue_units %}"),
    (
        "p",
        "- Đơn vị có hồ sơ quá hạn làm rõ nguyên nhân, trách nhiệm của cá nhân liên quan; "
        "gửi văn bản xin lỗi tổ chức, cá nhân theo quy định và có giải pháp không để phát "
        "sinh hồ sơ quá hạn.",
    ),
    ("tag", "{%p endif %}"),
    (
        "p",
        "- Tiếp tục niêm yết, công khai đầy đủ, kịp thời danh mục thủ tục hành chính; cập "
        "nhật đầy đủ, đúng thời gian các bước xử lý hồ sơ trên Hệ thống thông tin giải quyết "
        "thủ tục hành chính.",
    ),
    ("p", "- [[Đoàn kiểm tra bổ sung kiến nghị khác …]]"),
    (
        "p",
        "Trên đây là Thông báo kết luận kiểm tra của {{ issuer }}. Đề nghị UBND các "
        "{{ communes_word }} nghiêm túc triển khai thực hiện; báo cáo kết quả khắc phục về "
        "{{ committee }} (qua {{ focal_office }}) trước ngày [[…/…/…]]./.",
    ),
]

# The distribution list and the signature block come from the roster and the date
# (tthc.consolidate.issuer, tthc/rules/notice.toml): a district, a province's People's
# Committee or its office; the central body in charge of TTHC control by date.
RECIPIENTS: list[str] = [
    "{%p for x in recipients %}",
    "- {% for y in x %}{% if y.blank %}[[{{ y.text }}]]{% else %}{{ y.text }}{% endif %}"
    "{% endfor %}",
    "{%p endfor %}",
    "- Lưu: VT, [[bộ phận soạn thảo]].",
]

SIGNATURE: list[str] = ["{%p for x in signature %}", "{{ x }}", "{%p endfor %}"]

# ---------------------------------------------------------------- writing helpers

_MARKUP = regex.compile(r"(\[\[.*?\]\]|\*\*.*?\*\*|__.*?__)", regex.S)


def add_text(
    paragraph: Paragraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    underline: bool = False,
) -> None:
    """Runs for a line of markup. A Jinja tag never straddles two runs, because markup
    only ever wraps whole tags; docxtpl needs each tag inside one run."""
    for piece in _MARKUP.split(text):
        if not piece:
            continue
        run_bold, run_italic, highlight = bold, italic, False
        if piece.startswith("[[") and piece.endswith("]]"):
            piece, highlight = f"[{piece[2:-2]}]", True
        elif piece.startswith("**") and piece.endswith("**"):
            piece, run_bold = piece[2:-2], True
        elif piece.startswith("__") and piece.endswith("__"):
            piece, run_italic = piece[2:-2], True
        run = paragraph.add_run(piece)
        run.bold, run.italic, run.underline = run_bold, run_italic, underline or None
        if size:
            run.font.size = Pt(size)
        if highlight:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def fmt(
    paragraph: Paragraph,
    *,
    align: int | None = None,
    first_line: float | None = None,
    before: float = 0,
    after: float = 0,
    keep_next: bool = False,
) -> Paragraph:
    pf = paragraph.paragraph_format
    if align is not None:
        pf.alignment = align
    pf.first_line_indent = Cm(first_line) if first_line else None
    pf.space_before, pf.space_after = Pt(before), Pt(after)
    pf.keep_with_next = keep_next or None
    return paragraph


def short_rule(container: DocumentObject | _Cell, width_cm: float, box_cm: float) -> None:
    """The short line under the agency name, the motto and the subject: an empty
    paragraph with a bottom border, narrowed by indents to `width_cm`, centred."""
    p = container.add_paragraph()
    side = max((box_cm - width_cm) / 2, 0)
    p.paragraph_format.left_indent = Cm(side)
    p.paragraph_format.right_indent = Cm(side)
    fmt(p, after=0)
    p.paragraph_format.line_spacing = Pt(2)
    p_pr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.append(borders)
    run = p.add_run("")
    run.font.size = Pt(2)


def no_borders(table) -> None:
    """Administrative headers and signature blocks are tables nobody should see."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def set_widths(table, widths_cm: list[float]) -> None:
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_cm, strict=True):
        col.set(qn("w:w"), str(int(width * 567)))


def cell_line(
    cell: _Cell,
    text: str,
    *,
    first: bool = False,
    bold: bool = False,
    italic: bool = False,
    size: float = 13,
    underline: bool = False,
    align: int = WD_ALIGN_PARAGRAPH.CENTER,
    before: float = 0,
) -> Paragraph:
    p = cell.paragraphs[0] if first else cell.add_paragraph()
    fmt(p, align=align, before=before)
    p.paragraph_format.line_spacing = 1.0
    add_text(p, text, bold=bold, italic=italic, size=size, underline=underline)
    return p


# ---------------------------------------------------------------- the document


def page_setup(doc: DocumentObject) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(BODY_PT)
    r_fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for key in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        r_fonts.set(qn(key), FONT)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.line_spacing = 1.0
    _language(doc)
    _page_numbers(doc)


def _language(doc: DocumentObject) -> None:
    """Mark the text as Vietnamese so Word's spelling checker and hyphenation use it."""
    r_pr = doc.styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    r_pr.append(lang)


def _page_numbers(doc: DocumentObject) -> None:
    """Page number centred at the top from page 2 on (none on page 1), as NĐ 30 asks."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    p._p.append(field)


def header_block(doc: DocumentObject) -> None:
    """Agency and number on the left, national motto and place/date on the right."""
    table = doc.add_table(rows=2, cols=2)
    no_borders(table)
    left, right = 6.3, 10.2
    set_widths(table, [left, right])
    a, b = table.rows[0].cells
    cell_line(a, "{{ agency_line1 }}", first=True, bold=True, size=13)
    cell_line(a, "{{ agency_line2 }}", bold=True, size=13)
    short_rule(a, 2.6, left)
    cell_line(b, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", first=True, bold=True, size=12.5)
    cell_line(b, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13.5)
    short_rule(b, 6.0, right)
    c, d = table.rows[1].cells
    cell_line(c, "Số: [[……]]/{{ number_code }}", first=True, size=13, before=6)
    cell_line(
        d,
        "{{ place }}, ngày {% if day %}{{ day }}{% else %}[[……]]{% endif %} tháng "
        "{% if month %}{{ month }}{% else %}[[……]]{% endif %} năm "
        "{% if year %}{{ year }}{% else %}[[……]]{% endif %}",
        first=True,
        italic=True,
        size=13.5,
        before=6,
    )


def title_block(doc: DocumentObject) -> None:
    p = fmt(doc.add_paragraph(), align=WD_ALIGN_PARAGRAPH.CENTER, before=18, keep_next=True)
    add_text(p, "THÔNG BÁO", bold=True)
    p = fmt(doc.add_paragraph(), align=WD_ALIGN_PARAGRAPH.CENTER, keep_next=True)
    add_text(
        p,
        "Kết luận kiểm tra công tác kiểm soát thủ tục hành chính và việc thực hiện cơ "
        "chế một cửa, một cửa liên thông tại UBND các {{ communes_word }} trên địa bàn "
        "{{ area }}, kỳ báo cáo {{ period }}",
        bold=True,
    )
    short_rule(doc, 5.0, TEXT_WIDTH_CM)
    fmt(doc.add_paragraph(), after=6)


def body(doc: DocumentObject) -> None:
    for kind, text in BODY:
        p = doc.add_paragraph()
        if kind == "tag":
            add_text(p, text)
        elif kind == "h1":
            fmt(
                p,
                first_line=1.0,
                before=6,
                after=6,
                keep_next=True,
                align=WD_ALIGN_PARAGRAPH.JUSTIFY,
            )
            add_text(p, text, bold=True)
        elif kind == "h2":
            fmt(p, first_line=1.0, after=6, keep_next=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
            add_text(p, text, bold=True)
        elif kind == "note":
            fmt(p, first_line=1.0, after=6, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
            add_text(p, text, italic=True)
        else:
            fmt(p, first_line=1.0, after=6, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
            add_text(p, text)


def closing_block(doc: DocumentObject) -> None:
    """ "Nơi nhận" on the left (12 pt bold italic, items 11 pt), signature on the right."""
    fmt(doc.add_paragraph(), after=0)
    table = doc.add_table(rows=1, cols=2)
    no_borders(table)
    set_widths(table, [7.8, 8.7])
    left, right = table.rows[0].cells
    cell_line(
        left,
        "Nơi nhận:",
        first=True,
        bold=True,
        italic=True,
        size=12,
        align=WD_ALIGN_PARAGRAPH.LEFT,
    )
    for line in RECIPIENTS:
        cell_line(left, line, size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    for i, line in enumerate(SIGNATURE):
        cell_line(right, line, first=i == 0, bold=True, size=14)
    for _ in range(4):
        cell_line(right, "", size=14)
    cell_line(right, "[[Họ và tên]]", bold=True, size=14)


def build(path: Path = TEMPLATE) -> Path:
    doc = Document()
    page_setup(doc)
    header_block(doc)
    title_block(doc)
    body(doc)
    closing_block(doc)
    _drop_leading_empty_paragraph(doc)
    doc.core_properties.title = "Thông báo kết luận kiểm tra công tác kiểm soát TTHC"
    doc.core_properties.author = "tthc"
    doc.save(str(path))
    return path


def _drop_leading_empty_paragraph(doc: DocumentObject) -> None:
    """python-docx's blank document starts with an empty paragraph; the header table must
    be the first thing on the page."""
    first = doc.element.body[0]
    if first.tag == qn("w:p") and not "".join(first.itertext()).strip():
        doc.element.body.remove(first)


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATE))
