"""Whether this process can serve: its database answers, and Redis when one is configured."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from sqlalchemy import text

from pitchaseat.runtime import AppServices

READINESS_TIMEOUT_SECONDS = 2.0


async def readiness_checks(services: AppServices) -> dict[str, str]:
    """``{"database": "ok", "redis": "error: ConnectionError"}``: one entry per dependency."""

    async def database() -> None:
        async with services.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def redis() -> None:
        from redis.asyncio import Redis

        client = Redis.from_url(services.settings.redis_url or "")
        try:
            await client.ping()
        finally:
            await client.aclose()

    probes: dict[str, Callable[[], Awaitable[None]]] = {"database": database}
    if services.settings.redis_url:
        probes["redis"] = redis
    checks: dict[str, str] = {}
    for name, probe in probes.items():
        try:
            await asyncio.wait_for(probe(), READINESS_TIMEOUT_SECONDS)
            checks[name] = "ok"
        except Exception as error:  # any failure means "not ready"
            checks[name] = f"error: {type(error).__name__}"
    return checks
