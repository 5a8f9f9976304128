"""Checks on an upload before the expensive parse: by content, never by file name."""

from __future__ import annotations

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from service.errors import EmptyPdf, EncryptedPdf, InvalidPdf, NoTextLayer, TooLarge, TooManyPages

PDF_MAGIC = b"%PDF-"
MAGIC_WINDOW = 1024  # the header may follow some junk bytes; readers accept it in the first 1 KiB
MIN_CHARS_PER_PAGE = 5  # fewer extractable characters than this on average: a scan


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


def check_bytes(data: bytes, max_upload_bytes: int) -> None:
    if PDF_MAGIC not in data[:MAGIC_WINDOW]:
        raise InvalidPdf("not a PDF: the content has no '%PDF-' header (the file name is not trusted)")
    if len(data) > max_upload_bytes:
        raise TooLarge(
            f"PDF is {len(data)} bytes ({_mb(len(data))}), over the upload limit of "
            f"{max_upload_bytes} bytes ({_mb(max_upload_bytes)})"
        )


def check_page_count(pages: int, max_pages: int) -> None:
    if pages <= 0:
        raise EmptyPdf("PDF has no pages")
    if pages > max_pages:
        raise TooManyPages(f"PDF has {pages} pages, over the limit of {max_pages} pages")


def encrypted_error() -> EncryptedPdf:
    return EncryptedPdf("PDF is encrypted or password-protected; remove the protection and upload it again")


def precheck(data: bytes, max_pages: int) -> int | None:
    """Cheap look with PDFium: encryption and page count. Returns the page count, or None
    when PDFium cannot open the file: pdfplumber then decides between password-protected,
    corrupt and empty (PDFium's error code is not reliable here: a load failure without an
    error of its own reports the previous failure's code)."""
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return None
    try:
        if pdfium_c.FPDF_GetSecurityHandlerRevision(doc.raw) != -1:  # the trailer has /Encrypt
            raise encrypted_error()
        pages = len(doc)
    finally:
        doc.close()
    check_page_count(pages, max_pages)
    return pages


def check_text_layer(char_counts: list[int]) -> None:
    """Pages but essentially no extractable characters (after headers/footers are removed)."""
    n = len(char_counts)
    total = sum(char_counts)
    blank = sum(1 for c in char_counts if c < MIN_CHARS_PER_PAGE)
    if total < MIN_CHARS_PER_PAGE * n or (n >= 3 and blank >= 0.8 * n):
        raise NoTextLayer(
            f"PDF has no usable text layer ({total} characters on {n} pages, {blank} pages without text): "
            "it looks scanned; run OCR on it and upload the result"
        )
