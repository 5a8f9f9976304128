"""Clause lookup, clause and requirement reads, health."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Query, Request

from corpus.catalog import load_catalog
from corpus.guideline import load_guideline
from service import lookup as lookup_service
from service.api.schemas import ClauseOut, ClauseSearchOut, HealthOut, RequirementOut
from service.errors import NotFound

router = APIRouter()


@router.get("/healthz", response_model=HealthOut)
def healthz(request: Request) -> HealthOut:
    return HealthOut(status="ok", clauses=len(load_guideline().clauses),
                     requirements=len(load_catalog().requirements),
                     index_ready=lookup_service.index_ready(request.app.state.settings))


@router.get("/v1/clauses/search", response_model=ClauseSearchOut)
def search_clauses(request: Request, q: str = Query(""), k: int = Query(5)) -> ClauseSearchOut:
    result = lookup_service.lookup(q, k, settings=request.app.state.settings)
    return ClauseSearchOut.model_validate(asdict(result))


@router.get("/v1/clauses/{anchor}", response_model=ClauseOut)
def get_clause(anchor: str) -> ClauseOut:
    hit = lookup_service.clause_hit(anchor)
    clause = load_guideline().clauses[anchor]
    return ClauseOut(anchor=hit.anchor, title=hit.title, path=hit.path, text=hit.text,
                     children=clause.children, requirement_ids=hit.requirement_ids)


@router.get("/v1/requirements", response_model=list[RequirementOut])
def list_requirements() -> list[RequirementOut]:
    return [_requirement_out(r.id) for r in load_catalog().requirements]


@router.get("/v1/requirements/{requirement_id}", response_model=RequirementOut)
def get_requirement(requirement_id: str) -> RequirementOut:
    return _requirement_out(requirement_id)


def _requirement_out(requirement_id: str) -> RequirementOut:
    r = load_catalog().get(requirement_id)
    if r is None:
        raise NotFound(f"no requirement with id {requirement_id!r}")
    return RequirementOut(
        id=r.id, anchors=r.anchors, title=r.title.model_dump(), summary=r.summary.model_dump(),
        applies=r.applies.describe() if r.applies else "always",
        not_applicable_reason=r.not_applicable_reason.model_dump() if r.not_applicable_reason else None,
    )
