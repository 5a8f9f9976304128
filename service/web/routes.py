"""The reviewer web UI: server-rendered pages (Jinja2) over the JSON API, with small shipped JS.

Pages: /reviews (list), /reviews/new (upload), /reviews/{id} (progress, failure or checklist),
/clauses (lookup + outline), /clauses/{anchor} (one clause), /lang/{zh|en} (remembered choice).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from corpus.clause_docs import load_glossary
from corpus.guideline import load_guideline
from service import lookup as lookup_service
from service.errors import Conflict, DossierError, NotFound
from service.web import api, views
from service.web.i18n import COOKIE, LANGS, MODALITIES, POPULATIONS, ROUTES, Translator, pick_lang

HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"
templates = Jinja2Templates(directory=HERE / "templates")
router = APIRouter(include_in_schema=False)
ONE_YEAR = 365 * 24 * 3600


def _static_version() -> str:
    h = hashlib.sha256()
    for p in sorted(STATIC_DIR.glob("*")):
        h.update(p.read_bytes())
    return h.hexdigest()[:10]


def _when(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return iso


templates.env.globals.update(static_version=_static_version(), highlight=views.highlight, when=_when)


def mount(app: FastAPI) -> None:
    app.include_router(api.router)
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")


def render(request: Request, name: str, status: int = 200, **context: Any) -> Response:
    lang = pick_lang(request)
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    here = request.url.path + (f"?{urlencode(query)}" if query else "")
    other = "en" if lang == "zh" else "zh"
    context.update(t=Translator(lang), lang=lang, path=request.url.path,
                   switch_url=f"/lang/{other}?{urlencode({'next': here})}")
    response = templates.TemplateResponse(request, name, context, status_code=status)
    if request.query_params.get("lang") in LANGS:
        response.set_cookie(COOKIE, lang, max_age=ONE_YEAR, samesite="lax")
    return response


def not_found(request: Request, message: str) -> Response:
    return render(request, "error.html", 404, message=message)


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/reviews", status_code=307)


@router.get("/lang/{code}")
def set_lang(code: str, next: str = Query("/reviews")) -> RedirectResponse:
    safe_next = next if next.startswith("/") and not next.startswith("//") else "/reviews"
    response = RedirectResponse(safe_next, status_code=303)
    if code in LANGS:
        response.set_cookie(COOKIE, code, max_age=ONE_YEAR, samesite="lax")
    return response


# ------------------------------------------------------------------ reviews


@router.get("/reviews", response_class=HTMLResponse)
def reviews_page(request: Request) -> Response:
    rows = api.review_service(request).list_reviews(limit=500)
    return render(request, "reviews.html", reviews=rows)


@router.get("/reviews/new", response_class=HTMLResponse)
def upload_page(request: Request) -> Response:
    settings = request.app.state.settings
    return render(request, "upload.html", modalities=MODALITIES, routes=ROUTES, populations=POPULATIONS,
                  max_mib=round(settings.max_upload_bytes / (1024 * 1024), 1), max_pages=settings.max_pages)


@router.get("/reviews/{review_id}", response_class=HTMLResponse)
def review_page(request: Request, review_id: str) -> Response:
    service = api.review_service(request)
    try:
        view = service.view(review_id)
    except NotFound as exc:
        return not_found(request, exc.message)
    context: dict[str, Any] = {"review": view}
    if view["state"] == "done" and view["result"] is not None:
        lang = pick_lang(request)
        result = view["result"]
        overrides = service.current_overrides(review_id)
        row = service.repo.get_review(review_id)
        context.update(
            result=result, overrides=overrides, groups=views.checklist_groups(result, overrides, lang),
            summary=views.summary(result, overrides),
            profile=views.profile_rows(result.get("profile") or {}, row.overrides if row else None,
                                       Translator(lang)),
        )
    return render(request, "review.html", **context)


@router.post("/reviews/{review_id}/delete")
def delete_review(request: Request, review_id: str) -> Response:
    try:
        api.review_service(request).delete(review_id)
    except NotFound as exc:
        return not_found(request, exc.message)
    return RedirectResponse("/reviews", status_code=303)


@router.post("/reviews/{review_id}/rerun")
def rerun_review(request: Request, review_id: str) -> Response:
    try:
        api.review_service(request).rerun(review_id)
    except NotFound as exc:
        return not_found(request, exc.message)
    except Conflict:
        pass  # already queued or running: its page shows the progress
    return RedirectResponse(f"/reviews/{review_id}", status_code=303)


# ------------------------------------------------------------------ guideline


def _ancestors(anchor: str) -> list[tuple[str, str]]:
    g = load_guideline()
    parent = {ch: a for a, c in g.clauses.items() for ch in c.children}
    chain = [anchor]
    while chain[-1] in parent:
        chain.append(parent[chain[-1]])
    return [(a, g.clauses[a].title) for a in reversed(chain)]


@router.get("/clauses", response_class=HTMLResponse)
def lookup_page(request: Request, q: str = Query(""), k: int = Query(5)) -> Response:
    k = max(1, min(k, 20))
    result, error = None, None
    if q.strip():
        try:
            result = lookup_service.lookup(q, k, settings=request.app.state.settings)
        except DossierError as exc:
            error = exc.message
    hits = [{"hit": h, "trail": _ancestors(h.anchor), "gloss": load_glossary().get(h.anchor),
             "reqs": views.requirement_rows(h.requirement_ids, pick_lang(request))}
            for h in (result.hits if result else [])]
    return render(request, "lookup.html", q=q, k=k, result=result, hits=hits, error=error,
                  outline=views.outline(), current=None)


@router.get("/clauses/{anchor}", response_class=HTMLResponse)
def clause_page(request: Request, anchor: str) -> Response:
    try:
        hit = lookup_service.clause_hit(anchor)
    except NotFound as exc:
        return not_found(request, exc.message)
    g = load_guideline()
    prev_anchor, next_anchor = views.neighbours(anchor)
    children = [(c, g.clauses[c].title) for c in g.clauses[anchor].children]
    return render(request, "clause.html", hit=hit, trail_items=_ancestors(anchor), children=children,
                  gloss=load_glossary().get(anchor), reqs=views.requirement_rows(hit.requirement_ids,
                                                                                  pick_lang(request)),
                  prev_anchor=prev_anchor, next_anchor=next_anchor, outline=views.outline(), current=anchor)
