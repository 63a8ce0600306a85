"""TapPay: pay-by-prime, refund and record query over HTTPS (httpx, explicit timeouts).

Requests carry the partner key in the ``x-api-key`` header and the body, as TapPay's Backend API
asks. TapPay answers ``status: 0`` on success; other statuses become clear errors. A timeout or a
broken connection is ``PaymentUnavailable``: the charge may exist, so callers reconcile by
querying the record API with our own order number.
"""

from __future__ import annotations

from typing import Any

import httpx

from pitchaseat.adapters.payments.base import (
    ChargeOutcome,
    ChargeRequest,
    ChargeResult,
    PaymentUnavailable,
    TradeRecord,
)

PAY_BY_PRIME = "/tpc/payment/pay-by-prime"
REFUND = "/tpc/transaction/refund"
RECORD_QUERY = "/tpc/transaction/query"
SANDBOX_HOST = "https://sandbox.tappaysdk.com"
PRODUCTION_HOST = "https://prod.tappaysdk.com"

# TapPay record_status values.
RECORD_ERROR, RECORD_AUTH, RECORD_OK, RECORD_PARTIAL_REFUND, RECORD_REFUNDED = -1, 0, 1, 2, 3
RECORD_PENDING, RECORD_CANCEL = 4, 5


def _error_code(message: str) -> str:
    lowered = message.lower()
    if "prime" in lowered and "expire" in lowered:
        return "prime_expired"
    if "prime" in lowered:
        return "invalid_prime"
    return "card_declined"


class TapPayPayments:
    name = "tappay"

    def __init__(
        self,
        *,
        partner_key: str,
        merchant_id: str,
        host: str = SANDBOX_HOST,
        timeout_seconds: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.partner_key = partner_key
        self.merchant_id = merchant_id
        self._client = httpx.AsyncClient(
            base_url=host.rstrip("/"),
            timeout=httpx.Timeout(timeout_seconds, connect=5.0),
            headers={"x-api-key": partner_key, "Content-Type": "application/json"},
            transport=transport,
        )

    async def close(self) -> None:
        await self._client.aclose()

    async def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            response = await self._client.post(path, json={"partner_key": self.partner_key, **body})
        except (httpx.TimeoutException, httpx.TransportError) as error:
            raise PaymentUnavailable(f"TapPay did not answer: {type(error).__name__}") from error
        if response.status_code >= 500:
            raise PaymentUnavailable(f"TapPay answered HTTP {response.status_code}")
        try:
            answer: dict[str, Any] = response.json()
        except ValueError as error:
            raise PaymentUnavailable("TapPay answered something that is not JSON") from error
        return answer

    async def pay_by_prime(self, request: ChargeRequest) -> ChargeResult:
        body: dict[str, Any] = {
            "prime": request.prime,
            "merchant_id": self.merchant_id,
            "amount": request.amount,
            "currency": "TWD",
            "details": request.details,
            "order_number": request.order_number,
            "cardholder": {
                "phone_number": request.cardholder.phone_number,
                "name": request.cardholder.name,
                "email": request.cardholder.email,
            },
            "three_domain_secure": request.three_domain_secure,
        }
        if request.three_domain_secure:
            body["result_url"] = {
                "frontend_redirect_url": request.frontend_redirect_url,
                "backend_notify_url": request.backend_notify_url,
            }
        answer = await self._post(PAY_BY_PRIME, body)
        if answer.get("status") != 0:
            message = str(answer.get("msg", ""))
            return ChargeResult(
                ChargeOutcome.declined,
                error_code=_error_code(message),
                message=message or "The payment was refused.",
            )
        if answer.get("payment_url"):
            return ChargeResult(
                ChargeOutcome.needs_3ds,
                rec_trade_id=answer.get("rec_trade_id"),
                payment_url=answer["payment_url"],
            )
        return ChargeResult(ChargeOutcome.paid, rec_trade_id=answer.get("rec_trade_id"))

    async def find_record(
        self, *, order_number: str | None = None, rec_trade_id: str | None = None
    ) -> TradeRecord | None:
        filters = {"order_number": order_number} if order_number else {"rec_trade_id": rec_trade_id}
        answer = await self._post(
            RECORD_QUERY, {"records_per_page": 1, "page": 0, "filters": filters}
        )
        records = answer.get("trade_records") or []
        if answer.get("status") not in (0, 2) or not records:
            return None
        record = records[0]
        status = int(record.get("record_status", RECORD_ERROR))
        return TradeRecord(
            rec_trade_id=str(record.get("rec_trade_id", "")),
            order_number=str(record.get("order_number", "")),
            amount=int(record.get("amount", 0)),
            paid=status in (RECORD_AUTH, RECORD_OK, RECORD_PARTIAL_REFUND),
            failed=status in (RECORD_ERROR, RECORD_CANCEL),
        )

    async def refund(self, rec_trade_id: str, amount: int) -> bool:
        answer = await self._post(REFUND, {"rec_trade_id": rec_trade_id, "amount": amount})
        return answer.get("status") == 0
