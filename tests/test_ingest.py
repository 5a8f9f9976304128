"""PDF ingest: golden parses of generated plans, every bad input, the sandbox, speed.

Golden files: UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_ingest.py  (then read them).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from pdf_factory import (
    EN_LONG,
    SAMPLE_FOOTER,
    SAMPLE_HEADER,
    ZH_LONG,
    encrypted_pdf,
    image_only_pdf,
    long_plan_blocks,
    make_plan_pdf,
    make_sample_plan,
    zero_page_pdf,
)
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas

from service.domain import Document
from service.errors import (
    DossierError,
    EmptyPdf,
    EncryptedPdf,
    InvalidPdf,
    NoTextLayer,
    ParseTimeout,
    TooLarge,
    TooManyPages,
)
from service.ingest import FakePdfParser, parse_pdf_bytes
from service.ingest.blocks import HeadingPath, heading_level, is_numbered_heading, join_lines
from service.ingest.layout import is_page_number
from service.settings import Settings
from service.textnorm import loose, normalize_ws, quote_on_page

GOLDEN = Path(__file__).parent / "golden" / "ingest"
LANGS = ["zh", "en"]


def parse(data: bytes, **limits: Any) -> Document:
    return parse_pdf_bytes(data, Settings(**limits), isolate=False)


def projection(doc: Document) -> dict[str, Any]:
    return {
        "language": doc.language,
        "page_count": doc.page_count,
        "passages": [
            {"page": p.page, "kind": p.kind, "section": p.section, "text": p.text} for p in doc.passages
        ],
        "tables": [{"page": t.page, "rows": t.rows} for t in doc.tables],
    }


def dump_golden(got: dict[str, Any]) -> str:
    """JSON with one passage / table per line, so a diff reads like the document."""
    out = []
    for key, value in got.items():
        if isinstance(value, list):
            items = [f"  {json.dumps(x, ensure_ascii=False)}" for x in value]
            out.append(f" {json.dumps(key)}: [\n" + ",\n".join(items) + "\n ]")
        else:
            out.append(f" {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(out) + "\n}\n"


@pytest.fixture(scope="module", params=LANGS)
def sample(request: pytest.FixtureRequest) -> tuple[str, bytes, Document]:
    data = make_sample_plan(None, request.param)
    return request.param, data, parse(data)


# ------------------------------------------------------------------ golden


def test_golden(sample: tuple[str, bytes, Document]) -> None:
    lang, _, doc = sample
    path = GOLDEN / f"sample_plan_{lang}.json"
    got = projection(doc)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_golden(got), encoding="utf-8")
    assert got == json.loads(path.read_text(encoding="utf-8"))


def test_running_header_footer_and_page_numbers_removed(sample: tuple[str, bytes, Document]) -> None:
    lang, _, doc = sample
    confidential = SAMPLE_FOOTER[lang].split("\n")[0]
    for page in doc.pages:
        assert loose(SAMPLE_HEADER[lang]) not in loose(page)
        assert loose(confidential) not in loose(page)
        assert "Page 1 of" not in page and "- 1 -" not in page
    assert not [p for p in doc.passages if is_page_number(p.text)]


def test_structure(sample: tuple[str, bytes, Document]) -> None:
    lang, _, doc = sample
    headings = [p.text for p in doc.passages if p.kind == "heading"]
    expected = {
        "zh": [
            "一、概述",
            "（一）受试物",
            "二、毒理学研究",
            "2.1 重复给药毒性试验",
            "2.2 生物分布研究",
            "（二）取样时间点",
        ],
        "en": [
            "1. Introduction",
            "1.1 Test Article",
            "2. Toxicology Studies",
            "2.1 Repeat-Dose Toxicity",
            "2.2 Biodistribution",
            "2.2.1 Sampling Time Points",
            "III. References",
        ],
    }[lang]
    assert headings == expected
    assert doc.language == lang
    # the long paragraph wraps over 4 lines in the PDF and comes back as one passage
    long = [p for p in doc.passages if p.text.endswith(("免疫原性研究。", "and reversibility."))]
    assert len(long) == 1 and long[0].kind == "paragraph" and long[0].section == expected[3]
    assert long[0].text.startswith(("本试验拟采用食蟹猴", "The pivotal toxicology study"))
    # a numbered list item that wraps is a paragraph, not a heading
    assert [p.kind for p in doc.passages if p.text.startswith("1. ") and "10 mL/kg" in p.text] == [
        "paragraph"
    ]
    # table: 5 rows of 4 cells, wrapped cell rejoined, and not duplicated as paragraphs
    (table,) = doc.tables
    assert len(table.rows) == 5 and all(len(r) == 4 for r in table.rows)
    rows = [p for p in doc.passages if p.kind == "table_row"]
    assert [p.text for p in rows] == [" | ".join(r) for r in table.rows]
    assert all(p.table_id == table.table_id for p in rows)
    last = table.rows[-1][-1]
    assert last.startswith(("最大可行剂量", "Maximum feasible")) and last.endswith(("第 91 天", "Day 91"))
    paragraphs = " ".join(p.text for p in doc.passages if p.kind != "table_row")
    assert last[:6] not in paragraphs and table.rows[0][1] not in paragraphs


def test_every_passage_verifies_on_its_page(sample: tuple[str, bytes, Document]) -> None:
    _, data, doc = sample
    assert [p.idx for p in doc.passages] == list(range(len(doc.passages)))
    for p in doc.passages:
        assert p.text == p.text.strip() and p.text
        assert quote_on_page(p.text, doc.pages[p.page - 1]), p
    long_doc = parse(make_plan_pdf(None, long_plan_blocks("zh", 6), "zh", header="H", footer="{page}"))
    assert all(quote_on_page(p.text, long_doc.pages[p.page - 1]) for p in long_doc.passages)


def test_sha256_and_pages(sample: tuple[str, bytes, Document]) -> None:
    import hashlib

    _, data, doc = sample
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.page_count == 2 and all(doc.pages)


def test_numbered_body_headings_survive_header_detection() -> None:
    """'N. Study item N' opens every page at the same place: a heading, not a running header."""
    doc = parse(make_plan_pdf(None, long_plan_blocks("zh", 4), "zh", header="计划", footer="第 {page} 页"))
    tops = [p for p in doc.passages if p.kind == "heading" and "研究项目" in p.text]
    assert [p.page for p in tops] == [1, 2, 3, 4]


@pytest.mark.parametrize("lang", LANGS)
def test_indented_paragraphs_without_spacing(lang: str) -> None:
    """Office style: no gap between paragraphs, only a first-line indent (or a short last line)."""
    long, short = (ZH_LONG, "短段落。") if lang == "zh" else (EN_LONG, "A short one.")
    blocks = [("p", long), ("p", long), ("p", short), ("p", short), ("p", long)]
    doc = parse(make_plan_pdf(None, blocks, lang, indent_paragraphs=True))  # type: ignore[arg-type]
    # loose(): a Chinese line break next to a number may or may not have been a space
    assert [loose(p.text) for p in doc.passages] == [loose(t) for _, t in blocks]
    if lang == "en":
        assert [p.text for p in doc.passages] == [normalize_ws(t) for _, t in blocks]


def test_single_page_keeps_first_line_but_drops_page_number() -> None:
    data = make_plan_pdf(
        None, [("p", "Only one page of text here.")], "en", header="A title line", footer="3"
    )
    doc = parse(data)
    assert [p.text for p in doc.passages] == ["A title line", "Only one page of text here."]


# ------------------------------------------------------------------ helpers


@pytest.mark.parametrize(
    "text", ["3", "- 3 -", "— 12 —", "第 3 页", "第3页 共12页", "Page 3 of 12", "page 3", "3/12", "iv"]
)
def test_page_number_patterns(text: str) -> None:
    assert is_page_number(text)


@pytest.mark.parametrize("text", ["3 个剂量组", "Day 3 dosing", "2.1 试验设计", "表 3"])
def test_not_page_numbers(text: str) -> None:
    assert not is_page_number(text)


def test_join_lines() -> None:
    assert join_lines("给药后分别于第", "14 天解剖") == "给药后分别于第14 天解剖"
    assert join_lines("the relevant", "species") == "the relevant species"
    assert join_lines("dose-", "response") == "dose-response"
    assert join_lines("treat-", "ment", frozenset({"treatment"})) == "treatment"


@pytest.mark.parametrize(
    "text",
    [
        "一、概述",
        "（一）受试物",
        "（1）取样",
        "1. Introduction",
        "2.3.4 Methods",
        "II. Pharmacology",
        "第三章 毒理学",
        "1.1 重复给药",
    ],
)
def test_numbered_heading_patterns(text: str) -> None:
    assert is_numbered_heading(text)


def test_fake_parser() -> None:
    doc = FakePdfParser(["一、概述\n\n本品为AAV载\n体产品。", "2.1 Design\n\nDosing is\nintravenous."]).parse(
        b"x"
    )
    assert [(p.page, p.kind, p.section, p.text) for p in doc.passages] == [
        (1, "heading", "一、概述", "一、概述"),
        (1, "paragraph", "一、概述", "本品为AAV载体产品。"),
        (2, "heading", "2.1 Design", "2.1 Design"),
        (2, "paragraph", "2.1 Design", "Dosing is intravenous."),
    ]
    assert all(quote_on_page(p.text, doc.pages[p.page - 1]) for p in doc.passages)
    assert doc.language == "zh" and doc.page_count == 2


# ------------------------------------------------------------------ bad inputs


def _raises(exc: type[DossierError], data: bytes, *words: str, **limits: Any) -> DossierError:
    with pytest.raises(exc) as info:
        parse(data, **limits)
    for w in words:
        assert w in info.value.message
    return info.value


def test_text_file_renamed_pdf(tmp_path: Path) -> None:
    path = tmp_path / "plan.pdf"
    path.write_text("这不是PDF文件，只是改了扩展名。\n" * 20, encoding="utf-8")
    _raises(InvalidPdf, path.read_bytes(), "not a PDF")
    _raises(InvalidPdf, b"x" * 2000 + b"%PDF-1.4\n", "not a PDF")  # magic later than the first 1 KiB


def test_corrupt_pdf() -> None:
    data = make_sample_plan(None, "en")
    _raises(InvalidPdf, data[: len(data) // 2], "corrupt")
    _raises(InvalidPdf, b"%PDF-1.7\n" + bytes(range(256)) * 40, "corrupt")


def test_encrypted_pdf() -> None:
    _raises(EncryptedPdf, encrypted_pdf("pw"), "encrypted")


def test_owner_password_only_pdf_counts_as_encrypted() -> None:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, encrypt=StandardEncryption("", ownerPassword="owner", canCopy=0))
    c.drawString(72, 700, "Readable but protected plan text, long enough to count as a text layer.")
    c.save()
    _raises(EncryptedPdf, buf.getvalue(), "encrypted")


def test_zero_page_pdf() -> None:
    _raises(EmptyPdf, zero_page_pdf(), "no pages")


def test_image_only_pdf() -> None:
    _raises(NoTextLayer, image_only_pdf(3), "OCR")


def test_too_large() -> None:
    data = make_sample_plan(None, "en")
    _raises(TooLarge, data, "1000 bytes", max_upload_bytes=1000)


def test_too_many_pages() -> None:
    data = make_plan_pdf(None, long_plan_blocks("en", 3), "en")
    _raises(TooManyPages, data, "3 pages", "limit of 2 pages", max_pages=2)


# ------------------------------------------------------------------ sandbox


class SlowParser:
    def parse(self, data: bytes) -> Document:
        time.sleep(60)
        raise AssertionError("not killed")


class CrashingParser:
    def parse(self, data: bytes) -> Document:
        os._exit(3)


class BuggyParser:
    def parse(self, data: bytes) -> Document:
        raise ValueError("boom")


def test_isolated_parse_matches_in_process() -> None:
    data = make_sample_plan(None, "zh")
    assert parse_pdf_bytes(data, Settings()) == parse(data)


def test_isolated_errors_keep_class_and_message() -> None:
    with pytest.raises(EncryptedPdf, match="encrypted"):
        parse_pdf_bytes(encrypted_pdf(), Settings())
    with pytest.raises(TooManyPages, match="limit of 1 pages"):
        parse_pdf_bytes(make_sample_plan(None, "en"), Settings(max_pages=1))
    with pytest.raises(InvalidPdf, match="ValueError: boom"):
        parse_pdf_bytes(b"%PDF-", Settings(), parser=BuggyParser())


def test_timeout_tiny_limit() -> None:
    with pytest.raises(ParseTimeout, match="limit of 0.001 seconds"):
        parse_pdf_bytes(make_sample_plan(None, "en"), Settings(parse_timeout_seconds=0.001))


def test_timeout_kills_slow_child() -> None:
    start = time.monotonic()
    with pytest.raises(ParseTimeout, match="longer than the limit"):
        parse_pdf_bytes(b"%PDF-", Settings(parse_timeout_seconds=1.5), parser=SlowParser())
    assert time.monotonic() - start < 15


def test_child_crash_is_invalid_pdf() -> None:
    with pytest.raises(InvalidPdf, match="exit code 3"):
        parse_pdf_bytes(b"%PDF-", Settings(), parser=CrashingParser())


def test_sandbox_from_script_without_main_guard(tmp_path: Path) -> None:
    pdf = tmp_path / "p.pdf"
    make_sample_plan(pdf, "en")
    script = tmp_path / "run.py"
    script.write_text(
        "import sys\nfrom pathlib import Path\nfrom service.ingest import parse_pdf_bytes\n"
        f"doc = parse_pdf_bytes(Path({str(pdf)!r}).read_bytes())\nprint(doc.page_count)\n"
    )
    out = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "2"


# ------------------------------------------------------------------ speed


def test_parse_close_to_bare_extract_text() -> None:
    data = make_plan_pdf(
        None, long_plan_blocks("zh", 10), "zh", header=SAMPLE_HEADER["zh"], footer=SAMPLE_FOOTER["zh"]
    )

    def extract() -> None:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                page.extract_text()

    def timed(fn: Any) -> float:
        best = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - t)
        return best

    ratio = timed(lambda: parse(data)) / timed(extract)
    assert ratio < 2.0, f"parse/extract_text = {ratio:.2f}"


@pytest.mark.parametrize(
    ("headings", "ancestors"),
    [
        (["4 Pharmacokinetics", "4.1 Biodistribution", "4.1.1 Design"], "4 Pharmacokinetics > 4.1 Biodistribution"),
        (["4 Pharmacokinetics", "4.1 Biodistribution", "4.2 Shedding"], "4 Pharmacokinetics"),
        (["Part IV Toxicology", "4.3 General toxicology", "Table IV-3 Groups"], "Part IV Toxicology > 4.3 General toxicology"),
        (["三、毒理学研究", "（一）一般毒理学", "1. 大鼠试验", "（1）分组"], "三、毒理学研究 > （一）一般毒理学 > 1. 大鼠试验"),
        (["三、毒理学研究", "（一）一般毒理学", "四、药代动力学"], ""),
        (["2 Studies", "2.1 Design", "3 Results"], ""),
    ],
)
def test_heading_path_nests_by_numbering(headings: list[str], ancestors: str) -> None:
    path = HeadingPath()
    for h in headings:
        path.enter(h)
    assert path.ancestors == ancestors


def test_heading_levels_order_outer_before_inner() -> None:
    order = ["第三章 毒理学", "三、毒理学研究", "（一）一般毒理学", "1. 大鼠试验", "（1）分组"]
    levels = [heading_level(h) for h in order]
    assert None not in levels
    known = [lv for lv in levels if lv is not None]
    assert known == sorted(known) and len(set(known)) == len(known)
    assert heading_level("Table 3 Dose groups") is None


def test_fake_parser_passages_carry_their_enclosing_headings() -> None:
    doc = FakePdfParser(["4 Pharmacokinetics\n\n4.1 Design\n\nRats are sampled on Days 1 and 28."]).parse()
    body = doc.passages[-1]
    assert body.section == "4.1 Design" and body.context == "4 Pharmacokinetics"
