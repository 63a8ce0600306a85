from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.async_api import Page, expect

from pitchaseat.accounts import service as accounts
from pitchaseat.db import create_engine, create_session_factory
from pitchaseat.listings import service as listings
from pitchaseat.listings.models import DeliveryMethod
from pitchaseat.orders.models import OrderStatus
from tests.browser.conftest import screenshot
from tests.insights.data import make_order

pytestmark = pytest.mark.browser
PASSWORD = "Changeup-Seats-2099"


async def _seed_sales(url: str) -> None:
    """Game 1 (the known game): two areas on offer; five tickets paid for on two days."""
    engine = create_engine(url)
    async with create_session_factory(engine)() as session:
        seller = await accounts.register(
            session, email="chart.seller@example.com", password=PASSWORD, display_name="賣家"
        )
        seller.email_verified = True  # selling needs a proven address
        buyer = await accounts.register(
            session, email="chart.buyer@example.com", password=PASSWORD, display_name="買家"
        )
        offers = {}
        for area, price, face in (("infield_1b", 450, 500), ("outfield_left", 250, 300)):
            offers[area] = await listings.create_listing(
                session,
                seller,
                listings.NewListing(
                    game_id=1,
                    seat_area=area,
                    quantity=10,
                    face_value=face,
                    price=price,
                    delivery_method=DeliveryMethod.e_ticket,
                ),
            )
        await session.commit()
        today = datetime.now(UTC)
        yesterday = today - timedelta(days=1)
        infield = offers["infield_1b"]
        await make_order(session, infield, buyer, unit_price=400, paid_at=yesterday)
        await make_order(session, infield, buyer, unit_price=500, paid_at=yesterday)
        await make_order(session, infield, buyer, unit_price=450, quantity=3, paid_at=today)
        await make_order(
            session, infield, buyer, unit_price=9, paid_at=today, status=OrderStatus.refunded
        )
    await engine.dispose()


async def test_home_and_game_charts_read_back_from_the_page(
    page: Page, server_url: str, browser_database: object, database: object
) -> None:
    await _seed_sales(browser_database.url)  # type: ignore[attr-defined]

    await page.goto(f"{server_url}/?month=2099-04")
    summary = page.locator("#market-summary")
    await expect(summary).to_be_visible()
    stats = await summary.locator("[data-stat]").evaluate_all(
        "tiles => Object.fromEntries(tiles.map(t => [t.dataset.stat, Number(t.dataset.value)]))"
    )
    assert stats["tickets_traded"] == 5
    assert stats["amount_traded"] == 400 + 500 + 1350
    assert (stats["active_listings"], stats["upcoming_games_with_listings"]) == (2, 1)
    trending = await page.locator("#trending-prices-chart g.bar").evaluate_all(
        "bars => bars.map(bar => Number(bar.dataset.value))"
    )
    assert trending == [450]  # tickets at 400, 450, 450, 450, 500
    teams = await page.locator("#team-ranking-chart g.bar").evaluate_all(
        "bars => bars.map(bar => [bar.dataset.label, Number(bar.dataset.value),"
        " bar.querySelector('rect').getAttribute('fill')])"
    )
    # Game 1 is CTBC at home to TSG: its tickets count for both (labelled by short name).
    assert [(label, value) for label, value, _fill in teams[:2]] == [
        ("兄弟", 5),
        ("台鋼", 5),
    ]
    assert len({fill for _label, _value, fill in teams}) == 6  # each team in its own colour
    width = await page.locator("#team-ranking-chart svg").evaluate("svg => svg.clientWidth")
    assert width <= 390  # fits the phone
    await screenshot(page, f"market-home-{database.backend}")  # type: ignore[attr-defined]

    await page.goto(f"{server_url}/games/1")
    ranges = await page.locator("#asking-prices-chart g.price-range").evaluate_all(
        "rows => rows.map(row => [row.dataset.seatArea, Number(row.dataset.value),"
        " Number(row.dataset.faceValue)])"
    )
    assert ranges == [["infield_1b", 450, 500], ["outfield_left", 250, 300]]
    points = await page.locator("#traded-prices-chart circle.point").evaluate_all(
        "points => points.map(p => [Number(p.dataset.tickets), Number(p.dataset.value)])"
    )
    assert points == [[2, 450], [3, 450]]
    await expect(page.locator("#traded-prices-chart .visually-hidden tbody tr")).to_have_count(2)
    await page.locator("#price-stats").scroll_into_view_if_needed()
    await screenshot(page, f"market-game-{database.backend}")  # type: ignore[attr-defined]
