"""Every page form sent with bad input comes back as the same form: status 4xx, the input kept,
and the message beside the field it is about (never a bare error page)."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.catalog.models import SeatArea
from tests.factories import make_game, make_listing, make_user
from tests.web.test_pages import csrf_of, log_in_with_form


def field_message(html: str, name: str) -> str:
    """The text of the message tied to field ``name`` (empty when there is none)."""
    match = re.search(rf'<span class="field-error" id="{name}-error">([^<]+)</span>', html)
    return match.group(1) if match else ""


def is_marked(html: str, name: str) -> bool:
    """The control is flagged invalid and points screen readers at its message."""
    tag = re.search(rf'<(input|select|textarea)[^>]*name="{name}"[^>]*>', html)
    return bool(
        tag
        and 'aria-invalid="true"' in tag.group(0)
        and re.search(rf'aria-describedby="[^"]*{name}-error', tag.group(0))
        and field_message(html, name)
    )


async def _form(client: httpx.AsyncClient, path: str) -> str:
    return csrf_of((await client.get(path)).text)


async def _sign_up(client: httpx.AsyncClient, **fields: str) -> httpx.Response:
    token = await _form(client, "/register")
    return await client.post("/register", data={"csrf_token": token, **fields})


async def test_sign_up_with_a_bad_email_keeps_the_name_and_marks_the_email(
    client: httpx.AsyncClient,
) -> None:
    response = await _sign_up(
        client, email="not-an-email", display_name="投手丘", password="Sinker-2099-ok"
    )

    assert response.status_code == 422
    assert 'value="投手丘"' in response.text and 'value="not-an-email"' in response.text
    assert is_marked(response.text, "email")
    assert field_message(response.text, "email")
    assert not field_message(response.text, "display_name")


async def test_a_weak_password_is_explained_beside_the_password(
    client: httpx.AsyncClient,
) -> None:
    response = await _sign_up(
        client, email="weak.two@example.com", display_name="Weak", password="aaaaaaaaaa"
    )

    assert response.status_code == 422
    assert is_marked(response.text, "password")
    assert 'value="weak.two@example.com"' in response.text


async def test_sign_up_logs_in_and_sends_the_fan_on_after_picking_teams(
    client: httpx.AsyncClient,
) -> None:
    token = await _form(client, "/register?next=/days/2099-04-04")

    registered = await client.post(
        "/register",
        data={
            "csrf_token": token,
            "email": "next.fan@example.com",
            "display_name": "Next Fan",
            "password": "Changeup-2099-ok",
            "next": "/days/2099-04-04",
        },
    )
    welcome = await client.get(registered.headers["location"])
    saved = await client.post(
        "/profile",
        data={
            "csrf_token": csrf_of(welcome.text),
            "display_name": "Next Fan",
            "favorite_team_ids": ["1"],
            "next": "/days/2099-04-04",
        },
    )

    assert registered.status_code == 303
    assert 'class="user-name"' in welcome.text and 'name="favorite_team_ids"' in welcome.text
    assert saved.headers["location"] == "/days/2099-04-04"


async def test_a_wrong_password_keeps_the_email(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    user = await make_user(db_session)
    token = await _form(client, "/login")

    response = await client.post(
        "/login", data={"csrf_token": token, "email": user.email, "password": "Wrong-2099-pw"}
    )

    assert response.status_code == 401
    assert f'value="{user.email}"' in response.text
    assert 'role="alert"' in response.text


async def test_a_blank_display_name_keeps_the_phone_and_teams(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    user = await make_user(db_session)
    await log_in_with_form(client, user.email)
    token = await _form(client, "/profile")

    response = await client.post(
        "/profile",
        data={
            "csrf_token": token,
            "display_name": "",
            "phone": "0911222333",
            "favorite_team_ids": ["3"],
        },
    )

    assert response.status_code == 422
    assert 'value="0911222333"' in response.text
    assert 'value="3" checked' in response.text
    assert is_marked(response.text, "display_name")


async def test_a_price_above_face_value_comes_back_on_the_sell_form(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    seller = await make_user(db_session)
    game = await make_game(db_session)
    area = await db_session.scalar(
        select(SeatArea.code).where(SeatArea.stadium_id == game.stadium_id).limit(1)
    )
    await log_in_with_form(client, seller.email)
    token = await _form(client, f"/sell?game_id={game.id}")

    response = await client.post(
        "/sell",
        data={
            "csrf_token": token,
            "game_id": str(game.id),
            "seat_area": area,
            "row": "12",
            "quantity": "2",
            "face_value": "600",
            "price": "900",
            "delivery_method": "e_ticket",
            "note": "靠走道",
        },
    )

    assert response.status_code == 422
    assert is_marked(response.text, "price")
    assert field_message(response.text, "price")
    assert 'value="900"' in response.text and "靠走道" in response.text
    assert 'value="12"' in response.text


async def test_selling_without_a_game_offers_the_game_picker_again(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    seller = await make_user(db_session)
    await log_in_with_form(client, seller.email)
    token = await _form(client, "/sell")

    response = await client.post("/sell", data={"csrf_token": token, "game_id": "x"})

    assert response.status_code == 422
    assert 'id="game-picker"' in response.text and field_message(response.text, "game_id")


async def test_a_refused_listing_edit_keeps_what_was_typed(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    seller = await make_user(db_session)
    listing = await make_listing(db_session, seller, await make_game(db_session), price=450)
    await log_in_with_form(client, seller.email)
    token = await _form(client, "/me/listings")

    response = await client.post(
        f"/me/listings/{listing.id}",
        data={"csrf_token": token, "price": "99999", "quantity": "2", "note": "改價"},
    )

    assert response.status_code == 422
    assert 'value="99999"' in response.text and 'value="改價"' in response.text
    assert is_marked(response.text, "price")


async def test_a_bad_price_filter_is_marked_and_the_list_still_shows(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    seller = await make_user(db_session)
    game = await make_game(db_session)
    await make_listing(db_session, seller, game)

    response = await client.get(f"/games/{game.id}", params={"min_price": "abc"})

    assert response.status_code == 422
    assert is_marked(response.text, "min_price") and 'value="abc"' in response.text
    assert 'class="card listing"' in response.text


async def test_a_bad_alert_price_comes_back_on_the_alert_form(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    fan = await make_user(db_session)
    game = await make_game(db_session)
    await log_in_with_form(client, fan.email)
    token = await _form(client, f"/games/{game.id}")

    response = await client.post(
        f"/games/{game.id}/reserve", data={"csrf_token": token, "max_price": "cheap"}
    )

    assert response.status_code == 422
    assert 'id="reserve-form"' in response.text and 'value="cheap"' in response.text
    assert is_marked(response.text, "max_price")


async def test_a_filtered_list_says_how_many_match_of_how_many(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    seller = await make_user(db_session)
    game = await make_game(db_session)
    await make_listing(db_session, seller, game, price=300)
    await make_listing(db_session, seller, game, price=800)

    response = await client.get(f"/games/{game.id}", params={"max_price": "500", "lang": "en"})

    assert response.status_code == 200
    assert "1 listing matches · 2 on sale in all" in response.text


async def test_a_seller_sees_no_buy_button_on_their_own_listing(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    seller = await make_user(db_session)
    game = await make_game(db_session)
    listing = await make_listing(db_session, seller, game)
    await log_in_with_form(client, seller.email)

    response = await client.get(f"/games/{game.id}")

    assert f'action="/listings/{listing.id}/buy"' not in response.text
    assert 'class="own-listing"' in response.text


async def test_a_refused_buy_comes_back_on_the_game_page_beside_the_listing(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    seller = await make_user(db_session)
    buyer = await make_user(db_session)
    game = await make_game(db_session)
    listing = await make_listing(db_session, seller, game, quantity=2)
    await log_in_with_form(client, buyer.email)
    token = await _form(client, f"/games/{game.id}")

    response = await client.post(
        f"/listings/{listing.id}/buy", data={"csrf_token": token, "quantity": "5"}
    )

    assert response.status_code == 409
    assert f'id="buy-error-{listing.id}"' in response.text
    assert f'aria-describedby="buy-error-{listing.id}"' in response.text
    assert 'id="listing-filters"' in response.text
