"""PDF ingest: uploaded bytes to a Document (validated, cleaned, in passages).

    from service.ingest import parse_pdf_bytes
    doc = parse_pdf_bytes(data, settings)              # sandboxed child, hard time limit
    doc = parse_pdf_bytes(data, settings, isolate=False)  # in-process (tests, benchmarks)

Errors are service.errors classes: InvalidPdf, TooLarge, EncryptedPdf, EmptyPdf,
TooManyPages, NoTextLayer, ParseTimeout.
"""

from service.ingest.parser import FakePdfParser, PdfParser, PdfplumberParser
from service.ingest.sandbox import parse_pdf_bytes

__all__ = ["FakePdfParser", "PdfParser", "PdfplumberParser", "parse_pdf_bytes"]
