"""A provider for the embedded run and demos: no money moves.

Documented test primes: ``test_prime_ok`` pays, ``test_prime_declined`` is a declined card,
``test_prime_expired`` an expired prime, ``test_prime_3ds`` asks for 3-D Secure. Any other
prime pays (so the demo's payment form works with any input).
"""

from __future__ import annotations

import secrets

from pitchaseat.adapters.payments.base import (
    ChargeOutcome,
    ChargeRequest,
    ChargeResult,
    TradeRecord,
)

DECLINES = {
    "test_prime_declined": ("card_declined", "The bank declined the card."),
    "test_prime_expired": ("prime_expired", "The card form expired; enter the card again."),
}


class SandboxPayments:
    name = "sandbox"

    def __init__(self) -> None:
        self.records: dict[str, TradeRecord] = {}

    async def find_record(
        self, *, order_number: str | None = None, rec_trade_id: str | None = None
    ) -> TradeRecord | None:
        return next(
            (
                record
                for record in self.records.values()
                if record.order_number == order_number or record.rec_trade_id == rec_trade_id
            ),
            None,
        )

    async def pay_by_prime(self, request: ChargeRequest) -> ChargeResult:
        if request.prime in DECLINES:
            code, message = DECLINES[request.prime]
            return ChargeResult(ChargeOutcome.declined, error_code=code, message=message)
        trade_id = f"SBX{secrets.token_hex(8).upper()}"
        needs_3ds = request.prime == "test_prime_3ds" or request.three_domain_secure
        self.records[trade_id] = TradeRecord(
            trade_id, request.order_number, request.amount, paid=not needs_3ds, failed=False
        )
        if needs_3ds:
            return ChargeResult(
                ChargeOutcome.needs_3ds,
                rec_trade_id=trade_id,
                payment_url=f"{request.frontend_redirect_url}?sandbox_trade={trade_id}",
            )
        return ChargeResult(ChargeOutcome.paid, rec_trade_id=trade_id)

    async def refund(self, rec_trade_id: str, amount: int) -> bool:
        record = self.records.get(rec_trade_id)
        return record is not None and record.paid and amount <= record.amount
