"""The month calendar's one-statement read gives what the response models would."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.catalog import service
from pitchaseat.catalog.schemas import CalendarDay, CalendarOut, GameOut
from tests.factories import make_game


async def test_calendar_bytes_match_the_response_models(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    await make_game(db_session, starts_at=datetime(2099, 5, 3, 10, 35, tzinfo=UTC))
    await make_game(db_session, starts_at=datetime(2099, 5, 3, 11, 5, tzinfo=UTC), home="UL")
    await make_game(db_session, starts_at=datetime(2099, 5, 20, 9, 0, 30, 250, tzinfo=UTC))
    team_id = (await service.list_teams(db_session))[0].id
    expected = {}
    for team in (None, team_id):
        days = await service.month_calendar(db_session, "2099-05", team_id=team)
        expected[team] = CalendarOut(
            month="2099-05",
            days=[
                CalendarDay(date=day, games=[GameOut.model_validate(g) for g in games])
                for day, games in days.items()
            ],
        ).model_dump(mode="json")

    everyone = await client.get("/api/v1/calendar", params={"month": "2099-05"})
    one_team = await client.get("/api/v1/calendar", params={"month": "2099-05", "team_id": team_id})

    assert everyone.json() == expected[None]
    assert one_team.json() == expected[team_id]
    assert sum(len(day["games"]) for day in everyone.json()["days"]) == 3


async def test_a_refused_calendar_query_gets_the_api_error(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/calendar", params={"month": "1999-01"})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_month"
