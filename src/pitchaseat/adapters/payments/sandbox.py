"""A provider for the embedded run and demos: no money moves.

Documented test primes: ``test_prime_ok`` pays, ``test_prime_declined`` is a declined card,
``test_prime_expired`` an expired prime, ``test_prime_3ds`` asks for 3-D Secure. Any other
prime pays (so the demo's payment form works with any input).
"""

from __future__ import annotations

import secrets

from pitchaseat.adapters.payments.base import ChargeOutcome, ChargeRequest, ChargeResult

DECLINES = {
    "test_prime_declined": ("card_declined", "The bank declined the card."),
    "test_prime_expired": ("prime_expired", "The card form expired; enter the card again."),
}


class SandboxPayments:
    name = "sandbox"

    async def pay_by_prime(self, request: ChargeRequest) -> ChargeResult:
        if request.prime in DECLINES:
            code, message = DECLINES[request.prime]
            return ChargeResult(ChargeOutcome.declined, error_code=code, message=message)
        trade_id = f"SBX{secrets.token_hex(8).upper()}"
        if request.prime == "test_prime_3ds" or request.three_domain_secure:
            return ChargeResult(
                ChargeOutcome.needs_3ds,
                rec_trade_id=trade_id,
                payment_url=f"{request.frontend_redirect_url}?sandbox_trade={trade_id}",
            )
        return ChargeResult(ChargeOutcome.paid, rec_trade_id=trade_id)
