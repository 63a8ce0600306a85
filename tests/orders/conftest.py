"""An app on a database of its own (not the rolled-back test connection), paying through a
local fake TapPay: for races, where each request must run in its own transactions."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from pitchaseat.adapters.cache import MemoryGroupCache
from pitchaseat.adapters.payments.tappay import TapPayPayments
from pitchaseat.adapters.ratelimit import RateLimiter
from pitchaseat.adapters.storage import LocalImageStorage
from pitchaseat.app import create_app
from pitchaseat.db import create_engine, create_session_factory
from pitchaseat.ledger.models import EntryKind, LedgerEntry
from pitchaseat.orders.models import Order
from pitchaseat.payments.models import Payment, PaymentStatus
from pitchaseat.runtime import AppServices
from pitchaseat.settings import Settings
from tests.support.databases import DatabasePlan, create_migrated, drop, plan_database
from tests.support.fake_tappay import MERCHANT_ID, PARTNER_KEY, FakeTapPay
from tests.support.live_server import serve_asgi


@pytest.fixture(scope="module")
def fake_gateway() -> Iterator[tuple[FakeTapPay, str]]:
    tappay = FakeTapPay()
    with serve_asgi(tappay.app()) as url:
        yield tappay, url


@pytest.fixture(scope="module")
async def own_engine(
    database: DatabasePlan, worker_name: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[AsyncEngine]:
    planned = plan_database(
        database.backend, f"pas_own_{worker_name}", tmp_path_factory.mktemp("own")
    )
    await create_migrated(planned)
    engine = create_engine(planned.url, pool_size=20)
    yield engine
    await engine.dispose()
    await drop(planned)


@dataclass
class Live:
    client: httpx.AsyncClient
    factory: async_sessionmaker[AsyncSession]
    gateway: FakeTapPay
    services: AppServices

    async def books(self, order_id: int) -> tuple[str, set[EntryKind], int]:
        """The order's status, the ledger entry kinds booked for it, and what the gateway has
        refunded of its charge: the three records that must agree."""
        async with self.factory() as session:
            order = await session.get(Order, order_id)
            assert order is not None
            kinds = set(
                await session.scalars(
                    select(LedgerEntry.kind).where(LedgerEntry.order_id == order_id)
                )
            )
            trades = list(
                await session.scalars(
                    select(Payment.rec_trade_id).where(
                        Payment.order_id == order_id, Payment.status == PaymentStatus.paid
                    )
                )
            )
            refunded = sum(self.gateway.refunded.get(str(trade), 0) for trade in trades)
            return order.status.value, kinds, refunded


@pytest.fixture
async def live(
    own_engine: AsyncEngine,
    fake_gateway: tuple[FakeTapPay, str],
    database: DatabasePlan,
    tmp_path: Path,
) -> AsyncIterator[Live]:
    gateway, url = fake_gateway
    gateway.charge_delay_seconds = gateway.refund_delay_seconds = 0.0
    settings = Settings(
        environment="test",
        database_url=database.url,
        data_dir=tmp_path,
        log_level="WARNING",
        holds_per_user="1000/minute",
        _env_file=None,  # type: ignore[call-arg]
    )
    provider = TapPayPayments(
        partner_key=PARTNER_KEY, merchant_id=MERCHANT_ID, host=url, timeout_seconds=10
    )
    factory = create_session_factory(own_engine)
    services = AppServices(
        settings=settings,
        engine=own_engine,
        session_factory=factory,
        rate_limiter=RateLimiter(),
        cache=MemoryGroupCache(),
        storage=LocalImageStorage(settings.effective_media_dir),
        payments=provider,
    )
    transport = httpx.ASGITransport(app=create_app(settings, services))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield Live(client, factory, gateway, services)
    await provider.close()
