from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Protocol


class ChargeOutcome(enum.StrEnum):
    paid = "paid"
    declined = "declined"
    needs_3ds = "needs_3ds"


@dataclass(frozen=True)
class Cardholder:
    name: str
    email: str
    phone_number: str


@dataclass(frozen=True)
class ChargeRequest:
    prime: str
    amount: int
    order_number: str
    details: str
    cardholder: Cardholder
    three_domain_secure: bool = False
    frontend_redirect_url: str = ""
    backend_notify_url: str = ""


@dataclass(frozen=True)
class ChargeResult:
    outcome: ChargeOutcome
    rec_trade_id: str | None = None
    payment_url: str | None = None
    error_code: str | None = None
    message: str = ""


class PaymentUnavailable(Exception):
    """The provider did not answer (timeout, network): the charge may or may not exist."""


@dataclass(frozen=True)
class TradeRecord:
    """What the provider's records say of a charge, looked up by our order number."""

    rec_trade_id: str
    order_number: str
    amount: int
    paid: bool
    failed: bool


class PaymentProvider(Protocol):
    name: str

    async def pay_by_prime(self, request: ChargeRequest) -> ChargeResult: ...

    async def find_record(
        self, *, order_number: str | None = None, rec_trade_id: str | None = None
    ) -> TradeRecord | None: ...

    async def refund(self, rec_trade_id: str, amount: int) -> bool: ...
