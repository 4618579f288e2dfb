"""Benchmark of the review workspace: prints page times, asserts nothing.

    python3 -m corpus.bench_serve               # a generated 120-commune district
    python3 -m corpus.bench_serve --communes 40

The district is generated and read once (`tthc run`, which fills the store the workspace
opens); then each page is asked for through the app (Starlette's test client, in process:
the server's own time, no network) and the median and slowest (the first, cold) of seven
requests are printed: the desk, the desk filtered, the overview, a commune's page, a
commune's page with the evidence of a figure (a PDF's page with the passage boxed; a text
with it marked), and the page image of a PDF, first (rendered) and again (from the cache).
The aim is under 200 ms per page on the project's machine.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from starlette.testclient import TestClient

from corpus.generate import generate_district
from tthc.runjob import run
from tthc.serve import Workspace, create_app

REPEAT = 7


def timed(client: TestClient, url: str, repeat: int = REPEAT) -> list[float]:
    """Milliseconds of each of `repeat` requests of one page (each must answer 200)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        times.append(1000 * (time.perf_counter() - start))
        if response.status_code != 200:
            raise SystemExit(f"{url}: {response.status_code} {response.text[:300]}")
    return times


def line(name: str, times: list[float]) -> None:
    median, slowest = statistics.median(times), max(times)
    print(f"  {name:<54} trung vị {median:6.1f} ms · chậm nhất {slowest:6.1f} ms")


def pages(client: TestClient) -> None:
    desk = client.get("/").text
    slugs = re.findall(r'<a href="/xa/([a-z0-9-]+)">', desk)
    row = r'data-slug="([a-z0-9-]+)".*?<small>([^<]*)</small>\s*</td>\s*</tr>'
    rows = re.findall(row, desk, re.S)
    pdf = next(s for s, files in rows if files.endswith(".pdf"))
    text = next(s for s, files in rows if files.endswith((".txt", ".docx")))
    print(f"  {len(slugs)} đơn vị trên bàn làm việc")
    line("Bàn làm việc", timed(client, "/"))
    line("Bàn làm việc, chỉ đơn vị có cảnh báo", timed(client, "/?loc=canh-bao"))
    line("Tổng quan huyện", timed(client, "/tong-quan"))
    line(f"Trang đơn vị ({pdf})", timed(client, f"/xa/{pdf}"))
    for slug, kind in ((pdf, "PDF: ảnh trang, khoanh đoạn"), (text, "văn bản, đánh dấu đoạn")):
        page = client.get(f"/xa/{slug}").text
        link = re.search(r'href="(/xa/[^"]+\?xem=so:[^"#]+)#noi-doc"', page).group(1)
        line(f"Trang đơn vị + nơi đọc ({kind})", timed(client, link))
    shown = client.get(
        re.search(r'href="(/xa/[^"]+\?xem=so:[^"#]+)#noi-doc"', client.get(f"/xa/{pdf}").text)[1]
    ).text
    image = re.search(r'<image href="([^"]+)"', shown).group(1)
    other = re.sub(r"/trang/(\d+)\.png", lambda m: f"/trang/{1 if m[1] != '1' else 2}.png", image)
    line("Ảnh trang PDF, lần đầu (vẽ trang)", timed(client, other, 1))
    line("Ảnh trang PDF, lần sau (đã lưu tạm)", timed(client, other))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=120)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    try:
        folder, out = tmp / "district", tmp / "ket_qua"
        generate_district(folder, n_communes=args.communes, seed=11)
        start = time.perf_counter()
        run(folder, out)
        took = time.perf_counter() - start
        print(f"Huyện sinh tự động ({args.communes} xã): tthc run {took:.1f} s")
        with Workspace(folder, out) as workspace:
            start = time.perf_counter()
            workspace.start_reading()
            workspace.wait(600)
            print(f"  mở không gian làm việc (dùng kho): {time.perf_counter() - start:.1f} s")
            with TestClient(create_app(workspace), base_url="http://127.0.0.1") as client:
                pages(client)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
