"""HTTP request/response schemas, apart from the domain types they map from."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorBody


class ClauseHitOut(BaseModel):
    anchor: str
    path: list[str]
    title: str
    text: str
    score: float
    requirement_ids: list[str]


class ClauseSearchOut(BaseModel):
    no_match: bool
    message: str | None = None
    hits: list[ClauseHitOut]


class ClauseOut(BaseModel):
    anchor: str
    title: str
    path: list[str]
    text: str
    children: list[str]
    requirement_ids: list[str]


class RequirementOut(BaseModel):
    id: str
    anchors: list[str]
    title: dict[str, str]
    summary: dict[str, str]
    applies: str
    not_applicable_reason: dict[str, str] | None = None


class HealthOut(BaseModel):
    status: str
    clauses: int
    requirements: int
    index_ready: bool


class ReviewCreatedOut(BaseModel):
    id: str
    state: str


class ReviewOut(BaseModel):
    id: str
    state: str
    progress: float
    stage: str | None = None
    error: dict[str, str] | None = None
    filename: str | None = None
    created_at: str | None = None
    result: dict[str, Any] | None = None
