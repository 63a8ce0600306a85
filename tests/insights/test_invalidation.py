"""The cached market figures move at once when a sale is paid and when it is refunded."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tests.support.orders import buy


async def traded(client: httpx.AsyncClient) -> int:
    summary = (await client.get("/api/v1/stats/summary")).json()
    return int(summary["tickets_traded"])


async def test_summary_counts_a_payment_and_drops_a_refund_at_once(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    before = await traded(client)  # now cached

    order = await buy(client, db_session, quantity=2)
    after_payment = await traded(client)
    await client.post(f"{order.url}/cancel", headers=order.seller)
    after_refund = await traded(client)

    assert after_payment == before + 2
    assert after_refund == before
