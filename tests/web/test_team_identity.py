"""Each club's short name and colour, so a fan finds their team at a glance."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import make_game

GAME_TIME = datetime(2099, 7, 7, 10, 35, tzinfo=UTC)


async def test_calendar_cells_show_short_names_in_club_colours(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    await make_game(db_session, starts_at=GAME_TIME, home="UL", away="TSG")

    zh = (await client.get("/", params={"month": "2099-07"})).text
    en = (await client.get("/", params={"month": "2099-07", "lang": "en"})).text

    cell = zh.split('data-date="2099-07-07"')[1].split("</td>")[0]
    assert '<span class="team-short">台鋼</span>' in cell
    assert '<span class="team-short">統一</span>' in cell
    assert 'fill="#F26B1D"' in cell and 'fill="#0F5C3E"' in cell
    assert "統一7-ELEVEn獅" not in cell
    assert '<span class="team-short">Hawks</span>' in en


async def test_the_game_page_carries_both_clubs_colours(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    game = await make_game(db_session, starts_at=GAME_TIME, home="FG", away="WD")

    html = (await client.get(f"/games/{game.id}")).text

    stripe = html.split('class="team-stripe"')[1].split("</svg>")[0]
    assert stripe.index('fill="#D7192D"') < stripe.index('fill="#0B4EA2"')  # away, then home
