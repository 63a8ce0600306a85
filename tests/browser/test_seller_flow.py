from __future__ import annotations

import io
import re
from pathlib import Path

import httpx
import pytest
from PIL import Image
from playwright.async_api import Page, expect

from tests.browser.conftest import screenshot, verify_registered

pytestmark = pytest.mark.browser
PASSWORD = "Slider-Seats-2099"


async def post_listing(
    page: Page, server_url: str, *, price: str, face: str, photo: Path | None
) -> None:
    await page.goto(f"{server_url}/sell?game_id=1")
    await page.select_option("select[name=seat_area]", "infield_1b")
    await page.fill("input[name=quantity]", "2")
    await page.fill("#face-value", face)
    await page.fill("#asking-price", price)
    if photo is not None:
        await page.set_input_files("#photo-input", str(photo))
        await expect(page.locator("#photo-previews img")).to_have_count(1)
    await page.click("#sell-form button[type=submit]")
    await expect(page).to_have_url(re.compile(r"/games/1\?sort=newest$"))


async def test_seller_posts_with_a_photo_and_buyers_sort_by_price(
    page: Page, server_url: str, tmp_path: Path, database: object
) -> None:
    email = f"seller.{abs(hash(server_url)) % 10_000}@example.com"
    async with httpx.AsyncClient(base_url=server_url) as http:
        await http.post(
            "/api/v1/auth/register",
            json={"email": email, "password": PASSWORD, "display_name": "賣家小王"},
        )
    await verify_registered(server_url, email)
    photo = tmp_path / "ticket.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (20, 110, 80)).save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())
    await page.goto(f"{server_url}/login")
    await page.fill("input[name=email]", email)
    await page.fill("input[name=password]", PASSWORD)
    await page.click("form button[type=submit]")
    await expect(page.locator(".user-name")).to_have_text("賣家小王")

    await page.goto(f"{server_url}/sell?game_id=1")
    await page.fill("#face-value", "500")
    await page.fill("#asking-price", "600")
    await expect(page.locator("#price-hint")).to_have_class(re.compile("over"))

    await post_listing(page, server_url, price="450", face="500", photo=photo)
    await post_listing(page, server_url, price="300", face="400", photo=None)
    cards = page.locator("li.listing")
    await expect(cards).to_have_count(2)
    await expect(page.locator("li.listing img")).to_have_count(1)
    thumbnail = await page.locator("li.listing img").first.get_attribute("src")
    async with httpx.AsyncClient(base_url=server_url) as http:
        assert thumbnail
        assert (await http.get(thumbnail)).status_code == 200

    await page.select_option("#sort-select", "price_asc")
    await expect(page).to_have_url(re.compile(r"sort=price_asc"))
    await expect(page.locator("li.listing")).to_have_count(2)
    prices = await page.locator("li.listing").evaluate_all(
        "cards => cards.map(card => Number(card.dataset.price))"
    )
    assert prices == [300, 450]
    await page.select_option("#sort-select", "price_desc")
    await expect(page).to_have_url(re.compile(r"sort=price_desc"))
    await expect(page.locator("li.listing")).to_have_count(2)
    prices = await page.locator("li.listing").evaluate_all(
        "cards => cards.map(card => Number(card.dataset.price))"
    )
    assert prices == [450, 300]
    await screenshot(page, f"seller-game-page-{database.backend}")  # type: ignore[attr-defined]
