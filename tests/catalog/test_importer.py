from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.catalog.importer import (
    ScheduleImportFailed,
    TeamRef,
    import_schedule,
)
from pitchaseat.catalog.models import Game

HEADER = "season,game_number,date,time,home_team,away_team,stadium\n"
TEAMS = {
    code: TeamRef(n, n) for n, code in enumerate(["CTBC", "UL", "RM", "FG", "WD", "TSG"], start=1)
}
STADIUMS = {code: n for n, code in enumerate(["TCH", "TNN", "TYN", "XZG", "TMU", "CCL"], start=1)}


async def count_games(session: AsyncSession) -> int:
    return await session.scalar(select(func.count(Game.id))) or 0


async def test_import_writes_every_game(
    db_session: AsyncSession, client: httpx.AsyncClient
) -> None:
    text = HEADER + "2099,1,2099-04-02,18:35,CTBC,RM,\n2099,2,2099-04-02,18:35,UL,FG,\n"

    result = await import_schedule(db_session, text)
    await db_session.commit()

    assert result.created == 2
    listed = await client.get("/api/v1/games", params={"date_from": "2099-04-02"})
    assert listed.json()["total"] == 2


async def test_import_with_a_bad_row_writes_nothing(db_session: AsyncSession) -> None:
    text = HEADER + "2099,1,2099-04-02,18:35,CTBC,RM,\n2099,2,2099-04-02,18:35,UL,NOPE,\n"

    with pytest.raises(ScheduleImportFailed) as failure:
        await import_schedule(db_session, text)

    assert failure.value.details["errors"] == [
        {"line": 3, "message": "unknown team code 'NOPE' in away_team"}
    ]
    assert await count_games(db_session) == 0


async def test_reimporting_an_existing_game_is_refused(db_session: AsyncSession) -> None:
    text = HEADER + "2099,1,2099-04-02,18:35,CTBC,RM,\n"
    await import_schedule(db_session, text)
    await db_session.commit()

    with pytest.raises(ScheduleImportFailed) as failure:
        await import_schedule(db_session, text)

    assert "already exists" in failure.value.details["errors"][0]["message"]
    assert await count_games(db_session) == 1
