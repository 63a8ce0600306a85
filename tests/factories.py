"""Test data builders. They write through the services, as the app does."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts import service as accounts
from pitchaseat.accounts.models import User
from pitchaseat.catalog.models import Game, Stadium, Team
from pitchaseat.ledger.payout_accounts import NewPayoutAccount, set_payout_account
from pitchaseat.listings import service as listings
from pitchaseat.listings.models import DeliveryMethod, Listing

DEFAULT_PASSWORD = "Outfield-9-Seats"
TEST_SECRET = "test-secret"  # the key payout numbers are encrypted with in tests
_sequence = itertools.count(1)


async def make_user(
    session: AsyncSession,
    *,
    email: str | None = None,
    password: str = DEFAULT_PASSWORD,
    display_name: str | None = None,
    verified: bool = True,
) -> User:
    """A fan; with a proven email address unless ``verified=False`` (selling needs one)."""
    n = next(_sequence)
    user = await accounts.register(
        session,
        email=email or f"fan{n}@example.com",
        password=password,
        display_name=display_name or f"Fan {n}",
    )
    user.email_verified = verified
    await session.commit()
    return user


async def give_payout_account(session: AsyncSession, user_id: int) -> None:
    """A bank account for the seller's payouts (payouts are refused without one)."""
    await set_payout_account(
        session,
        user_id,
        NewPayoutAccount("004", f"{user_id:012d}", "Test Seller"),
        secret_key=TEST_SECRET,
    )


async def login_headers(
    client: httpx.AsyncClient, email: str, password: str = DEFAULT_PASSWORD
) -> dict[str, str]:
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def team_by_code(session: AsyncSession, code: str) -> Team:
    team = await session.scalar(select(Team).where(Team.code == code))
    assert team is not None
    return team


async def make_game(
    session: AsyncSession,
    *,
    starts_at: datetime | None = None,
    home: str = "CTBC",
    away: str = "RM",
    season: int = 2099,
    game_number: int | None = None,
    stadium: str | None = None,
) -> Game:
    home_team = await team_by_code(session, home)
    away_team = await team_by_code(session, away)
    park = (
        await session.scalar(select(Stadium.id).where(Stadium.code == stadium)) if stadium else None
    )
    game = Game(
        season=season,
        game_number=game_number or next(_sequence),
        starts_at=starts_at or datetime.now(UTC) + timedelta(days=30),
        home_team_id=home_team.id,
        away_team_id=away_team.id,
        stadium_id=park or home_team.home_stadium_id,
    )
    session.add(game)
    await session.commit()
    return game


async def make_listing(
    session: AsyncSession,
    seller: User,
    game: Game,
    *,
    seat_area: str = "infield_1b",
    quantity: int = 2,
    face_value: int | None = None,
    price: int = 450,
    delivery_method: DeliveryMethod = DeliveryMethod.e_ticket,
    sell_together: bool = False,
) -> Listing:
    listing = await listings.create_listing(
        session,
        seller,
        listings.NewListing(
            game_id=game.id,
            seat_area=seat_area,
            quantity=quantity,
            face_value=face_value if face_value is not None else max(500, price),
            price=price,
            delivery_method=delivery_method,
            sell_together=sell_together,
        ),
    )
    await session.commit()
    return listing


def listing_body(game_id: int, **changes: object) -> dict[str, object]:
    """What POST /api/v1/listings takes, for tests that list through the API."""
    body: dict[str, object] = {
        "game_id": game_id,
        "seat_area": "infield_1b",
        "quantity": 1,
        "face_value": 600,
        "price": 500,
        "delivery_method": "e_ticket",
    }
    return {**body, **changes}
