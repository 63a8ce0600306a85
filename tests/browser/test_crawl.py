"""Every page reachable from the home page, for each kind of visitor, in both languages, on a
phone and on a desktop: no sideways scrolling, no header item on more than two lines, no
JavaScript error, no 5xx, and no serious or critical axe-core finding. Screenshots are kept
under test-artifacts/crawl/."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest
from playwright.async_api import Browser, BrowserContext, expect

from pitchaseat.admin.roles import set_operator
from pitchaseat.db import create_engine, create_session_factory
from tests.browser.conftest import ARTIFACTS, MAILBOXES
from tests.factories import login_headers
from tests.support.crawl import AXE_SOURCE, Crawl, route_template, slug
from tests.support.databases import DatabasePlan
from tests.support.mailbox import verify_by_email

pytestmark = pytest.mark.browser
PASSWORD = "Knuckleball-2099"
LOCALES = {"zh-TW": "zh_TW", "en": "en"}
VIEWPORTS = {"phone": (360, 740), "desktop": (1280, 800)}
MAX_PAGES_PER_ROLE = 24
# The calendar opens on this month, where the browser tests' known games are.
STARTS = ("/", "/?month=2099-04")


@dataclass(frozen=True)
class Account:
    email: str
    name: str


SELLER = Account("crawl.seller@example.com", "賣票的阿德")
BUYER = Account("crawl.buyer@example.com", "買票的小芬")
OPERATOR = Account("crawl.operator@example.com", "值班的阿明")
ROLES: dict[str, Account | None] = {
    "anonymous": None,
    "buyer": BUYER,
    "seller": SELLER,
    "operator": OPERATOR,
}


async def _register(http: httpx.AsyncClient, account: Account) -> dict[str, str]:
    response = await http.post(
        "/api/v1/auth/register",
        json={"email": account.email, "password": PASSWORD, "display_name": account.name},
    )
    assert response.status_code == 201, response.text
    await verify_by_email(http, MAILBOXES[str(http.base_url).rstrip("/")], account.email)
    return await login_headers(http, account.email, PASSWORD)


async def _ok(response: httpx.Response) -> dict[str, object]:
    assert response.status_code < 300, response.text
    return response.json() if response.content else {}  # type: ignore[no-any-return]


async def _grant_operator(database_url: str, email: str) -> None:
    engine = create_engine(database_url)
    async with create_session_factory(engine)() as session, session.begin():
        await set_operator(session, email, operator=True)
    await engine.dispose()


@pytest.fixture(scope="module")
async def market(server_url: str, browser_database: DatabasePlan) -> dict[str, object]:
    """Listings, one order in each state a page shows, a review, a reservation, a report and
    an operator; returns the order ids by state."""
    async with httpx.AsyncClient(base_url=server_url) as http:
        seller = await _register(http, SELLER)
        buyer = await _register(http, BUYER)
        await _register(http, OPERATOR)
        await _grant_operator(browser_database.url, OPERATOR.email)
        stadiums = (await http.get("/api/v1/stadiums")).json()
        areas = [area["code"] for area in stadiums[0]["seat_areas"]]
        listings = []
        for number, area in enumerate(areas[:3]):
            listing = await _ok(
                await http.post(
                    "/api/v1/listings",
                    json={
                        "game_id": 1,
                        "seat_area": area,
                        "row": str(number + 3),
                        "seats": f"{number * 2 + 1}-{number * 2 + 2}",
                        "quantity": 4,
                        "face_value": 900,
                        "price": 800 - number * 100,
                        "delivery_method": "e_ticket",
                        "note": "兩張連號，可以分開買",
                    },
                    headers=seller,
                )
            )
            listings.append(listing["id"])
        pay = {
            "prime": "test_prime_ok",
            "cardholder": {"name": BUYER.name, "email": BUYER.email, "phone_number": "0912345678"},
            "delivery": {"ticket_account": "crawl-fan"},
        }

        async def order(listing_id: object) -> object:
            held = await _ok(
                await http.post(
                    "/api/v1/orders", json={"listing_id": listing_id, "quantity": 1}, headers=buyer
                )
            )
            return held["id"]

        completed = await order(listings[0])
        await _ok(await http.post(f"/api/v1/orders/{completed}/pay", json=pay, headers=buyer))
        await _ok(
            await http.post(
                f"/api/v1/orders/{completed}/ship", json={"method": "e_ticket"}, headers=seller
            )
        )
        await _ok(await http.post(f"/api/v1/orders/{completed}/confirm", headers=buyer))
        await _ok(
            await http.post(
                f"/api/v1/orders/{completed}/review",
                json={"rating": 5, "comment": "準時轉票，謝謝！"},
                headers=buyer,
            )
        )
        paid = await order(listings[1])
        await _ok(await http.post(f"/api/v1/orders/{paid}/pay", json=pay, headers=buyer))
        holding = await order(listings[2])  # left on hold: the checkout page
        await _ok(
            await http.post(
                f"/api/v1/listings/{listings[2]}/reports",
                json={"reason": "wrong_details", "note": "座位號碼怪怪的"},
                headers=buyer,
            )
        )
        await _ok(
            await http.post(
                "/api/v1/reservations",
                json={"game_id": 2, "seat_areas": areas[:1], "max_price": 700},
                headers=buyer,
            )
        )
    return {"completed": completed, "paid": paid, "holding": holding}


async def _context(
    browser: Browser, server_url: str, locale: str, size: tuple[int, int], account: Account | None
) -> BrowserContext:
    context = await browser.new_context(
        viewport={"width": size[0], "height": size[1]}, locale=locale
    )
    await context.add_cookies([{"name": "pas_lang", "value": LOCALES[locale], "url": server_url}])
    await context.add_init_script(AXE_SOURCE)
    if account is not None:
        page = await context.new_page()
        await page.goto(f"{server_url}/login")
        await page.fill("input[name=email]", account.email)
        await page.fill("input[name=password]", PASSWORD)
        await page.click("form button[type=submit]")
        await expect(page.locator(".user-name")).to_have_text(account.name)
        await page.close()
    return context


@pytest.mark.parametrize("role", list(ROLES))
async def test_every_page_fits_reads_and_passes_axe(
    browser: Browser, server_url: str, market: dict[str, object], role: str
) -> None:
    artifacts = ARTIFACTS / "crawl"
    artifacts.mkdir(parents=True, exist_ok=True)
    combos = [(locale, view) for locale in LOCALES for view in VIEWPORTS]
    problems: list[str] = []
    # The first combination finds the pages (one per route template); the others visit them.
    pages: dict[str, str] = {}
    for index, (locale, view) in enumerate(combos):
        context = await _context(browser, server_url, locale, VIEWPORTS[view], ROLES[role])
        crawl = Crawl(context, server_url, f"{role}-{locale}-{view}", artifacts)
        if index == 0:
            # Each order state shows other forms: the order pages are all visited.
            orders = [f"/orders/{market[state]}" for state in ("holding", "paid", "completed")]
            console = ["/admin"] if role == "operator" else []
            parties = role in ("buyer", "seller")
            starts = [*console, *STARTS, *(orders if parties else [])]
            queue, seen = [server_url + path for path in starts], set()
            while queue and len(seen) < MAX_PAGES_PER_ROLE:
                url = queue.pop(0)
                path = url.removeprefix(server_url)
                template = path if path in orders else route_template(url)
                if template in seen:
                    continue
                seen.update({template, route_template(url)})
                found = await crawl.visit(url, name=slug(template))
                landed = route_template(crawl.landed.get(url, url))
                if landed == route_template(url) or landed not in seen:
                    pages[template] = url  # not a redirect to a page already seen (log in)
                queue += [link for link in found if route_template(link) not in seen]
        else:
            for template, url in pages.items():
                await crawl.visit(url, name=slug(template))
        await context.close()
        problems += [
            f"{crawl.label} {report.url}: {problem}"
            for report in crawl.reports
            for problem in report.problems
        ]
    assert len(pages) >= 3, pages
    assert problems == []
