"""The long-lived objects one app instance owns, created in the lifespan."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from pitchaseat.adapters.ratelimit import RateLimiter
from pitchaseat.db import create_engine, create_session_factory
from pitchaseat.settings import Settings


@dataclass
class AppServices:
    settings: Settings
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    rate_limiter: RateLimiter

    @classmethod
    def from_settings(cls, settings: Settings) -> AppServices:
        engine = create_engine(
            settings.effective_database_url,
            echo=settings.database_echo,
            pool_size=settings.database_pool_size,
        )
        return cls(
            settings=settings,
            engine=engine,
            session_factory=create_session_factory(engine),
            rate_limiter=RateLimiter(settings.redis_url),
        )

    async def close(self) -> None:
        await self.engine.dispose()
