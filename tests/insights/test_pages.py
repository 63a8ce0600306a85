"""The charts on the pages: drawn in SVG, with the numbers in the DOM and a table beside."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import make_game, make_listing, make_user
from tests.insights.data import make_order


@pytest.fixture
async def game_id(db_session: AsyncSession) -> int:
    seller, buyer = await make_user(db_session), await make_user(db_session)
    game = await make_game(db_session, home="UL", away="TSG")
    listing = await make_listing(db_session, seller, game, price=420, face_value=500, quantity=5)
    await make_order(db_session, listing, buyer, quantity=2, paid_at=datetime.now(UTC))
    return game.id


def values(html: str, pattern: str) -> list[str]:
    return re.findall(pattern, html)


async def test_home_page_shows_the_market_figures(client: httpx.AsyncClient, game_id: int) -> None:
    response = await client.get("/")

    html = response.text
    assert response.status_code == 200
    assert 'data-stat="tickets_traded" data-value="2"' in html
    assert 'data-stat="amount_traded" data-value="840"' in html
    assert 'data-stat="active_listings" data-value="1"' in html
    assert values(html, r'<g class="bar" data-label="[^"]*@[^"]*" data-value="(\d+)"') == ["420"]
    assert '<svg class="chart-svg" viewBox="0 0 360' in html
    assert 'class="visually-hidden"' in html
    assert "依付款日計算" in html
    assert "<script>" not in html


async def test_team_chart_uses_team_colours(client: httpx.AsyncClient, game_id: int) -> None:
    html = (await client.get("/")).text

    assert 'data-label="統一" data-value="2"' in html  # the short name fans use
    assert 'fill="#F26B1D"' in html


async def test_game_page_shows_the_price_picture(client: httpx.AsyncClient, game_id: int) -> None:
    html = (await client.get(f"/games/{game_id}")).text

    assert 'data-seat-area="infield_1b" data-value="420"' in html
    assert 'data-face-value="500"' in html
    assert values(html, r'class="point"[^>]*data-value="(\d+)"') == ["420"]


async def test_game_page_without_sales_says_so(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    game = await make_game(db_session)

    html = (await client.get(f"/games/{game.id}")).text

    assert 'id="price-stats"' in html
    assert html.count('class="muted chart-empty"') == 2


async def test_english_page(client: httpx.AsyncClient, game_id: int) -> None:
    html = (await client.get("/?lang=en")).text

    assert "Counted by payment date" in html
    assert "Tickets traded per team" in html


async def test_stats_page_of_a_month(client: httpx.AsyncClient, game_id: int) -> None:
    month = datetime.now(UTC).strftime("%Y-%m")
    response = await client.get("/stats", params={"month": "2099-02"})

    assert response.status_code == 200
    assert 'data-month="2099-02"' in response.text
    assert 'href="/stats?month=2099-01"' in response.text
    assert month  # the current month is the default


@pytest.mark.parametrize("month", ["2099-13", "x", "1999-01"])
async def test_stats_page_refuses_a_bad_month(client: httpx.AsyncClient, month: str) -> None:
    response = await client.get("/stats", params={"month": month}, headers={"accept": "text/html"})

    assert response.status_code == 422
