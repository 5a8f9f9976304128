"""PDF bytes to a Document: the PdfParser protocol, the real pdfplumber parser and a fake.

PdfplumberParser.parse() validates first (content magic, size, encryption, page count),
then reads each page once (chars for text, lines/rects only to decide whether to look for
tables), removes running headers/footers and builds passages.
"""

from __future__ import annotations

import hashlib
import io
from typing import Any, Protocol

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from service.domain import Document, Passage
from service.errors import DossierError, InvalidPdf
from service.ingest import validate
from service.ingest.blocks import HeadingPath, build_passages, is_numbered_heading
from service.ingest.layout import BBox, PageLayout, TableBlock, body_font_size, chars_to_lines, strip_running
from service.settings import Settings
from service.textnorm import is_cjk_text, normalize_ws


class PdfParser(Protocol):
    def parse(self, data: bytes) -> Document: ...


def _detect_language(texts: list[str]) -> str:
    return "zh" if is_cjk_text("".join(texts)) else "en"


def _may_have_table(page: Any) -> bool:
    """A ruled table needs at least two horizontal and two vertical edges."""
    h = v = 0
    for ln in page.lines:
        if abs(ln["top"] - ln["bottom"]) < 1:
            h += 1
        elif abs(ln["x0"] - ln["x1"]) < 1:
            v += 1
    for r in page.rects:
        thin_w, thin_h = r["width"] < 2, r["height"] < 2
        h += 0 if thin_w else (1 if thin_h else 2)
        v += 0 if thin_h else (1 if thin_w else 2)
        if h >= 2 and v >= 2:
            return True
    return h >= 2 and v >= 2


def _tables(page: Any) -> tuple[list[TableBlock], list[BBox]]:
    if not _may_have_table(page):
        return [], []
    blocks: list[TableBlock] = []
    boxes: list[BBox] = []
    for t in page.find_tables():
        rows = [[normalize_ws(c or "") for c in row] for row in t.extract()]
        rows = [r for r in rows if any(r)]
        if sum(len(r) for r in rows) < 2:
            continue  # a framed box of text, not a table
        x0, top, x1, bottom = t.bbox
        blocks.append(TableBlock(top, bottom, rows))
        boxes.append((x0 - 1, top - 1, x1 + 1, bottom + 1))
    return blocks, boxes


def _read_page(page: Any) -> PageLayout:
    tables, boxes = _tables(page)
    lines = chars_to_lines(page.chars, boxes)
    return PageLayout(page.page_number, float(page.width), float(page.height), lines, tables)


class PdfplumberParser:
    """The real parser. Picklable (plain limits) so the sandbox can run it in a child."""

    def __init__(self, max_upload_bytes: int = 50 * 1024 * 1024, max_pages: int = 500) -> None:
        self.max_upload_bytes = max_upload_bytes
        self.max_pages = max_pages

    @classmethod
    def from_settings(cls, settings: Settings) -> PdfplumberParser:
        return cls(max_upload_bytes=settings.max_upload_bytes, max_pages=settings.max_pages)

    def parse(self, data: bytes) -> Document:
        validate.check_bytes(data, self.max_upload_bytes)
        known_pages = validate.precheck(data, self.max_pages)
        layouts = self._read(data, known_pages)
        body = body_font_size(layouts)
        strip_running(layouts, body)
        validate.check_text_layer([p.char_count() for p in layouts])
        pages, passages, tables = build_passages(layouts, body)
        return Document(
            pages=pages,
            passages=passages,
            tables=tables,
            language=_detect_language([p.text for p in passages]),  # type: ignore[arg-type]
            sha256=hashlib.sha256(data).hexdigest(),
        )

    def _read(self, data: bytes, known_pages: int | None) -> list[PageLayout]:
        try:
            pdf = pdfplumber.open(io.BytesIO(data))
        except PdfminerException as exc:
            cause = exc.args[0] if exc.args else exc
            if isinstance(cause, PDFPasswordIncorrect):
                raise validate.encrypted_error() from None
            raise InvalidPdf(f"PDF is corrupt or unreadable: {_describe(cause)}") from None
        except Exception as exc:  # pdfminer raises many kinds on garbage
            raise InvalidPdf(f"PDF is corrupt or unreadable: {_describe(exc)}") from None
        layouts: list[PageLayout] = []
        with pdf:
            try:
                if known_pages is None:
                    validate.check_page_count(len(pdf.pages), self.max_pages)
                for page in pdf.pages:
                    layouts.append(_read_page(page))
                    page.close()  # drop the page's cached objects
            except DossierError:
                raise
            except Exception as exc:
                where = f" on page {len(layouts) + 1}" if layouts or known_pages else ""
                raise InvalidPdf(f"PDF is corrupt or unreadable{where}: {_describe(exc)}") from None
        return layouts


def _describe(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text[:200]


class FakePdfParser:
    """Returns a Document built from given page texts, for tests that do not need real PDFs.

    Paragraphs are separated by blank lines, their lines joined; a one-line paragraph that looks numbered ("一、", "2.1 ") is a heading.
    """

    def __init__(self, pages: list[str], language: str | None = None) -> None:
        self.pages = pages
        self.language = language

    def parse(self, data: bytes = b"") -> Document:
        passages: list[Passage] = []
        path = HeadingPath()
        for number, page in enumerate(self.pages, start=1):
            for para in page.split("\n\n"):
                lines = [ln for ln in para.splitlines() if ln.strip()]
                if not lines:
                    continue
                text = normalize_ws(" ".join(lines))  # so the text stays verbatim on the given page
                heading = len(lines) == 1 and is_numbered_heading(text) and text[-1] not in "。.;；"
                if heading:
                    path.enter(text)
                passages.append(
                    Passage(
                        idx=len(passages),
                        page=number,
                        text=text,
                        kind="heading" if heading else "paragraph",
                        section=path.section,
                        context=path.ancestors,
                    )
                )
        language = self.language or _detect_language(self.pages)
        return Document(
            pages=list(self.pages),
            passages=passages,
            language=language,  # type: ignore[arg-type]
            sha256=hashlib.sha256(data).hexdigest(),
        )
