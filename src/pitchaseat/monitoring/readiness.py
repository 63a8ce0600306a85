"""Whether this process can serve. Only the database is required: an optional part that
fails (Redis, the broker) makes the status ``degraded``, with HTTP 200, so a load balancer keeps
the instance in rotation while the outage shows in /readyz, the log and /metrics."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from sqlalchemy import text

from pitchaseat.adapters.breaker import connect_redis
from pitchaseat.runtime import AppServices

READINESS_TIMEOUT_SECONDS = 2.0


@dataclass(frozen=True)
class Readiness:
    status: str  # ok | degraded | unavailable
    checks: dict[str, str]  # one entry per part: "ok", "degraded: …" or "error: …"

    @property
    def can_serve(self) -> bool:
        return self.status != "unavailable"


async def _ping_database(services: AppServices) -> None:
    async with services.engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


async def _probe_redis(services: AppServices) -> None:
    """Pings Redis through its breaker, so a recovered Redis is noticed by the load
    balancer's polling rather than by a user's request."""
    breaker = next((b for b in services.breakers if b.name == "redis"), None)
    if breaker is None:
        return
    client = connect_redis(services.settings.redis_url or "")
    try:
        await breaker.call(client.ping, fallback=False)
    finally:
        await client.aclose()


async def readiness(services: AppServices) -> Readiness:
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
        status = "unavailable"
    elif all(value == "ok" for value in checks.values()):
        status = "ok"
    else:
        status = "degraded"
    return Readiness(status, checks)
