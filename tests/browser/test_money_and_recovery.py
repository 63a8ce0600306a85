"""In the browser, on a phone and a desktop: a password reset from the log-in page through the
emailed link; the fee and payout on the sell form following the price; the money page."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.async_api import Browser, Page, expect

from pitchaseat.ledger.service import seller_fee
from tests.browser.conftest import MAILBOXES, screenshot, verify_registered
from tests.support.mailbox import link_in, wait_for_mail

pytestmark = pytest.mark.browser
PASSWORD = "Bunt-Single-2099"
NEW_PASSWORD = "Walk-Off-Homer-77"
VIEWPORTS = {"phone": (360, 740), "desktop": (1280, 800)}
FEE_BPS = 500


@pytest.fixture(params=sorted(VIEWPORTS))
async def sized_page(request: pytest.FixtureRequest, browser: Browser) -> AsyncIterator[Page]:
    width, height = VIEWPORTS[request.param]
    context = await browser.new_context(viewport={"width": width, "height": height}, locale="zh-TW")
    page = await context.new_page()
    page.set_default_timeout(15_000)
    yield page
    await context.close()


async def _register(server_url: str, name: str) -> str:
    email = f"{name}.{uuid.uuid4().hex[:8]}@example.com"
    async with httpx.AsyncClient(base_url=server_url, timeout=10) as http:
        response = await http.post(
            "/api/v1/auth/register",
            json={"email": email, "password": PASSWORD, "display_name": name},
        )
    assert response.status_code == 201, response.text
    return email


async def _log_in(page: Page, server_url: str, email: str, password: str) -> None:
    await page.goto(f"{server_url}/login")
    await page.fill("#login-form input[name=email]", email)
    await page.fill("#login-form input[name=password]", password)
    await page.click("#login-form button[type=submit]")
    await expect(page.locator(".user-name")).to_be_visible()


async def _no_sideways_scroll(page: Page) -> None:
    overflow = await page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def _size(page: Page) -> str:
    viewport = page.viewport_size
    return "phone" if viewport and viewport["width"] < 600 else "desktop"


async def test_a_forgotten_password_is_reset_through_the_emailed_link(
    sized_page: Page, server_url: str, database: object
) -> None:
    page, size = sized_page, _size(sized_page)
    email = await _register(server_url, "resetter")

    await page.goto(f"{server_url}/login")
    await page.click("#forgot-password")
    await expect(page).to_have_url(re.compile(r"/password-reset$"))
    await page.fill("#reset-request-form input[name=email]", email)
    await page.click("#reset-request-form button[type=submit]")
    await expect(page.locator("#reset-sent")).to_be_visible()
    await _no_sideways_scroll(page)
    await screenshot(page, f"reset-1-sent-{size}")
    mail = await wait_for_mail(MAILBOXES[server_url], email, "/password-reset/confirm")
    # The link as mailed, opened on this test server (its base URL is not the configured one).
    link = (
        server_url
        + urlsplit(link_in(mail, "/password-reset/confirm"))._replace(scheme="", netloc="").geturl()
    )

    await page.goto(link)
    await page.fill("#reset-confirm-form input[name=password]", "short")
    await page.click("#reset-confirm-form button[type=submit]")
    await expect(page.locator("#password-error")).to_be_visible()
    await screenshot(page, f"reset-2-weak-{size}")
    await page.fill("#reset-confirm-form input[name=password]", NEW_PASSWORD)
    await page.click("#reset-confirm-form button[type=submit]")
    await expect(page).to_have_url(re.compile(r"/login\?reset=1$"))
    await expect(page.locator("p.notice")).to_be_visible()
    await _no_sideways_scroll(page)
    await screenshot(page, f"reset-3-log-in-{size}")
    await _log_in(page, server_url, email, NEW_PASSWORD)

    await page.goto(link)
    await page.fill("#reset-confirm-form input[name=password]", "Another-Pass-2099")
    await page.click("#reset-confirm-form button[type=submit]")
    await expect(page.locator("#form-error")).to_be_visible()
    await expect(page.locator('a[href="/password-reset"]')).to_be_visible()


async def test_the_sell_form_shows_the_fee_and_payout_as_the_price_changes(
    sized_page: Page, server_url: str, database: object
) -> None:
    page, size = sized_page, _size(sized_page)
    email = await _register(server_url, "feeseller")
    await verify_registered(server_url, email)
    await _log_in(page, server_url, email, PASSWORD)

    await page.goto(f"{server_url}/sell?game_id=1")
    fee, payout = (
        page.locator("#seller-money-0 .seller-fee"),
        page.locator("#seller-money-0 .seller-payout"),
    )
    await page.fill("input[name=quantity]", "2")
    await page.fill("#face-value", "1000")
    await page.fill("#asking-price", "989")
    await expect(fee).to_have_text(f"NT${seller_fee(1978, FEE_BPS):,}")
    await expect(payout).to_have_text(f"NT${1978 - seller_fee(1978, FEE_BPS):,}")
    await page.locator("#seller-money-0").scroll_into_view_if_needed()
    await _no_sideways_scroll(page)
    await screenshot(page, f"sell-fee-989-{size}")

    await page.fill("#asking-price", "450")
    await expect(fee).to_have_text(f"NT${seller_fee(900, FEE_BPS):,}")
    await expect(payout).to_have_text(f"NT${900 - seller_fee(900, FEE_BPS):,}")
    await page.fill("input[name=quantity]", "3")
    await expect(payout).to_have_text(f"NT${1350 - seller_fee(1350, FEE_BPS):,}")
    await page.fill("#asking-price", "")
    await expect(fee).to_have_text("—")


async def test_the_money_page_keeps_only_the_last_four_digits(
    sized_page: Page, server_url: str, database: object
) -> None:
    page, size = sized_page, _size(sized_page)
    email = await _register(server_url, "payee")
    await verify_registered(server_url, email)
    await _log_in(page, server_url, email, PASSWORD)

    await page.goto(f"{server_url}/me/money")
    await page.fill("#bank_code", "82")
    await page.fill("#account_number", "0123456789012")
    await page.fill("#account_name", "王小明")
    await page.evaluate("() => document.getElementById('bank_code').removeAttribute('pattern')")
    await page.click("#account-form button[type=submit]")
    await expect(page.locator("#bank_code-error")).to_be_visible()
    await expect(page.locator("#account_name")).to_have_value("王小明")
    await page.fill("#bank_code", "822")
    await page.click("#account-form button[type=submit]")
    await expect(page.locator("#current-account")).to_contain_text("9012")
    content = await page.content()
    assert "0123456789012" not in content
    await _no_sideways_scroll(page)
    await screenshot(page, f"money-page-{size}")
