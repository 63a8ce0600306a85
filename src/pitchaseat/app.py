"""create_app(): middleware, routers, error handlers and the lifespan."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import structlog
import swagger_ui_bundle
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from prometheus_client import CollectorRegistry
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from pitchaseat import __version__
from pitchaseat.accounts import api as accounts_api
from pitchaseat.accounts import pages as accounts_pages
from pitchaseat.accounts.deps import LoginRequired
from pitchaseat.admin import api as admin_api
from pitchaseat.admin import pages as admin_pages
from pitchaseat.catalog import api as catalog_api
from pitchaseat.catalog import pages as catalog_pages
from pitchaseat.catalog.fast_path import CALENDAR_ROUTE
from pitchaseat.db import is_lock_contention
from pitchaseat.discovery import api as discovery_api
from pitchaseat.discovery import pages as discovery_pages
from pitchaseat.errors import DomainError, RateLimited
from pitchaseat.i18n import gettext
from pitchaseat.insights import api as insights_api
from pitchaseat.insights import pages as insights_pages
from pitchaseat.ledger import api as ledger_api
from pitchaseat.ledger import pages as ledger_pages
from pitchaseat.listings import api as listings_api
from pitchaseat.listings import pages as listings_pages
from pitchaseat.listings.fast_path import LISTING_PAGE_ROUTE
from pitchaseat.notifications import api as notifications_api
from pitchaseat.notifications import pages as notifications_pages
from pitchaseat.ops import api as ops_api
from pitchaseat.ops.figures import FigureCollector
from pitchaseat.ops.logging import configure_logging
from pitchaseat.ops.middleware import (
    AccessLog,
    BodySizeLimitMiddleware,
    HttpMetrics,
    RequestContextMiddleware,
    content_security_policy,
    security_headers,
)
from pitchaseat.orders import api as orders_api
from pitchaseat.orders import pages as orders_pages
from pitchaseat.reservations import api as reservations_api
from pitchaseat.reservations import pages as reservations_pages
from pitchaseat.reviews import api as reviews_api
from pitchaseat.reviews import pages as reviews_pages
from pitchaseat.runtime import AppServices
from pitchaseat.settings import Settings, get_settings
from pitchaseat.web.csrf import safe_next
from pitchaseat.web.edge_cache import EdgeCache
from pitchaseat.web.locale import LocaleMiddleware
from pitchaseat.web.page_fragments import PageFragments
from pitchaseat.web.templating import render_error
from pitchaseat.worker import install_email_jobs, scheduler_loop

log = structlog.get_logger("pitchaseat.app")
STATIC_DIR = Path(__file__).parent / "web" / "static"

_HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
}


def _payment_sdk_origin(settings: Settings) -> str:
    if settings.payment_provider != "tappay":
        return ""
    parts = urlsplit(settings.tappay_sdk_url)
    return f"{parts.scheme}://{parts.netloc}"


# Swagger UI sets style attributes from script; it gets its own, looser style policy.
_DOCS_CSP = content_security_policy().replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)


class PitchASeatApp(FastAPI):
    """FastAPI with plain ASGI edge layers in front of the framework's own stack."""

    edge: ASGIApp | None = None

    async def framework_call(self, scope: Scope, receive: Receive, send: Send) -> None:
        await super().__call__(scope, receive, send)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.edge is not None and scope["type"] == "http":
            scope["app"] = self
            await self.edge(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)


def _wants_html(request: Request) -> bool:
    """Pages answer errors with the error page, whatever the client accepts, unless it asks
    for JSON only; the API and the operations endpoints always answer JSON."""
    if request.url.path.startswith(("/api/", "/openapi", "/healthz", "/readyz", "/metrics")):
        return False
    accept = request.headers.get("accept", "")
    return "text/html" in accept or "application/json" not in accept


def _error_response(
    request: Request,
    status_code: int,
    code: str,
    message: str,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    if _wants_html(request):
        response: Response = render_error(request, status_code, code, gettext(message))
        if headers:
            response.headers.update(headers)
        return response
    body: dict[str, Any] = {"code": code, "message": message}
    if details:
        body["details"] = details
    return JSONResponse({"error": body}, status_code=status_code, headers=headers)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, error: DomainError) -> Response:
        headers = None
        if isinstance(error, RateLimited):
            headers = {"Retry-After": str(error.retry_after_seconds)}
        return _error_response(
            request, error.status, error.code, error.message, error.details or None, headers
        )

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, error: LoginRequired) -> Response:
        target = quote(safe_next(error.next_path), safe="/")
        return RedirectResponse(f"/login?next={target}", status_code=303)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> Response:
        fields = [
            {
                "loc": [str(part) for part in item.get("loc", ())],
                "msg": str(item.get("msg", "")),
                "type": str(item.get("type", "")),
            }
            for item in error.errors()
        ]
        return _error_response(
            request,
            422,
            "validation_error",
            "Some fields are missing or invalid.",
            {"fields": fields},
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        code = _HTTP_CODES.get(error.status_code, "http_error")
        message = error.detail if isinstance(error.detail, str) else "Request failed."
        return _error_response(
            request, error.status_code, code, message, headers=dict(error.headers or {})
        )

    @app.exception_handler(DBAPIError)
    async def database_error(request: Request, error: DBAPIError) -> Response:
        if not is_lock_contention(error):
            raise error  # a real fault: the 500 below
        # The writers ahead took longer than we wait: nothing was written, and the same
        # request a moment later goes through.
        log.warning("database_busy", path=request.url.path, error=str(error.orig))
        return _error_response(
            request,
            503,
            "busy",
            "Many fans are using the site right now; please try again in a moment.",
            headers={"Retry-After": "2"},
        )

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, error: Exception) -> Response:
        log.exception("unhandled_error", path=request.url.path)
        return _error_response(
            request, 500, "internal_error", "Something went wrong on our side; please retry."
        )


