"""Demo data for the embedded run: demo log-ins and a full season that lies ahead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts import service as accounts
from pitchaseat.accounts.models import User
from pitchaseat.catalog import schedule
from pitchaseat.catalog.models import Game, Stadium, Team


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


async def ensure_demo_users(session: AsyncSession) -> int:
    existing = set(await session.scalars(select(User.email)))
    created = 0
    for login in DEMO_LOGINS:
        if login.email not in existing:
            await accounts.register(
                session, email=login.email, password=login.password, display_name=login.display_name
            )
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


async def load_demo(session: AsyncSession, today: date) -> DemoSummary:
    season = schedule.first_season_ahead(today)
    users_created = await ensure_demo_users(session)
    games_created = await ensure_season(session, season)
    return DemoSummary(season, games_created, users_created)
