"""Health, readiness and Prometheus metrics."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from sqlalchemy import text

from pitchaseat.adapters.breaker import connect_redis
from pitchaseat.runtime import AppServices
from pitchaseat.web.deps import ServicesDep

router = APIRouter(tags=["operations"])

READINESS_TIMEOUT_SECONDS = 2.0


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
    """Ready means "can serve": only the database is required. An optional part that fails
    (Redis, the broker) makes the status ``degraded`` with HTTP 200, so a load balancer keeps
    the instance in rotation while the outage shows here, in the log and in /metrics."""
    checks: dict[str, str] = {}
    try:
        await asyncio.wait_for(_ping_database(services), READINESS_TIMEOUT_SECONDS)
        checks["database"] = "ok"
    except Exception as error:  # any failure means "not ready"
        checks["database"] = f"error: {type(error).__name__}"
    if services.settings.redis_url:
        await _probe_redis(services)
    for breaker in services.breakers:
        state = breaker.status()
        checks[state.name] = "ok" if state.state == "closed" else f"degraded: {state.last_error}"
    if checks["database"] != "ok":
        status, code = "unavailable", 503
    elif all(value == "ok" for value in checks.values()):
        status, code = "ok", 200
    else:
        status, code = "degraded", 200
    return JSONResponse({"status": status, "checks": checks}, code)


async def _ping_database(services: AppServices) -> None:
    async with services.engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


async def _probe_redis(services: AppServices) -> None:
    """Pings Redis through its breaker, which also lets a recovered Redis be noticed by the
    load balancer's polling rather than by a user's request."""
    breaker = next((b for b in services.breakers if b.name == "redis"), None)
    if breaker is None:
        return
    client = connect_redis(services.settings.redis_url or "")
    try:
        await breaker.call(client.ping, fallback=False)
    finally:
        await client.aclose()


@router.get("/metrics", response_class=PlainTextResponse)
async def metrics(request: Request) -> PlainTextResponse:
    registry: CollectorRegistry = request.app.state.metrics_registry
    return PlainTextResponse(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