def _install_docs(app: FastAPI) -> None:
    app.mount(
        "/static/swagger",
        StaticFiles(directory=swagger_ui_bundle.swagger_ui_path),
        name="swagger",
    )

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        html = (
            "<!doctype html><html><head><meta charset='utf-8'>"
            "<title>Pitch-A-Seat API</title>"
            "<link rel='stylesheet' href='/static/swagger/swagger-ui.css'></head>"
            "<body><div id='swagger-ui'></div>"
            "<script src='/static/swagger/swagger-ui-bundle.js'></script>"
            "<script src='/static/js/swagger-init.js'></script></body></html>"
        )
        return HTMLResponse(html, headers={"Content-Security-Policy": _DOCS_CSP})


def _image_origin(settings: Settings) -> str:
    if settings.storage_backend != "s3":
        return ""
    return settings.cdn_base_url or settings.s3_endpoint_url or "https://*.amazonaws.com"


def create_app(settings: Settings | None = None, services: AppServices | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level, json=settings.log_json)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = services is None
        app.state.services = services or AppServices.from_settings(settings)
        install_email_jobs(app.state.services)
        # Without a broker there is no worker process: this app keeps the periodic jobs.
        stop = asyncio.Event()
        scheduler = (
            None
            if settings.broker_url
            else asyncio.create_task(scheduler_loop(app.state.services, stop))
        )
        try:
            yield
        finally:
            stop.set()
            if scheduler is not None:
                await scheduler
            if owned:
                await app.state.services.close()

    app = PitchASeatApp(
        title="Pitch-A-Seat API",
        version=__version__,
        description="Fan-to-fan resale of CPBL tickets, never above face value. "
        "Errors use the body `{error: {code, message, details}}`.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        # No OpenTelemetry here; skip its per-request probing.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    if services is not None:
        app.state.services = services
    registry = CollectorRegistry()
    app.state.metrics_registry = registry
    app.state.market_figures = FigureCollector(
        registry, max_age_seconds=settings.metrics_figures_max_age_seconds
    )

    _install_error_handlers(app)
    _install_docs(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    if settings.storage_backend == "local":
        media_dir = settings.effective_media_dir
        media_dir.mkdir(parents=True, exist_ok=True)
        app.mount(
            settings.media_base_url, StaticFiles(directory=media_dir, check_dir=False), name="media"
        )
    for router in (
        ops_api.router,
        accounts_api.router,
        catalog_api.router,
        listings_api.router,
        orders_api.router,
        ledger_api.router,
        insights_api.router,
        discovery_api.router,
        reviews_api.router,
        reservations_api.router,
        notifications_api.router,
        admin_api.fans,
        admin_api.router,
        accounts_pages.router,
        notifications_pages.router,
        catalog_pages.router,
        *listings_pages.routers,
        orders_pages.router,
        ledger_pages.router,
        reviews_pages.router,
        reservations_pages.router,
        insights_pages.router,
        *admin_pages.routers,
    ):
        app.include_router(router)
    # Higher domains add their figures to lower domains' pages through this registry.
    app.state.page_fragments = PageFragments()
    insights_pages.register_fragments(app.state.page_fragments)
    discovery_pages.register_fragments(app.state.page_fragments)

    # The edge layers wrap the whole framework: a cached listing page is answered before
    # FastAPI's own stack runs, yet still gets its request id, metrics and headers.
    app.add_middleware(LocaleMiddleware, default_locale=settings.default_locale)
    access_log = (
        AccessLog() if logging.getLevelName(settings.log_level.upper()) <= logging.INFO else None
    )
    app.edge = RequestContextMiddleware(
        BodySizeLimitMiddleware(
            EdgeCache(app.framework_call, [LISTING_PAGE_ROUTE, CALENDAR_ROUTE]),
            max_bytes=settings.max_request_bytes,
        ),
        metrics=HttpMetrics(registry),
        headers=security_headers(
            content_security_policy(_image_origin(settings), _payment_sdk_origin(settings)),
            hsts=settings.is_production,
        ),
        access_log=access_log,
    )
    return app
