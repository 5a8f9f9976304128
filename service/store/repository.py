"""Repository: every read and write of the review store, one short session per call.

Returned rows are detached snapshots (expire_on_commit=False): read them freely, change them
only through the repository.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from service.store.models import LlmCache, Override, Review, Upload, create_tables, make_engine, utcnow

INTERRUPTED_CODE = "interrupted"
INTERRUPTED_MESSAGE = "the service stopped while this review was running; re-run it"


def llm_cache_key(model: str, prompt_version: str, input_hash: str) -> str:
    return hashlib.sha256(f"{model}\x00{prompt_version}\x00{input_hash}".encode()).hexdigest()


def _text(value: str, limit: int | None = None) -> str:
    """Text every backend stores alike: PostgreSQL refuses NUL characters and values longer than a
    String(n) column (SQLite keeps both), so drop the one and clip to the column's length."""
    value = value.replace("\x00", "")
    return value if limit is None else value[:limit]


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


GAP_STATUSES = ("missing", "partial")


def count_gaps(result: dict[str, Any], overrides: dict[str, Override]) -> int:
    """Gaps in a review's checklist, a reviewer's override taking the place of the machine verdict."""
    statuses = (overrides[i["requirement_id"]].status if i.get("requirement_id") in overrides else i.get("status")
                for i in result.get("items") or [])
    return sum(1 for status in statuses if status in GAP_STATUSES)


