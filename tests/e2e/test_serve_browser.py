"""The whole review loop in a real browser (Debian's Chromium, driven by Playwright's Python
package; no browser is downloaded), by keyboard alone: Tab to a control, Enter to use it,
typing into fields. Each step's screenshot is saved (TTHC_SCREENSHOTS names the folder,
else the test's own temporary folder) to be looked at as the officer sees it."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import docx
import openpyxl
import pytest

from tests.serve_helpers import UNREAD_FIELDS, seed_store, seeded

CHROMIUM = os.environ.get("TTHC_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    pytest.skip(
        "Debian's chromium is not installed here (.ci/run installs it)", allow_module_level=True
    )

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    where = tmp_path_factory.mktemp("serve")
    folder, out = seeded(where, seed_store(where))
    port = _free_port()
    env = dict(os.environ, BROWSER="true")
    log = (where / "serve.log").open("wb")  # a file, not a pipe: a full pipe would stall it
    process = subprocess.Popen(
        [sys.executable, "-m", "tthc", "serve", str(folder), "--out", str(out), "--port", str(port), "--no-browser"],
        stdout=log, stderr=subprocess.STDOUT, env=env,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 300  # generous: the store's records are read back first
    while not _ready(url):
        if process.poll() is not None:
            pytest.fail((where / "serve.log").read_text(errors="replace"))
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("tthc serve did not answer in 5 minutes")
        time.sleep(0.5)
    yield url, out
    process.terminate()
    process.wait(30)
    log.close()


def _ready(url: str) -> bool:
    """The server answers and has finished reading the folder."""
    try:
        with urllib.request.urlopen(url + "tien-do", timeout=5) as response:
            return json.loads(response.read())["running"] is False
    except (OSError, ValueError, KeyError):
        return False


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("TTHC_SCREENSHOTS") or tmp_path_factory.mktemp("anh"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _tab_to(page, selector: str, limit: int = 400) -> None:
    """Press Tab until the element is focused: the control is reachable by keyboard."""
    target = page.locator(selector).first
    target.wait_for()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("e => e === document.activeElement"):
            return
    pytest.fail(f"Tab never reached {selector}")


def _total(page, field: str) -> int:
    text = page.locator(f"#tong-{field} .value").inner_text()
    return int(text.replace(".", ""))


def test_the_review_loop_by_keyboard(server, shots, tmp_path):
    from playwright.sync_api import sync_playwright

    url, _ = server
    with sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=ARGS,
            accept_downloads=True, viewport={"width": 1366, "height": 900},
        )  # fmt: skip
        page = browser.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        failed: list[str] = []
        page.on(
            "response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None
        )
        outside: list[str] = []  # offline: every request goes to the workspace itself
        page.on(
            "request", lambda r: None if r.url.startswith((url, "data:")) else outside.append(r.url)
        )

        # 1. the desk: every commune, the flagged ones marked, the district's totals
        page.goto(url)
        assert page.locator("#bang-xa tbody tr").count() == 20
        carried = _total(page, "received_carried_over")
        online = _total(page, UNREAD_FIELDS[0])
        page.screenshot(path=shots / "01_ban_lam_viec.png", full_page=True)

        # 2. a flagged commune, by keyboard
        _tab_to(page, 'a[href="/xa/cho-vang"]')
        page.keyboard.press("Enter")
        page.wait_for_url("**/xa/cho-vang")
        assert "Kỳ trước chuyển qua: 16 → 13" in page.locator("#canh-bao").inner_text()
        page.screenshot(path=shots / "02_xa_co_canh_bao.png", full_page=True)

        # 3. where the flagged figure was read: the PDF page with the passage boxed
        _tab_to(page, "#canh-bao a.xem")
        page.keyboard.press("Enter")
        page.wait_for_selector("#trang rect.hl")
        loaded = page.evaluate(
            "() => new Promise(ok => { const i = new Image(); i.onload = () => ok(i.naturalWidth);"
            " i.onerror = () => ok(0); i.src = document.querySelector('#trang image').getAttribute('href'); })"
        )
        assert loaded > 500
        box = page.locator("#trang rect.hl").first.bounding_box()
        assert box and box["width"] > 50 and box["height"] > 5
        page.screenshot(path=shots / "03_noi_doc_tren_trang.png")

        # 4. correct to the suggested value, with a reason: the flag goes, the total follows
        assert page.locator("form.fix input[name=gia_tri]").input_value() == "13"
        _tab_to(page, "form.fix input[name=ly_do]")
        page.keyboard.type("Đối chiếu bản giấy: kỳ trước chuyển qua 13 hồ sơ")
        page.keyboard.press("Enter")
        page.wait_for_selector("p.flash, p.error")
        assert page.locator("p.error").count() == 0, page.locator("p.error").inner_text()
        page.wait_for_selector("text=Không còn điểm nào cần xem lại")
        page.screenshot(path=shots / "04_da_sua_canh_bao_mat.png", full_page=True)
        page.goto(url)
        assert _total(page, "received_carried_over") == carried - 3
        page.screenshot(path=shots / "05_tong_huyen_doi.png")

        # 5. dismiss another flag, with its reason
        page.goto(url + "xa/ngoc-giang")
        other = browser.new_page()  # a second tab on the same commune, opened before the change
        other.goto(url + "xa/ngoc-giang")
        _tab_to(page, "form.dismiss input[name=ly_do]")
        page.keyboard.type("Số 38 là số chuyển sang kỳ sau, không mâu thuẫn")
        page.keyboard.press("Enter")
        page.wait_for_selector("text=Không còn điểm nào cần xem lại")
        page.screenshot(path=shots / "06_bo_qua_canh_bao.png", full_page=True)

        # 5b. the second tab's change is refused with a clear message; nothing is lost
        _tab_to(other, "form.dismiss input[name=ly_do]")
        other.keyboard.type("Tab thứ hai: số 37 là số đúng")
        other.keyboard.press("Enter")
        other.wait_for_selector("p.error")
        assert "cửa sổ khác" in other.locator("p.error").inner_text()
        assert other.locator("#tai-lai").count() == 1  # a link to the latest figures
        other.screenshot(path=shots / "06b_tab_khac_bi_tu_choi.png", full_page=True)
        other.close()

        # 6. an unread number given a field: two choices (the field, then Gán)
        page.goto(url + "?loc=chua-doc")
        _tab_to(page, "#bang-xa tbody a")
        page.keyboard.press("Enter")
        page.wait_for_selector("#chua-doc form.assign")
        value = int(page.locator("#chua-doc strong.big").first.inner_text().replace(".", ""))
        page.screenshot(path=shots / "07_so_chua_doc.png", full_page=True)
        _tab_to(page, "#chua-doc form.assign select[name=so_lieu]")
        choice = page.locator("#chua-doc form.assign select[name=so_lieu]").first
        for _ in range(40):  # arrow keys on the focused list, as an officer without a mouse
            if choice.input_value() == UNREAD_FIELDS[0]:
                break
            page.keyboard.press("ArrowDown")
        assert choice.input_value() == UNREAD_FIELDS[0]
        _tab_to(page, "#chua-doc form.assign button")
        page.keyboard.press("Enter")
        page.wait_for_selector("text=Số chưa đọc (0)")
        page.goto(url)
        assert _total(page, UNREAD_FIELDS[0]) == online + value
        page.screenshot(path=shots / "08_da_gan_so_chua_doc.png", full_page=True)

        # 7. the overview and the workbook and notice of the current state
        page.goto(url + "tong-quan")
        overview = page.locator("main").inner_text()
        assert f"trực tuyến không ghi → {value:,}".replace(",", ".") in overview
        assert "%%" not in overview
        page.screenshot(path=shots / "09_tong_quan.png", full_page=True)
        page.goto(url)
        saved = {}
        for link, name in (("#tai-bang", "tong_hop.xlsx"), ("#tai-thong-bao", "thong_bao.docx")):
            _tab_to(page, link)
            with page.expect_download() as got:
                page.keyboard.press("Enter")
            saved[name] = tmp_path / name
            got.value.save_as(saved[name])
        browser.close()
    assert failed == []
    assert outside == []  # offline: nothing was fetched from anywhere else
    assert errors == []
    book = openpyxl.load_workbook(saved["tong_hop.xlsx"])
    rows = list(book["Biểu tổng hợp"].iter_rows())
    cho_vang = next(r for r in rows if r[1].value == "Thị trấn Chợ Vàng")
    cell = next(c for c in cho_vang if c.comment and "hiệu chỉnh" in c.comment.text)
    assert cell.value == 13 and "Đối chiếu bản giấy" in cell.comment.text
    total_row = next(r for r in rows if r[0].value == "Tổng cộng")
    total = total_row[cell.column - 1]
    assert str(total.value).startswith("=SUM(")
    assert _stored_value(saved["tong_hop.xlsx"], total.coordinate) == carried - 3
    # the flags sheet lists the three corrections, each with its reason
    logged = [
        [str(v) for v in row if v is not None]
        for row in book["Cảnh báo"].iter_rows(values_only=True)
    ]
    assert any("Thị trấn Chợ Vàng" in r and "16" in r and "13" in r for r in logged), logged
    assert any(
        "Xã Ngọc Giang" in r and "Số 38 là số chuyển sang kỳ sau, không mâu thuẫn" in r
        for r in logged
    ), logged
    assert any("Xã Long Hòa" in r and str(value) in r for r in logged), logged
    notice = docx.Document(saved["thong_bao.docx"])
    text = "\n".join(p.text for p in notice.paragraphs)
    assert "thị trấn Chợ Vàng: kỳ trước chuyển qua 16 → 13" in text
    assert "Tổng số đang giải quyết được ghi hai giá trị khác nhau (37 và 38" not in text


def _stored_value(path: Path, coordinate: str) -> float:
    """The value stored with a formula (what Excel, LibreOffice and pandas read)."""
    values = openpyxl.load_workbook(path, data_only=True)["Biểu tổng hợp"]
    return values[coordinate].value
