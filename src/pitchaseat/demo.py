"""Demo data for the embedded run: demo log-ins and a full season that lies ahead."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts import passwords
from pitchaseat.accounts import service as accounts
from pitchaseat.accounts.models import User
from pitchaseat.adapters.storage import ImageStorage
from pitchaseat.catalog import schedule
from pitchaseat.catalog.models import Game, SeatArea, Stadium, Team
from pitchaseat.demo_photos import seat_view
from pitchaseat.listings.models import DeliveryMethod, Listing, ListingStatus
from pitchaseat.listings.photo_service import attach_photo
from pitchaseat.listings.photos import process_photo
from pitchaseat.listings.service import refresh_game_summaries


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    display_name: str


DEMO_LOGINS = (
    DemoLogin("seller@demo.pitchaseat.tw", "Homerun-Seat-2027", "阿明（示範賣家）"),
    DemoLogin("buyer@demo.pitchaseat.tw", "Homerun-Seat-2027", "小美（示範買家）"),
)


@dataclass(frozen=True)
class DemoSummary:
    season: int
    games_created: int
    users_created: int
    listings_created: int = 0


async def ensure_demo_users(session: AsyncSession) -> int:
    existing = set(await session.scalars(select(User.email)))
    created = 0
    for login in DEMO_LOGINS:
        if login.email not in existing:
            user = await accounts.register(
                session, email=login.email, password=login.password, display_name=login.display_name
            )
            user.email_verified = True  # demo accounts sell from the first minute
            created += 1
    return created


async def ensure_season(session: AsyncSession, season: int) -> int:
    """Generates and stores ``season``'s schedule unless that season already has games."""
    if await session.scalar(select(func.count(Game.id)).where(Game.season == season)):
        return 0
    teams = list(await session.scalars(select(Team)))
    stadium_codes = dict((await session.execute(select(Stadium.id, Stadium.code))).all())
    stadium_ids = {code: stadium_id for stadium_id, code in stadium_codes.items()}
    team_ids = {team.code: team.id for team in teams}
    planned = schedule.generate_season(
        season,
        [team.code for team in teams],
        {team.code: stadium_codes[team.home_stadium_id] for team in teams},
        {
            team: plan
            for team, plan in schedule.SECONDARY_SERIES.items()
            if all(park in stadium_ids for park, _ in plan)
        },
    )
    session.add_all(
        Game(
            season=season,
            game_number=game.game_number,
            starts_at=game.starts_at,
            home_team_id=team_ids[game.home_team],
            away_team_id=team_ids[game.away_team],
            stadium_id=stadium_ids[game.stadium],
        )
        for game in planned
    )
    await session.flush()
    return len(planned)


DEMO_SELLERS = 12
DEMO_NOTES = (
    "臨時要加班，便宜讓給需要的球迷",
    "兩張連號，靠走道",
    "Can hand over at the gate an hour before first pitch",
    None,
    None,
)


DEMO_PHOTO_EVERY = 6  # one demo listing in six comes with a seat-view photo
DEMO_PHOTO_PIXELS = 4_000_000


async def _add_demo_photos(
    session: AsyncSession, listings: list[Listing], storage: ImageStorage, rng: random.Random
) -> None:
    """Seat-view pictures drawn for some listings, stored like a seller's upload."""
    areas = {area.id: area for area in await session.scalars(select(SeatArea))}
    colors = dict(
        (
            await session.execute(
                select(Game.id, Team.color).join(Team, Team.id == Game.home_team_id)
            )
        ).all()
    )
    for listing in listings[::DEMO_PHOTO_EVERY]:
        area = areas[listing.seat_area_id]
        picture = await asyncio.to_thread(
            seat_view, area.side, area.level, colors[listing.game_id], rng.randrange(10**6)
        )
        # Pictures we draw ourselves are small: the default pixel budget is plenty.
        photo = await asyncio.to_thread(process_photo, picture, max_pixels=DEMO_PHOTO_PIXELS)
        await attach_photo(session, listing, photo, storage=storage)


async def ensure_demo_listings(
    session: AsyncSession,
    season: int,
    seed: int = 2027,
    storage: ImageStorage | None = None,
) -> int:
    """Spreads realistic listings over the season (at or below face value, mixed areas),
    once: a season that already has listings is left alone."""
    game_ids = select(Game.id).where(Game.season == season)
    if await session.scalar(select(func.count(Listing.id)).where(Listing.game_id.in_(game_ids))):
        return 0
    rng = random.Random(seed)
    sellers = await _demo_sellers(session, rng)
    # The demo seller's log-in has tickets of its own, so the selling side can be tried too.
    demo_seller = await session.scalar(select(User).where(User.email == DEMO_LOGINS[0].email))
    if demo_seller is not None:
        sellers.append(demo_seller)
    games = list(await session.scalars(select(Game).where(Game.season == season)))
    areas_by_stadium: dict[int, list[SeatArea]] = {}
    for area in await session.scalars(select(SeatArea)):
        areas_by_stadium.setdefault(area.stadium_id, []).append(area)
    listings = []
    for game in games:
        for _ in range(rng.choice((0, 1, 2, 3, 4, 6, 8))):
            area = rng.choice(areas_by_stadium[game.stadium_id])
            face = area.face_value + rng.choice((0, 0, 50, 100))
            quantity = rng.choice((1, 2, 2, 2, 3, 4))
            listings.append(
                Listing(
                    game_id=game.id,
                    seller_id=rng.choice(sellers).id,
                    seat_area_id=area.id,
                    row=str(rng.randint(1, 25)),
                    seats=None,
                    quantity=quantity,
                    available_quantity=quantity,
                    face_value=face,
                    price=face - rng.choice((0, 0, 50, 100, 150)),
                    delivery_method=rng.choice(list(DeliveryMethod)),
                    note=rng.choice(DEMO_NOTES),
                    sell_together=quantity > 1 and rng.random() < 0.3,
                    status=ListingStatus.active,
                )
            )
    session.add_all(listings)
    await session.flush()
    if storage is not None:
        await _add_demo_photos(session, listings, storage, rng)
    await refresh_game_summaries(session, [game.id for game in games])
    return len(listings)


async def _demo_sellers(session: AsyncSession, rng: random.Random) -> list[User]:
    emails = [f"fan{n:02d}@demo.pitchaseat.tw" for n in range(1, DEMO_SELLERS + 1)]
    existing = {
        user.email: user
        for user in await session.scalars(select(User).where(User.email.in_(emails)))
    }
    # One real hash shared by the demo sellers keeps the demo fast to load.
    password_hash = await passwords.hash_password(DEMO_LOGINS[0].password)
    for n, email in enumerate(emails, start=1):
        if email not in existing:
            rated = rng.random() < 0.75
            count = rng.randint(2, 40) if rated else 0
            average = rng.uniform(3.6, 5.0)
            user = User(
                email=email,
                password_hash=password_hash,
                display_name=f"球迷{n:02d}",
                email_verified=True,
                rating_count=count,
                rating_sum=round(count * average),
                seller_score=round(average - 0.1, 2) if rated else None,
            )
            session.add(user)
            existing[email] = user
    await session.flush()
    return list(existing.values())


async def load_demo(
    session: AsyncSession, today: date, storage: ImageStorage | None = None
) -> DemoSummary:
    season = schedule.first_season_ahead(today)
    users_created = await ensure_demo_users(session)
    games_created = await ensure_season(session, season)
    listings_created = await ensure_demo_listings(session, season, storage=storage)
    return DemoSummary(season, games_created, users_created, listings_created)
