"""The review service layer: what the HTTP routes (and the web UI) call. Validates uploads cheaply,
stores them, queues reviews on the runner, and reads reviews, checklists and overrides back."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from pydantic import ValidationError

from service import export
from service.domain import ProductProfile, Status
from service.errors import BadRequest, Conflict, InvalidPdf, InvalidProfile, NotFound, TooLarge
from service.jobs import ReviewRunner
from service.settings import Settings
from service.store import Repository
from service.store.models import Review, as_utc

PDF_MAGIC = b"%PDF-"
MAGIC_WINDOW = 1024  # readers accept the header after some junk bytes in the first KiB
PROFILE_FIELDS = frozenset(ProductProfile.model_fields) - {"evidence"}
FORMATS = {"json": "application/json", "md": "text/markdown; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def too_large(limit: int) -> TooLarge:
    mib = f" ({limit / (1024 * 1024):g} MiB)" if limit >= 1024 * 1024 else ""
    return TooLarge(f"the upload is over the limit of {limit} bytes{mib}")


def check_pdf(data: bytes, max_bytes: int) -> None:
    """Cheap checks before anything is stored: size, then a PDF by content (never by name)."""
    if len(data) > max_bytes:
        raise too_large(max_bytes)
    if not data:
        raise InvalidPdf("the uploaded file is empty")
    if PDF_MAGIC not in data[:MAGIC_WINDOW]:
        raise InvalidPdf("not a PDF: the content has no '%PDF-' header (the file name is not trusted)")


def parse_profile(raw: str | None) -> dict[str, Any] | None:
    """The `profile` form field: a JSON object of product-profile overrides, or nothing."""
    if raw is None or not raw.strip():
        return None
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InvalidProfile(f"profile is not valid JSON: {exc.msg} at position {exc.pos}") from None
    if not isinstance(value, dict):
        raise InvalidProfile("profile must be a JSON object of product-profile fields")
    unknown = sorted(set(value) - PROFILE_FIELDS)
    if unknown:
        raise InvalidProfile(f"unknown profile field(s): {', '.join(unknown)}; "
                             f"known: {', '.join(sorted(PROFILE_FIELDS))}")
    try:
        ProductProfile.model_validate(value)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InvalidProfile(f"profile field {where}: {first['msg']}") from None
    return value


def safe_filename(name: str | None) -> str:
    base = PurePath((name or "").replace("\\", "/")).name.strip()
    return base[:255] or "upload.pdf"


def iso(review_time: Any) -> str:
    return as_utc(review_time).isoformat()


@dataclass
class Export:
    content: bytes
    media_type: str
    filename: str


class ReviewService:
    def __init__(self, settings: Settings, repo: Repository, runner: ReviewRunner) -> None:
        self.settings, self.repo, self.runner = settings, repo, runner

    # ---------------------------------------------------------------- reviews

    def submit(self, data: bytes, filename: str | None, profile: str | None) -> Review:
        """Validate, store the upload, create the review and queue it."""
        overrides = parse_profile(profile)
        check_pdf(data, self.settings.max_upload_bytes)
        upload = self.repo.save_upload(data, safe_filename(filename))
        review = self.repo.create_review(upload.sha256, safe_filename(filename), overrides)
        self.runner.submit(review.id)
        return review

    def _get(self, review_id: str) -> Review:
        review = self.repo.get_review(review_id)
        if review is None:
            raise NotFound(f"no review with id {review_id!r}")
        return review

    def view(self, review_id: str) -> dict[str, Any]:
        r = self._get(review_id)
        error = {"code": r.error_code, "message": r.error_message or ""} if r.error_code else None
        return {"id": r.id, "state": r.state, "progress": r.progress, "stage": r.stage, "error": error,
                "filename": r.filename, "created_at": iso(r.created_at),
                "result": r.result if r.state == "done" else None}

    def list_reviews(self, limit: int = 200, offset: int = 0) -> list[dict[str, Any]]:
        return [{"id": r.id, "filename": r.filename, "state": r.state, "created_at": iso(r.created_at),
                 "modality": r.modality, "gap_count": r.gap_count, "progress": r.progress,
                 "error_code": r.error_code} for r in self.repo.list_reviews(limit, offset)]

    def delete(self, review_id: str) -> None:
        if not self.repo.delete_review(review_id):
            raise NotFound(f"no review with id {review_id!r}")

    def rerun(self, review_id: str) -> Review:
        review = self._get(review_id)
        if not self.runner.rerun(review_id):
            raise Conflict(f"review {review_id} is {review.state}; only a done or failed review can be re-run")
        return self._get(review_id)

    # -------------------------------------------------------------- checklist

    def _done(self, review_id: str) -> tuple[Review, dict[str, Any]]:
        review = self._get(review_id)
        if review.state != "done" or review.result is None:
            raise Conflict(f"review {review_id} is {review.state}; the checklist exists once it is done")
        return review, review.result

    def current_overrides(self, review_id: str) -> dict[str, dict[str, Any]]:
        return {rid: o.as_dict() for rid, o in self.repo.current_overrides(review_id).items()}

    def checklist(self, review_id: str, fmt: str, lang: str | None = None) -> Export:
        if fmt not in FORMATS:
            raise BadRequest(f"unknown format {fmt!r}; use json, md or xlsx")
        review, result = self._done(review_id)
        overrides = self.current_overrides(review_id)
        stem = PurePath(review.filename).stem or review.id
        content = export.render(result, overrides, fmt, lang=lang, title=review.filename)
        return Export(content, FORMATS[fmt], f"{stem}-checklist.{fmt}")

    # -------------------------------------------------------------- overrides

    def set_override(self, review_id: str, requirement_id: str, status: Status, comment: str,
                     author: str) -> dict[str, Any]:
        self._check_item(review_id, requirement_id)
        return self.repo.add_override(review_id, requirement_id, status.value, comment, author).as_dict()

    def clear_override(self, review_id: str, requirement_id: str) -> None:
        self._check_item(review_id, requirement_id)
        if requirement_id in self.repo.current_overrides(review_id):
            self.repo.add_override(review_id, requirement_id, None)

    def override_history(self, review_id: str) -> list[dict[str, Any]]:
        self._get(review_id)
        return [o.as_dict() for o in self.repo.override_history(review_id)]

    def _check_item(self, review_id: str, requirement_id: str) -> None:
        _, result = self._done(review_id)
        if not any(i.get("requirement_id") == requirement_id for i in result.get("items") or []):
            raise NotFound(f"review {review_id} has no checklist item {requirement_id!r}")
