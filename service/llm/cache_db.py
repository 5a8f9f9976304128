"""LlmCache backed by the review store's `llm_cache` table (service/store/models.py: LlmCache).

Use: `DbLlmCache(repository.session)`, or any zero-argument callable returning a SQLAlchemy Session.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from service.store.models import LlmCache as LlmCacheRow
from service.store.models import utcnow


class DbLlmCache:
    """A cache miss or a failed write never fails a review: database errors read as a miss."""

    def __init__(self, session_factory: Callable[[], Session]) -> None:
        self._session_factory = session_factory

    def get(self, key: str) -> dict[str, Any] | None:
        try:
            with self._session_factory() as s:
                row = s.get(LlmCacheRow, key)
                return None if row is None else dict(row.response)
        except SQLAlchemyError:
            return None

    def put(self, key: str, value: dict[str, Any]) -> None:
        try:
            with self._session_factory() as s:
                s.merge(LlmCacheRow(key=key, response=dict(value), created_at=utcnow()))
                try:
                    s.commit()
                except IntegrityError:  # written concurrently by another worker: the same answer
                    s.rollback()
        except SQLAlchemyError:
            return None
