"""Run validation + parsing in a fresh child process with a hard wall-clock limit.

A hostile or broken PDF can make pdfminer loop for minutes or crash the interpreter; the
child is killed at settings.parse_timeout_seconds (ParseTimeout), a DossierError raised in
the child is re-raised here as the same class with its message, and a child that dies
without an answer is reported as InvalidPdf.

Children come from a 'forkserver' (a clean server process that has already imported the
parser, so each parse starts in milliseconds) where the platform has one, else 'spawn'.
"""

from __future__ import annotations

import multiprocessing as mp
import sys
import threading
import time
import types
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Any

from service import errors
from service.domain import Document
from service.errors import DossierError, InvalidPdf, ParseTimeout
from service.ingest.parser import PdfParser, PdfplumberParser
from service.settings import Settings, get_settings

_PRELOAD = ["service.ingest.parser"]


def _context() -> Any:
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(_PRELOAD)
        return ctx
    return mp.get_context("spawn")


_CTX = _context()
_START_LOCK = threading.Lock()


@contextmanager
def _main_hidden() -> Iterator[None]:
    """The child needs nothing from __main__. Hiding it while the child starts stops
    multiprocessing from re-running the caller's script in the child, which breaks scripts
    (benchmarks, one-off tools) that have no `if __name__ == "__main__":` guard."""
    with _START_LOCK:
        main = sys.modules.get("__main__")
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            if main is not None:
                sys.modules["__main__"] = main


def _child(parser: PdfParser, data: bytes, conn: Connection) -> None:
    try:
        doc = parser.parse(data)
        conn.send(("ok", doc))
    except DossierError as exc:
        conn.send(("error", type(exc).__name__, exc.message))
    except BaseException as exc:  # noqa: BLE001 - anything else is an unreadable PDF
        conn.send(("error", "InvalidPdf", f"PDF could not be parsed: {type(exc).__name__}: {exc}"[:300]))
    finally:
        conn.close()


def _error_class(name: str) -> type[DossierError]:
    cls = getattr(errors, name, None)
    if isinstance(cls, type) and issubclass(cls, DossierError):
        return cls
    return InvalidPdf


def _stop(proc: Any) -> None:
    if proc.is_alive():
        proc.kill()
    proc.join(timeout=5)


def _run_isolated(parser: PdfParser, data: bytes, timeout: float) -> Document:
    recv, send = _CTX.Pipe(duplex=False)
    proc = _CTX.Process(target=_child, args=(parser, data, send), daemon=True, name="pdf-parse")
    with _main_hidden():
        proc.start()
    send.close()  # only the child writes; our copy must go so a dead child reads as EOF
    deadline = time.monotonic() + timeout
    try:
        if not recv.poll(max(deadline - time.monotonic(), 0.0)):
            raise ParseTimeout(
                f"PDF parsing took longer than the limit of {timeout:g} seconds and was stopped"
            )
        try:
            msg = recv.recv()
        except (EOFError, OSError):
            proc.join(timeout=1)
            raise InvalidPdf(
                f"PDF could not be parsed: the parser process died (exit code {proc.exitcode})"
            ) from None
    finally:
        recv.close()
        _stop(proc)
    if msg[0] == "ok":
        doc: Document = msg[1]
        return doc
    raise _error_class(msg[1])(msg[2])


def parse_pdf_bytes(
    data: bytes,
    settings: Settings | None = None,
    *,
    isolate: bool = True,
    parser: PdfParser | None = None,
) -> Document:
    """Validate and parse an uploaded PDF.

    isolate=True (the service): in a child process killed after settings.parse_timeout_seconds.
    isolate=False (tests, benchmarks): in this process, without a time limit.
    parser: defaults to PdfplumberParser with the settings' limits; with isolate=True it must
    be picklable (a module-level class).
    """
    settings = settings or get_settings()
    parser = parser or PdfplumberParser.from_settings(settings)
    if not isolate:
        return parser.parse(data)
    return _run_isolated(parser, data, settings.parse_timeout_seconds)
