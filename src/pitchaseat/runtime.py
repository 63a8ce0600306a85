"""The composition root: the long-lived objects one process owns (the app's lifespan, the
worker, the CLI), built from the settings, and the after-commit subscribers wired to them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from pitchaseat.adapters.breaker import CircuitBreaker, connect_redis
from pitchaseat.adapters.cache import (
    GroupCache,
    GuardedGroupCache,
    MemoryGroupCache,
    RedisGroupCache,
)
from pitchaseat.adapters.fanout import FanOut, MemoryFanOut, RedisFanOut
from pitchaseat.adapters.mail import MailboxMailer, Mailer, SmtpMailer
from pitchaseat.adapters.payments.base import PaymentProvider
from pitchaseat.adapters.payments.sandbox import SandboxPayments
from pitchaseat.adapters.payments.tappay import TapPayPayments
from pitchaseat.adapters.queue import DramatiqQueue, InProcessQueue, build_queue
from pitchaseat.adapters.ratelimit import RateLimiter
from pitchaseat.adapters.storage import ImageStorage, LocalImageStorage, S3ImageStorage
from pitchaseat.adapters.workers import BoundedWorkers
from pitchaseat.aftercommit import COLLABORATORS_KEY, Collaborators, Happening, Subscriber
from pitchaseat.db import create_engine, create_read_engine, create_session_factory
from pitchaseat.insights.cache import invalidate_market_stats
from pitchaseat.listings.cache import ListingPageCache
from pitchaseat.rawsql import RawReader, borrowed_reader, open_reader
from pitchaseat.settings import Settings


async def _drop_market_figures(collab: Collaborators, _game_ids: frozenset[int]) -> None:
    if collab.cache is not None:
        await invalidate_market_stats(collab.cache)


async def _drop_listing_pages(collab: Collaborators, game_ids: frozenset[int]) -> None:
    if collab.cache is not None:
        pages = ListingPageCache(collab.cache, enabled=collab.page_cache_enabled)
        await pages.invalidate_games(sorted(game_ids))


SUBSCRIBERS: dict[Happening, list[Subscriber]] = {
    Happening.market_changed: [_drop_market_figures],
    Happening.listings_changed: [_drop_listing_pages],
}


@dataclass
class AppServices:
    settings: Settings
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    rate_limiter: RateLimiter
    cache: GroupCache
    storage: ImageStorage
    payments: PaymentProvider
    # Live events and background jobs. Without them (most tests) notifications are stored
    # and left for the email sweep; with them, sessions of this factory publish after commit.
    fanout: FanOut | None = None
    jobs: InProcessQueue | DramatiqQueue | None = None
    mailer: Mailer | None = None
    # One-statement reads (the listing page, the calendar) on the driver's own autocommit,
    # read-only pool; where the driver has none here, on the read engine's connections
    # (which also serve ``read_connection``).
    # Without either (tests, whose data lives in one open transaction) they run on the
    # connection of a ``session_factory`` session.
    raw_reader: RawReader | None = None
    read_engine: AsyncEngine | None = None
    # The optional parts' breakers, which /readyz reports.
    breakers: list[CircuitBreaker] = field(default_factory=list)
    photo_workers: BoundedWorkers = field(default_factory=BoundedWorkers)

    def __post_init__(self) -> None:
        self.session_factory.configure(info={COLLABORATORS_KEY: self.collaborators()})

    def collaborators(self) -> Collaborators:
        return Collaborators(
            base_url=self.settings.base_url,
            fanout=self.fanout,
            jobs=self.jobs,
            cache=self.cache,
            page_cache_enabled=self.settings.page_cache_enabled,
            subscribers=SUBSCRIBERS,
        )

    def reader(self) -> AbstractAsyncContextManager[RawReader]:
        """Runs one-statement reads: no transaction around them to begin or end."""
        return self.raw_reader or self._borrowed_reader()

    @asynccontextmanager
    async def read_connection(self) -> AsyncIterator[AsyncConnection]:
        """A connection for one read statement built by SQLAlchemy (who is calling): no
        transaction around it to begin or end."""
        if self.read_engine is None:
            async with self.session_factory() as session:
                yield await session.connection()
            return
        async with self.read_engine.connect() as connection:
            yield connection

    @asynccontextmanager
    async def _borrowed_reader(self) -> AsyncIterator[RawReader]:
        if self.read_engine is not None:
            async with self.read_engine.connect() as connection:
                yield await borrowed_reader(connection)
        else:
            async with self.session_factory() as session:
                yield await borrowed_reader(await session.connection())

    @classmethod
    def from_settings(cls, settings: Settings) -> AppServices:
        engine = create_engine(
            settings.effective_database_url,
            echo=settings.database_echo,
            pool_size=settings.database_pool_size,
        )
        # Cache, limits and live events share one Redis, so one breaker: when one of them
        # finds Redis dead, the others stop waiting for it too.
        redis_breaker = CircuitBreaker("redis")
        jobs = build_queue(settings.broker_url, settings.job_queue)
        breakers = [redis_breaker] if settings.redis_url else []
        if isinstance(jobs, DramatiqQueue):
            breakers.append(jobs.breaker)
        session_factory = create_session_factory(engine)
        url, pool_size = settings.effective_database_url, settings.database_pool_size
        raw_reader = open_reader(url, pool_size=pool_size)
        return cls(
            settings=settings,
            engine=engine,
            session_factory=session_factory,
            rate_limiter=RateLimiter(settings.redis_url, breaker=redis_breaker),
            cache=build_cache(settings, redis_breaker),
            storage=build_storage(settings),
            payments=build_payments(settings, session_factory),
            fanout=build_fanout(settings, redis_breaker),
            jobs=jobs,
            mailer=build_mailer(settings),
            breakers=breakers,
            photo_workers=BoundedWorkers(settings.photo_workers),
            raw_reader=raw_reader,
            # Also beside a raw reader: the caller lookup runs a SQLAlchemy statement on it
            # (its pool connects only when first used).
            read_engine=create_read_engine(url, pool_size=pool_size),
        )

    async def close(self) -> None:
        if self.jobs is not None:
            await self.jobs.close()
        if self.fanout is not None:
            await self.fanout.close()
        if self.raw_reader is not None:
            await self.raw_reader.close()
        if self.read_engine is not None:
            await self.read_engine.dispose()
        self.photo_workers.close()
        await self.engine.dispose()


def build_fanout(settings: Settings, breaker: CircuitBreaker) -> FanOut:
    if settings.redis_url:
        return RedisFanOut(connect_redis(settings.redis_url), breaker)
    return MemoryFanOut()


def build_mailer(settings: Settings) -> Mailer:
    if settings.smtp_host:
        return SmtpMailer(
            host=settings.smtp_host,
            port=settings.smtp_port,
            from_address=settings.mail_from,
            username=settings.smtp_username,
            password=settings.smtp_password,
            starttls=settings.smtp_starttls,
            timeout_seconds=settings.smtp_timeout_seconds,
        )
    return MailboxMailer(settings.mailbox_dir, settings.mail_from)


def build_cache(settings: Settings, breaker: CircuitBreaker) -> GroupCache:
    if settings.redis_url:
        return GuardedGroupCache(RedisGroupCache(connect_redis(settings.redis_url)), breaker)
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


def build_payments(
    settings: Settings, session_factory: async_sessionmaker[AsyncSession]
) -> PaymentProvider:
    if settings.payment_provider == "tappay":
        return TapPayPayments(
            partner_key=settings.tappay_partner_key,
            merchant_id=settings.tappay_merchant_id,
            host=settings.tappay_host,
            timeout_seconds=settings.tappay_timeout_seconds,
        )
    return SandboxPayments(session_factory)  # its charges live in the app's database
