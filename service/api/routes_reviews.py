"""Review routes: upload a plan, poll it, read the checklist, record human overrides.

Thin: each route calls one ReviewService method; errors are DossierErrors mapped in app.py.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Coroutine
from typing import Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, File, Form, Query, Request, Response, UploadFile
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from starlette.types import Message

from service.api.schemas import ReviewCreatedOut, ReviewOut
from service.domain import Status
from service.errors import TooLarge
from service.jobs import ReviewRunner
from service.review_service import ReviewService, too_large
from service.store import Repository

log = logging.getLogger("dossier_review.api")
FORM_OVERHEAD = 1024 * 1024  # multipart headers and the profile field, on top of the file itself
_CHUNK = 1024 * 1024
_startup_lock = threading.Lock()


class CappedUploadRoute(APIRoute):
    """Refuses a request body over the upload limit while it streams in, before it is spooled."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def capped(request: Request) -> Response:
            limit = request.app.state.settings.max_upload_bytes
            cap = limit + FORM_OVERHEAD
            declared = request.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > cap:
                raise too_large(limit)
            seen = 0
            receive = request.receive

            async def counting_receive() -> Message:
                nonlocal seen
                message = await receive()
                seen += len(message.get("body", b""))
                if seen > cap:
                    raise too_large(limit)
                return message

            try:
                return await handler(Request(request.scope, counting_receive))
            except HTTPException as exc:  # FastAPI wraps errors raised while it parses the form
                if isinstance(exc.__cause__, TooLarge):
                    raise exc.__cause__ from None
                raise

        return capped


# The cap applies to every body this router reads; only uploads come near it.
router = APIRouter(prefix="/v1/reviews", tags=["reviews"], route_class=CappedUploadRoute)


class ReviewSummaryOut(BaseModel):
    id: str
    filename: str
    state: str
    created_at: str
    modality: str | None = None
    gap_count: int | None = None
    progress: float = 0.0
    error_code: str | None = None


class OverrideIn(BaseModel):
    status: Status
    comment: str = Field("", max_length=4000)
    author: str = Field("", max_length=200)


class OverrideOut(BaseModel):
    requirement_id: str
    status: str | None
    comment: str
    author: str
    at: str


def startup(app: FastAPI) -> None:
    """Create tables, fail reviews a dead process left running, start the runner (idempotent)."""
    with _startup_lock:
        if getattr(app.state, "reviews", None) is not None:
            return
        settings = app.state.settings
        repo = Repository(settings.effective_database_url, settings.uploads_dir)
        repo.create_tables()
        interrupted = repo.mark_interrupted(stale_after=settings.review_stale_seconds)
        if interrupted:
            log.warning("%d review(s) were interrupted by the last shutdown; marked failed", interrupted)
        runner = ReviewRunner(repo, settings, getattr(app.state, "review_fn", None))
        app.state.runner = runner
        app.state.reviews = ReviewService(settings, repo, runner)
        app.router.add_event_handler("shutdown", lambda: _shutdown(runner, repo))


def _shutdown(runner: ReviewRunner, repo: Repository) -> None:
    runner.shutdown(wait=False)
    repo.close()


def _service(request: Request) -> ReviewService:
    if getattr(request.app.state, "reviews", None) is None:  # app used without its lifespan
        startup(request.app)
    service: ReviewService = request.app.state.reviews
    return service


async def _read_capped(upload: UploadFile, limit: int) -> bytes:
    chunks, size = [], 0
    while chunk := await upload.read(_CHUNK):
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


@router.post("", status_code=202, response_model=ReviewCreatedOut)
async def create_review(request: Request, response: Response, file: UploadFile = File(...),
                        profile: str | None = Form(None)) -> ReviewCreatedOut:
    service = _service(request)
    data = await _read_capped(file, service.settings.max_upload_bytes)
    review = service.submit(data, file.filename, profile)
    response.headers["Location"] = f"/v1/reviews/{review.id}"
    return ReviewCreatedOut(id=review.id, state=review.state)


@router.get("", response_model=list[ReviewSummaryOut])
def list_reviews(request: Request, limit: int = Query(200, ge=1, le=1000),
                 offset: int = Query(0, ge=0)) -> list[ReviewSummaryOut]:
    return [ReviewSummaryOut(**r) for r in _service(request).list_reviews(limit, offset)]


@router.get("/{review_id}", response_model=ReviewOut)
def get_review(request: Request, review_id: str) -> ReviewOut:
    return ReviewOut(**_service(request).view(review_id))


@router.get("/{review_id}/checklist")
def get_checklist(request: Request, review_id: str, format: Literal["json", "md", "xlsx"] = "json",
                  lang: Literal["zh", "en"] | None = None) -> Response:
    out = _service(request).checklist(review_id, format, lang)
    disposition = "inline" if format != "xlsx" else "attachment"
    return Response(out.content, media_type=out.media_type,
                    headers={"Content-Disposition": content_disposition(disposition, out.filename)})


def content_disposition(disposition: str, filename: str) -> str:
    """RFC 6266: an ASCII fallback plus the UTF-8 name, so Chinese file names do not break the header."""
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


@router.delete("/{review_id}", status_code=204)
def delete_review(request: Request, review_id: str) -> Response:
    _service(request).delete(review_id)
    return Response(status_code=204)


@router.post("/{review_id}/rerun", status_code=202, response_model=ReviewCreatedOut)
def rerun_review(request: Request, response: Response, review_id: str) -> ReviewCreatedOut:
    review = _service(request).rerun(review_id)
    response.headers["Location"] = f"/v1/reviews/{review.id}"
    return ReviewCreatedOut(id=review.id, state=review.state)


@router.get("/{review_id}/overrides", response_model=list[OverrideOut])
def list_overrides(request: Request, review_id: str) -> list[OverrideOut]:
    """Every override recorded on the review, newest first (status null: an override withdrawn)."""
    return [OverrideOut(**o) for o in _service(request).override_history(review_id)]


@router.put("/{review_id}/items/{requirement_id}/override", response_model=OverrideOut)
def put_override(request: Request, review_id: str, requirement_id: str, body: OverrideIn) -> OverrideOut:
    saved = _service(request).set_override(review_id, requirement_id, body.status, body.comment, body.author)
    return OverrideOut(**saved)


@router.delete("/{review_id}/items/{requirement_id}/override", status_code=204)
def delete_override(request: Request, review_id: str, requirement_id: str) -> Response:
    _service(request).clear_override(review_id, requirement_id)
    return Response(status_code=204)

