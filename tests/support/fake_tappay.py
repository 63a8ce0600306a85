"""A local stand-in for TapPay's Backend API (TapPay cannot be reached from here).

It follows TapPay's documented shapes: JSON bodies carrying ``partner_key``, the ``x-api-key``
header, ``status: 0`` for success, ``rec_trade_id``, ``payment_url`` for 3-D Secure, and
``trade_records`` with ``record_status`` from the record query. Primes pick the behaviour:
``prime_ok``, ``prime_declined``, ``prime_expired``, ``prime_invalid``, ``prime_slow`` (charges,
then answers too late) and ``prime_lost`` (charges, then the answer is lost).
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

PARTNER_KEY = "partner_test_key"
MERCHANT_ID = "pitchaseat_test"
SLOW_SECONDS = 2.0

_REFUSALS = {
    "prime_declined": (10003, "Card Error: the issuer declined the transaction"),
    "prime_expired": (10006, "Prime is expired"),
    "prime_invalid": (121, "Invalid prime"),
}


@dataclass
class FakeTapPay:
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)
    # Widen race windows on purpose: every charge (or refund) answers this much later.
    charge_delay_seconds: float = 0.0
    refund_delay_seconds: float = 0.0
    # Money sent back per trade: a second refund of a refunded trade is refused, as TapPay does.
    refunded: dict[str, int] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/tpc/payment/pay-by-prime", self.pay_by_prime, methods=["POST"]),
                Route("/tpc/transaction/query", self.query, methods=["POST"]),
                Route("/tpc/transaction/refund", self.refund, methods=["POST"]),
            ]
        )

    def complete_3ds(self, rec_trade_id: str, *, approved: bool = True) -> None:
        self.records[rec_trade_id]["record_status"] = 1 if approved else -1

    async def _authorised(self, request: Request) -> dict[str, Any] | None:
        body: dict[str, Any] = await request.json()
        key_ok = request.headers.get("x-api-key") == PARTNER_KEY == body.get("partner_key")
        return body if key_ok else None

    async def pay_by_prime(self, request: Request) -> Response:
        body = await self._authorised(request)
        self.calls.append("pay-by-prime")
        if body is None:
            return JSONResponse({"status": 1, "msg": "Authentication failed"})
        if body.get("merchant_id") != MERCHANT_ID or body.get("currency") != "TWD":
            return JSONResponse({"status": 4, "msg": "Invalid merchant or currency"})
        prime = str(body.get("prime"))
        if prime in _REFUSALS:
            status, message = _REFUSALS[prime]
            return JSONResponse({"status": status, "msg": message})
        rec_trade_id = f"D{next(self._ids):012d}"
        three_ds = bool(body.get("three_domain_secure"))
        self.records[rec_trade_id] = {
            "rec_trade_id": rec_trade_id,
            "order_number": body.get("order_number"),
            "amount": body.get("amount"),
            "record_status": 4 if three_ds else 1,
        }
        if prime == "prime_slow":
            await asyncio.sleep(SLOW_SECONDS)
        elif self.charge_delay_seconds:
            await asyncio.sleep(self.charge_delay_seconds)
        if prime == "prime_lost":
            return Response("upstream connection reset", status_code=502)
        answer: dict[str, Any] = {
            "status": 0,
            "msg": "Success",
            "rec_trade_id": rec_trade_id,
            "amount": body.get("amount"),
            "currency": "TWD",
            "order_number": body.get("order_number"),
        }
        if three_ds:
            answer["payment_url"] = f"https://fake-3ds.example/{rec_trade_id}"
        return JSONResponse(answer)

    async def query(self, request: Request) -> Response:
        body = await self._authorised(request)
        self.calls.append("query")
        if body is None:
            return JSONResponse({"status": 1, "msg": "Authentication failed"})
        filters = body.get("filters") or {}
        found = [
            record
            for record in self.records.values()
            if record["order_number"] == filters.get("order_number")
            or record["rec_trade_id"] == filters.get("rec_trade_id")
        ]
        return JSONResponse(
            {
                "status": 0 if found else 2,
                "msg": "Success",
                "number_of_transactions": len(found),
                "trade_records": found,
            }
        )

    async def refund(self, request: Request) -> Response:
        body = await self._authorised(request)
        self.calls.append("refund")
        record = self.records.get(str((body or {}).get("rec_trade_id")))
        if body is None or record is None:
            return JSONResponse({"status": 10001, "msg": "Trade not found"})
        if self.refund_delay_seconds:
            await asyncio.sleep(self.refund_delay_seconds)
        trade = str(record["rec_trade_id"])
        if record["record_status"] == 3:
            return JSONResponse({"status": 10002, "msg": "Trade already refunded"})
        record["record_status"] = 3
        self.refunded[trade] = self.refunded.get(trade, 0) + int(body.get("amount") or 0)
        return JSONResponse({"status": 0, "msg": "Success", "refund_amount": body.get("amount")})
