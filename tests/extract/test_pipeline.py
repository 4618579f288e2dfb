"""The extract pipeline: stock span rulers for labels and measures, then the readers as
components that write their readings onto the Doc and respect the spans earlier ones claimed."""

from __future__ import annotations

import itertools

from tthc.extract.assemble import record_from_doc
from tthc.extract.pipeline import READERS, analyse, pipeline, read
from tthc.extract.readings import EXTENSIONS, INPUTS, start_doc
from tthc.normalize.text import normalize
from tthc.schemas import RawDocument, RawLine, Text

REPORT = """UBND XÃ AN PHÚ
Báo cáo kết quả giải quyết thủ tục hành chính quý II năm 2025
Ngày 20/6/2025 xã tiếp nhận 145 hồ sơ, trong đó trực tuyến 120 hồ sơ.
Đã giải quyết 140 hồ sơ, đạt tỷ lệ 96,55%; đang giải quyết 5 hồ sơ.
Thực hiện Nghị định số 61/2018/NĐ-CP của Chính phủ."""


def _raw(text: str) -> RawDocument:
    lines = [RawLine(text=line) for line in text.split("\n")]
    return RawDocument(path="an_phu.txt", format="txt", lines=lines)


def _text(text: str) -> Text:
    return normalize(_raw(text))


def test_components_run_in_order_with_the_stock_span_ruler() -> None:
    nlp = pipeline()
    assert nlp.pipe_names == [
        "sentencizer",
        "tthc_line_breaks",
        "tthc_labels",
        "tthc_measures",
        *READERS,
    ]
    assert nlp.get_pipe_meta("tthc_labels").factory == "span_ruler"
    assert nlp.get_pipe_meta("tthc_measures").factory == "span_ruler"


def test_span_rulers_keep_the_longest_labels() -> None:
    doc = analyse(_text(REPORT).match)
    found = [(s.text, s.label_) for s in doc.spans["labels"]]
    assert ("tiếp nhận", "group:received") in found
    assert ("trực tuyến", "qualifier:online") in found
    assert ("đang giải quyết", "group:pending") in found
    # "đang giải quyết" is one label, not "giải quyết" inside it as well
    assert ("giải quyết", "group:resolved") not in found[
        found.index(("đang giải quyết", "group:pending")) :
    ]
    spans = list(doc.spans["labels"])
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))
    assert [s.label_ for s in doc.spans["measures"]]  # "tỷ lệ" of what is measured
    assert doc._.figures is None  # analyse stops before the readers


def test_readers_write_their_readings_and_claims_onto_the_doc() -> None:
    text = _text(REPORT)
    doc = read(text)
    assert doc._.text is text
    assert doc._.periods.report is not None and doc._.periods.report.key == "2025-Q2"
    assert [c.symbol for c in doc._.citations] == ["61/2018/NĐ-CP"]
    assert doc._.unit is not None and "An Phú" in (doc._.unit.name or "")
    assert [p.value for p in doc._.rates] == [96.55]
    values = {f.field: f.value for f in doc._.figures.figures}
    assert values == {
        "received_total": 145,
        "received_online": 120,
        "resolved_total": 140,
        "pending_total": 5,
    }
    claimed = {text.match[s:e] for s, e in doc._.claimed}
    assert "20/6/2025" in claimed  # the date: its numbers are no count
    assert any("61/2018" in c for c in claimed)
    assert any("96,55" in c for c in claimed)


def test_a_later_reader_leaves_claimed_spans_alone() -> None:
    """A span claimed before the figure reader runs is never read as a figure."""
    text = _text(REPORT)
    nlp = pipeline()
    doc = start_doc(nlp.make_doc(text.match), text)
    for name, component in nlp.pipeline:
        if name == "tthc_counts":
            at = text.match.index("145")
            doc._.claimed.append((at, at + 3))
        doc = component(doc)
    fields = {f.field for f in doc._.figures.figures}
    assert "received_total" not in fields and "resolved_total" in fields


def test_the_record_is_read_off_the_doc() -> None:
    raw = _raw(REPORT)
    text = normalize(raw)
    record = record_from_doc(read(text), raw)
    [period] = record.periods
    assert period.key == "2025-Q2" and period.dossiers.received_total == 145
    assert record.report.period_key == "2025-Q2"
    assert record.citations[0].symbol == "61/2018/NĐ-CP"


def test_every_reader_requires_only_what_an_earlier_one_assigns() -> None:
    """spaCy's own analysis of the declared requires/assigns: nothing a reader reads is
    missing, apart from the pipeline's inputs (the Text and the settings, see `read`)."""
    problems = pipeline().analyze_pipes()["problems"]
    missing = {attr for attrs in problems.values() for attr in attrs}
    assert missing <= {f"doc._.{name}" for name in INPUTS}


def _doc_attributes(function) -> tuple[set[str], set[str]]:
    """(extensions read, extensions written) by a component's source."""
    import inspect
    import re

    source = inspect.getsource(function)
    body = source[source.index("def ") :]
    written = set(re.findall(r"doc\._\.(\w+)(?:\s*=[^=]|\.(?:extend|append)\()", body))
    read = set(re.findall(r"doc\._\.(\w+)", body))
    return read, written


def test_every_reader_declares_what_it_reads_and_writes() -> None:
    """A component reads only the extensions it requires (or assigns) and writes only those
    it assigns: the declarations are the reader's real inputs and outputs."""
    nlp = pipeline()
    for name in READERS:
        meta = nlp.get_pipe_meta(name)
        requires = {a.removeprefix("doc._.") for a in meta.requires if a.startswith("doc._.")}
        assigns = {a.removeprefix("doc._.") for a in meta.assigns if a.startswith("doc._.")}
        read, written = _doc_attributes(nlp.get_pipe(name))
        assert read <= requires | assigns, (name, read - requires - assigns)
        assert written <= assigns, (name, written - assigns)
        assert (requires | assigns) <= set(EXTENSIONS), name
