"""The header bell: a seller on a page sees the unread count change, without reloading, when
a buyer holds their tickets (the notification is made server-side by the API call)."""

from __future__ import annotations

import uuid

import httpx
import pytest
from playwright.async_api import Page, expect

from tests.browser.conftest import MAILBOXES, screenshot
from tests.support.mailbox import verify_by_email

pytestmark = pytest.mark.browser
PASSWORD = "Bell-Rings-2099"


async def _register_and_log_in(http: httpx.AsyncClient, name: str) -> dict[str, str]:
    email = f"{name}.{uuid.uuid4().hex[:8]}@example.com"
    registered = await http.post(
        "/api/v1/auth/register", json={"email": email, "password": PASSWORD, "display_name": name}
    )
    assert registered.status_code == 201, registered.text
    await verify_by_email(http, MAILBOXES[str(http.base_url).rstrip("/")], email)
    login = await http.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    return {"email": email, "Authorization": f"Bearer {login.json()['access_token']}"}


async def test_the_bell_counts_a_new_notification_without_a_reload(
    page: Page, server_url: str, database: object
) -> None:
    async with httpx.AsyncClient(base_url=server_url, timeout=10) as http:
        seller = await _register_and_log_in(http, "bellseller")
        buyer = await _register_and_log_in(http, "bellbuyer")
        listing = await http.post(
            "/api/v1/listings",
            json={
                "game_id": 2,
                "seat_area": "infield_1b",
                "quantity": 2,
                "face_value": 500,
                "price": 450,
                "delivery_method": "e_ticket",
            },
            headers={"Authorization": seller["Authorization"]},
        )
        assert listing.status_code == 201, listing.text

        await page.goto(f"{server_url}/login")
        await page.fill("input[name=email]", seller["email"])
        await page.fill("input[name=password]", PASSWORD)
        await page.click("form button[type=submit]")
        await expect(page.locator(".user-name")).to_have_text("bellseller")
        count = page.locator("#notification-bell .bell-count")
        await expect(count).to_be_hidden()
        await page.wait_for_function(
            "() => document.getElementById('notification-bell').dataset.unread === '0'"
        )
        url_before = page.url

        held = await http.post(
            "/api/v1/orders",
            json={"listing_id": listing.json()["id"], "quantity": 1},
            headers={"Authorization": buyer["Authorization"]},
        )
        assert held.status_code == 201, held.text

        await expect(count).to_have_text("1")
        await expect(count).to_be_visible()
        assert page.url == url_before
        await page.click("#notification-bell .bell-toggle")
        await expect(page.locator("#notification-bell .bell-items li")).to_have_text(
            ["有買家正在結帳您的票"]
        )
        await page.click("#notification-bell .bell-read-all")
        await expect(count).to_be_hidden()
    await screenshot(page, f"notification-bell-{database.backend}")  # type: ignore[attr-defined]
