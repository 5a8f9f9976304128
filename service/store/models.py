"""SQLAlchemy models of the review store and the engine factory.

Portable types only (String, Text, Float, Integer, BigInteger, JSON, DateTime): SQLite by default,
PostgreSQL by URL (postgresql+psycopg://...). PostgreSQL enforces String lengths and refuses NUL in text,
which SQLite lets through: the repository clips and cleans what it writes (repository._text).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    create_engine,
    event,
)
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

REVIEW_STATES = ("queued", "running", "done", "failed")


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """SQLite hands timezone-aware columns back naive; they were written in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, datetime: DateTime(timezone=True)}


class Upload(Base):
    """An uploaded PDF, stored once per content hash as <uploads_dir>/<sha256>.pdf."""

    __tablename__ = "uploads"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    filename: Mapped[str] = mapped_column(String(255))  # the name it was first uploaded under
    path: Mapped[str] = mapped_column(String(255))  # relative to settings.uploads_dir
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Review(Base):
    __tablename__ = "reviews"
    __table_args__ = (Index("ix_reviews_created_at", "created_at"), Index("ix_reviews_state", "state"))

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    upload_sha: Mapped[str] = mapped_column(String(64), ForeignKey("uploads.sha256"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    state: Mapped[str] = mapped_column(String(16), default="queued")
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    stage: Mapped[str | None] = mapped_column(String(64), default=None)
    error_code: Mapped[str | None] = mapped_column(String(64), default=None)
    error_message: Mapped[str | None] = mapped_column(Text, default=None)
    overrides: Mapped[dict[str, Any] | None] = mapped_column(default=None)  # product-profile overrides
    result: Mapped[dict[str, Any] | None] = mapped_column(default=None)  # the machine ReviewResult JSON
    # denormalised from result for the list view
    modality: Mapped[str | None] = mapped_column(String(32), default=None)
    gap_count: Mapped[int | None] = mapped_column(Integer, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Override(Base):
    """A human reviewer's verdict on one checklist item. Rows are history: the latest per
    (review, requirement) wins; a row with status NULL withdraws the override."""

    __tablename__ = "overrides"
    __table_args__ = (Index("ix_overrides_review_req", "review_id", "requirement_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    review_id: Mapped[str] = mapped_column(String(32), ForeignKey("reviews.id", ondelete="CASCADE"))
    requirement_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str | None] = mapped_column(String(32), default=None)
    comment: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def as_dict(self) -> dict[str, Any]:
        return {"requirement_id": self.requirement_id, "status": self.status, "comment": self.comment,
                "author": self.author, "at": as_utc(self.created_at).isoformat()}


class LlmCache(Base):
    """LLM answers keyed by sha256(model, prompt version, input hash)."""

    __tablename__ = "llm_cache"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    response: Mapped[dict[str, Any]] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def make_engine(url: str) -> Engine:
    """An engine for the URL; a SQLite file (and its folder) is created on first use."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        from pathlib import Path

        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")  # readers do not wait for the runner's writes
        cur.close()

    return engine


def create_tables(engine: Engine) -> None:
    Base.metadata.create_all(engine)
