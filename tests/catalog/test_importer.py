from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.catalog.importer import (
    ScheduleImportFailed,
    TeamRef,
    import_schedule,
    parse_schedule_csv,
    schedule_to_csv,
)
from pitchaseat.catalog.models import Game
from pitchaseat.catalog.schedule import generate_season

HEADER = "season,game_number,date,time,home_team,away_team,stadium\n"
TEAMS = {
    code: TeamRef(n, n) for n, code in enumerate(["CTBC", "UL", "RM", "FG", "WD", "TSG"], start=1)
}
STADIUMS = {code: n for n, code in enumerate(["TCH", "TNN", "TYN", "XZG", "TMU", "CCL"], start=1)}


def test_good_rows_parse_with_taipei_times_and_default_stadium() -> None:
    text = HEADER + "2099,1,2099-04-02,18:35,CTBC,RM,\n2099,2,2099-04-02,18:35,UL,FG,TMU\n"

    parsed = parse_schedule_csv(text, TEAMS, STADIUMS)

    assert parsed.errors == []
    first, second = parsed.games
    assert first.starts_at.isoformat() == "2099-04-02T10:35:00+00:00"
    assert first.stadium_id == TEAMS["CTBC"].home_stadium_id
    assert second.stadium_id == STADIUMS["TMU"]


def test_every_bad_row_is_reported_with_its_line_number() -> None:
    text = HEADER + (
        "2099,1,2099-04-02,18:35,CTBC,RM,\n"  # line 2: fine
        "2099,2,2099-02-30,18:35,UL,FG,\n"  # line 3: no such date
        "2099,3,2099-04-03,18:35,XXX,FG,\n"  # line 4: unknown team
        "2099,4,2099-04-03,18:35,UL,UL,\n"  # line 5: plays itself
        "2099,1,2099-04-04,18:35,WD,TSG,\n"  # line 6: repeats game 1
        "2099,6,2099-04-02,17:05,CTBC,WD,\n"  # line 7: CTBC already plays that day
        "2099,7,2099-04-05,18:35,WD,TSG,ZZZ\n"  # line 8: unknown stadium
        "2099,x,2099-04-05,18:35,RM,UL,\n"  # line 9: game number not a number
        "2099,9,2099-04-05,18:35,RM\n"  # line 10: too few columns
    )

    parsed = parse_schedule_csv(text, TEAMS, STADIUMS)

    assert sorted({line for line, _ in parsed.errors}) == [3, 4, 5, 6, 7, 8, 9, 10]


def test_missing_header_column_is_reported_on_line_1() -> None:
    parsed = parse_schedule_csv("season,date\n2099,2099-04-02\n", TEAMS, STADIUMS)

    assert parsed.errors[0][0] == 1
    assert "game_number" in parsed.errors[0][1]


def test_byte_order_mark_is_accepted() -> None:
    parsed = parse_schedule_csv(
        "\ufeff" + HEADER + "2099,1,2099-04-02,18:35,CTBC,RM,\n", TEAMS, STADIUMS
    )

    assert parsed.errors == []
    assert len(parsed.games) == 1


def test_exported_season_parses_back_unchanged() -> None:
    homes = {"CTBC": "TCH", "UL": "TNN", "RM": "TYN", "FG": "XZG", "WD": "TMU", "TSG": "CCL"}
    season = generate_season(2099, list(homes), homes)

    parsed = parse_schedule_csv(schedule_to_csv(season), TEAMS, STADIUMS)

    assert parsed.errors == []
    assert [g.starts_at for g in parsed.games] == [g.starts_at for g in season]


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
