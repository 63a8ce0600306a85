"""A new fan signs up, logs in and finds a day's games, in a real browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Browser, expect

from tests.browser.conftest import KNOWN_DAY, KNOWN_GAMES

pytestmark = pytest.mark.browser

EMAIL = "browser.fan@example.com"
PASSWORD = "Bleachers-42-Seats"
DISPLAY_NAME = "看台阿明"


async def test_new_fan_signs_up_logs_in_and_finds_the_games_of_a_day(
    browser: Browser, live_server: str, artifacts_dir: Path, browser_database_url: str
) -> None:
    context = await browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-TW")
    page = await context.new_page()
    backend = browser_database_url.split(":", 1)[0].split("+", 1)[0]
    try:
        await page.goto(f"{live_server}/register")
        register = page.locator("form[action='/register']")
        await register.locator("input[name='email']").fill(EMAIL)
        await register.locator("input[name='display_name']").fill(DISPLAY_NAME)
        await register.locator("input[name='password']").fill(PASSWORD)
        await register.locator("button[type='submit']").click()
        await expect(page.locator("form[action='/register'] [role='alert']")).to_have_count(0)

        await page.goto(f"{live_server}/login")
        login = page.locator("form[action='/login']")
        await login.locator("input[name='email']").fill(EMAIL)
        await login.locator("input[name='password']").fill(PASSWORD)
        await login.locator("button[type='submit']").click()

        # Logged in, on the home page, which jumped ahead to the first month with games.
        await expect(page.get_by_role("link", name=DISPLAY_NAME)).to_be_visible()
        await expect(page.locator("#calendar-month")).to_contain_text("2099")
        day_link = page.locator(f"a[href='/days/{KNOWN_DAY}']")
        await expect(day_link).to_have_count(1)
        await day_link.click()

        await expect(page).to_have_url(f"{live_server}/days/{KNOWN_DAY}")
        games_of_the_day = [game for game in KNOWN_GAMES if game.starts_at.day == 12]
        await expect(page.locator("a[href^='/games/']")).to_have_count(len(games_of_the_day))
        await expect(page.get_by_text("18:35")).to_be_visible()
        await expect(page.get_by_text("17:05")).to_be_visible()
        await expect(page.get_by_text("中信兄弟").first).to_be_visible()
        await page.screenshot(path=artifacts_dir / f"signup-flow-{backend}.png", full_page=True)
    finally:
        await context.close()
