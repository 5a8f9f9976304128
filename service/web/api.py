"""JSON/PNG endpoints the web UI adds to the API: page images of an uploaded plan with a quote
highlighted, and where the highlight is (for the viewer to scroll to it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Query, Request, Response

from service.errors import NotFound
from service.review_service import ReviewService
from service.web.pdfpages import RESOLUTION, PageCache, page_count

router = APIRouter(prefix="/v1/reviews", tags=["pages"])
MAX_QUOTE_CHARS = 2000


def review_service(request: Request) -> ReviewService:
    if getattr(request.app.state, "reviews", None) is None:  # app used without its lifespan
        from service.api.routes_reviews import startup

        startup(request.app)
    service: ReviewService = request.app.state.reviews
    return service


def _upload(request: Request, review_id: str) -> tuple[Path, str]:
    service = review_service(request)
    review = service.repo.get_review(review_id)
    if review is None:
        raise NotFound(f"no review with id {review_id!r}")
    return service.repo.upload_path(review.upload_sha), review.upload_sha


def _cache(request: Request) -> PageCache:
    return PageCache(review_service(request).repo.derived_dir)


@router.get("/{review_id}/pages")
def pages(request: Request, review_id: str) -> dict[str, Any]:
    """How many pages the uploaded plan has."""
    path, _ = _upload(request, review_id)
    return {"pages": page_count(path)}


@router.get("/{review_id}/pages/{page}.png", response_class=Response,
            responses={200: {"content": {"image/png": {}}}})
def page_png(request: Request, review_id: str, page: int,
             quote: str = Query("", max_length=MAX_QUOTE_CHARS)) -> Response:
    """Page `page` (1-based) of the uploaded plan as PNG, with `quote` highlighted where it is found."""
    path, sha = _upload(request, review_id)
    png, meta = _cache(request).get(path, sha, page, quote, RESOLUTION)
    headers = {"Cache-Control": "private, max-age=86400", "X-Highlight-Chars": str(meta["chars"]),
               "X-Page-Count": str(meta["pages"])}
    return Response(png, media_type="image/png", headers=headers)


@router.get("/{review_id}/pages/{page}/highlight")
def page_highlight(request: Request, review_id: str, page: int,
                   quote: str = Query("", max_length=MAX_QUOTE_CHARS)) -> dict[str, Any]:
    """Where `quote` is on the page: boxes as fractions of the page (x0, top, x1, bottom)."""
    path, sha = _upload(request, review_id)
    _, meta = _cache(request).get(path, sha, page, quote, RESOLUTION)
    return meta
