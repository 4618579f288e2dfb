"""The review workspace over HTTP (Starlette's test client): every route, and each refusal
(a bad upload, a forged request without the CSRF token, a path in a parameter, a wrong
password, a change made on a stale page)."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from starlette.testclient import TestClient

from tests.serve_helpers import UNREAD_FIELDS, csrf_of, seed_store, seeded, version_of
from tthc.consolidate import STORE_NAME, Store
from tthc.runjob import UPLOADS
from tthc.serve import Workspace, create_app
from tthc.serve.security import CSP, HostRefused, check_host
from tthc.serve.workspace import MAX_FILE_BYTES, kind_of

BASE = "http://127.0.0.1"


@pytest.fixture(scope="module")
def seed(tmp_path_factory) -> Path:
    return seed_store(tmp_path_factory.mktemp("seed"))


@pytest.fixture
def served(tmp_path, seed):
    folder, out = seeded(tmp_path, seed)
    with Workspace(folder, out) as workspace:
        workspace.start_reading()
        workspace.wait(300)
        assert workspace.summary is not None, workspace.progress.message
        with TestClient(create_app(workspace), base_url=BASE) as client:
            yield client, workspace


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.text[:500]
    return response.text


def _total(workspace: Workspace, field: str) -> int | None:
    return workspace.summary.figures[field].value


# ---------------------------------------------------------------- the desk


def test_the_desk_lists_every_commune_with_status_figures_and_counts(served):
    client, _ = served
    html = _page(client, "/")
    assert html.count('href="/xa/') == 20  # 19 reports and Tân Giang, which sent nothing
    assert "Chưa gửi" in html and "Tân Giang" in html
    assert re.search(r"Thị trấn Chợ Vàng.*?1\.406", html, re.S)
    assert "48,9%" in html and "%%" not in html  # a rate written once, the Vietnamese way
    flagged = _page(client, "/?loc=canh-bao")
    assert flagged.count('href="/xa/') == 6
    missing = _page(client, "/?loc=chua-gui")
    assert missing.count('href="/xa/') == 1 and "Tân Giang" in missing
    by_errors = _page(client, "/?sap-xep=loi")
    first = re.search(r'<tr class="has-error" data-slug="([^"]+)"', by_errors).group(1)
    assert first in ("cho-vang", "yen-duong", "dong-thinh", "my-dien")
    progress = client.get("/tien-do").json()
    assert progress == {"running": False, "done": 19, "total": 19, "message": ""}


def test_every_response_carries_the_security_headers(served):
    client, _ = served
    for url in ("/", "/tong-quan", "/xa/cho-vang", "/tai-nguyen/app.css", "/khong-co"):
        headers = client.get(url).headers
        assert headers["content-security-policy"] == CSP
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "same-origin"
    assert "'unsafe-inline'" not in CSP and "default-src 'none'" in CSP
    client.cookies.clear()
    cookie = client.get("/").headers.get("set-cookie", "")
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()


def test_another_host_name_is_refused(served):
    client, _ = served
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400


def test_the_apps_own_assets_and_nothing_else(served):
    client, _ = served
    assert "scrollIntoView" in client.get("/tai-nguyen/app.js").text
    for name in ("..%2Fapp.py", "app.py", "..%2F..%2Fpyproject.toml", "templates"):
        assert client.get(f"/tai-nguyen/{name}").status_code == 404


# ---------------------------------------------------------------- a commune's page


def test_a_pdf_figure_is_shown_on_its_page_image_with_the_passage_boxed(served):
    client, _ = served
    html = _page(client, "/xa/cho-vang?xem=so:0:received_total")
    assert "Tổng số hồ sơ tiếp nhận: 1.406 hồ sơ" in html
    box = re.search(r'<rect class="hl" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)"', html)
    assert box and float(box.group(3)) > 100  # the whole quote, one line
    image = re.search(r'<image href="([^"]+)"', html).group(1)
    png = client.get(image)
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert png.headers["content-type"] == "image/png"
    assert client.get("/xa/cho-vang/trang/99.png").status_code == 404
    assert client.get("/xa/cho-vang/trang/0.png").status_code == 404
    assert client.get("/xa/ngoc-giang/trang/1.png").status_code == 404  # a text report


def test_a_text_figure_is_shown_in_the_text_with_the_passage_marked(served):
    client, _ = served
    html = _page(client, "/xa/ngoc-giang?xem=so:0:received_total")
    assert '<mark id="doan">Bộ phận Một cửa đã tiếp nhận tổng số 1,165 hồ sơ</mark>' in html
    docx = _page(client, "/xa/my-thanh?xem=so:0:received_total")
    assert '<mark id="doan">Tổng số hồ sơ nhận giải quyết: 903 hồ sơ</mark>' in docx


def test_flags_rates_and_citations_are_listed_with_where_they_were_read(served):
    client, _ = served
    html = _page(client, "/xa/cho-vang")
    assert "Gợi ý sửa: <strong>Kỳ trước chuyển qua: 16 → 13</strong>" in html
    assert 'name="gia_tri" inputmode="numeric" size="8" value="13"' in html
    rate = re.search(r'href="(/xa/cho-vang\?xem=tl:\d+)#noi-doc"', html).group(1)
    assert '<rect class="hl"' in _page(client, rate)
    cited = _page(client, "/xa/my-dien")
    link = re.search(r'href="(/xa/my-dien\?xem=vb:\d+)#noi-doc">61/2018/QĐ-TTg', cited).group(1)
    assert '<mark id="doan">' in _page(client, link)


@pytest.mark.parametrize(
    "url",
    [
        "/xa/..%2F..%2Fetc%2Fpasswd",
        "/xa/%2Fetc%2Fpasswd",
        "/xa/khong-co-xa-nay",
        "/tai-ve/..%2Ftthc-store.sqlite3",
        "/tai-ve/tthc-store.sqlite3",
        "/tai-ve/%2Fetc%2Fpasswd",
        "/xa/cho-vang/trang/..%2F..%2Fetc.png",
    ],
)
def test_a_path_in_a_parameter_reaches_no_file(served, url):
    client, _ = served
    response = client.get(url)
    assert response.status_code == 404
    assert "root:" not in response.text and "SQLite" not in response.text


def test_a_path_in_the_evidence_parameter_is_not_a_place(served):
    client, _ = served
    html = _page(client, "/xa/cho-vang?xem=../../../etc/passwd")
    assert "Không tìm thấy nơi đọc" in html and "root:" not in html


# ---------------------------------------------------------------- corrections


def test_correcting_to_the_suggestion_rechecks_and_changes_the_totals(served):
    client, workspace = served
    html = _page(client, "/xa/cho-vang")
    before = _total(workspace, "received_carried_over")
    reconciled = workspace.summary.reconciled.value("received_total")
    pdf_hash = hashlib.sha256(
        (workspace.folder / "02_thi_tran_cho_vang.pdf").read_bytes()
    ).hexdigest()
    form = {
        "csrf": csrf_of(html),
        "phien_ban": version_of(html),
        "ky": "2025-Q1",
        "pham_vi": "all",
        "so_lieu": "received_carried_over",
        "gia_tri": "13",
        "ly_do": "Đơn vị xác nhận qua điện thoại",
    }
    response = client.post("/xa/cho-vang/sua", data=form, follow_redirects=False)
    assert response.status_code == 303
    page = _page(client, "/xa/cho-vang")
    assert "Không còn điểm nào cần xem lại" in page
    assert "Đã lưu số liệu sửa" in page
    assert "Đơn vị xác nhận qua điện thoại" in page  # the log
    assert _total(workspace, "received_carried_over") == before - 3
    assert workspace.summary.reconciled.value("received_total") == reconciled + 1406
    # the store's log: value before and after, who, when, why; never in the source file
    with Store(workspace.store_path) as store:
        (entry,) = store.corrections()
    assert (entry.before, entry.after, entry.kind, entry.field) == (
        16,
        13,
        "value",
        "received_carried_over",
    )
    assert entry.who and entry.at and entry.why == "Đơn vị xác nhận qua điện thoại"
    source = workspace.folder / "02_thi_tran_cho_vang.pdf"
    assert hashlib.sha256(source.read_bytes()).hexdigest() == pdf_hash  # the file untouched
    # the workbook shows the corrected value with a comment, and the recomputed total
    workbook = client.get("/tai-ve/tong_hop.xlsx")
    assert workbook.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content))["Biểu tổng hợp"]
    cell = next(
        c for row in sheet.iter_rows() for c in row if c.comment and "16, dùng 13" in c.comment.text
    )
    assert cell.value == 13
    notice = client.get("/tai-ve/du_thao_thong_bao.docx")
    with zipfile.ZipFile(io.BytesIO(notice.content)) as docx:
        text = docx.read("word/document.xml").decode()
    assert "kỳ trước chuyển qua 16 → 13" in text
    # undo: back to the report's own figures
    page = _page(client, "/xa/cho-vang")
    undo = {
        "csrf": csrf_of(page),
        "phien_ban": version_of(page),
        "hieu_chinh": str(entry.id),
        "ly_do": "nhầm",
    }
    assert (
        client.post("/xa/cho-vang/hoan-tac", data=undo, follow_redirects=False).status_code == 303
    )
    assert _total(workspace, "received_carried_over") == before
    assert "Kỳ trước chuyển qua: 16 → 13" in _page(client, "/xa/cho-vang")


def test_a_change_made_on_a_stale_page_is_refused_with_a_message(served):
    client, workspace = served
    html = _page(client, "/xa/cho-vang")
    form = {
        "csrf": csrf_of(html),
        "phien_ban": version_of(html),
        "ky": "2025-Q1",
        "so_lieu": "received_carried_over",
        "gia_tri": "13",
        "ly_do": "tab một",
    }
    assert client.post("/xa/cho-vang/sua", data=form, follow_redirects=False).status_code == 303
    second = dict(form, gia_tri="14", ly_do="tab hai")  # the same page, opened before
    response = client.post("/xa/cho-vang/sua", data=second, follow_redirects=False)
    assert response.status_code == 409
    assert "vừa được thay đổi ở một cửa sổ khác" in response.text
    with Store(workspace.store_path) as store:
        assert [c.why for c in store.corrections()] == ["tab một"]


def test_dismissing_a_flag_needs_a_reason_and_takes_it_out(served):
    client, workspace = served
    html = _page(client, "/xa/ngoc-giang")
    keys = re.findall(r'name="canh_bao" value="([0-9a-f]{16})"', html)
    form = {"csrf": csrf_of(html), "phien_ban": version_of(html), "canh_bao": keys[0]}
    refused = client.post("/xa/ngoc-giang/bo-qua", data=dict(form, ly_do="  "))
    assert refused.status_code == 400 and "Hãy ghi lý do" in refused.text
    done = client.post(
        "/xa/ngoc-giang/bo-qua",
        data=dict(form, ly_do="Số 38 là số chuyển kỳ sau"),
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert "Không còn điểm nào cần xem lại" in _page(client, "/xa/ngoc-giang")
    assert not any(f.commune == "Ngọc Giang" for f in workspace.summary.flags)
    flags = client.get("/tai-ve/canh_bao.csv").content.decode("utf-8-sig")
    assert "Ngọc Giang" not in flags
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/tai-ve/tong_hop.xlsx").content))[
        "Cảnh báo"
    ]
    rows = [r for r in sheet.iter_rows(values_only=True) if r[3] == "Bỏ qua cảnh báo"]
    assert rows and rows[0][1] == "Xã Ngọc Giang" and rows[0][8] == "Số 38 là số chuyển kỳ sau"


def test_a_value_that_is_not_a_count_is_refused(served):
    client, _ = served
    html = _page(client, "/xa/cho-vang")
    form = {
        "csrf": csrf_of(html),
        "phien_ban": version_of(html),
        "ky": "2025-Q1",
        "so_lieu": "received_carried_over",
        "ly_do": "x",
    }
    for bad in ("mười ba", "-3", "1e9", "13,5"):
        response = client.post("/xa/cho-vang/sua", data=dict(form, gia_tri=bad))
        assert response.status_code == 400 and "không phải một số hồ sơ" in response.text
    unknown = client.post("/xa/cho-vang/sua", data=dict(form, gia_tri="3", so_lieu="../x"))
    assert unknown.status_code == 400


def test_an_unread_number_is_assigned_to_a_field_and_the_total_follows(served):
    client, workspace = served
    html = _page(client, "/xa/long-hoa")
    found = re.search(r'<strong class="big">([\d.]+)</strong>', html)
    assert found, "the unread panel lists the number"
    value = int(found.group(1).replace(".", ""))
    key = re.search(
        r'action="/xa/long-hoa/gan".*?name="canh_bao" value="([0-9a-f]{16})"', html, re.S
    ).group(1)
    before = _total(workspace, UNREAD_FIELDS[0]) or 0
    form = {
        "csrf": csrf_of(html),
        "phien_ban": version_of(html),
        "canh_bao": key,
        "gia_tri": str(value),
        "ky": "2025-Q1",
        "so_lieu": UNREAD_FIELDS[0],
        "pham_vi": "all",
        "ly_do": "Số chưa đọc, cán bộ gán vào số liệu khi rà soát",
    }
    assert client.post("/xa/long-hoa/gan", data=form, follow_redirects=False).status_code == 303
    assert _total(workspace, UNREAD_FIELDS[0]) == before + value
    page = _page(client, "/xa/long-hoa")
    assert "Số chưa đọc (0)" in page
    assert "Gán số chưa đọc" in page  # the log


def test_a_number_marked_not_a_count_leaves_the_figures_alone(served):
    client, workspace = served
    html = _page(client, "/xa/long-hoa")
    key = re.search(
        r'action="/xa/long-hoa/khong-phai".*?name="canh_bao" value="([0-9a-f]{16})"', html, re.S
    ).group(1)
    before = workspace.summary.figures[UNREAD_FIELDS[0]].value
    form = {
        "csrf": csrf_of(html),
        "phien_ban": version_of(html),
        "canh_bao": key,
        "ly_do": "số điện thoại",
    }
    assert (
        client.post("/xa/long-hoa/khong-phai", data=form, follow_redirects=False).status_code == 303
    )
    assert "Số chưa đọc (0)" in _page(client, "/xa/long-hoa")
    assert workspace.summary.figures[UNREAD_FIELDS[0]].value == before


# ---------------------------------------------------------------- forged requests


def test_a_change_without_the_csrf_token_is_refused(served):
    client, workspace = served
    html = _page(client, "/xa/cho-vang")
    form = {
        "phien_ban": version_of(html),
        "ky": "2025-Q1",
        "so_lieu": "received_carried_over",
        "gia_tri": "13",
        "ly_do": "giả mạo",
    }
    for data in (form, dict(form, csrf="sai"), dict(form, csrf="")):
        response = client.post("/xa/cho-vang/sua", data=data)
        assert response.status_code == 403 and "CSRF" in response.text
    foreign = client.post(
        "/xa/cho-vang/sua",
        data=dict(form, csrf=csrf_of(html)),
        headers={"origin": "http://evil.example"},
    )
    assert foreign.status_code == 403
    for url in ("/doc-lai", "/xa/cho-vang/bo-qua", "/xa/cho-vang/hoan-tac", "/dang-xuat"):
        assert client.post(url, data={"ly_do": "x"}).status_code == 403
    with Store(workspace.store_path) as store:
        assert store.corrections() == []


# ---------------------------------------------------------------- uploads


def _upload(client, csrf: str | None, *files: tuple[str, bytes]):
    data = {"csrf": csrf} if csrf is not None else {}
    return client.post(
        "/tai-len",
        data=data,
        files=[("tep", (name, body, "application/octet-stream")) for name, body in files],
        follow_redirects=False,
    )


def test_an_upload_is_kept_under_its_content_hash_and_read(served):
    client, workspace = served
    csrf = csrf_of(_page(client, "/"))
    body = (
        (workspace.folder / "11_xa_duc_xa.txt")
        .read_bytes()
        .replace("Quý I".encode(), "Quý II".encode())
    )
    response = _upload(client, csrf, ("../../bao cao moi.txt", body))
    assert response.status_code == 303
    workspace.wait(300)
    kept = sorted(p.name for p in (workspace.out / UPLOADS).iterdir())
    import hashlib

    assert kept == [f"{hashlib.sha256(body).hexdigest()}.txt"]
    assert not list(workspace.out.rglob("bao cao moi.txt"))
    assert not (workspace.folder.parent / "bao cao moi.txt").exists()
    outcome = next(o for o in workspace.summary.outcomes if o.path.endswith(kept[0]))
    assert outcome.status in ("ok", "partial", "ignored")  # read (another period: set aside)
    again = _upload(client, csrf, ("khac.txt", body))
    assert again.status_code == 303
    assert "đã có" in _page(client, "/")


@pytest.mark.parametrize(
    "name,body",
    [
        ("bao_cao.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100),  # a photo named .pdf
        ("bao_cao.doc", b"<html><body>B\xc3\xa1o c\xc3\xa1o</body></html>"),  # a web page
        ("bao_cao.docx", b"PK\x03\x04" + b"\x00" * 100),  # a zip that is not Word
        ("bao_cao.txt", b"MZ\x90\x00" + b"\x00" * 100),  # a program
    ],
)
def test_an_upload_that_is_not_a_report_by_its_content_is_refused(served, name, body):
    client, workspace = served
    response = _upload(client, csrf_of(_page(client, "/")), (name, body))
    assert response.status_code == 415
    assert "không phải báo cáo tthc đọc được" in response.text
    assert list((workspace.out / UPLOADS).iterdir()) == []


def test_upload_limits_and_token(served):
    client, workspace = served
    csrf = csrf_of(_page(client, "/"))
    assert _upload(client, None, ("a.txt", "Báo cáo".encode())).status_code == 403
    assert _upload(client, "sai", ("a.txt", "Báo cáo".encode())).status_code == 403
    big = _upload(client, csrf, ("lon.txt", b"a" * (MAX_FILE_BYTES + 10)))
    assert big.status_code == 413 and "lớn quá" in big.text
    many = _upload(client, csrf, *[(f"{i}.txt", f"báo cáo {i}".encode()) for i in range(31)])
    assert many.status_code == 413 and "tối đa 30 tệp" in many.text
    huge = client.post(
        "/tai-len",
        content=b"x",
        headers={"content-length": str(10**10), "content-type": "multipart/form-data; boundary=x"},
    )
    assert huge.status_code == 413
    assert _upload(client, csrf).status_code in (400, 403)
    assert list((workspace.out / UPLOADS).iterdir()) == []


def test_kinds_by_content():
    assert kind_of(b"%PDF-1.7\n") == "pdf"
    assert kind_of("Báo cáo số 12/BC-UBND".encode()) == "txt"
    assert kind_of("Báo cáo".encode("cp1258")) == "txt"  # an old 8-bit text
    assert kind_of(b"{\\rtf1\\ansi") == "rtf"
    assert (
        kind_of(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le")) == "doc"
    )
    assert kind_of(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"Workbook") is None
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    assert kind_of(buffer.getvalue()) == "docx"
    assert kind_of(b"\xff\xd8\xff\xe0JFIF") is None


# ---------------------------------------------------------------- the overview, outputs


def test_the_overview_shows_what_the_notice_will_state(served):
    client, workspace = served
    html = _page(client, "/tong-quan")
    statements = workspace.summary.statements
    assert len(statements) > 20
    for s in statements[:10]:
        assert f'data-key="{s.key}"' in html
    assert "Tỷ lệ của huyện" in html


@pytest.mark.parametrize(
    "name", ["tong_hop.xlsx", "canh_bao.csv", "du_thao_thong_bao.docx", "ban_ghi.json"]
)
def test_each_output_downloads(served, name):
    client, workspace = served
    response = client.get(f"/tai-ve/{name}")
    assert response.status_code == 200 and len(response.content) > 100
    assert (workspace.out / name).is_symlink()  # written as a run writes them


# ---------------------------------------------------------------- a password


def test_beyond_loopback_a_password_is_required():
    with pytest.raises(HostRefused, match="TTHC_MAT_KHAU"):
        check_host("0.0.0.0", None)
    check_host("0.0.0.0", "mật khẩu")
    check_host("127.0.0.1", None)
    check_host("::1", None)


def test_the_login_refuses_a_wrong_password(tmp_path, seed):
    folder, out = seeded(tmp_path, seed)
    with Workspace(folder, out) as workspace:
        workspace.start_reading()
        workspace.wait(300)
        app = create_app(workspace, password="đúng rồi", hosts=["*"])
        with TestClient(app, base_url="http://192.0.2.1") as client:
            assert client.get("/", follow_redirects=False).headers["location"] == "/dang-nhap"
            assert client.get("/xa/cho-vang/trang/2.png", follow_redirects=False).status_code == 303
            login = _page(client, "/dang-nhap")
            form = {"csrf": csrf_of(login), "ten": "Nguyễn Văn A", "mat_khau": "sai"}
            wrong = client.post("/dang-nhap", data=form)
            assert wrong.status_code == 401 and "Sai mật khẩu" in wrong.text
            assert client.post("/dang-nhap", data=dict(form, csrf="x")).status_code == 403
            right = client.post(
                "/dang-nhap", data=dict(form, mat_khau="đúng rồi"), follow_redirects=False
            )
            assert right.status_code == 303
            assert "Cán bộ: Nguyễn Văn A" in _page(client, "/")
            client.cookies.clear()
            assert client.post("/xa/cho-vang/sua", data={"ly_do": "x"}).status_code == 401


def test_the_command_refuses_another_host_without_a_password(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "TTHC_MAT_KHAU"}
    done = subprocess.run(
        [sys.executable, "-m", "tthc", "serve", "--host", "0.0.0.0", "--out", str(tmp_path / "o"), "--no-browser"],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2
    assert "TTHC_MAT_KHAU" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "o").exists()


def test_a_store_with_a_correction_edited_outside_tthc_is_refused(tmp_path, seed):
    folder, out = seeded(tmp_path, seed)
    from tthc.consolidate import StoreError, check_store_file

    with Workspace(folder, out) as workspace:
        workspace.start_reading()
        workspace.wait(300)
        html = ""
        with TestClient(create_app(workspace), base_url=BASE) as client:
            html = _page(client, "/xa/cho-vang")
            client.post(
                "/xa/cho-vang/sua",
                data={"csrf": csrf_of(html), "phien_ban": version_of(html), "ky": "2025-Q1",
                      "so_lieu": "received_carried_over", "gia_tri": "13", "ly_do": "x"},
            )  # fmt: skip
    import sqlite3

    db = sqlite3.connect(out / STORE_NAME)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE corrections SET correction = replace(correction, '13', '130')")
    db.execute("DROP TRIGGER corrections_append_only_u")  # someone determined, outside tthc
    db.execute(
        "UPDATE corrections SET correction = replace(correction, '\"after\": 13', '\"after\": 130')"
    )
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="hiệu chỉnh số 1"):
        check_store_file(out / STORE_NAME)


def test_tthc_run_on_the_same_store_applies_the_corrections(tmp_path, seed):
    """What the officer corrected in the workspace, `tthc run` on the same folders uses:
    the workbook's cell, the district total, the flags, and the notice's reviewer note."""
    import subprocess
    import sys

    folder, out = seeded(tmp_path, seed)
    with Workspace(folder, out) as workspace:
        workspace.start_reading()
        workspace.wait(300)
        with TestClient(create_app(workspace), base_url=BASE) as client:
            html = _page(client, "/xa/cho-vang")
            fixed = client.post(
                "/xa/cho-vang/sua",
                data={"csrf": csrf_of(html), "phien_ban": version_of(html), "ky": "2025-Q1",
                      "so_lieu": "received_carried_over", "gia_tri": "13",
                      "ly_do": "Đối chiếu bản giấy"},
                follow_redirects=False,
            )  # fmt: skip
            assert fixed.status_code == 303
            carried = _total(workspace, "received_carried_over")
    done = subprocess.run(
        [sys.executable, "-m", "tthc", "run", str(folder), "--out", str(out)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(out / "tong_hop.xlsx")
    rows = list(book["Biểu tổng hợp"].iter_rows())
    cho_vang = next(r for r in rows if r[1].value == "Thị trấn Chợ Vàng")
    cell = next(c for c in cho_vang if c.comment and "16, dùng 13" in c.comment.text)
    assert cell.value == 13
    values = openpyxl.load_workbook(out / "tong_hop.xlsx", data_only=True)["Biểu tổng hợp"]
    total = next(r for r in values.iter_rows() if r[0].value == "Tổng cộng")[cell.column - 1]
    assert total.value == carried
    flags = (out / "canh_bao.csv").read_text(encoding="utf-8-sig")
    assert "Chợ Vàng" not in flags  # its only flag was the one the correction settled
    with zipfile.ZipFile(out / "du_thao_thong_bao.docx") as docx:
        assert "kỳ trước chuyển qua 16 → 13" in docx.read("word/document.xml").decode()
