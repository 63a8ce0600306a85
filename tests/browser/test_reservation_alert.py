"""A fan waits for tickets to a game; another fan lists matching ones; the waiting fan's bell
rings without a reload."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest
from playwright.async_api import Page, expect

from tests.browser.conftest import screenshot, verify_registered

pytestmark = pytest.mark.browser
PASSWORD = "Waiting-Fan-2099"


async def test_a_matching_listing_rings_the_waiting_fans_bell(
    page: Page, server_url: str, database: object
) -> None:
    fan_email = f"waiting.{uuid.uuid4().hex[:8]}@example.com"
    seller_email = f"lister.{uuid.uuid4().hex[:8]}@example.com"
    async with httpx.AsyncClient(base_url=server_url, timeout=10) as http:
        for email, name in ((fan_email, "等票的人"), (seller_email, "賣票的人")):
            registered = await http.post(
                "/api/v1/auth/register",
                json={"email": email, "password": PASSWORD, "display_name": name},
            )
            assert registered.status_code == 201, registered.text
            await verify_registered(server_url, email)

        await page.goto(f"{server_url}/login")
        await page.fill("input[name=email]", fan_email)
        await page.fill("input[name=password]", PASSWORD)
        await page.click("form button[type=submit]")
        await expect(page.locator(".user-name")).to_have_text("等票的人")
        await page.goto(f"{server_url}/games/1")
        await page.click("details.reserve > summary")  # the form folds away on the game page
        await page.fill("#reserve-form input[name=max_price]", "800")
        await page.click("#reserve-form button[type=submit]")
        await expect(page).to_have_url(re.compile(r"/me/reservations\?saved=1$"))
        await expect(page.locator("#reservations li")).to_have_count(1)
        await page.wait_for_function(
            "() => document.getElementById('notification-bell').dataset.unread === '0'"
        )
        url_before = page.url

        login = await http.post(
            "/api/v1/auth/login", json={"email": seller_email, "password": PASSWORD}
        )
        listed = await http.post(
            "/api/v1/listings",
            json={
                "game_id": 1,
                "seat_area": "outfield_left",
                "quantity": 2,
                "face_value": 700,
                "price": 650,
                "delivery_method": "e_ticket",
            },
            headers={"Authorization": f"Bearer {login.json()['access_token']}"},
        )
        assert listed.status_code == 201, listed.text

        count = page.locator("#notification-bell .bell-count")
        await expect(count).to_have_text("1", timeout=10_000)
        assert page.url == url_before
    await screenshot(page, f"reservation-alert-{database.backend}")  # type: ignore[attr-defined]
