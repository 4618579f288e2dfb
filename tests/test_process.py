"""The per-file pipeline on the sample's own files: the finished record (figures as the
sample's truth gives them, flags made by the checks), and a bad file's failed record with its
reason, never an exception."""

from __future__ import annotations

import json
from pathlib import Path

from tthc.check import run_checks
from tthc.evaluate.records import SAMPLE_TRUTH
from tthc.process import process_file, read_document, read_file
from tthc.schemas import RawDocument, RawLine

SAMPLE = Path(__file__).resolve().parents[1] / "tthc" / "sample"


def truth(name: str) -> dict:
    reports = json.loads(Path(SAMPLE_TRUTH).read_text(encoding="utf-8"))["reports"]
    (report,) = [r for r in reports if r["path"] == name]
    return report


def test_a_sample_report_gives_its_true_figures_and_the_checks_flags() -> None:
    name = "03_xa_ngoc_giang.txt"
    record = process_file(SAMPLE / name)
    expected = truth(name)
    assert record.status == "ok" and record.unit.name == expected["commune"]
    stated = next(p for p in record.periods if p.scope == "all").dossiers
    gold = next(s for s in expected["scopes"] if s["scope"] == "all")["dossiers"]
    for field in ("received_total", "resolved_total", "pending_total"):
        assert getattr(stated, field) == gold[field], field
    assert record.flags == run_checks(read_file(SAMPLE / name))


def test_the_readers_alone_make_no_flags_and_the_checks_do() -> None:
    """`read_file` stops before the checks; `process_file` adds them (a sample report with a
    deliberate mistake)."""
    flagged = [
        p
        for p in sorted(SAMPLE.glob("*.txt"))
        if any(f.severity == "error" for f in process_file(p).flags)
    ]
    assert flagged, "the sample has reports with deliberate mistakes"
    assert [f for f in read_file(flagged[0]).flags if f.code != "unread"] == []


def test_a_bad_file_gives_a_failed_record_with_its_reason(tmp_path: Path) -> None:
    broken = tmp_path / "hong.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    record = process_file(broken)
    assert record.status == "failed" and record.failure is not None
    assert record.failure.reason and record.errors
    assert record.flags == []
    assert process_file(tmp_path / "khong_co.txt").status == "failed"


def test_a_document_is_read_as_text_unless_it_is_a_grid() -> None:
    lines = [
        "UBND XÃ HÒA LẠC",
        "BÁO CÁO kết quả giải quyết TTHC quý I năm 2026",
        "Tiếp nhận 120 hồ sơ, đã giải quyết 110 hồ sơ, đang giải quyết 10 hồ sơ.",
    ]
    raw = RawDocument(path="hoa_lac.txt", format="txt", lines=[RawLine(text=t) for t in lines])
    record = read_document(raw)
    all_scope = next(p for p in record.periods if p.scope == "all").dossiers
    assert (all_scope.received_total, all_scope.resolved_total, all_scope.pending_total) == (
        120,
        110,
        10,
    )
