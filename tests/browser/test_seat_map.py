"""The seat map in a real browser, on a phone (390 px) and a desktop (1280 px): tapping an area
filters the game's list, and on the sell form the map and the area menu choose together."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.async_api import Browser, Page, expect

from tests.browser.conftest import screenshot
from tests.browser.test_purchase_flow import PASSWORD, list_tickets, log_in, register
from tests.factories import login_headers

pytestmark = pytest.mark.browser
VIEWPORTS = {"phone": (390, 844), "desktop": (1280, 800)}


async def _page(browser: Browser, viewport: str) -> Page:
    width, height = VIEWPORTS[viewport]
    context = await browser.new_context(viewport={"width": width, "height": height}, locale="zh-TW")
    return await context.new_page()


async def _only_area_listed(page: Page, code: str, name: str) -> None:
    """The list shows exactly the area's listings: as many as the map counts, all there."""
    count = await page.locator(f'.seatmap-svg a[data-area-code="{code}"]').get_attribute(
        "data-count"
    )
    cards = page.locator("li.listing .seat-location svg")
    await expect(cards).to_have_count(int(count or 0))
    labels = await cards.evaluate_all("maps => maps.map(map => map.getAttribute('aria-label'))")
    assert int(count or 0) >= 1 and all(label.endswith(name) for label in labels)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
async def test_tapping_an_area_filters_the_list_to_it(
    browser: Browser, server_url: str, database: object, viewport: str
) -> None:
    seller = f"mapseller.{viewport}.{abs(hash(server_url)) % 10_000}@example.com"
    await register(server_url, seller, "地圖賣家")
    for area, price in (("outfield_left", 250), ("infield_1b", 450), ("infield_1b", 480)):
        await list_tickets(
            server_url, seller, game_id=2, seat_area=area, quantity=1, face_value=500, price=price
        )
    page = await _page(browser, viewport)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    await page.goto(f"{server_url}/games/2")
    left = page.locator('.seatmap-svg a[data-area-code="outfield_left"]')
    await expect(left).to_have_class(re.compile("band-1"))

    await left.click()

    await expect(page).to_have_url(re.compile(r"seat_area=outfield_left"))
    await expect(page.locator('.seatmap-svg a[aria-current="true"]')).to_have_attribute(
        "data-area-code", "outfield_left"
    )
    await _only_area_listed(page, "outfield_left", "左外野")
    # The keyboard reaches the areas too: Enter on a focused area follows it.
    await page.locator('.seatmap-svg a[data-area-code="infield_1b"]').focus()
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(re.compile(r"seat_area=infield_1b"))
    await _only_area_listed(page, "infield_1b", "一壘內野搖滾區")
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORTS[viewport][0]
    assert errors == []
    await screenshot(page, f"seat-map-game-{viewport}-{database.backend}")  # type: ignore[attr-defined]
    await page.context.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
async def test_the_sell_form_posts_the_area_picked_on_the_map(
    browser: Browser, server_url: str, database: object, viewport: str
) -> None:
    seller = f"mappicker.{viewport}.{abs(hash(server_url)) % 10_000}@example.com"
    await register(server_url, seller, "選位賣家")
    page = await _page(browser, viewport)
    await log_in(page, server_url, seller)
    await page.goto(f"{server_url}/sell?game_id=1")
    menu = page.locator("select[name=seat_area]")

    await page.locator('.seatmap-picker a[data-area-code="infield_3b"]').click()

    await expect(menu).to_have_value("infield_3b")
    await expect(page).to_have_url(re.compile(r"/sell\?game_id=1$"))  # no reload: JS chose
    await expect(page.locator("#seatmap-status")).to_contain_text("三壘")
    await screenshot(page, f"seat-map-sell-{viewport}-{database.backend}")  # type: ignore[attr-defined]
    await menu.select_option("outfield_right")
    await expect(page.locator('.seatmap-picker a[data-area-code="outfield_right"]')).to_have_class(
        re.compile("selected")
    )
    await page.locator('.seatmap-picker a[data-area-code="infield_3b"]').click()
    await page.fill("input[name=quantity]", "1")
    await page.fill("#face-value", "650")
    await page.fill("#asking-price", "600")
    invalid = await page.evaluate(
        "Array.from(document.querySelectorAll('#sell-form :invalid')).map(e => e.name)"
    )
    assert invalid == []
    await page.click("#publish-button")

    await expect(page).to_have_url(re.compile(r"/games/1\?sort=newest"))
    async with httpx.AsyncClient(base_url=server_url) as http:
        mine = await http.get(
            "/api/v1/users/me/listings", headers=await login_headers(http, seller, PASSWORD)
        )
    areas = [item["seat_area"]["code"] for item in mine.json()["items"]]
    assert areas == ["infield_3b"]
    await page.context.close()
