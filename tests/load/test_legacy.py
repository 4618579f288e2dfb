"""Legacy Vietnamese encodings (TCVN3/ABC, VNI): detected and converted before normalization.

Every legacy file here is made by encoding our own Unicode report with the project's tables
(tthc/rules/legacy_*.tsv): a .txt saved in the old 8-bit code, a PDF whose text layer
holds the old codes (with and without the legacy font names), and a .docx whose runs are
set in .VnTime / .VnTimeH / VNI-Times. Each must give the same record as the Unicode copy.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.documents import Para, write_docx
from tests.fixtures.reports import (
    BODY,
    DOSSIERS,
    legacy_blocks,
    record_view,
    report_blocks,
    write_legacy_docx,
    write_legacy_pdf,
    write_legacy_txt,
    write_report,
)
from tthc.load import legacy, load
from tthc.process import process_file

ENCODINGS = ("tcvn3", "vni")
LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
TONED = [
    unicodedata.normalize("NFC", base + tone)
    for base in "aăâeêioôơuưy"
    for tone in ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
]


@pytest.fixture(scope="module")
def unicode_record(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return record_view(process_file(write_report(tmp_path_factory.mktemp("u") / "r.docx")))


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


# ---------------------------------------------------------------------------------------
# Tables


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_vietnamese_letter_round_trips(encoding: str) -> None:
    letters = [*TONED, "đ"]
    for letter in letters:
        assert legacy.convert(legacy.mojibake(letter, encoding), encoding) == letter
    for letter in letters:
        capital = letter.upper()
        back = legacy.convert(legacy.mojibake(capital, encoding), encoding)
        keeps_case = encoding == "vni" or capital.isascii() or capital in "ĂÂÊÔƠƯĐ"
        assert back == (capital if keeps_case else letter)  # TCVN3: capitals are a font


def test_known_spellings() -> None:
    assert legacy.convert("B¸o c¸o", "tcvn3") == "Báo cáo"
    assert legacy.convert("§éc lËp - Tù do - H¹nh phóc", "tcvn3") == "Độc lập - Tự do - Hạnh phúc"
    assert legacy.convert("Baùo caùo", "vni") == "Báo cáo"
    assert legacy.convert("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "vni") == (
        "Cộng hòa xã hội chủ nghĩa Việt Nam"
    )
    assert legacy.convert("nöôùc, Ñaø Naüng, naêm", "vni") == "nước, Đà Nẵng, năm"


def test_font_names() -> None:
    assert legacy.encoding_for_font(".VnTime") == ("tcvn3", False)
    assert legacy.encoding_for_font(".VnTimeH") == ("tcvn3", True)
    assert legacy.encoding_for_font("ABCDEF+.VnArialH") == ("tcvn3", True)
    assert legacy.encoding_for_font("VNI-Times") == ("vni", False)
    assert legacy.encoding_for_font("VNI-Helve-Condense") == ("vni", False)
    for unicode_font in ("Times New Roman", "Arial", "LiberationSerif", "Calibri", None):
        assert legacy.encoding_for_font(unicode_font) == (None, False)


# ---------------------------------------------------------------------------------------
# Detection


def test_detection_on_the_report() -> None:
    text = "\n".join(BODY)
    assert legacy.detect(text) is None
    for encoding in ENCODINGS:
        assert legacy.detect(legacy.mojibake(text, encoding)) == encoding


def test_detection_leaves_english_and_other_languages_alone() -> None:
    english = "The commune received 1,254 applications; 1,240 were resolved on time. " * 5
    french = "Le café déjà servi à l'hôtel près de la forêt, où l'on mangeait des crêpes. " * 5
    german = "Die Gemeinde prüft Anträge für Bürger schnell und gründlich über das Portal. " * 5
    for text in (english, french, german, "Số: 27/BC-UBND; 61/2018/NĐ-CP; TTHC"):
        assert legacy.detect(text) is None


syllables = st.builds(
    lambda onset, vowel, coda: onset + vowel + coda,
    st.sampled_from(["", "b", "c", "d", "đ", "h", "kh", "l", "m", "n", "ng", "nh", "t", "th"]),
    st.sampled_from(TONED),
    st.sampled_from(["", "c", "m", "n", "ng", "nh", "p", "t"]),
)
sentences = st.lists(syllables, min_size=1, max_size=40).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(sentences)
def test_unicode_vietnamese_is_never_converted(text: str) -> None:
    assert legacy.detect(text) is None
    for encoding in ENCODINGS:
        assert legacy.convert_line(text, encoding) == text or legacy.score(text) < 0


@settings(max_examples=100, deadline=None)
@given(st.lists(syllables, min_size=12, max_size=40).map(" ".join))
def test_legacy_vietnamese_is_detected(text: str) -> None:
    for encoding in ENCODINGS:
        moj = legacy.mojibake(text, encoding)
        if legacy.score(legacy.convert(moj, encoding)) > legacy.score(moj) + 5:
            assert legacy.detect(moj) == encoding


def test_a_unicode_line_inside_a_legacy_file_is_kept() -> None:
    assert legacy.convert_line("Báo cáo tháng 9", "tcvn3") == "Báo cáo tháng 9"
    assert legacy.convert_line("B¸o c¸o th¸ng 9", "tcvn3") == "Báo cáo tháng 9"


def test_tcvn3_capitals_are_restored_from_the_ascii_around_them() -> None:
    moj = legacy.mojibake("UBND XÃ TÂN AN", "tcvn3")
    assert legacy.convert_line(moj, "tcvn3") == "UBND XÃ TÂN AN"
    moj = legacy.mojibake("Số: 27/BC-UBND ngày 18 tháng 9", "tcvn3")
    assert legacy.convert_line(moj, "tcvn3") == "Số: 27/BC-UBND ngày 18 tháng 9"


# ---------------------------------------------------------------------------------------
# Whole reports: the same record as the Unicode copy


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_legacy_txt_gives_the_unicode_record(
    tmp_path: Path, encoding: str, unicode_record: dict
) -> None:
    path = write_legacy_txt(tmp_path / f"{encoding}.txt", encoding)
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    doc = load(path)
    assert doc.encoding == encoding
    assert any(nfc(ln.text) == nfc(BODY[0]) for ln in doc.lines) or encoding == "tcvn3"
    record = process_file(path)
    assert record.source.encoding == encoding
    assert record_view(record) == unicode_record
    assert record.periods[0].dossiers.model_dump(exclude_none=True) == DOSSIERS


@pytest.mark.parametrize("font_names", [True, False], ids=["legacy-font", "content-only"])
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_legacy_pdf_gives_the_unicode_record(
    tmp_path: Path, encoding: str, font_names: bool, unicode_record: dict
) -> None:
    path = write_legacy_pdf(tmp_path / f"{encoding}.pdf", encoding, font_names=font_names)
    doc = load(path)
    assert doc.encoding == encoding
    assert not any("¸" in ln.text or "ù" in ln.text for ln in doc.lines)
    if font_names:  # the H font says the header is in capitals
        assert doc.lines[1].text.startswith("XÃ TÂN AN")
    assert record_view(process_file(path)) == unicode_record


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_legacy_pdf_through_render_gives_the_unicode_figures(tmp_path: Path, encoding: str) -> None:
    """Mojibake text written by the project's own PDF writer (wrapped paragraphs)."""
    path = write_report(tmp_path / f"{encoding}.pdf", legacy_blocks(report_blocks(), encoding))
    record = process_file(path)
    assert record.source.encoding == encoding
    dossiers = record.periods[0].dossiers.model_dump(exclude_none=True)
    if encoding == "vni":
        assert dossiers == DOSSIERS
    else:  # this writer drops U+00AD (TCVN3 "ư"), so "trước hạn" is lost with it
        kept = {
            k: v
            for k, v in DOSSIERS.items()
            if k not in ("resolved_early", "received_carried_over")
        }
        assert dossiers.items() >= kept.items()


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_legacy_docx_gives_the_unicode_record(
    tmp_path: Path, encoding: str, unicode_record: dict
) -> None:
    path = write_legacy_docx(tmp_path / f"{encoding}.docx", encoding)
    fonts = {r.font.name for p in docx.Document(str(path)).paragraphs for r in p.runs}
    assert fonts <= {".VnTime", ".VnTimeH", "VNI-Times"}
    doc = load(path)
    assert doc.encoding == encoding
    texts = [ln.text for ln in doc.lines]
    assert texts[2] == "BÁO CÁO"  # .VnTimeH small letters drawn as capitals
    assert nfc(BODY[0]) in texts
    assert record_view(process_file(path)) == unicode_record


