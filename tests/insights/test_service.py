"""Exact figures on a known data set: medians, windows by Taipei payment date, what counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.errors import NotFound
from pitchaseat.insights import service
from pitchaseat.listings.models import ListingStatus
from pitchaseat.orders.models import OrderStatus
from tests.factories import make_game, make_listing, make_user
from tests.insights.data import make_order

# 2099-03-31 23:59:59 and 2099-04-01 00:00:00 in Taipei.
LAST_SECOND_OF_MARCH = datetime(2099, 3, 31, 15, 59, 59, tzinfo=UTC)
FIRST_SECOND_OF_APRIL = datetime(2099, 3, 31, 16, 0, 0, tzinfo=UTC)
MID_APRIL = datetime(2099, 4, 10, tzinfo=UTC)
MAY_GAME = datetime(2099, 5, 2, 10, 35, tzinfo=UTC)


@pytest.mark.parametrize(
    ("weighted", "expected"),
    [
        ([(500, 1), (300, 1), (400, 1)], 400),
        ([(300, 1), (400, 1)], 350),
        ([(300, 1), (401, 1)], 351),
        ([(300, 3), (500, 1)], 300),
        ([(300, 2), (500, 2)], 400),
        ([(700, 0), (200, 1)], 200),
        ([], None),
    ],
)
def test_median_counts_each_ticket_and_rounds_an_even_middle_half_up(
    weighted: list[tuple[int, int]], expected: int | None
) -> None:
    assert service.median(weighted) == expected


async def test_unknown_game_has_no_price_stats(db_session: AsyncSession) -> None:
    with pytest.raises(NotFound):
        await service.game_prices(db_session, 2_000_000_000)


async def test_game_without_listings_or_sales_has_empty_price_stats(
    db_session: AsyncSession,
) -> None:
    game = await make_game(db_session, starts_at=MAY_GAME)

    prices = await service.game_prices(db_session, game.id)

    assert (prices.game_id, prices.by_seat_area, prices.traded) == (game.id, [], [])


async def test_asking_prices_per_seat_area_against_face_value(db_session: AsyncSession) -> None:
    seller = await make_user(db_session)
    game = await make_game(db_session, starts_at=MAY_GAME)
    await make_listing(db_session, seller, game, price=400, face_value=500, quantity=2)
    await make_listing(db_session, seller, game, price=450, face_value=500, quantity=1)
    await make_listing(db_session, seller, game, price=300, face_value=600, quantity=1)
    await make_listing(db_session, seller, game, seat_area="outfield_left", price=200, quantity=1)
    gone = await make_listing(db_session, seller, game, price=100, face_value=500)
    gone.status = ListingStatus.withdrawn
    await db_session.commit()

    prices = await service.game_prices(db_session, game.id)

    rows = [
        (
            row.seat_area.code,
            row.listing_count,
            row.ticket_count,
            row.min_price,
            row.median_price,
            row.max_price,
            row.median_face_value,
        )
        for row in prices.by_seat_area
    ]
    # infield_1b tickets: 300, 400, 400, 450 -> (400 + 400) / 2; faces 500, 500, 500, 600.
    assert rows == [
        ("infield_1b", 3, 4, 300, 400, 450, 500),
        ("outfield_left", 1, 1, 200, 200, 200, 500),
    ]


async def test_median_paid_per_taipei_payment_day_leaves_out_unpaid_and_refunded(
    db_session: AsyncSession,
) -> None:
    seller, buyer = await make_user(db_session), await make_user(db_session)
    game = await make_game(db_session, starts_at=MAY_GAME)
    listing = await make_listing(db_session, seller, game, price=500, quantity=10)
    march_31 = LAST_SECOND_OF_MARCH - timedelta(hours=2)
    await make_order(db_session, listing, buyer, unit_price=300, paid_at=march_31)
    await make_order(
        db_session,
        listing,
        buyer,
        unit_price=501,
        paid_at=LAST_SECOND_OF_MARCH,
        status=OrderStatus.completed,
    )
    await make_order(db_session, listing, buyer, unit_price=350, paid_at=FIRST_SECOND_OF_APRIL)
    await make_order(
        db_session,
        listing,
        buyer,
        unit_price=450,
        quantity=2,
        paid_at=FIRST_SECOND_OF_APRIL,
        status=OrderStatus.shipped,
    )
    await make_order(
        db_session,
        listing,
        buyer,
        unit_price=600,
        paid_at=FIRST_SECOND_OF_APRIL,
        status=OrderStatus.disputed,
    )
    for status in (OrderStatus.refunded, OrderStatus.cancelled, OrderStatus.pending_payment):
        await make_order(
            db_session, listing, buyer, unit_price=5, paid_at=FIRST_SECOND_OF_APRIL, status=status
        )

    prices = await service.game_prices(db_session, game.id)

    days = [(day.date.isoformat(), day.tickets, day.median_price) for day in prices.traded]
    # March 31: 300 and 501 -> 400.5, rounded half up. April 1: 350, 450, 450, 600 -> 450.
    assert days == [("2099-03-31", 2, 401), ("2099-04-01", 4, 450)]


async def _teams_data(session: AsyncSession) -> None:
    seller, buyer = await make_user(session), await make_user(session)
    ctbc_rm = await make_game(session, starts_at=MAY_GAME, home="CTBC", away="RM")
    ul_ctbc = await make_game(session, starts_at=MAY_GAME, home="UL", away="CTBC")
    first = await make_listing(session, seller, ctbc_rm, price=400, quantity=10)
    second = await make_listing(session, seller, ul_ctbc, price=300, quantity=10)
    await make_order(session, first, buyer, quantity=1, paid_at=LAST_SECOND_OF_MARCH)
    await make_order(session, first, buyer, quantity=2, paid_at=FIRST_SECOND_OF_APRIL)
    await make_order(session, second, buyer, quantity=3, paid_at=MID_APRIL)
    await make_order(
        session, second, buyer, quantity=4, paid_at=MID_APRIL, status=OrderStatus.refunded
    )


async def test_team_ranking_counts_by_taipei_payment_month_for_both_teams(
    db_session: AsyncSession,
) -> None:
    await _teams_data(db_session)

    april = await service.team_ranking(db_session, "2099-04")

    assert [(f.team.code, f.tickets_traded, f.amount_traded, f.rank) for f in april] == [
        ("CTBC", 5, 1700, 1),
        ("UL", 3, 900, 2),
        ("RM", 2, 800, 3),
        ("FG", 0, 0, 4),
        ("WD", 0, 0, 4),
        ("TSG", 0, 0, 4),
    ]


async def test_the_last_second_of_a_taipei_month_stays_in_that_month(
    db_session: AsyncSession,
) -> None:
    await _teams_data(db_session)

    march = await service.team_ranking(db_session, "2099-03")
    may = await service.team_ranking(db_session, "2099-05")  # the month the games are played

    assert [(f.team.code, f.tickets_traded, f.rank) for f in march[:3]] == [
        ("CTBC", 1, 1),
        ("RM", 1, 1),
        ("UL", 0, 3),
    ]
    assert {f.tickets_traded for f in may} == {0}


async def test_site_figures_all_time_and_this_taipei_month(db_session: AsyncSession) -> None:
    await _teams_data(db_session)
    seller = await make_user(db_session)
    started = await make_game(db_session, starts_at=MID_APRIL - timedelta(days=1))
    await make_listing(db_session, seller, started, price=250)

    site = await service.site_figures(db_session, now=MID_APRIL)

    assert (site.tickets_traded, site.amount_traded) == (6, 400 + 800 + 900)
    month = site.this_month
    assert (month.month, month.basis, month.tickets_traded, month.amount_traded) == (
        "2099-04",
        "payment_date",
        5,
        1700,
    )
    # The two May games' listings count; the game that already started does not.
    assert (site.active_listings, site.upcoming_games_with_listings) == (2, 2)


async def test_this_month_turns_at_taipei_midnight(db_session: AsyncSession) -> None:
    await _teams_data(db_session)

    march = await service.site_figures(db_session, now=LAST_SECOND_OF_MARCH)
    april = await service.site_figures(db_session, now=FIRST_SECOND_OF_APRIL)

    assert (march.this_month.month, march.this_month.tickets_traded) == ("2099-03", 1)
    assert (april.this_month.month, april.this_month.tickets_traded) == ("2099-04", 5)


async def test_trending_ranks_future_games_by_tickets_paid_in_the_last_week(
    db_session: AsyncSession,
) -> None:
    now = MID_APRIL
    seller, buyer = await make_user(db_session), await make_user(db_session)
    quiet = await make_game(db_session, starts_at=MAY_GAME)
    busy = await make_game(db_session, starts_at=MAY_GAME + timedelta(days=1))
    played = await make_game(db_session, starts_at=now - timedelta(hours=1))
    old_news = await make_game(db_session, starts_at=MAY_GAME)
    quiet_listing = await make_listing(db_session, seller, quiet, price=400, quantity=10)
    busy_listing = await make_listing(db_session, seller, busy, price=500, quantity=10)
    played_listing = await make_listing(db_session, seller, played, price=500, quantity=10)
    old_listing = await make_listing(db_session, seller, old_news, price=500, quantity=10)
    await make_order(db_session, quiet_listing, buyer, quantity=2, paid_at=now - timedelta(days=6))
    await make_order(db_session, busy_listing, buyer, unit_price=300, paid_at=now)
    await make_order(
        db_session, busy_listing, buyer, unit_price=450, quantity=2, paid_at=now - timedelta(days=1)
    )
    await make_order(
        db_session, busy_listing, buyer, unit_price=900, paid_at=now - timedelta(days=8)
    )
    await make_order(db_session, played_listing, buyer, quantity=9, paid_at=now)
    await make_order(db_session, old_listing, buyer, quantity=9, paid_at=now - timedelta(days=8))

    trending = await service.trending_prices(db_session, now=now)

    assert [(t.game.id, t.tickets_traded, t.rank, t.median_price) for t in trending] == [
        (busy.id, 3, 1, 450),
        (quiet.id, 2, 2, 400),
    ]
    assert await service.trending_games(db_session, now=now, limit=1) == [
        service.TrendingGame(busy.id, 3, 1)
    ]
