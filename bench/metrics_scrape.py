"""Benchmark: what one scrape-time read of the marketplace figures costs on a busy database.

Seeds a season's worth of history (orders in every status, their payments, a sent email per
order, a few live holds, waiting emails and match requests), then reads the figures that
/metrics exports and prints the read's median and p95 beside a bare ``SELECT 1`` round trip
on the same engine, and the per-query plan on PostgreSQL.

    .venv/bin/python bench/metrics_scrape.py                     # SQLite
    .venv/bin/python bench/metrics_scrape.py --orders 200000 \\
        --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/pas_bench_metrics
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import fresh_database
from _seed import seed
from pitchaseat.listings.models import Listing
from pitchaseat.monitoring.market import read_market_figures
from pitchaseat.notifications.models import EmailOutbox, EmailStatus
from pitchaseat.orders.models import Order, OrderEvent, OrderStatus
from pitchaseat.payments.models import Payment, PaymentStatus
from pitchaseat.runtime import AppServices
from pitchaseat.settings import Settings

CHUNK = 2000
READS = 40
# A finished season: most orders completed, some refunded or cancelled, few still moving.
STATUS_SHARES = [
    (OrderStatus.completed, 0.70),
    (OrderStatus.cancelled, 0.12),
    (OrderStatus.refunded, 0.06),
    (OrderStatus.shipped, 0.05),
    (OrderStatus.paid, 0.05),
    (OrderStatus.disputed, 0.01),
    (OrderStatus.pending_payment, 0.01),
]
PAYMENT_FOR = {
    OrderStatus.cancelled: PaymentStatus.failed,
    OrderStatus.pending_payment: PaymentStatus.pending,
}


async def _history(services: AppServices, orders: int) -> None:
    rng = random.Random(11)
    now = datetime.now(UTC)
    async with services.session_factory() as session, session.begin():
        listings = (
            await session.execute(select(Listing.id, Listing.seller_id, Listing.game_id))
        ).all()
        buyer = await session.scalar(select(func.min(Listing.seller_id)))
        first_id = (await session.scalar(select(func.max(Order.id)))) or 0
        statuses = [status for status, _ in STATUS_SHARES]
        weights = [share for _, share in STATUS_SHARES]
        for start in range(0, orders, CHUNK):
            order_rows, event_rows, payment_rows, email_rows = [], [], [], []
            for n in range(start, min(orders, start + CHUNK)):
                listing_id, seller_id, game_id = rng.choice(listings)
                status = rng.choices(statuses, weights)[0]
                created = now - timedelta(minutes=rng.randint(30, 60 * 24 * 200))
                order_id = first_id + n + 1
                order_rows.append(
                    {
                        "id": order_id,
                        "buyer_id": buyer,
                        "seller_id": seller_id,
                        "listing_id": listing_id,
                        "game_id": game_id,
                        "quantity": 2,
                        "unit_price": 500,
                        "amount": 1000,
                        "status": status.value,
                        "hold_expires_at": created + timedelta(minutes=10),
                        "created_at": created,
                        "updated_at": created,
                    }
                )
                event_rows.append(
                    {
                        "order_id": order_id,
                        "action": "bench.history",
                        "from_status": None,
                        "to_status": status.value,
                        "data": {},
                        "at": created,
                    }
                )
                payment_rows.append(
                    {
                        "order_id": order_id,
                        "provider": "sandbox",
                        "status": PAYMENT_FOR.get(status, PaymentStatus.paid).value,
                        "amount": 1000,
                        "order_number": f"bench-{order_id}",
                        "refunded_amount": 1000 if status is OrderStatus.refunded else 0,
                        "created_at": created,
                        "updated_at": created,
                    }
                )
                email_rows.append(
                    {
                        "to_address": "fan@bench.pitchaseat.tw",
                        "subject": "s",
                        "body_text": "b",
                        "locale": "zh_TW",
                        "kind": "order_paid",
                        "status": EmailStatus.sent.value,
                        "attempts": 1,
                        "next_attempt_at": created,
                        "created_at": created,
                        "sent_at": created,
                    }
                )
            await session.execute(insert(Order), order_rows)
            await session.execute(insert(OrderEvent), event_rows)
            await session.execute(insert(Payment), payment_rows)
            await session.execute(insert(EmailOutbox), email_rows)
        # Live holds are the ones whose expiry lies ahead.
        await session.execute(
            Order.__table__.update()
            .where(Order.status == OrderStatus.pending_payment)
            .values(hold_expires_at=now + timedelta(minutes=5))
        )


async def _timed(call: Callable[[], Awaitable[None]], repeats: int) -> list[float]:
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


async def _plans(services: AppServices) -> None:
    """EXPLAIN ANALYZE of each statement one read sends, with its own parameters."""
    sent: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "count" in statement:
            sent.append((statement, parameters))

    event.listen(services.engine.sync_engine, "before_cursor_execute", capture)
    try:
        await read_market_figures(services)
    finally:
        event.remove(services.engine.sync_engine, "before_cursor_execute", capture)
    async with services.engine.connect() as connection:
        await connection.exec_driver_sql("ANALYZE")
        for statement, parameters in sent:
            plan = await connection.exec_driver_sql(
                f"EXPLAIN (ANALYZE, COSTS OFF) {statement}", parameters
            )
            lines = [row[0] for row in plan]
            table = re.search(r"FROM (\w+)", statement)
            print(
                f"  {table.group(1) if table else '?':28s} {lines[-1].strip():28s} "
                f"{next((line.strip() for line in lines if 'Scan' in line), '')[:60]}"
            )


async def main(url: str, orders: int) -> None:
    settings = Settings(database_url=url, _env_file=None)  # type: ignore[call-arg]
    services = AppServices.from_settings(settings)
    try:
        started = time.perf_counter()
        await _history(services, orders)
        print(
            f"seeded {orders} orders with an event, a payment and a sent email each"
            f" in {time.perf_counter() - started:.1f} s"
        )

        async def bare() -> None:
            async with services.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))

        async def figures() -> None:
            await read_market_figures(services)

        await _timed(figures, 3)  # warm the pool and the caches
        bare_ms = await _timed(bare, READS)
        read_ms = await _timed(figures, READS)
        count = len(await read_market_figures(services))
        print(f"backend {services.engine.dialect.name}, {orders} orders, {count} samples per read")
        print(f"  SELECT 1 round trip  median {statistics.median(bare_ms):7.2f} ms")
        print(
            f"  figures read         median {statistics.median(read_ms):7.2f} ms, "
            f"p95 {sorted(read_ms)[int(0.95 * len(read_ms))]:7.2f} ms "
            f"({statistics.median(read_ms) / statistics.median(bare_ms):.0f}x a round trip)"
        )
        print(
            "  at one scrape per 15 s per replica, 2 replicas: "
            f"{2 * statistics.median(read_ms) / 15000 * 100:.3f} % of one database core"
        )
        if services.engine.dialect.name == "postgresql":
            await _plans(services)
    finally:
        await services.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--orders", type=int, default=100_000)
    args = parser.parse_args()
    database = fresh_database(args.database_url, "metrics")
    seed(database, listings=2000)
    asyncio.run(main(database, args.orders))