class Repository:
    def __init__(self, database_url: str, uploads_dir: Path, *, engine: Engine | None = None) -> None:
        self.engine = engine or make_engine(database_url)
        self.uploads_dir = uploads_dir
        self._session = sessionmaker(self.engine, expire_on_commit=False)

    def create_tables(self) -> None:
        create_tables(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def session(self) -> Session:
        return self._session()

    # ------------------------------------------------------------------ uploads

    def save_upload(self, data: bytes, filename: str) -> Upload:
        """Store the bytes once per sha256 (file written atomically) and return the upload row."""
        sha = hashlib.sha256(data).hexdigest()
        path = self.uploads_dir / f"{sha}.pdf"
        if not (path.is_file() and path.stat().st_size == len(data)):
            _write_atomically(path, data)
        with self.session() as s:
            row = s.get(Upload, sha)
            if row is not None:
                return row
            row = Upload(sha256=sha, size=len(data), filename=_text(filename, 255), path=path.name)
            s.add(row)
            try:
                s.commit()
            except IntegrityError:  # the same file uploaded concurrently
                s.rollback()
                existing = s.get(Upload, sha)
                assert existing is not None
                return existing
            return row

    def upload_path(self, sha: str) -> Path:
        return self.uploads_dir / f"{sha}.pdf"

    def read_upload(self, sha: str) -> bytes:
        return self.upload_path(sha).read_bytes()

    # ------------------------------------------------------------------ reviews

    def create_review(self, upload_sha: str, filename: str, overrides: dict[str, Any] | None = None) -> Review:
        row = Review(id=uuid.uuid4().hex, upload_sha=upload_sha, filename=_text(filename, 255), state="queued",
                     progress=0.0, overrides=overrides or None)
        with self.session() as s:
            s.add(row)
            s.commit()
        return row

    def get_review(self, review_id: str) -> Review | None:
        with self.session() as s:
            return s.get(Review, review_id)

    def list_reviews(self, limit: int = 200, offset: int = 0) -> list[Review]:
        stmt = select(Review).order_by(Review.created_at.desc(), Review.id).limit(limit).offset(offset)
        with self.session() as s:
            return list(s.scalars(stmt))

    def _update(self, review_id: str, **values: Any) -> bool:
        values["updated_at"] = utcnow()
        with self.session() as s:
            n = s.execute(update(Review).where(Review.id == review_id).values(**values)).rowcount  # type: ignore[attr-defined]
            s.commit()
        return bool(n)

    def mark_running(self, review_id: str) -> bool:
        return self._update(review_id, state="running", progress=0.0, stage="starting",
                            error_code=None, error_message=None)

    def set_progress(self, review_id: str, stage: str, progress: float) -> bool:
        return self._update(review_id, stage=_text(stage, 64), progress=max(0.0, min(1.0, progress)))

    def mark_done(self, review_id: str, result: dict[str, Any]) -> bool:
        gaps = count_gaps(result, self.current_overrides(review_id))
        modality = (result.get("profile") or {}).get("modality")  # free text in a profile override
        modality = _text(str(modality), 32) if modality is not None else None
        return self._update(review_id, state="done", progress=1.0, stage="done", result=result,
                            modality=modality, gap_count=gaps, error_code=None, error_message=None)

    def mark_failed(self, review_id: str, code: str, message: str) -> bool:
        return self._update(review_id, state="failed", stage="failed", error_code=_text(code, 64),
                            error_message=_text(message))

    def requeue(self, review_id: str) -> bool:
        """Back to queued for a re-run; only a done or failed review moves."""
        with self.session() as s:
            n = s.execute(
                update(Review).where(Review.id == review_id, Review.state.in_(("done", "failed")))
                .values(state="queued", progress=0.0, stage=None, error_code=None, error_message=None,
                        result=None, modality=None, gap_count=None, updated_at=utcnow())
            ).rowcount  # type: ignore[attr-defined]
            s.commit()
        return bool(n)

    def mark_interrupted(self, stale_after: float | None = None) -> int:
        """Reviews a dead process left queued or running become failed/interrupted.

        With `stale_after` (seconds), only those whose owner stopped touching them that long ago:
        live processes sharing the database keep their reviews fresh (ReviewRunner's heartbeat)."""
        stmt = update(Review).where(Review.state.in_(("queued", "running")))
        if stale_after is not None:
            stmt = stmt.where(Review.updated_at < utcnow() - timedelta(seconds=stale_after))
        with self.session() as s:
            n = s.execute(
                stmt.values(state="failed", stage="failed", error_code=INTERRUPTED_CODE,
                            error_message=INTERRUPTED_MESSAGE, updated_at=utcnow())
            ).rowcount  # type: ignore[attr-defined]
            s.commit()
        return int(n or 0)

    def touch(self, review_ids: list[str]) -> None:
        """Heartbeat: this process is still working on these queued or running reviews."""
        if not review_ids:
            return
        with self.session() as s:
            s.execute(update(Review).where(Review.id.in_(review_ids), Review.state.in_(("queued", "running")))
                      .values(updated_at=utcnow()))
            s.commit()

    def delete_review(self, review_id: str) -> bool:
        """Delete a review and its overrides; the upload (row and file) goes when no review uses it."""
        with self.session() as s:
            row = s.get(Review, review_id)
            if row is None:
                return False
            sha = row.upload_sha
            s.execute(delete(Override).where(Override.review_id == review_id))
            s.delete(row)
            s.flush()
            still_used = s.scalar(select(func.count()).select_from(Review).where(Review.upload_sha == sha))
            upload = None if still_used else s.get(Upload, sha)
            if upload is not None:
                s.delete(upload)
            s.commit()
        if upload is not None:
            self.upload_path(sha).unlink(missing_ok=True)
            shutil.rmtree(self.derived_dir(sha), ignore_errors=True)
        return True

    def derived_dir(self, sha: str) -> Path:
        """Files made from an upload (rendered page images) live beside it and go with it."""
        return self.uploads_dir / f"{sha}.derived"

    # ---------------------------------------------------------------- overrides

    def add_override(self, review_id: str, requirement_id: str, status: str | None,
                     comment: str = "", author: str = "") -> Override:
        """Record a human override (status None withdraws it); earlier rows stay as history."""
        row = Override(review_id=review_id, requirement_id=requirement_id, status=status,
                       comment=_text(comment), author=_text(author, 200))
        with self.session() as s:
            s.add(row)
            s.commit()
        review = self.get_review(review_id)
        if review is not None and review.result is not None:  # the list shows gaps after overrides
            self._update(review_id, gap_count=count_gaps(review.result, self.current_overrides(review_id)))
        return row

    def override_history(self, review_id: str, requirement_id: str | None = None) -> list[Override]:
        stmt = select(Override).where(Override.review_id == review_id)
        if requirement_id is not None:
            stmt = stmt.where(Override.requirement_id == requirement_id)
        with self.session() as s:
            return list(s.scalars(stmt.order_by(Override.id.desc())))

    def current_overrides(self, review_id: str) -> dict[str, Override]:
        """The override in force per requirement (latest row, unless it withdrew the override)."""
        latest: dict[str, Override] = {}
        for row in reversed(self.override_history(review_id)):  # oldest first: later rows win
            latest[row.requirement_id] = row
        return {rid: row for rid, row in latest.items() if row.status is not None}

    # ---------------------------------------------------------------- LLM cache

    def llm_cache_get(self, key: str) -> dict[str, Any] | None:
        with self.session() as s:
            row = s.get(LlmCache, key)
            return None if row is None else row.response

    def llm_cache_put(self, key: str, response: dict[str, Any]) -> None:
        with self.session() as s:
            s.merge(LlmCache(key=key, response=response, created_at=utcnow()))
            try:
                s.commit()
            except IntegrityError:  # written concurrently by another worker: same answer
                s.rollback()


class StoreLlmCache:
    """The llm_cache table behind service.llm.cache's LlmCache protocol (get/put)."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo

    def get(self, key: str) -> dict[str, Any] | None:
        return self.repo.llm_cache_get(key)

    def put(self, key: str, value: dict[str, Any]) -> None:
        self.repo.llm_cache_put(key, value)
