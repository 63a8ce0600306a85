"""A dispute with both sides' evidence, settled by an operator through the dispute workflow."""

from __future__ import annotations

import io

import httpx
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.admin.audit import Action
from pitchaseat.ledger.models import LedgerEntry
from pitchaseat.ledger.service import account_totals
from pitchaseat.runtime import AppServices
from tests.admin.support import audit_count, operator_headers
from tests.support.orders import PaidOrder


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


async def _disputed(client: httpx.AsyncClient, paid: PaidOrder) -> None:
    opened = await client.post(
        f"{paid.url}/dispute", json={"reason": "No tickets"}, headers=paid.buyer
    )
    assert opened.status_code == 200, opened.text


async def test_both_sides_add_evidence_and_the_operator_refunds_once(
    client: httpx.AsyncClient, db_session: AsyncSession, paid: PaidOrder, services: AppServices
) -> None:
    await _disputed(client, paid)
    refunds: list[str] = []
    real_refund = services.payments.refund

    async def counting_refund(rec_trade_id: str, amount: int) -> bool:
        refunds.append(rec_trade_id)
        return await real_refund(rec_trade_id, amount)

    services.payments.refund = counting_refund  # type: ignore[method-assign]
    buyer_says = await client.post(
        f"{paid.url}/evidence",
        data={"note": "The seller never sent them"},
        files={"file": ("chat.jpg", jpeg(), "image/jpeg")},
        headers=paid.buyer,
    )
    seller_says = await client.post(
        f"{paid.url}/evidence", data={"note": "I sent them on Monday"}, headers=paid.seller
    )
    operator = await operator_headers(client, db_session)
    queue = await client.get("/api/v1/admin/disputes", headers=operator)

    resolved = await client.post(
        f"/api/v1/admin/orders/{paid.id}/resolve",
        json={"outcome": "refunded", "note": "No proof of sending"},
        headers=operator,
    )

    assert buyer_says.status_code == 201, buyer_says.text
    assert buyer_says.json()["role"] == "buyer" and buyer_says.json()["image_url"]
    assert seller_says.status_code == 201 and seller_says.json()["role"] == "seller"
    [listed] = [item for item in queue.json()["items"] if item["id"] == paid.id]
    assert [item["role"] for item in listed["evidence"]] == ["buyer", "seller"]
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["status"] == "refunded"
    assert len(refunds) == 1
    assert sum((await account_totals(db_session)).values()) == 0
    refund_rows = await db_session.scalar(
        select(func.count(LedgerEntry.id)).where(
            LedgerEntry.order_id == paid.id, LedgerEntry.kind == "refund"
        )
    )
    assert refund_rows == 2
    assert await audit_count(db_session, Action.dispute_resolved, paid.id) == 1
    again = await client.post(
        f"/api/v1/admin/orders/{paid.id}/resolve",
        json={"outcome": "refunded", "note": "again"},
        headers=operator,
    )
    assert again.status_code == 409
    assert len(refunds) == 1
    assert await audit_count(db_session, Action.dispute_resolved, paid.id) == 1


async def test_the_operator_may_pay_the_seller_instead(
    client: httpx.AsyncClient, db_session: AsyncSession, paid: PaidOrder
) -> None:
    await _disputed(client, paid)
    operator = await operator_headers(client, db_session)

    resolved = await client.post(
        f"/api/v1/admin/orders/{paid.id}/resolve",
        json={"outcome": "completed", "note": "Tickets were used at the gate"},
        headers=operator,
    )

    assert resolved.json()["status"] == "completed"
    assert await audit_count(db_session, Action.dispute_resolved, paid.id) == 1


async def test_resolving_an_order_not_in_dispute_writes_no_audit_entry(
    client: httpx.AsyncClient, db_session: AsyncSession, paid: PaidOrder
) -> None:
    operator = await operator_headers(client, db_session)

    response = await client.post(
        f"/api/v1/admin/orders/{paid.id}/resolve",
        json={"outcome": "refunded", "note": "why not"},
        headers=operator,
    )

    assert response.status_code == 409
    assert await audit_count(db_session, Action.dispute_resolved, paid.id) == 0


async def test_bad_evidence_and_notes_are_refused(
    client: httpx.AsyncClient, db_session: AsyncSession, paid: PaidOrder
) -> None:
    await _disputed(client, paid)
    operator = await operator_headers(client, db_session)

    not_image = await client.post(
        f"{paid.url}/evidence",
        data={"note": "see file"},
        files={"file": ("chat.png", b"this is not a picture", "image/png")},
        headers=paid.buyer,
    )
    no_note = await client.post(f"{paid.url}/evidence", data={"note": "  "}, headers=paid.buyer)
    empty_resolve = await client.post(
        f"/api/v1/admin/orders/{paid.id}/resolve",
        json={"outcome": "refunded", "note": ""},
        headers=operator,
    )
    unknown_outcome = await client.post(
        f"/api/v1/admin/orders/{paid.id}/resolve",
        json={"outcome": "split", "note": "half each"},
        headers=operator,
    )

    assert not_image.status_code == 415, not_image.text
    assert no_note.status_code == 422
    assert empty_resolve.status_code == 422
    assert unknown_outcome.status_code == 422
    assert await audit_count(db_session, Action.dispute_resolved, paid.id) == 0


async def test_evidence_from_someone_else_or_on_an_open_order_is_refused(
    client: httpx.AsyncClient, db_session: AsyncSession, paid: PaidOrder
) -> None:
    operator = await operator_headers(client, db_session)

    not_disputed = await client.post(f"{paid.url}/evidence", data={"note": "x"}, headers=paid.buyer)
    await _disputed(client, paid)
    stranger = await client.post(f"{paid.url}/evidence", data={"note": "x"}, headers=operator)

    assert not_disputed.status_code == 409
    assert stranger.status_code == 404


async def test_the_operator_reads_the_messages_and_details_beside_the_evidence(
    client: httpx.AsyncClient, db_session: AsyncSession, paid: PaidOrder
) -> None:
    wrote = await client.post(
        f"{paid.url}/messages", json={"body": "<b>Gate 5</b> at 17:30?"}, headers=paid.buyer
    )
    assert wrote.status_code == 201, wrote.text
    operator = await operator_headers(client, db_session)
    before = await client.get(f"/admin/disputes/{paid.id}", headers=operator)
    await _disputed(client, paid)

    during = await client.get(f"/admin/disputes/{paid.id}", headers=operator)

    assert before.status_code == 200 and "Gate 5" not in before.text
    assert during.status_code == 200
    assert "&lt;b&gt;Gate 5&lt;/b&gt; at 17:30?" in during.text  # shown as text, never as markup
    assert 'id="dispute-delivery"' in during.text
