"""An app wired to a Redis server of the test's own, which the test kills or freezes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from pitchaseat.adapters.breaker import CircuitBreaker, connect_redis
from pitchaseat.adapters.cache import GuardedGroupCache, RedisGroupCache
from pitchaseat.adapters.fanout import RedisFanOut
from pitchaseat.adapters.payments.sandbox import SandboxPayments
from pitchaseat.adapters.ratelimit import RateLimiter
from pitchaseat.adapters.storage import LocalImageStorage
from pitchaseat.runtime import AppServices
from pitchaseat.settings import Settings
from tests.support.redis_server import RedisServer

# Short, so the tests see the breaker reopen the way to a recovered Redis quickly.
BREAKER_RESET_SECONDS = 0.3


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    if server.process is not None:
        server.thaw()
    server.kill()


@pytest.fixture
def settings(settings: Settings, redis_server: RedisServer) -> Settings:
    return settings.model_copy(update={"redis_url": redis_server.url})


@pytest.fixture
def redis_breaker() -> CircuitBreaker:
    return CircuitBreaker("redis", reset_seconds=BREAKER_RESET_SECONDS)


@pytest.fixture
def services(
    settings: Settings,
    engine: AsyncEngine,
    session_factory: async_sessionmaker[AsyncSession],
    redis_breaker: CircuitBreaker,
) -> AppServices:
    url = settings.redis_url or ""
    return AppServices(
        settings=settings,
        engine=engine,
        session_factory=session_factory,
        rate_limiter=RateLimiter(url, namespace=f"pas-{id(redis_breaker)}", breaker=redis_breaker),
        cache=GuardedGroupCache(RedisGroupCache(connect_redis(url)), redis_breaker),
        storage=LocalImageStorage(settings.effective_media_dir),
        payments=SandboxPayments(session_factory),
        fanout=RedisFanOut(connect_redis(url), redis_breaker),
        breakers=[redis_breaker],
    )
