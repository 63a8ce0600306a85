"""Bulk seed for benchmarks: a full season of games, sellers and listings (Core inserts)."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.models import User
from pitchaseat.catalog.models import Game, SeatArea, Stadium, Team
from pitchaseat.catalog.schedule import first_season_ahead, generate_season
from pitchaseat.db import create_engine, create_session_factory
from pitchaseat.listings.models import DeliveryMethod, Listing, ListingStatus
from pitchaseat.listings.service import refresh_game_summaries

FACE_VALUES = {"premium": 1600, "infield": 700, "outfield": 350}
CHUNK = 5000


async def _seed(url: str, listings: int, sellers: int, seed: int) -> list[int]:
    rng = random.Random(seed)
    engine = create_engine(url)
    async with create_session_factory(engine)() as session, session.begin():
        game_ids = await _games(session)
        seller_ids = await _sellers(session, sellers, rng)
        await _listings(session, game_ids, seller_ids, listings, rng)
        await refresh_game_summaries(session, game_ids)
    async with engine.connect() as connection:
        # Fresh planner statistics, as a maintained production database has.
        analyze = (
            "ANALYZE TABLE games, listings, users, seat_areas"
            if connection.dialect.name in ("mysql", "mariadb")
            else "ANALYZE"
        )
        await connection.execute(text(analyze))
        await connection.commit()
    await engine.dispose()
    return game_ids


async def _games(session: AsyncSession) -> list[int]:
    teams = list(await session.scalars(select(Team)))
    stadium_code = dict((await session.execute(select(Stadium.id, Stadium.code))).all())
    stadium_id = {code: id_ for id_, code in stadium_code.items()}
    team_id = {team.code: team.id for team in teams}
    season = first_season_ahead(datetime.now(UTC).date())
    planned = generate_season(
        season, [t.code for t in teams], {t.code: stadium_code[t.home_stadium_id] for t in teams}
    )
    await session.execute(
        insert(Game),
        [
            {
                "season": season,
                "game_number": game.game_number,
                "starts_at": game.starts_at,
                "home_team_id": team_id[game.home_team],
                "away_team_id": team_id[game.away_team],
                "stadium_id": stadium_id[game.stadium],
                "status": "scheduled",
                "listing_count": 0,
            }
            for game in planned
        ],
    )
    return list(await session.scalars(select(Game.id).order_by(Game.id)))


async def _sellers(session: AsyncSession, count: int, rng: random.Random) -> list[int]:
    rows = []
    for n in range(count):
        rated = rng.random() < 0.8
        ratings = rng.randint(1, 60) if rated else 0
        rows.append(
            {
                "email": f"seller{n}@bench.pitchaseat.tw",
                "password_hash": "$argon2id$v=19$m=19456,t=2,p=1$bench$bench",
                "display_name": f"賣家 {n}",
                "is_operator": False,
                "rating_count": ratings,
                "rating_sum": round(ratings * rng.uniform(3.2, 5.0)),
                "seller_score": round(rng.uniform(3.5, 4.9), 3) if rated else None,
            }
        )
    for start in range(0, len(rows), CHUNK):
        await session.execute(insert(User), rows[start : start + CHUNK])
    return list(await session.scalars(select(User.id).order_by(User.id)))


async def _listings(
    session: AsyncSession,
    game_ids: list[int],
    seller_ids: list[int],
    count: int,
    rng: random.Random,
) -> None:
    areas_by_stadium: dict[int, list[tuple[int, str]]] = {}
    for area in await session.scalars(select(SeatArea)):
        areas_by_stadium.setdefault(area.stadium_id, []).append((area.id, area.zone.value))
    game_stadium = dict((await session.execute(select(Game.id, Game.stadium_id))).all())
    created = datetime.now(UTC) - timedelta(days=30)
    batch: list[dict[str, object]] = []
    for n in range(count):
        game_id = rng.choice(game_ids)
        area_id, zone = rng.choice(areas_by_stadium[game_stadium[game_id]])
        face = FACE_VALUES[zone] + rng.choice((0, 100, 200))
        quantity = rng.randint(1, 4)
        batch.append(
            {
                "game_id": game_id,
                "seller_id": rng.choice(seller_ids),
                "seat_area_id": area_id,
                "row": str(rng.randint(1, 30)),
                "seats": None,
                "quantity": quantity,
                "available_quantity": quantity,
                "face_value": face,
                "price": face - rng.choice((0, 0, 50, 100, 150)),
                "delivery_method": rng.choice(list(DeliveryMethod)).value,
                "note": None,
                "sell_together": rng.random() < 0.2,
                "status": ListingStatus.active.value,
                "created_at": created + timedelta(seconds=n),
                "updated_at": created + timedelta(seconds=n),
            }
        )
        if len(batch) == CHUNK:
            await session.execute(insert(Listing), batch)
            batch = []
    if batch:
        await session.execute(insert(Listing), batch)


def seed(url: str, *, listings: int, sellers: int = 2000, seed: int = 7) -> list[int]:
    return asyncio.run(_seed(url, listings, sellers, seed))
