"""One posting, several tickets: each row becomes its own listing, all published together;
a bad row sends the whole form back with every row's input kept and nothing published."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import httpx
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.listings.models import Listing, ListingImage
from tests.factories import make_game, make_user
from tests.web.test_pages import csrf_of, log_in_with_form

GAME_TIME = datetime(2099, 6, 3, 10, 35, tzinfo=UTC)
ROWS = [
    {"seat_area": "infield_1b", "row": "8", "seats": "11-12", "quantity": "2"}
    | {"face_value": "650", "price": "600"},
    {"seat_area": "outfield_left", "row": "3", "seats": "40", "quantity": "1"}
    | {"face_value": "350", "price": "300"},
    {"seat_area": "home_plate", "row": "1", "seats": "5", "quantity": "1"}
    | {"face_value": "1500", "price": "1500"},
]


def posting(game_id: int, token: str, rows: list[dict[str, str]]) -> dict[str, str]:
    data = {"csrf_token": token, "game_id": str(game_id), "rows": str(len(rows))}
    data |= {"delivery_method": "e_ticket", "note": "同一位賣家"}
    for index, row in enumerate(rows):
        suffix = "" if index == 0 else f"_{index + 1}"
        data |= {f"{name}{suffix}": value for name, value in row.items()}
    return data


def jpeg(color: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (48, 32), color).save(out, "JPEG")
    return out.getvalue()


async def _sell_form(client: httpx.AsyncClient, session: AsyncSession) -> tuple[int, str]:
    game = await make_game(session, starts_at=GAME_TIME)
    seller = await make_user(session)
    await log_in_with_form(client, seller.email)
    form = await client.get("/sell", params={"game_id": game.id})
    return game.id, csrf_of(form.text)


async def _listings(session: AsyncSession, game_id: int) -> list[Listing]:
    query = select(Listing).where(Listing.game_id == game_id).order_by(Listing.id)
    return list(await session.scalars(query))


async def test_every_ticket_of_a_posting_becomes_its_own_listing(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    game_id, token = await _sell_form(client, db_session)

    response = await client.post(
        "/sell",
        data=posting(game_id, token, ROWS),
        files=[
            ("photos_2", ("left.jpg", jpeg((0, 90, 40)), "image/jpeg")),
            ("photos_3", ("vip1.jpg", jpeg((200, 10, 10)), "image/jpeg")),
            ("photos_3", ("vip2.jpg", jpeg((10, 10, 200)), "image/jpeg")),
        ],
    )

    assert response.status_code == 303
    listings = await _listings(db_session, game_id)
    assert [(item.row, item.seats, item.quantity, item.price) for item in listings] == [
        ("8", "11-12", 2, 600),
        ("3", "40", 1, 300),
        ("1", "5", 1, 1500),
    ]
    assert all(item.note == "同一位賣家" for item in listings)
    photos = dict(
        (
            await db_session.execute(
                select(ListingImage.listing_id, func.count(ListingImage.id)).group_by(
                    ListingImage.listing_id
                )
            )
        ).all()
    )
    assert photos == {listings[1].id: 1, listings[2].id: 2}


async def test_a_bad_row_publishes_nothing_and_keeps_every_row(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    game_id, token = await _sell_form(client, db_session)
    rows = [dict(row) for row in ROWS]
    rows[2]["price"] = "1800"  # above the face value: the law forbids it

    response = await client.post("/sell", data=posting(game_id, token, rows))

    html = response.text
    assert response.status_code == 422
    assert await _listings(db_session, game_id) == []
    assert re.search(r'name="price_3"[^>]*value="1800" aria-invalid="true"', html)
    assert 'id="price_3-error"' in html and "票面" in html
    for name, value in (("row", "8"), ("seats_2", "40"), ("face_value_3", "1500")):
        assert re.search(rf'name="{name}"[^>]*value="{value}"', html), name
    assert re.search(r'<option value="outfield_left" data-face-value="\d+" selected>', html)
    assert 'value="同一位賣家"' in html or ">同一位賣家</textarea>" in html


async def test_missing_boxes_are_named_on_their_own_row(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    game_id, token = await _sell_form(client, db_session)
    rows = [dict(ROWS[0]), dict(ROWS[1])]
    rows[1]["quantity"] = ""
    rows[1]["seat_area"] = ""

    response = await client.post("/sell", data=posting(game_id, token, rows))

    assert response.status_code == 422
    assert 'id="quantity_2-error"' in response.text and 'id="seat_area_2-error"' in response.text
    assert 'id="quantity-error"' not in response.text
    assert await _listings(db_session, game_id) == []


async def test_adding_a_ticket_keeps_what_was_typed(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    game_id, token = await _sell_form(client, db_session)
    data = posting(game_id, token, ROWS[:1]) | {"add_row": "1"}

    response = await client.post("/sell", data=data)

    assert response.status_code == 200
    assert 'name="rows" value="2"' in response.text
    assert 'name="seat_area_2"' in response.text
    assert re.search(r'name="seats"[^>]*value="11-12"', response.text)
    assert await _listings(db_session, game_id) == []


async def test_a_bad_photo_on_one_ticket_publishes_none_of_them(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    game_id, token = await _sell_form(client, db_session)

    response = await client.post(
        "/sell",
        data=posting(game_id, token, ROWS[:2]),
        files=[("photos_2", ("notes.jpg", b"not a picture at all", "image/jpeg"))],
    )

    assert response.status_code == 415
    assert 'id="photos_2-error"' in response.text
    assert await _listings(db_session, game_id) == []
    assert await db_session.scalar(select(func.count(ListingImage.id))) == 0
