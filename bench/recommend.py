"""Benchmark: one user's recommendations and the trending board, cached and uncached, on
100,000 users and 1,000,000 orders.

Seeds a generated season (360 games), 36,000 listings, 100,000 fans (each with favourite
teams) and 1,000,000 paid orders over the last 120 days, then calls the API in process
(FastAPI's whole stack, no network) and prints p50/p99 of:

- recommendations, uncached: a different user each call (their signals read and scored);
- recommendations, cached: the same users again within the cache time;
- trending, uncached: the market figures dropped before each call;
- trending, cached.

    .venv/bin/python bench/recommend.py                   # SQLite (embedded default)
    .venv/bin/python bench/recommend.py --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/pas_bench_recs
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import fresh_database
from _seed import seed
from pitchaseat.accounts import tokens
from pitchaseat.accounts.models import AuthSession, User, UserFavoriteTeam
from pitchaseat.app import create_app
from pitchaseat.catalog.models import Game
from pitchaseat.db import create_engine, create_session_factory
from pitchaseat.insights.cache import invalidate_market_stats
from pitchaseat.listings.models import Listing
from pitchaseat.orders.models import Order, OrderEvent
from pitchaseat.settings import Settings

CHUNK = 20_000
SAMPLES = 300


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def _seed_fans_and_orders(url: str, users: int, orders: int, rng: random.Random) -> None:
    engine = create_engine(url)
    now = datetime.now(UTC)
    async with create_session_factory(engine)() as session, session.begin():
        games = (await session.execute(select(Game.id, Game.home_team_id, Game.away_team_id))).all()
        listings = (
            await session.execute(
                select(Listing.id, Listing.game_id, Listing.seller_id, Listing.price)
            )
        ).all()
        by_game: dict[int, list[tuple[int, int, int]]] = {}
        for listing_id, game_id, seller_id, price in listings:
            by_game.setdefault(game_id, []).append((listing_id, seller_id, price))
        first_user = (
            int(await session.scalar(select(User.id).order_by(User.id.desc()).limit(1)) or 0) + 1
        )
        fans = [
            {
                "email": f"fan{n}@bench.pitchaseat.tw",
                "password_hash": "x",
                "display_name": f"fan {n}",
            }
            for n in range(users)
        ]
        for start in range(0, users, CHUNK):
            await session.execute(insert(User), fans[start : start + CHUNK])
        fan_ids = list(range(first_user, first_user + users))
        await session.execute(
            insert(UserFavoriteTeam),
            [{"user_id": fan, "team_id": rng.randint(1, 6)} for fan in fan_ids],
        )
        # Popular games sell more: a skewed weight per game.
        weights = [rng.paretovariate(1.5) for _ in games]
        game_rows = [g for g in games if g.id in by_game]
        weights = [weights[i] for i, g in enumerate(games) if g.id in by_game]
        cumulative = list(itertools.accumulate(weights))
        order_rows, event_rows = [], []
        for n in range(orders):
            game = rng.choices(game_rows, cum_weights=cumulative)[0]
            listing_id, seller_id, price = rng.choice(by_game[game.id])
            buyer = fan_ids[min(users - 1, int(rng.expovariate(1 / (users / 4))))]
            paid_at = now - timedelta(minutes=rng.randint(1, 120 * 24 * 60))
            order_id = n + 1
            order_rows.append(
                {
                    "id": order_id,
                    "buyer_id": buyer,
                    "seller_id": seller_id,
                    "listing_id": listing_id,
                    "game_id": game.id,
                    "quantity": 1,
                    "unit_price": price,
                    "amount": price,
                    "status": "completed" if rng.random() < 0.9 else "refunded",
                    "hold_expires_at": paid_at,
                    "seller_fee_bps": 500,
                    "created_at": paid_at,
                    "updated_at": paid_at,
                }
            )
            event_rows.append(
                {
                    "order_id": order_id,
                    "action": "payments.charge.succeeded",
                    "from_status": "pending_payment",
                    "to_status": "paid",
                    "data": {},
                    "at": paid_at,
                }
            )
            if len(order_rows) == CHUNK or n == orders - 1:
                await session.execute(insert(Order), order_rows)
                await session.execute(insert(OrderEvent), event_rows)
                order_rows, event_rows = [], []
    async with engine.connect() as connection:
        analyze = (
            "ANALYZE"
            if connection.dialect.name != "mysql"
            else "ANALYZE TABLE orders, order_events, users"
        )
        await connection.execute(text(analyze))
        await connection.commit()
    await engine.dispose()


async def _measure(url: str, users: int) -> None:
    settings = Settings(
        database_url=url,
        data_dir=Path(tempfile.mkdtemp(prefix="pas-bench-recs-")),
        log_level="WARNING",
        _env_file=None,  # type: ignore[call-arg]
    )
    app = create_app(settings)
    rng = random.Random(11)
    async with app.router.lifespan_context(app):
        services = app.state.services
        async with services.session_factory() as session:
            last = int(await session.scalar(select(User.id).order_by(User.id.desc()).limit(1)) or 0)
            sampled = rng.sample(range(last - users + 1, last + 1), SAMPLES)
            # Log-ins minted directly: argon2 would only slow the set-up down.
            issued = [
                tokens.issue_token(user_id, secret_key=settings.secret_key, ttl_seconds=3600)
                for user_id in sampled
            ]
            session.add_all(
                AuthSession(id=i.session_id, user_id=u, expires_at=i.expires_at)
                for i, u in zip(issued, sampled, strict=True)
            )
            await session.commit()
            bearer = [i.token for i in issued]
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:

            async def timed(path: str, token: str | None = None) -> float:
                headers = {"Authorization": f"Bearer {token}"} if token else {}
                started = time.perf_counter()
                response = await client.get(path, headers=headers)
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code == 200, response.text
                return elapsed

            await timed("/api/v1/trending")  # warm the statement caches
            uncached = [await timed("/api/v1/recommendations", token) for token in bearer]
            cached = [await timed("/api/v1/recommendations", token) for token in bearer]
            trending_uncached = []
            for _ in range(100):
                await invalidate_market_stats(services.cache)
                trending_uncached.append(await timed("/api/v1/trending"))
            trending_cached = [await timed("/api/v1/trending") for _ in range(SAMPLES)]
    print("results (in process, FastAPI's whole stack, one request at a time):")
    for label, values, target in (
        ("recommendations, uncached", uncached, "p99 < 100 ms"),
        ("recommendations, cached", cached, "p99 < 20 ms"),
        ("trending, uncached", trending_uncached, ""),
        ("trending, cached", trending_cached, "p99 < 5 ms"),
    ):
        print(
            f"  {label:<28} p50 {percentile(values, 0.5):7.2f} ms   "
            f"p99 {percentile(values, 0.99):7.2f} ms   {target}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None, help="a server URL; SQLite otherwise")
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument(
        "--reuse", metavar="URL", help="measure again on a database seeded by an earlier run"
    )
    args = parser.parse_args()
    if args.reuse:
        asyncio.run(_measure(args.reuse, args.users))
        return
    url = fresh_database(args.database_url, "recs")
    started = time.perf_counter()
    seed(url, listings=36_000, sellers=2_000)
    asyncio.run(_seed_fans_and_orders(url, args.users, args.orders, random.Random(7)))
    print(
        f"seeded {args.users:,} fans and {args.orders:,} orders in "
        f"{time.perf_counter() - started:.0f} s ({url})"
    )
    asyncio.run(_measure(url, args.users))


if __name__ == "__main__":
    main()
