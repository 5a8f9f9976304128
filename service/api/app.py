"""FastAPI application factory: errors mapped to HTTP once, routers mounted, index warmed."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.errors import DossierError
from service.settings import Settings, get_settings

log = logging.getLogger("dossier_review")


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": {"code": code, "message": message}})


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DossierError)
    async def _dossier_error(_: Request, exc: DossierError) -> JSONResponse:
        return _error(exc.http_status, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("query", "body", "path"))
        return _error(422, "invalid_request", f"{where}: {first.get('msg', 'invalid request')}")

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return _error(exc.status_code, code, str(exc.detail))

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return _error(500, "internal_error", "an unexpected error occurred; see the server log")


def create_app(settings: Settings | None = None, *, warm: bool = True) -> FastAPI:
    from service.api import routes_clauses, routes_reviews

    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        routes_reviews.startup(app)
        if warm:
            # Loading the model takes seconds; answer /healthz at once and warm in the background.
            threading.Thread(target=_warm, args=(settings,), daemon=True).start()
        yield
        runner = getattr(app.state, "runner", None)
        if runner is not None and hasattr(runner, "shutdown"):
            runner.shutdown()

    app = FastAPI(title="dossier-review", version="0.1.0", lifespan=lifespan)
    app.state.settings = settings
    install_error_handlers(app)
    app.include_router(routes_clauses.router)
    app.include_router(routes_reviews.router)
    try:
        from service.web import routes as web_routes

        web_routes.mount(app)
    except ImportError:  # web UI not installed in this build
        pass

    return app


def _warm(settings: Settings) -> None:
    from service.lookup import clause_index

    try:
        clause_index(settings).search("warm up", k=1)
    except Exception:  # noqa: BLE001 - reported by /healthz as not ready
        log.exception("warming the clause index failed")
