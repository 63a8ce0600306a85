"""A whole purchase in the browser with the sandbox provider: hold, pay, seller ships,
buyer confirms."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.async_api import Browser, Dialog, Page, expect

from tests.browser.conftest import screenshot, verify_registered
from tests.factories import login_headers

pytestmark = pytest.mark.browser
PASSWORD = "Slider-Seats-2099"


async def register(server_url: str, email: str, name: str) -> None:
    async with httpx.AsyncClient(base_url=server_url) as http:
        response = await http.post(
            "/api/v1/auth/register",
            json={"email": email, "password": PASSWORD, "display_name": name},
        )
        assert response.status_code == 201, response.text
    await verify_registered(server_url, email)


async def list_tickets(server_url: str, seller_email: str, **fields: object) -> int:
    async with httpx.AsyncClient(base_url=server_url) as http:
        listing = await http.post(
            "/api/v1/listings",
            json={"seat_area": "infield_1b", "delivery_method": "e_ticket", **fields},
            headers=await login_headers(http, seller_email, PASSWORD),
        )
    assert listing.status_code == 201, listing.text
    return int(listing.json()["id"])


async def log_in(page: Page, server_url: str, email: str) -> None:
    await page.goto(f"{server_url}/login")
    await page.fill("input[name=email]", email)
    await page.fill("input[name=password]", PASSWORD)
    await page.click("form button[type=submit]")
    await expect(page.locator(".user-name")).to_be_visible()


async def test_hold_pay_ship_confirm(browser: Browser, page: Page, server_url: str) -> None:
    run = abs(hash(server_url)) % 100_000
    seller_email, buyer_email = f"seller.{run}@example.com", f"buyer.{run}@example.com"
    await register(server_url, seller_email, "賣票的阿明")
    await register(server_url, buyer_email, "買票的小華")
    listing_id = await list_tickets(
        server_url,
        seller_email,
        game_id=1,
        seat_area="infield_3b",
        quantity=2,
        face_value=600,
        price=550,
    )

    await log_in(page, server_url, buyer_email)
    await page.goto(f"{server_url}/games/1?sort=newest")
    card = page.locator(f"li.listing[data-listing-id='{listing_id}']")
    await card.locator("select[name=quantity]").select_option("2")
    await card.locator(".buy-form button[type=submit]").click()
    await expect(page).to_have_url(re.compile(r"/orders/\d+$"))
    await expect(page.locator("#hold-countdown .remaining")).to_have_text(
        re.compile(r"^(9|10):\d\d$")
    )
    await expect(page.locator("#order-amount")).to_have_text("NT$1,100")
    order_url = page.url
    # Moving money asks once more (a confirm dialog): the buyer accepts each time.
    asked: list[str] = []

    async def accept(dialog: Dialog) -> None:
        asked.append(dialog.message)
        await dialog.accept()

    page.on("dialog", accept)
    await page.fill("input[name=name]", "買票的小華")
    await page.fill("input[name=phone]", "0912345678")
    await page.fill("input[name=ticket_account]", "xiaohua-tix")
    await page.select_option("#sandbox-card", "test_prime_ok")
    await page.click("#pay-button")
    await expect(page.locator("#order")).to_have_attribute("data-status", "paid")
    assert asked == ["現在付款 NT$1,100？"]
    await expect(page.locator("#ship-by")).to_be_visible()

    seller_context = await browser.new_context(viewport={"width": 390, "height": 844})
    seller_page = await seller_context.new_page()
    await log_in(seller_page, server_url, seller_email)
    await seller_page.goto(f"{server_url}/me/sales")
    await seller_page.locator("#orders a.button").first.click()
    await seller_page.fill("input[name=transfer_reference]", "TIX-2099-0404")
    await seller_page.click("#ship-button")
    await expect(seller_page.locator("#order")).to_have_attribute("data-status", "shipped")
    await seller_context.close()

    await page.goto(order_url)
    await page.click("#confirm-button")
    await expect(page.locator("#order")).to_have_attribute("data-status", "completed")
    assert len(asked) == 2
    actions = await page.locator("#timeline li").evaluate_all(
        "items => items.map(item => item.dataset.action)"
    )
    assert actions == [
        "orders.hold.created",
        "payments.charge.succeeded",
        "orders.shipped",
        "orders.completed",
    ]
    await expect(page.locator("#transfer-reference")).to_have_text("TIX-2099-0404")
    await screenshot(page, "purchase-completed")


async def test_a_declined_card_keeps_the_hold_and_says_why(page: Page, server_url: str) -> None:
    run = abs(hash(server_url + "declined")) % 100_000
    seller_email, buyer_email = f"s2.{run}@example.com", f"b2.{run}@example.com"
    await register(server_url, seller_email, "賣家")
    await register(server_url, buyer_email, "買家")
    listing_id = await list_tickets(
        server_url,
        seller_email,
        game_id=2,
        quantity=1,
        face_value=400,
        price=400,
        delivery_method="mail",
    )

    await log_in(page, server_url, buyer_email)
    await page.goto(f"{server_url}/games/2?sort=newest")
    await page.locator(
        f"li.listing[data-listing-id='{listing_id}'] .buy-form button[type=submit]"
    ).click()
    await page.fill("input[name=name]", "買家")
    await page.fill("input[name=phone]", "0912345678")
    await page.select_option("#sandbox-card", "test_prime_declined")

    async def accept(dialog: Dialog) -> None:
        await dialog.accept()

    page.on("dialog", accept)
    await page.click("#pay-button")

    await expect(page.locator("#order-error")).to_be_visible()
    await expect(page.locator("#order")).to_have_attribute("data-status", "pending_payment")
    await expect(page.locator("#pay-button")).to_be_enabled()
