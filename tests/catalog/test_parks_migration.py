"""Migration 0013 replaces the generic seat areas with each park's real ones: everything that
stood on an old area lands on a new one, and nothing is lost."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from pitchaseat.db import UtcDateTime
from pitchaseat.migrate import upgrade_database
from tests.conftest import BACKENDS, RUN_ID
from tests.support.databases import DatabasePlan, create_migrated, drop, plan_database

BEFORE = "0011"  # the revision before 0013
NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)

users = sa.table(
    "users",
    sa.column("email"),
    sa.column("password_hash"),
    sa.column("display_name"),
    sa.column("is_operator"),
    sa.column("created_at", UtcDateTime()),
    sa.column("updated_at", UtcDateTime()),
)
games = sa.table(
    "games",
    sa.column("season"),
    sa.column("game_number"),
    sa.column("starts_at", UtcDateTime()),
    sa.column("home_team_id"),
    sa.column("away_team_id"),
    sa.column("stadium_id"),
    sa.column("status"),
    sa.column("listing_count"),
    sa.column("created_at", UtcDateTime()),
)
listings = sa.table(
    "listings",
    sa.column("game_id"),
    sa.column("seller_id"),
    sa.column("seat_area_id"),
    sa.column("quantity"),
    sa.column("available_quantity"),
    sa.column("face_value"),
    sa.column("price"),
    sa.column("delivery_method"),
    sa.column("sell_together"),
    sa.column("status"),
    sa.column("created_at", UtcDateTime()),
    sa.column("updated_at", UtcDateTime()),
)
orders = sa.table(
    "orders",
    sa.column("buyer_id"),
    sa.column("seller_id"),
    sa.column("listing_id"),
    sa.column("game_id"),
    sa.column("quantity"),
    sa.column("unit_price"),
    sa.column("amount"),
    sa.column("status"),
    sa.column("hold_expires_at", UtcDateTime()),
    sa.column("created_at", UtcDateTime()),
    sa.column("updated_at", UtcDateTime()),
)
reservations = sa.table(
    "reservations",
    sa.column("user_id"),
    sa.column("game_id"),
    sa.column("quantity"),
    sa.column("created_at", UtcDateTime()),
)
reservation_areas = sa.table(
    "reservation_seat_areas", sa.column("reservation_id"), sa.column("seat_area_id")
)


@pytest.fixture(params=BACKENDS)
async def old_database(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[DatabasePlan]:
    planned = plan_database(request.param, f"pas_parks_{RUN_ID}", tmp_path)
    try:
        await create_migrated(planned, BEFORE)
    except OSError as error:
        pytest.skip(f"{request.param} is not reachable: {error}")
    yield planned
    await drop(planned)


async def _ids(connection: AsyncConnection, query: str) -> dict[str, int]:
    return dict((await connection.execute(sa.text(query))).all())  # type: ignore[arg-type]


async def _seed(connection: AsyncConnection) -> None:
    """Before 0013: one game per park, a listing on each of the seven generic areas, an order on
    each listing, and a reservation naming all seven areas (so two fold into one)."""
    stadiums = await _ids(connection, "SELECT code, id FROM stadiums")
    teams = await _ids(connection, "SELECT code, home_stadium_id FROM teams")
    team_ids = await _ids(connection, "SELECT code, id FROM teams")
    stamp = {"created_at": NOW, "updated_at": NOW}
    await connection.execute(
        users.insert(),
        [
            {"email": f"u{n}@x.tw", "password_hash": "x", "display_name": f"u{n}"}
            | {"is_operator": False}
            | stamp
            for n in (1, 2)
        ],
    )
    seller, buyer = (await _ids(connection, "SELECT email, id FROM users")).values()
    codes = list(team_ids)
    for number, (team, stadium_id) in enumerate(teams.items(), start=1):
        await connection.execute(
            games.insert(),
            {
                "season": 2099,
                "game_number": number,
                "starts_at": NOW + timedelta(days=number),
                "home_team_id": team_ids[team],
                "away_team_id": team_ids[codes[number % len(codes)]],
                "stadium_id": stadium_id,
                "status": "scheduled",
                "listing_count": 0,
                "created_at": NOW,
            },
        )
    game_by_stadium = await _ids(connection, "SELECT stadium_id, id FROM games")
    areas = (await connection.execute(sa.text("SELECT id, stadium_id FROM seat_areas"))).all()
    assert len(areas) == 7 * len(stadiums)
    await connection.execute(
        listings.insert(),
        [
            {
                "game_id": game_by_stadium[stadium_id],
                "seller_id": seller,
                "seat_area_id": area_id,
                "quantity": 2,
                "available_quantity": 1,
                "face_value": 500,
                "price": 400,
                "delivery_method": "e_ticket",
                "sell_together": False,
                "status": "active",
            }
            | stamp
            for area_id, stadium_id in areas
        ],
    )
    rows = (await connection.execute(sa.text("SELECT id, game_id FROM listings"))).all()
    await connection.execute(
        orders.insert(),
        [
            {
                "buyer_id": buyer,
                "seller_id": seller,
                "listing_id": listing_id,
                "game_id": game_id,
                "quantity": 1,
                "unit_price": 400,
                "amount": 400,
                "status": "paid",
                "hold_expires_at": NOW,
            }
            | stamp
            for listing_id, game_id in rows
        ],
    )
    for stadium_id, game_id in game_by_stadium.items():
        await connection.execute(
            reservations.insert(),
            {"user_id": buyer, "game_id": game_id, "quantity": 1, "created_at": NOW},
        )
        reservation_id = await connection.scalar(
            sa.text("SELECT id FROM reservations WHERE game_id = :game"), {"game": game_id}
        )
        await connection.execute(
            reservation_areas.insert(),
            [
                {"reservation_id": reservation_id, "seat_area_id": area_id}
                for area_id, area_stadium in areas
                if area_stadium == stadium_id
            ],
        )


COUNTS = {
    "listings": "SELECT COUNT(*) FROM listings",
    "orders": "SELECT COUNT(*) FROM orders",
    "reservations": "SELECT COUNT(*) FROM reservations",
    "tickets": "SELECT SUM(quantity) + SUM(available_quantity) FROM listings",
    "order_listings": "SELECT COUNT(*) FROM orders o JOIN listings l ON l.id = o.listing_id",
}


async def _area_ids(connection: AsyncConnection) -> dict[tuple[str, str], int]:
    rows = await connection.execute(
        sa.text(
            "SELECT s.code, a.code, a.id FROM seat_areas a JOIN stadiums s ON s.id = a.stadium_id"
        )
    )
    return {(park, code): area_id for park, code, area_id in rows}


async def _counts(connection: AsyncConnection) -> dict[str, int]:
    return {name: int(await connection.scalar(sa.text(sql)) or 0) for name, sql in COUNTS.items()}


async def test_listings_orders_and_reservations_land_on_the_new_areas(
    old_database: DatabasePlan,
) -> None:
    engine = create_async_engine(old_database.url)
    try:
        async with engine.begin() as connection:
            await _seed(connection)
            before = await _counts(connection)
            old_areas = await _area_ids(connection)
        await asyncio.to_thread(upgrade_database, old_database.url, "0013")
        async with engine.connect() as connection:
            after = await _counts(connection)
            new_areas = await _area_ids(connection)
            names = dict(
                (await connection.execute(sa.text("SELECT id, name_en FROM seat_areas"))).all()
            )
            on_wrong_park = await connection.scalar(
                sa.text(
                    "SELECT COUNT(*) FROM listings l JOIN games g ON g.id = l.game_id"
                    " JOIN seat_areas a ON a.id = l.seat_area_id"
                    " WHERE a.stadium_id <> g.stadium_id"
                )
            )
            listing_areas = set(
                await connection.scalars(sa.text("SELECT seat_area_id FROM listings"))
            )
            reserved = (
                await connection.execute(
                    sa.text(
                        "SELECT r.id, COUNT(ra.seat_area_id) FROM reservations r"
                        " JOIN reservation_seat_areas ra ON ra.reservation_id = r.id"
                        " GROUP BY r.id"
                    )
                )
            ).all()
            reserved_areas = set(
                await connection.scalars(sa.text("SELECT seat_area_id FROM reservation_seat_areas"))
            )
            tainan_infield = await connection.scalar(
                sa.text(
                    "SELECT COUNT(*) FROM listings l JOIN seat_areas a ON a.id = l.seat_area_id"
                    " JOIN stadiums s ON s.id = a.stadium_id"
                    " WHERE s.code = 'TNN' AND a.code = 'infield_1b'"
                )
            )
    finally:
        await engine.dispose()

    new_ids = set(new_areas.values())
    folded = {
        (park, code) for park in ("TNN", "TMU") for code in ("infield_1b_upper", "infield_3b_upper")
    }
    assert after == before
    assert listing_areas <= new_ids and reserved_areas <= new_ids
    assert on_wrong_park == 0
    # Parks without an upper deck fold those generic areas into the same side's infield.
    assert {key for key in old_areas if key not in new_areas} == folded
    assert tainan_infield == 2
    # Areas a park keeps keep their rows and take the park's real names.
    assert new_areas["TNN", "home_plate"] == old_areas["TNN", "home_plate"]
    assert names[new_areas["TNN", "home_plate"]] == "Diamond Seats"
    assert ("TPD", "home_upper") in new_areas
    # The reservation naming all seven areas names the five left where two folded.
    assert sorted(count for _, count in reserved) == [5, 5, 7, 7, 7, 7]
