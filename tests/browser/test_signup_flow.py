from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser
PASSWORD = "Curveball-2099"


async def test_fan_signs_up_picks_teams_returns_and_opens_a_day_from_the_calendar(
    page: Page, server_url: str, database: object
) -> None:
    email = f"new.fan.{abs(hash(server_url)) % 10_000}@example.com"
    await page.goto(f"{server_url}/?month=2099-04")
    await page.click("#site-menu > summary")
    await page.click(".nav-account a.nav-cta")
    await page.fill("input[name=email]", email)
    await page.fill("input[name=display_name]", "新球迷")
    await page.fill("input[name=password]", PASSWORD)
    await page.click("form button[type=submit]")
    # Signed up is logged in: the new fan picks their teams, then lands where they started.
    await expect(page).to_have_url(re.compile(r"/profile\?welcome=1"))
    await expect(page.locator(".user-name")).to_have_text("新球迷")
    await page.check("label.team-ctbc input")
    await page.click("#profile-form button[type=submit]")
    await expect(page).to_have_url(re.compile(r"/\?month=2099-04$"))
    await expect(page.locator("#calendar-month")).to_have_text("2099 年 4 月")
    day = page.locator('td[data-date="2099-04-04"] a.day-link')
    await expect(day).to_be_visible()
    await day.click()

    await expect(page).to_have_url(re.compile(r"/days/2099-04-04$"))
    games = page.locator(".game-row")
    await expect(games).to_have_count(2)
    await expect(games.first).to_contain_text("18:35")
    await expect(page.locator("body")).to_contain_text("中信兄弟")
    await screenshot(page, f"signup-day-{database.backend}")  # type: ignore[attr-defined]
