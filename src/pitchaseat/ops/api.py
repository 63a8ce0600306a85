"""Health, readiness and Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from pitchaseat.monitoring.market import read_market_figures
from pitchaseat.monitoring.readiness import readiness
from pitchaseat.ops.figures import FigureCollector
from pitchaseat.web.deps import ServicesDep

router = APIRouter(tags=["operations"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    responses={
        200: {"description": "Ready; `status` is `degraded` when an optional part is failing"},
        503: {"description": "The database does not answer"},
    },
)
async def readyz(services: ServicesDep) -> JSONResponse:
    """Ready means "can serve": only the database is required; a failing optional part makes
    the status ``degraded`` with 200 (monitoring.readiness)."""
    state = await readiness(services)
    return JSONResponse(
        {"status": state.status, "checks": state.checks}, 200 if state.can_serve else 503
    )


@router.get("/metrics", response_class=PlainTextResponse)
async def metrics(request: Request, services: ServicesDep) -> PlainTextResponse:
    figures: FigureCollector = request.app.state.market_figures
    await figures.refresh(lambda: read_market_figures(services))
    registry: CollectorRegistry = request.app.state.metrics_registry
    return PlainTextResponse(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