def test_docx_unicode_text_left_in_a_legacy_font_is_not_converted(tmp_path: Path) -> None:
    """Text converted to Unicode (e.g. with Unikey) but still tagged .VnTime stays as is."""
    path = write_docx(tmp_path / "u.docx", [Para(BODY[2]), Para(BODY[4])])
    document = docx.Document(str(path))
    for p in document.paragraphs:
        for run in p.runs:
            run.font.name = ".VnTime"
    document.save(str(path))
    doc = load(path)
    assert [ln.text for ln in doc.lines] == [BODY[2], BODY[4]]
    assert doc.encoding is None


def test_docx_mixed_fonts_convert_only_the_legacy_runs(tmp_path: Path) -> None:
    document = docx.Document()
    p = document.add_paragraph()
    p.add_run("Báo cáo số 27/BC-UBND: ")  # Unicode run, default font
    legacy_run = p.add_run(legacy.mojibake("tổng số hồ sơ tiếp nhận là 1.254 hồ sơ", "tcvn3"))
    legacy_run.font.name = ".VnTime"
    document.save(str(tmp_path / "m.docx"))
    doc = load(tmp_path / "m.docx")
    assert doc.lines[0].text == "Báo cáo số 27/BC-UBND: tổng số hồ sơ tiếp nhận là 1.254 hồ sơ"
    assert doc.encoding == "tcvn3"


def test_docx_font_from_the_paragraph_style(tmp_path: Path) -> None:
    document = docx.Document()
    document.styles["Normal"].font.name = "VNI-Times"
    document.add_paragraph(legacy.mojibake("Ủy ban nhân dân xã Tân An báo cáo", "vni"))
    document.save(str(tmp_path / "s.docx"))
    doc = load(tmp_path / "s.docx")
    assert doc.lines[0].text == "Ủy ban nhân dân xã Tân An báo cáo"
    assert doc.encoding == "vni"


def test_utf8_file_with_mojibake_pasted_in_is_converted(tmp_path: Path) -> None:
    path = tmp_path / "dan.txt"
    path.write_text(legacy.mojibake("\n".join(BODY), "vni"), encoding="utf-8")
    doc = load(path)
    assert doc.encoding == "vni"
    assert [nfc(ln.text) for ln in doc.lines] == [nfc(b) for b in BODY]


def test_plain_unicode_files_keep_utf8(tmp_path: Path) -> None:
    for suffix in (".txt", ".docx"):
        doc = load(write_report(tmp_path / f"r{suffix}"))
        assert doc.encoding in ("utf-8", None)
