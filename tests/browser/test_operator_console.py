"""An operator at work on a phone and on a desktop: imports a season and calls a game off,
takes down a reported listing, settles a dispute from both sides' evidence and records a
payout; the seller's and the buyer's bells and notification pages show each of it."""

from __future__ import annotations

import io
import uuid

import httpx
import pytest
from PIL import Image
from playwright.async_api import Browser, BrowserContext, Page, expect

from pitchaseat.admin.roles import set_operator
from pitchaseat.db import create_engine, create_session_factory
from tests.browser.conftest import screenshot, verify_registered
from tests.support.databases import DatabasePlan
from tests.support.orders import DELIVERY

pytestmark = pytest.mark.browser
PASSWORD = "Console-Duty-2099"
VIEWPORTS = {"phone": (360, 740), "desktop": (1280, 800)}
PAY = {
    "prime": "test_prime_ok",
    "cardholder": {"name": "王小明", "email": "fan@example.com", "phone_number": "0912345678"},
    "delivery": DELIVERY,
}


async def _account(http: httpx.AsyncClient, server_url: str, name: str) -> dict[str, str]:
    email = f"{name}.{uuid.uuid4().hex[:8]}@example.com"
    made = await http.post(
        "/api/v1/auth/register", json={"email": email, "password": PASSWORD, "display_name": name}
    )
    assert made.status_code == 201, made.text
    await verify_registered(server_url, email)  # selling and payouts need a proven address
    login = await http.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    return {"email": email, "Authorization": f"Bearer {login.json()['access_token']}"}


def _auth(account: dict[str, str]) -> dict[str, str]:
    return {"Authorization": account["Authorization"]}


async def _ok(response: httpx.Response) -> dict[str, object]:
    assert response.status_code < 300, response.text
    return response.json() if response.content else {}  # type: ignore[no-any-return]


async def _listing(http: httpx.AsyncClient, seller: dict[str, str], game_id: int) -> int:
    body = {
        "game_id": game_id,
        "seat_area": "infield_1b",
        "quantity": 2,
        "face_value": 900,
        "price": 800,
        "delivery_method": "e_ticket",
        "note": "連號兩張",
    }
    return int(
        (await _ok(await http.post("/api/v1/listings", json=body, headers=_auth(seller))))["id"]
    )  # type: ignore[call-overload]


