"""What every page carries for phones and assistive technology, and the money buttons' second
ask, as the server renders them (the browser crawl checks how they look and behave)."""

from __future__ import annotations

import re

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import make_user
from tests.support.orders import PaidOrder
from tests.web.test_pages import log_in_with_form


async def test_every_page_has_a_skip_link_a_favicon_and_its_own_title(
    client: httpx.AsyncClient,
) -> None:
    home = await client.get("/")
    login = await client.get("/login")

    for page in (home, login):
        assert '<a class="skip-link" href="#main">' in page.text and 'id="main"' in page.text
        assert '<link rel="icon" href="/static/favicon.svg"' in page.text
    titles = {re.search(r"<title>([^<]+)</title>", page.text).group(1) for page in (home, login)}  # type: ignore[union-attr]
    assert len(titles) == 2
    assert (
        (await client.get("/static/favicon.svg"))
        .headers["content-type"]
        .startswith("image/svg+xml")
    )


async def test_the_bell_count_is_announced_through_a_live_region(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    fan = await make_user(db_session)
    await log_in_with_form(client, fan.email)

    page = (await client.get("/")).text

    assert re.search(r'id="bell-status" role="status" aria-live="polite"', page)
    assert 'data-label-unread="通知：{n} 則未讀"' in page


async def test_a_refund_asks_once_more_with_and_without_script(
    client: httpx.AsyncClient, paid: PaidOrder
) -> None:
    await log_in_with_form(client, paid.seller_email)

    page = (await client.get(f"/orders/{paid.id}")).text

    refund = re.search(r'<form[^>]*data-confirm="([^"]+)"[^>]*>(.*?)</form>', page, re.S)
    assert refund is not None and "退款" in refund.group(1)
    assert 'name="confirmed" value="1" required' in refund.group(2)
    assert 'id="seller-cancel"' in refund.group(2)


async def test_a_missing_page_says_so_in_words(client: httpx.AsyncClient) -> None:
    response = await client.get("/games/999999", headers={"Accept": "text/html"})

    assert response.status_code == 404
    heading = re.search(r"<h1>([^<]+)</h1>", response.text)
    assert heading is not None and heading.group(1) == "找不到這一頁"
