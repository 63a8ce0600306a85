"""The long-lived objects one app instance owns, created in the lifespan."""

from __future__ import annotations

from dataclasses import dataclass, field

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from pitchaseat.adapters.cache import GroupCache, MemoryGroupCache, RedisGroupCache
from pitchaseat.adapters.payments.base import PaymentProvider
from pitchaseat.adapters.payments.sandbox import SandboxPayments
from pitchaseat.adapters.payments.tappay import TapPayPayments
from pitchaseat.adapters.ratelimit import RateLimiter
from pitchaseat.adapters.storage import ImageStorage, LocalImageStorage, S3ImageStorage
from pitchaseat.db import create_engine, create_session_factory
from pitchaseat.settings import Settings


@dataclass
class AppServices:
    settings: Settings
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    rate_limiter: RateLimiter
    cache: GroupCache
    storage: ImageStorage
    payments: PaymentProvider = field(default_factory=SandboxPayments)

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
            cache=build_cache(settings),
            storage=build_storage(settings),
            payments=build_payments(settings),
        )

    async def close(self) -> None:
        await self.engine.dispose()


def build_cache(settings: Settings) -> GroupCache:
    if settings.redis_url:
        return RedisGroupCache(Redis.from_url(settings.redis_url))
    return MemoryGroupCache()


def build_storage(settings: Settings) -> ImageStorage:
    if settings.storage_backend == "s3":
        return S3ImageStorage(
            settings.s3_bucket,
            endpoint_url=settings.s3_endpoint_url,
            region=settings.s3_region,
            access_key_id=settings.s3_access_key_id,
            secret_access_key=settings.s3_secret_access_key,
            cdn_base_url=settings.cdn_base_url,
        )
    return LocalImageStorage(settings.effective_media_dir, base_url=settings.media_base_url)


def build_payments(settings: Settings) -> PaymentProvider:
    if settings.payment_provider == "tappay":
        return TapPayPayments(
            partner_key=settings.tappay_partner_key,
            merchant_id=settings.tappay_merchant_id,
            host=settings.tappay_host,
            timeout_seconds=settings.tappay_timeout_seconds,
        )
    return SandboxPayments()
