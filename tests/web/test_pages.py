from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import httpx
import pytest
from PIL import Image
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import DEFAULT_PASSWORD, make_game, make_listing, make_user

GAME_TIME = datetime(2099, 4, 2, 10, 35, tzinfo=UTC)  # 18:35 in Taipei


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF field on the page"
    return match.group(1)


async def log_in_with_form(client: httpx.AsyncClient, email: str) -> None:
    page = await client.get("/login")
    response = await client.post(
        "/login",
        data={"csrf_token": csrf_of(page.text), "email": email, "password": DEFAULT_PASSWORD},
    )
    assert response.status_code == 303, response.text


async def test_home_shows_the_month_calendar_with_links_to_days(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    await make_game(db_session, starts_at=GAME_TIME, home="UL", away="FG")

    response = await client.get("/", params={"month": "2099-04"})

    assert response.status_code == 200
    assert "2099 年 4 月" in response.text
    assert 'href="/days/2099-04-02"' in response.text
    assert "統一7-ELEVEn獅" in response.text


async def test_day_page_lists_the_days_games_in_taipei_time(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    game = await make_game(db_session, starts_at=GAME_TIME)

    response = await client.get("/days/2099-04-02")

    assert response.status_code == 200
    assert f'href="/games/{game.id}"' in response.text
    assert "18:35" in response.text


async def test_game_page_lists_tickets_sorted_by_price(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    game = await make_game(db_session, starts_at=GAME_TIME)
    seller = await make_user(db_session)
    dear = await make_listing(db_session, seller, game, price=480)
    cheap = await make_listing(db_session, seller, game, price=300)

    response = await client.get(f"/games/{game.id}", params={"sort": "price_asc"})

    order = re.findall(r'data-listing-id="(\d+)"', response.text)
    assert order == [str(cheap.id), str(dear.id)]
    assert "NT$300" in response.text


async def test_english_switch_sets_the_locale(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    switch = await client.get("/lang/en", params={"next": "/days/2099-04-02"})
    page = await client.get("/days/2099-04-02")

    assert switch.status_code == 303
    assert switch.headers["location"] == "/days/2099-04-02"
    assert "No games on this day." in page.text


async def test_language_switch_never_redirects_off_site(client: httpx.AsyncClient) -> None:
    response = await client.get("/lang/en", params={"next": "//evil.example"})

    assert response.headers["location"] == "/"


async def test_register_log_in_and_profile_through_forms(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    form = await client.get("/register")
    registered = await client.post(
        "/register",
        data={
            "csrf_token": csrf_of(form.text),
            "email": "form.fan@example.com",
            "display_name": "Form Fan",
            "password": DEFAULT_PASSWORD,
        },
    )
    welcome = await client.get(registered.headers["location"])
    await client.post("/logout", data={"csrf_token": csrf_of(welcome.text)})
    await log_in_with_form(client, "form.fan@example.com")
    profile = await client.get("/profile")
    saved = await client.post(
        "/profile",
        data={
            "csrf_token": csrf_of(profile.text),
            "display_name": "阿明",
            "phone": "0912345678",
            "favorite_team_ids": ["2", "4"],
        },
    )
    me = await client.get("/profile")

    assert registered.status_code == 303
    assert registered.headers["location"] == "/profile?welcome=1&next=%2F"
    assert "Form Fan" in welcome.text and 'name="favorite_team_ids"' in welcome.text
    assert "Form Fan" in profile.text
    assert saved.status_code == 303
    assert "阿明" in me.text
    assert 'value="2" checked' in me.text and 'value="4" checked' in me.text
    session_cookie = next(c for c in client.cookies.jar if c.name == "pas_session")
    assert session_cookie.has_nonstandard_attr("HttpOnly")


async def test_weak_password_on_the_form_shows_the_reasons(client: httpx.AsyncClient) -> None:
    form = await client.get("/register")

    response = await client.post(
        "/register",
        data={
            "csrf_token": csrf_of(form.text),
            "email": "weak@example.com",
            "display_name": "Weak",
            "password": "short",
        },
    )

    assert response.status_code == 422
    assert 'value="weak@example.com"' in response.text
    assert "short" not in re.sub(r"<[^>]+>", "", response.text).split("weak@example.com")[-1][:0]


async def test_form_without_csrf_token_is_refused(client: httpx.AsyncClient) -> None:
    await client.get("/login")

    response = await client.post(
        "/login",
        data={"email": "a@example.com", "password": "x"},
        headers={"Accept": "text/html"},
    )

    assert response.status_code == 403
    assert "reload the page" in response.text or "重新整理" in response.text


async def test_sell_form_posts_a_listing_with_a_photo(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    game = await make_game(db_session, starts_at=GAME_TIME)
    seller = await make_user(db_session)
    await log_in_with_form(client, seller.email)
    form = await client.get("/sell", params={"game_id": game.id})
    photo = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 60)).save(photo, "JPEG")

    response = await client.post(
        "/sell",
        data={
            "csrf_token": csrf_of(form.text),
            "game_id": str(game.id),
            "seat_area": "infield_3b",
            "quantity": "2",
            "face_value": "800",
            "price": "700",
            "delivery_method": "e_ticket",
        },
        files={"photos": ("seat.jpg", photo.getvalue(), "image/jpeg")},
    )
    page = await client.get(f"/games/{game.id}")

    assert "第24條之1" in form.text
    assert response.status_code == 303
    assert "NT$700" in page.text
    assert "/media/listings/" in page.text


async def post_sell_form(
    client: httpx.AsyncClient, db_session: AsyncSession, **fields: str
) -> tuple[int, httpx.Response]:
    """A fresh seller posts the sell form for a fresh game; (the game's id, the answer)."""
    game = await make_game(db_session, starts_at=GAME_TIME)
    seller = await make_user(db_session)
    await log_in_with_form(client, seller.email)
    form = await client.get("/sell", params={"game_id": game.id})
    data = {
        "csrf_token": csrf_of(form.text),
        "game_id": str(game.id),
        "seat_area": "infield_3b",
        "quantity": "1",
        "delivery_method": "mail",
        **fields,
    }
    return game.id, await client.post("/sell", data=data)


async def test_sell_form_refuses_a_price_above_face_value(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    game_id, response = await post_sell_form(client, db_session, face_value="500", price="900")

    assert response.status_code == 422
    assert 'id="price-error"' in response.text  # beside the asking price
    assert (await client.get(f"/api/v1/games/{game_id}")).json()["listing_count"] == 0


async def test_sell_form_refuses_a_zero_price_beside_the_field_and_keeps_the_input(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    game_id, response = await post_sell_form(
        client, db_session, row="7", face_value="500", price="0"
    )

    assert response.status_code == 422
    price_field = re.search(
        r'<input[^>]*name="price"[^>]*>\s*<span[^>]*id="price-error"[^>]*>([^<]*)<',
        response.text,
    )
    assert price_field is not None, response.text
    assert price_field.group(1) == "售價至少要 NT$1。"
    assert 'aria-invalid="true" aria-describedby="price-error"' in price_field.group(0)
    assert 'id="face-value" value="500"' in response.text
    assert 'name="row" maxlength="10" value="7"' in response.text
    assert 'id="sell-error"' not in response.text
    assert (await client.get(f"/api/v1/games/{game_id}")).json()["listing_count"] == 0


async def test_my_listings_page_refuses_a_zero_price_with_a_message(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    game = await make_game(db_session, starts_at=GAME_TIME)
    seller = await make_user(db_session)
    listing = await make_listing(db_session, seller, game, price=450)
    await log_in_with_form(client, seller.email)
    page = await client.get("/me/listings")

    response = await client.post(
        f"/me/listings/{listing.id}", data={"csrf_token": csrf_of(page.text), "price": "0"}
    )

    assert response.status_code == 422
    assert "售價至少要 NT$1。" in response.text
    assert (await client.get(f"/api/v1/listings/{listing.id}")).json()["price"] == 450


async def test_my_listings_page_edits_and_withdraws(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    game = await make_game(db_session, starts_at=GAME_TIME)
    seller = await make_user(db_session)
    listing = await make_listing(db_session, seller, game, price=450)
    await log_in_with_form(client, seller.email)
    page = await client.get("/me/listings")
    token = csrf_of(page.text)

    edited = await client.post(
        f"/me/listings/{listing.id}", data={"csrf_token": token, "price": "400", "quantity": "2"}
    )
    withdrawn = await client.post(f"/me/listings/{listing.id}/withdraw", data={"csrf_token": token})

    assert edited.status_code == withdrawn.status_code == 303
    detail = (await client.get(f"/api/v1/listings/{listing.id}")).json()
    assert (detail["price"], detail["status"]) == (400, "withdrawn")


@pytest.mark.parametrize("path", ["/games/999999", "/days/2099-02-30"])
async def test_missing_pages_render_the_error_page(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path, headers={"Accept": "text/html"})

    assert response.status_code in (404, 422)
    assert "text/html" in response.headers["content-type"]
    assert "<html" in response.text


async def test_pages_need_login_for_selling(client: httpx.AsyncClient) -> None:
    response = await client.get("/sell")

    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/sell"
