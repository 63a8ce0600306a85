"""Health, readiness and Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from pitchaseat.monitoring.market import read_market_figures
from pitchaseat.monitoring.readiness import readiness_checks
from pitchaseat.ops.figures import FigureCollector
from pitchaseat.web.deps import ServicesDep

router = APIRouter(tags=["operations"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "A dependency does not answer"}})
async def readyz(services: ServicesDep) -> JSONResponse:
    checks = await readiness_checks(services)
    ready = all(value == "ok" for value in checks.values())
    return JSONResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, 200 if ready else 503
    )


@router.get("/metrics", response_class=PlainTextResponse)
async def metrics(request: Request, services: ServicesDep) -> PlainTextResponse:
    figures: FigureCollector = request.app.state.market_figures
    await figures.refresh(lambda: read_market_figures(services))
    registry: CollectorRegistry = request.app.state.metrics_registry
    return PlainTextResponse(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
