"""The home page reports which recommended games were shown and opened, with their list id."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest
from playwright.async_api import Page, expect
from sqlalchemy import select

from pitchaseat.db import create_engine, create_session_factory
from pitchaseat.discovery.models import RecommendationEvent
from tests.browser.conftest import MAILBOXES
from tests.support.databases import DatabasePlan
from tests.support.mailbox import verify_by_email

pytestmark = pytest.mark.browser
PASSWORD = "Picks-For-Me-2099"


async def events(url: str) -> list[tuple[str, int, str]]:
    engine = create_engine(url)
    async with create_session_factory(engine)() as session:
        rows = await session.execute(
            select(
                RecommendationEvent.kind,
                RecommendationEvent.game_id,
                RecommendationEvent.request_id,
            )
        )
        found = [(kind.value, game_id, request_id) for kind, game_id, request_id in rows]
    await engine.dispose()
    return found


async def test_impressions_and_a_click_are_logged(
    page: Page, server_url: str, browser_database: DatabasePlan
) -> None:
    email = f"picks.{uuid.uuid4().hex[:8]}@example.com"
    async with httpx.AsyncClient(base_url=server_url, timeout=10) as http:
        await http.post(
            "/api/v1/auth/register",
            json={"email": email, "password": PASSWORD, "display_name": "看推薦"},
        )
        login = await http.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        seller = f"picks.seller.{uuid.uuid4().hex[:8]}@example.com"
        await http.post(
            "/api/v1/auth/register",
            json={"email": seller, "password": PASSWORD, "display_name": "賣家"},
        )
        await verify_by_email(http, MAILBOXES[server_url], seller)
        seller_login = await http.post(
            "/api/v1/auth/login", json={"email": seller, "password": PASSWORD}
        )
        listed = await http.post(
            "/api/v1/listings",
            json={
                "game_id": 1,
                "seat_area": "infield_1b",
                "quantity": 1,
                "face_value": 500,
                "price": 500,
                "delivery_method": "e_ticket",
            },
            headers={"Authorization": f"Bearer {seller_login.json()['access_token']}"},
        )
        assert listed.status_code == 201, listed.text
        assert login.status_code == 200

    await page.goto(f"{server_url}/login")
    await page.fill("input[name=email]", email)
    await page.fill("input[name=password]", PASSWORD)
    await page.click("form button[type=submit]")
    await page.goto(f"{server_url}/")
    pick = page.locator("#recommended .recommended-list > li").first
    await expect(pick).to_be_visible()
    request_id = await page.locator("#recommended").get_attribute("data-request-id")
    await pick.locator("a.recommended-link").click()
    await expect(page.locator(".game-header")).to_be_visible()

    kinds: set[str] = set()
    for _ in range(30):  # the click is sent as the page changes: give it a moment to land
        logged = await events(browser_database.url)
        kinds = {kind for kind, _game, rid in logged if rid == request_id}
        if kinds == {"impression", "click"}:
            break
        await asyncio.sleep(0.1)
    assert kinds == {"impression", "click"}
