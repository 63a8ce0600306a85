"""Seat maps: drawn from the park's own areas, coloured by each area's lowest asking price,
each area a link that filters the game's list; the listing card and order page show where."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import unescape

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.catalog.models import SeatArea, SeatAreaSide, SeatAreaZone, Stadium
from pitchaseat.catalog.seatmap import AreaOffer, park_shapes, price_bands
from tests.factories import make_game, make_listing, make_user
from tests.support.orders import buy
from tests.web.test_pages import log_in_with_form

GAME_TIME = datetime(2099, 5, 9, 9, 5, tzinfo=UTC)  # Saturday 17:05 in Taipei
MAP_AREA = re.compile(
    r'<a href="([^"]+)" class="seatmap-area ([^"]*)"\s+data-area-code="([^"]+)" '
    r'data-count="(\d+)" data-lowest="(\d*)"'
)


def map_areas(html: str) -> dict[str, tuple[str, str, int]]:
    """Each map area's code -> (its link, its band class, its listing count)."""
    return {
        code: (unescape(href), classes.split()[0], int(count))
        for href, classes, code, count, _lowest in MAP_AREA.findall(html)
    }


def listing_areas(html: str) -> list[str]:
    return re.findall(r'<path d="[^"]+" class="here"/>', html)


async def park_area_codes(session: AsyncSession, park: str) -> list[str]:
    query = (
        select(SeatArea.code)
        .join(Stadium, Stadium.id == SeatArea.stadium_id)
        .where(Stadium.code == park)
        .order_by(SeatArea.sort_order)
    )
    return list(await session.scalars(query))


async def test_the_map_draws_every_area_of_the_park_and_nothing_else(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    game = await make_game(db_session, starts_at=GAME_TIME, home="WD", stadium="TPD")

    html = (await client.get(f"/games/{game.id}")).text

    drawn = map_areas(html)
    assert list(drawn) == await park_area_codes(db_session, "TPD")
    assert len(drawn) == 11
    listed = re.findall(r'<li><a href="[^"]+" data-area-code="([^"]+)"', html)
    assert sorted(listed) == sorted(drawn)


async def test_colours_follow_the_lowest_asking_price_of_each_area(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    game = await make_game(db_session, starts_at=GAME_TIME)  # Taichung
    seller = await make_user(db_session)
    for area, price in (
        ("outfield_left", 200),
        ("outfield_left", 350),
        ("infield_1b", 500),
        ("infield_3b", 620),
        ("home_plate", 1400),
    ):
        await make_listing(db_session, seller, game, seat_area=area, price=price)

    drawn = map_areas((await client.get(f"/games/{game.id}")).text)

    assert drawn["outfield_left"][1:] == ("band-1", 2)
    assert drawn["home_plate"][1:] == ("band-4", 1)
    assert (drawn["infield_1b"][1], drawn["infield_3b"][1]) == ("band-2", "band-3")
    assert drawn["outfield_right"][1:] == ("band-none", 0)


async def test_an_area_link_filters_the_list_to_that_area(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    game = await make_game(db_session, starts_at=GAME_TIME)
    seller = await make_user(db_session)
    left = await make_listing(db_session, seller, game, seat_area="outfield_left", price=250)
    await make_listing(db_session, seller, game, seat_area="infield_1b", price=450)
    page = await client.get(f"/games/{game.id}", params={"sort": "price_desc"})
    href = map_areas(page.text)["outfield_left"][0]

    filtered = await client.get(href.split("#")[0])

    assert "seat_area=outfield_left" in href and "sort=price_desc" in href
    ids = re.findall(r'data-listing-id="(\d+)"', filtered.text)
    assert ids == [str(left.id)]
    assert 'data-area-code="outfield_left" data-count="1" data-lowest="250"' in filtered.text
    assert re.search(
        r'class="seatmap-area band-\d selected"\s+data-area-code="outfield_left"', filtered.text
    )


async def test_each_listing_card_lights_its_own_area(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    game = await make_game(db_session, starts_at=GAME_TIME)
    seller = await make_user(db_session)
    await make_listing(db_session, seller, game, seat_area="infield_3b", price=300)
    shapes = {shape.code: shape.path for shape in park_shapes(await _areas(db_session, "TCH"))}

    html = (await client.get(f"/games/{game.id}")).text

    assert listing_areas(html) == [f'<path d="{shapes["infield_3b"]}" class="here"/>']


async def test_the_order_page_shows_where_the_seats_are(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    order = await buy(client, db_session)  # a first-base listing in Taichung
    shapes = {shape.code: shape.path for shape in park_shapes(await _areas(db_session, "TCH"))}
    await log_in_with_form(client, order.buyer_email)

    html = (await client.get(f"/orders/{order.id}")).text

    assert 'id="order-seat-location"' in html
    assert listing_areas(html) == [f'<path d="{shapes["infield_1b"]}" class="here"/>']


async def test_the_sell_form_opens_with_the_area_tapped_on_the_map(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    game = await make_game(db_session, starts_at=GAME_TIME, home="UL")  # Tainan
    seller = await make_user(db_session)
    await log_in_with_form(client, seller.email)
    form = await client.get("/sell", params={"game_id": game.id})
    href = map_areas(form.text)["home_gold"][0]

    picked = await client.get(href)

    assert href == f"/sell?game_id={game.id}&seat_area=home_gold"
    assert re.search(r'<option value="home_gold" data-face-value="\d+" selected>', picked.text)
    assert 'class="seatmap-area band-none selected"' in picked.text


async def _areas(session: AsyncSession, park: str) -> list[SeatArea]:
    query = (
        select(SeatArea)
        .join(Stadium, Stadium.id == SeatArea.stadium_id)
        .where(Stadium.code == park)
    )
    return list(await session.scalars(query))


def test_equal_lowest_prices_share_a_band_and_the_extremes_take_the_ends() -> None:
    offers = {
        "a": AreaOffer(count=1, lowest_price=300),
        "b": AreaOffer(count=4, lowest_price=300),
        "c": AreaOffer(count=2, lowest_price=800),
        "d": AreaOffer(count=1, lowest_price=2000),
    }

    bands = price_bands(offers)

    assert bands == {"a": 1, "b": 1, "c": 3, "d": 4}
    assert price_bands({"only": AreaOffer(count=1, lowest_price=999)}) == {"only": 1}
    assert price_bands({}) == {}


class _Area:
    def __init__(self, code: str, side: SeatAreaSide, level: int, order: int) -> None:
        self.code, self.side, self.level, self.sort_order = code, side, level, order
        self.name_zh = self.name_en = code
        self.zone = SeatAreaZone.infield
        self.face_value = 500


def test_areas_on_one_side_split_its_arc_and_an_upper_deck_lies_further_out() -> None:
    lower_a = _Area("a", SeatAreaSide.first, 1, 0)
    lower_b = _Area("b", SeatAreaSide.first, 1, 1)
    upper = _Area("c", SeatAreaSide.first, 2, 2)

    shapes = {shape.code: shape for shape in park_shapes([upper, lower_b, lower_a])}

    assert list(shapes) == ["a", "b", "c"]
    assert len({shape.path for shape in shapes.values()}) == 3
    # First base is to the right of the field: labels right of center; deck 2 further out.
    assert all(shape.label_x > 100 for shape in shapes.values())
    distance = {
        code: ((shape.label_x - 100) ** 2 + (shape.label_y - 100) ** 2) ** 0.5
        for code, shape in shapes.items()
    }
    assert distance["c"] > distance["a"] and distance["c"] > distance["b"]
    assert shapes["a"].label_y < shapes["b"].label_y  # map order runs toward home plate
