"""Benchmark: 10,000 reservations on one game, then a matching listing is published.

Prints the time from publishing the listing to every notification (and email) stored, the
number of fans told, and the publishing request's own latency with and without those
reservations waiting (matching runs as a job, never in the request).

    .venv/bin/python bench/matching.py                    # SQLite (embedded default)
    .venv/bin/python bench/matching.py --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/pas_bench_matching
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import func, insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import fresh_database
from _seed import seed
from pitchaseat.accounts import tokens
from pitchaseat.accounts.models import AuthSession, User
from pitchaseat.app import create_app
from pitchaseat.catalog.models import Game, SeatArea
from pitchaseat.notifications.models import Notification
from pitchaseat.reservations.jobs import run_matching
from pitchaseat.reservations.models import Reservation, ReservationSeatArea
from pitchaseat.runtime import AppServices
from pitchaseat.settings import Settings

SAMPLES = 30


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def _seed_reservations(services: AppServices, count: int) -> tuple[int, int, int]:
    """(busy game, quiet game, seller id): ``count`` fans wait for the busy game."""
    rng = random.Random(5)
    async with services.session_factory() as session, session.begin():
        busy, quiet = list(await session.scalars(select(Game.id).order_by(Game.starts_at).limit(2)))
        stadium = await session.scalar(select(Game.stadium_id).where(Game.id == busy))
        areas = list(
            await session.scalars(select(SeatArea.id).where(SeatArea.stadium_id == stadium))
        )
        await session.execute(
            insert(User),
            [
                {
                    "email": f"waiting{n}@bench.pitchaseat.tw",
                    "password_hash": "x",
                    "display_name": f"fan {n}",
                }
                for n in range(count + 1)
            ],
        )
        fans = list(
            await session.scalars(
                select(User.id).where(User.email.like("waiting%")).order_by(User.id)
            )
        )
        seller = fans.pop()
        await session.execute(
            insert(Reservation),
            [
                {
                    "user_id": fan,
                    "game_id": busy,
                    "max_price": rng.choice((None, 900, 1200, 2000)),
                    "quantity": rng.choice((1, 1, 2)),
                }
                for fan in fans
            ],
        )
        ids = list(await session.scalars(select(Reservation.id).where(Reservation.game_id == busy)))
        # A third of the fans want particular seat areas.
        await session.execute(
            insert(ReservationSeatArea),
            [
                {"reservation_id": rid, "seat_area_id": area}
                for rid in ids[: len(ids) // 3]
                for area in rng.sample(areas, 2)
            ],
        )
    async with services.engine.connect() as connection:
        # Fresh planner statistics, as a maintained production database has.
        if connection.dialect.name in ("mysql", "mariadb"):
            await connection.execute(
                text("ANALYZE TABLE reservations, reservation_seat_areas, users")
            )
        else:
            await connection.execute(text("ANALYZE"))
        await connection.commit()
    return busy, quiet, seller


async def _token(services: AppServices, user_id: int) -> str:
    issued = tokens.issue_token(user_id, secret_key=services.settings.secret_key, ttl_seconds=3600)
    async with services.session_factory() as session, session.begin():
        session.add(
            AuthSession(id=issued.session_id, user_id=user_id, expires_at=issued.expires_at)
        )
    return issued.token


async def _run(url: str, count: int) -> None:
    settings = Settings(
        database_url=url,
        data_dir=Path(tempfile.mkdtemp(prefix="pas-bench-matching-")),
        log_level="WARNING",
        _env_file=None,  # type: ignore[call-arg]
    )
    services = AppServices.from_settings(settings)
    # The bench runs the matching job itself, to time it; no hand-over after commit.
    services.jobs = None
    services.session_factory.configure(info={})
    app = create_app(settings, services)
    async with app.router.lifespan_context(app):
        busy, quiet, seller = await _seed_reservations(services, count)
        headers = {"Authorization": f"Bearer {await _token(services, seller)}"}
        area = await _first_area(services, busy)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://b"
        ) as client:

            async def publish(game_id: int, price: int) -> float:
                started = time.perf_counter()
                response = await client.post(
                    "/api/v1/listings",
                    json={
                        "game_id": game_id,
                        "seat_area": area,
                        "quantity": 2,
                        "face_value": 2000,
                        "price": price,
                        "delivery_method": "e_ticket",
                    },
                    headers=headers,
                )
                assert response.status_code == 201, response.text
                return (time.perf_counter() - started) * 1000

            quiet_ms = [await publish(quiet, 800) for _ in range(SAMPLES)]
            await run_matching(services.session_factory)  # clear the quiet game's requests
            started = time.perf_counter()
            publish_ms = await publish(busy, 800)
            outcomes = await run_matching(services.session_factory)
            total_s = time.perf_counter() - started
            busy_ms = [await publish(busy, 1500 + n) for n in range(SAMPLES - 1)]
        async with services.session_factory() as session:
            stored = await session.scalar(
                select(func.count(Notification.id)).where(Notification.kind == "reservation_match")
            )
    told = sum(len(o.notified_user_ids) for o in outcomes)
    print(f"{count:,} reservations on one game; a listing of 2 tickets at NT$800 published:")
    print(f"  publish -> all notifications and emails stored {total_s * 1000:8.1f} ms (< 1,000)")
    print(f"  fans told {told:,} ({stored:,} notifications stored)")
    print(f"  the publish request itself                       {publish_ms:8.1f} ms")
    print(
        f"  publish p50, game with no reservations           {percentile(quiet_ms, 0.5):8.1f} ms"
        f"   p99 {percentile(quiet_ms, 0.99):.1f} ms"
    )
    print(
        f"  publish p50, game with {count:,} reservations     {percentile(busy_ms, 0.5):8.1f} ms"
        f"   p99 {percentile(busy_ms, 0.99):.1f} ms"
    )


async def _first_area(services: AppServices, game_id: int) -> str:
    async with services.session_factory() as session:
        stadium = await session.scalar(select(Game.stadium_id).where(Game.id == game_id))
        code = await session.scalar(
            select(SeatArea.code).where(SeatArea.stadium_id == stadium).order_by(SeatArea.id)
        )
    assert code is not None
    return code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None, help="a server URL; SQLite otherwise")
    parser.add_argument("--reservations", type=int, default=10_000)
    args = parser.parse_args()
    url = fresh_database(args.database_url, "matching")
    seed(url, listings=2_000, sellers=200)
    asyncio.run(_run(url, args.reservations))


if __name__ == "__main__":
    main()
