"""Broken and hostile files: every one gets a record, none escapes as an exception or hangs.

A small run of corpus/fuzz.py's machinery (the large run is `python3 -m corpus.fuzz --files
10000`): our own report as .txt, .docx, .pdf and a TCVN3 .txt, mutated by bit flips,
truncation, insertion, duplication and zeroing, plus every crafted hostile file, all through
`process_many` with its limits. Hypothesis feeds arbitrary bytes to the text loader in
process (it has no native code to hang in).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus import fuzz
from tests.fixtures.reports import write_legacy_txt, write_report
from tthc.load.text_file import load_text
from tthc.runjob import process_many
from tthc.schemas import LoadError

MUTANTS_PER_SEED = 12
TIMEOUT_S = 60


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("seeds")
    out = [write_report(folder / "r.txt"), write_report(folder / "r.docx")]
    out.append(write_report(folder / "r.pdf"))
    out.append(write_legacy_txt(folder / "tcvn3.txt", "tcvn3"))
    return out


def test_mutated_reports(seeds: list[Path], tmp_path: Path) -> None:
    paths = list(fuzz.fuzz_files(seeds, MUTANTS_PER_SEED * len(seeds), tmp_path, seed=7))
    records = process_many(paths, timeout_s=TIMEOUT_S)
    kinds = [fuzz.outcome(r)[0] for r in records]
    assert len(records) == len(paths)
    assert kinds.count("crash") == 0, [r.errors for r in records if "crash" in fuzz.outcome(r)]
    assert kinds.count("timeout") == kinds.count("died") == 0
    assert kinds.count("read") > 0 and kinds.count("refused") > 0
    for record in records:
        assert record.status != "failed" or record.errors[0][0].isupper()  # a sentence


HOSTILE_EXPECTED = {
    "zip_bomb.docx": "bom nén",
    "lying_zip_bomb.docx": "bị hỏng",
    "billion_laughs.docx": "bị hỏng",
    "quadratic_blowup.docx": "bị hỏng",
    "deep_xml.docx": "bị hỏng",
    "deep_tables.docx": None,  # read: nested tables within the parser's limits
    "many_members.docx": "bom nén",
    "million_objects.pdf": "quá nhiều đối tượng",
    "many_pages.pdf": "quá nhiều",
    "huge.txt": "quá lớn",
    "long.txt": "quá lớn",
}
SMALLER = {"zip_bomb.docx": lambda: fuzz.zip_bomb(300)}


def test_hostile_files(tmp_path: Path) -> None:
    names = sorted(fuzz.HOSTILE)
    paths = []
    for name in names:
        path = tmp_path / name
        path.write_bytes(SMALLER.get(name, fuzz.HOSTILE[name])())
        paths.append(path)
    records = process_many(paths, timeout_s=TIMEOUT_S)
    for name, record in zip(names, records, strict=True):
        kind, _ = fuzz.outcome(record)
        assert kind in ("read", "refused", "memory"), (name, record.errors)
        expected = HOSTILE_EXPECTED.get(name)
        if expected:
            assert expected in record.errors[0], (name, record.errors)


def test_mutations_change_the_file() -> None:
    rng = random.Random(3)
    data = b"%PDF-1.7\n" + bytes(range(256)) * 4
    for _ in range(50):
        mutated, how = fuzz.mutate_bytes(data, rng)
        assert how and (mutated != data or "zeroing" in how)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(min_size=1, max_size=3000))
def test_text_loader_never_raises_anything_but_load_error(data: bytes) -> None:
    try:
        doc = load_text(Path("x.txt"), data)
    except LoadError as exc:
        assert str(exc)
    else:
        assert doc.format == "txt"


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=2000))
def test_text_loader_reads_any_utf8(text: str) -> None:
    doc = load_text(Path("x.txt"), text.encode("utf-8"))
    assert doc.encoding in ("utf-8", "tcvn3", "vni")


def test_whole_run_on_a_hostile_district(tmp_path: Path) -> None:
    """A CI-size run of the whole-run fuzzer (the large one: `python3 -m corpus.fuzz --runs
    8 --size 250 --no-files`): hostile names, non-reports, links, versions, .doc/.rtf
    linking a local listener, kills and re-runs, a run without the cage, two runs at once;
    nothing touched outside the results folders, no request reaches the listener."""
    counts = fuzz.fuzz_runs(tmp_path, 1, seed=5, size=30, doc_files=3, kills=2, full_disk=False)
    assert counts.failures == 0, counts.report()
    assert sum(counts.cases.values()) >= 30 and counts.runs >= 8
    assert counts.cases["tên tệp độc hại"] and counts.cases["tệp không phải báo cáo"]
    assert counts.cases["chạy khi không cách ly được LibreOffice"] == 1
    assert not counts.outside and counts.network == counts.network_uncaged == 0
