"""A whole trade for each delivery method, at phone and desktop size: checkout with the
method's details (a bad phone comes back beside its box, input kept), the seller sees the
details, fee and payout and ships with the method's fields, both sides write (the other's
bell counts live, the text stays text), the buyer follows the shipment and confirms."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.async_api import Browser, Dialog, Page, expect

from tests.browser.conftest import screenshot
from tests.browser.test_purchase_flow import list_tickets, log_in, register

pytestmark = pytest.mark.browser
TAPPABLE = "main form button, main form input, main form select"
SIZES = {"phone": (360, 740), "desktop": (1280, 900)}
DETAILS = {
    "mail": {
        "recipient_name": "林小華",
        "delivery_phone": "0912-345-678",
        "address": "806 高雄市前鎮區中華五路789號",
    },
    "e_ticket": {"ticket_account": "xiaohua-tix"},
    "meet_up": {"delivery_phone": "0912345678"},
}
SHIPMENT = {
    "mail": {"tracking_number": "RR123456789TW"},
    "e_ticket": {"transfer_reference": "TR-0404-7"},
    "meet_up": {"meetup_place": "一壘側售票口", "meetup_at": "2099-04-04T17:30"},
}


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (20, 110, 80)).save(buffer, "JPEG")
    return buffer.getvalue()


async def _open(browser: Browser, size: str, server_url: str, email: str) -> Page:
    width, height = SIZES[size]
    context = await browser.new_context(viewport={"width": width, "height": height}, locale="zh-TW")
    page = await context.new_page()

    async def accept(dialog: Dialog) -> None:
        await dialog.accept()

    page.on("dialog", accept)
    await log_in(page, server_url, email)
    return page


async def _fits(page: Page) -> None:
    """No sideways scrolling, and the form buttons are big enough to tap."""
    assert await page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), (
        "the page scrolls sideways"
    )
    small = await page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)]
            .filter(el => !['hidden', 'checkbox', 'radio'].includes(el.type))
            .filter(el => el.offsetParent !== null)
            .filter(el => el.getBoundingClientRect().height < 44)
            .map(el => el.name || el.id)""",
        TAPPABLE,
    )
    assert small == [], f"too small to tap: {small}"


async def _unread(page: Page) -> int:
    return int(
        await page.evaluate("() => document.getElementById('notification-bell').dataset.unread")
        or 0
    )


async def _bell_reaches(page: Page, count: int) -> None:
    await page.wait_for_function(
        f"() => document.getElementById('notification-bell').dataset.unread === '{count}'"
    )


@pytest.mark.parametrize("size", ["phone", "desktop"])
@pytest.mark.parametrize("method", ["mail", "e_ticket", "meet_up"])
async def test_a_whole_trade_with_its_hand_off(
    browser: Browser, server_url: str, method: str, size: str
) -> None:
    run = f"{method.replace('_', '')}{size}{abs(hash(server_url)) % 10_000}"
    seller_email, buyer_email = f"s.{run}@example.com", f"b.{run}@example.com"
    await register(server_url, seller_email, "賣票的阿明")
    await register(server_url, buyer_email, "買票的小華")
    listing_id = await list_tickets(
        server_url,
        seller_email,
        game_id=1,
        quantity=1,
        face_value=600,
        price=500,
        delivery_method=method,
        note="賽前一天交付，謝謝",
    )

    buyer = await _open(browser, size, server_url, buyer_email)
    await buyer.goto(f"{server_url}/games/1?sort=newest")
    await buyer.locator(
        f"li.listing[data-listing-id='{listing_id}'] .buy-form button[type=submit]"
    ).click()
    await expect(buyer).to_have_url(re.compile(r"/orders/\d+$"))
    order_url = buyer.url
    await expect(buyer.locator("#delivery-fields")).to_have_attribute("data-method", method)
    await buyer.fill("input[name=name]", "林小華")
    await buyer.fill("input[name=phone]", "0912345678")
    for name, value in DETAILS[method].items():
        await buyer.fill(f"[name={name}]", value)
    if "delivery_phone" in DETAILS[method]:  # a bad phone first: refused beside its box
        await buyer.fill("input[name=delivery_phone]", "12345")
        await buyer.click("#pay-button")
        await expect(buyer.locator("#delivery_phone-error")).to_be_visible()
        assert await buyer.input_value("input[name=delivery_phone]") == "12345"
        if method == "mail":
            assert await buyer.input_value("input[name=address]") == DETAILS["mail"]["address"]
        await buyer.fill("input[name=delivery_phone]", DETAILS[method]["delivery_phone"])
    await screenshot(buyer, f"handoff-{method}-{size}-1-checkout")
    await _fits(buyer)
    await buyer.click("#pay-button")
    await expect(buyer.locator("#order")).to_have_attribute("data-status", "paid")

    seller = await _open(browser, size, server_url, seller_email)
    await seller.goto(order_url)
    details = seller.locator("#delivery-details")
    for name, value in DETAILS[method].items():
        shown = value.replace("-", "") if name == "delivery_phone" else value
        await expect(details).to_contain_text(shown)
    await expect(seller.locator("#seller-payout")).to_be_visible()
    await screenshot(seller, f"handoff-{method}-{size}-2-seller")
    await _fits(seller)

    # The buyer writes; the seller's bell counts it without a reload.
    seller_unread = await _unread(seller)
    await buyer.fill("#message-form textarea[name=body]", "請問 <b>何時</b> 交付？")
    await buyer.click("#message-button")
    await expect(buyer.locator("#message-list .message-body")).to_have_text(
        ["請問 <b>何時</b> 交付？"]
    )
    await _bell_reaches(seller, seller_unread + 1)

    for name, value in SHIPMENT[method].items():
        await seller.fill(f"[name={name}]", value)
    if method == "e_ticket":  # the transfer screen as proof
        await seller.set_input_files(
            "#ship-form input[name=photo]",
            files=[{"name": "transfer.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}],
        )
    await seller.click("#ship-button")
    await expect(seller.locator("#order")).to_have_attribute("data-status", "shipped")
    buyer_unread = await _unread(buyer)
    await seller.fill("#message-form textarea[name=body]", "已交付，請查收")
    await seller.click("#message-button")
    await _bell_reaches(buyer, buyer_unread + 1)
    await expect(seller.locator("#message-list .message-body b")).to_have_count(0)
    await expect(seller.locator("#message-list .message-body").first).to_have_text(
        "請問 <b>何時</b> 交付？"
    )

    await buyer.reload()
    await expect(buyer.locator("#seller-note")).to_contain_text("賽前一天交付，謝謝")
    if method == "mail":
        await expect(buyer.locator("#tracking-link")).to_have_attribute(
            "href", re.compile(r"^https://postserv\.post\.gov\.tw/")
        )
        await expect(buyer.locator("#tracking-number")).to_contain_text("RR123456789TW")
    elif method == "e_ticket":
        await expect(buyer.locator("#transfer-reference")).to_have_text("TR-0404-7")
        await expect(buyer.locator("img.proof-photo")).to_be_visible()
    else:
        await expect(buyer.locator("#meetup-place")).to_have_text("一壘側售票口")
        await expect(buyer.locator("#meetup-at")).to_contain_text("17:30")
    await expect(buyer.locator("#message-list .message-body")).to_have_count(2)
    await screenshot(buyer, f"handoff-{method}-{size}-3-shipped")
    await _fits(buyer)
    await buyer.click("#confirm-button")
    await expect(buyer.locator("#order")).to_have_attribute("data-status", "completed")
    await buyer.context.close()
    await seller.context.close()