async def _paid_order(http: httpx.AsyncClient, buyer: dict[str, str], listing_id: int) -> int:
    held = await _ok(
        await http.post(
            "/api/v1/orders", json={"listing_id": listing_id, "quantity": 1}, headers=_auth(buyer)
        )
    )
    await _ok(await http.post(f"/api/v1/orders/{held['id']}/pay", json=PAY, headers=_auth(buyer)))
    return int(held["id"])  # type: ignore[call-overload]


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 90), (30, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


async def _log_in(
    browser: Browser, server_url: str, size: tuple[int, int], email: str
) -> tuple[BrowserContext, Page]:
    context = await browser.new_context(
        viewport={"width": size[0], "height": size[1]}, locale="zh-TW"
    )
    page = await context.new_page()
    await page.goto(f"{server_url}/login")
    await page.fill("input[name=email]", email)
    await page.fill("input[name=password]", PASSWORD)
    await page.click("form button[type=submit]")
    await expect(page.locator(".user-name")).to_be_visible()
    return context, page


async def _no_sideways_scroll(page: Page) -> None:
    width = await page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= await page.evaluate("() => window.innerWidth"), page.url


@pytest.mark.parametrize("view", list(VIEWPORTS))
async def test_an_operator_works_the_console_and_both_sides_are_told(
    browser: Browser, server_url: str, browser_database: DatabasePlan, view: str
) -> None:
    size = VIEWPORTS[view]
    number = 500 + list(VIEWPORTS).index(view)
    day = f"2098-05-0{1 + list(VIEWPORTS).index(view)}"
    async with httpx.AsyncClient(base_url=server_url, timeout=15) as http:
        seller = await _account(http, server_url, "seller")
        buyer = await _account(http, server_url, "buyer")
        operator = await _account(http, server_url, "operator")
        await _ok(
            await http.put(
                "/api/v1/me/payout-account",
                json={"bank_code": "822", "account_number": "123456789012", "account_name": "賣家"},
                headers=_auth(seller),
            )
        )
        engine = create_engine(browser_database.url)
        async with create_session_factory(engine)() as session, session.begin():
            await set_operator(session, operator["email"], operator=True)
        await engine.dispose()
        reported = await _listing(http, seller, 1)
        disputed_listing = await _listing(http, seller, 1)
        sold_listing = await _listing(http, seller, 1)
        sold = await _paid_order(http, buyer, sold_listing)
        await _ok(
            await http.post(
                f"/api/v1/orders/{sold}/ship", json={"method": "e_ticket"}, headers=_auth(seller)
            )
        )
        await _ok(await http.post(f"/api/v1/orders/{sold}/confirm", headers=_auth(buyer)))
        disputed = await _paid_order(http, buyer, disputed_listing)
        await _ok(
            await http.post(
                f"/api/v1/orders/{disputed}/dispute",
                json={"reason": "沒收到票"},
                headers=_auth(buyer),
            )
        )
        await _ok(
            await http.post(
                f"/api/v1/orders/{disputed}/evidence",
                data={"note": "賣家一直沒有轉票，這是對話截圖"},
                files={"file": ("chat.jpg", _photo(), "image/jpeg")},
                headers=_auth(buyer),
            )
        )
        await _ok(
            await http.post(
                f"/api/v1/orders/{disputed}/evidence",
                data={"note": "我週一已經轉票了"},
                headers=_auth(seller),
            )
        )
        await _ok(
            await http.post(
                f"/api/v1/listings/{reported}/reports",
                json={"reason": "fraud", "note": "同一組座位在別處也在賣"},
                headers=_auth(buyer),
            )
        )

        context, page = await _log_in(browser, server_url, size, operator["email"])

        # A season file: checked first, then imported.
        await page.goto(f"{server_url}/admin/games")
        csv_text = (
            "season,game_number,date,time,home_team,away_team,stadium\n"
            f"2098,{number},{day},18:35,CTBC,TSG,\n"
        )
        await page.set_input_files(
            "#schedule-file",
            files=[{"name": "season.csv", "mimeType": "text/csv", "buffer": csv_text.encode()}],
        )
        await page.click("#schedule-import button[type=submit]")
        await expect(page.locator("#schedule-import .notice")).to_be_visible()
        await screenshot(page, f"console-import-preview-{view}")
        await page.click("#schedule-import button[type=submit]")
        await expect(page.locator("#games-done")).to_be_visible()
        games = await _ok(
            await http.get("/api/v1/games", params={"date_from": day, "date_to": day})
        )
        [new_game] = [game for game in games["items"] if game["home_team"]["code"] == "CTBC"]  # type: ignore[index, union-attr]
        on_new_game = await _listing(http, seller, int(new_game["id"]))
        rained_out = await _paid_order(http, buyer, on_new_game)

        # The dashboard leads to the report queue; the listing is taken down.
        await page.goto(f"{server_url}/admin")
        await _no_sideways_scroll(page)
        await screenshot(page, f"console-dashboard-{view}")
        await page.click("[data-tile=reports] a")
        row = page.locator(f"[data-listing-id='{reported}']")
        await expect(row.locator(".report-line")).to_contain_text("同一組座位")
        await row.locator("summary", has_text="下架").click()
        await row.locator(".take-down-form textarea[name=reason]").fill(
            "同一組座位重複刊登，疑似詐騙"
        )
        await row.locator(".take-down-form button[type=submit]").click()
        await expect(page.locator(".notice")).to_be_visible()
        listings = await _ok(await http.get("/api/v1/games/1/listings"))
        assert reported not in [item["id"] for item in listings["items"]]  # type: ignore[union-attr]

        # The dispute: both sides' evidence side by side, settled with a refund.
        await page.goto(f"{server_url}/admin/disputes/{disputed}")
        await expect(page.locator("#buyer-evidence .evidence-photo")).to_be_visible()
        await expect(page.locator("#seller-evidence")).to_contain_text("我週一已經轉票了")
        await _no_sideways_scroll(page)
        await screenshot(page, f"console-dispute-{view}")
        await page.check("input[name=outcome][value=refunded]")
        await page.fill("#resolve-note", "賣家無法提出轉票紀錄，全額退款給買家")
        await page.click("#resolve-form button[type=submit]")
        await expect(page.locator("#resolved-note")).to_be_visible()
        await expect(page.locator("#order-facts .badge").first).to_have_text("已退款")

        # The payout for the completed sale.
        await page.goto(f"{server_url}/admin/payouts")
        seller_me = await _ok(await http.get("/api/v1/users/me", headers=_auth(seller)))
        payout_row = page.locator(f"#payouts-due li[data-seller-id='{seller_me['id']}']")
        await payout_row.locator("input[name=reference]").fill(f"TW-{uuid.uuid4().hex[:6]}")
        await payout_row.locator("button[type=submit]").click()
        await expect(page.locator("#payout-recorded")).to_be_visible()
        await screenshot(page, f"console-payouts-{view}")

        # The imported game is called off: its paid order is refunded.
        await page.goto(f"{server_url}/admin/games")
        game_row = page.locator(f"[data-game-id='{new_game['id']}']")
        await game_row.locator("summary", has_text="取消比賽").click()
        await game_row.locator(".cancel-game-form textarea[name=reason]").fill("颱風停班停課")
        await game_row.locator(".cancel-game-form button[type=submit]").click()
        await expect(page.locator("#games-done")).to_be_visible()
        assert (await _ok(await http.get(f"/api/v1/orders/{rained_out}", headers=_auth(buyer))))[
            "status"
        ] == "refunded"

        await page.goto(f"{server_url}/admin/audit")
        await expect(page.locator("#audit-entries li")).to_have_count(
            await page.locator("#audit-entries li").count()
        )
        await screenshot(page, f"console-audit-{view}")
        await context.close()

    for who, expected in (
        (seller, ["已被下架", "銀行帳戶", "爭議已處理", "取消"]),
        (buyer, ["爭議已處理", "取消", "已退款"]),
    ):
        context, page = await _log_in(browser, server_url, size, who["email"])
        bell_count = page.locator("#notification-bell .bell-count")
        await expect(bell_count).to_be_visible()
        await page.click("#notification-bell .bell-toggle")
        await expect(page.locator("#notification-bell .bell-items li").first).to_be_visible()
        await screenshot(page, f"console-bell-{'seller' if who is seller else 'buyer'}-{view}")
        await page.goto(f"{server_url}/notifications")
        for words in expected:
            await expect(page.locator("main")).to_contain_text(words)
        await context.close()
