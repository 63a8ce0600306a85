"""A provider for the embedded run and demos: no money moves.

Documented test primes: ``test_prime_ok`` pays, ``test_prime_declined`` is a declined card,
``test_prime_expired`` an expired prime, ``test_prime_3ds`` asks for 3-D Secure. Any other
prime pays (so the demo's payment form works with any input).

Its charges live in the app's own database (table ``sandbox_charges``, owned by this adapter),
the way a real gateway keeps them on its side: the CLI, a worker or a restarted app can look
a charge up and refund it, not only the process that made it.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Integer, String, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, mapped_column

from pitchaseat.adapters.payments.base import (
    ChargeOutcome,
    ChargeRequest,
    ChargeResult,
    TradeRecord,
)
from pitchaseat.db import Base, UtcDateTime
from pitchaseat.timeutil import utcnow

DECLINES = {
    "test_prime_declined": ("card_declined", "The bank declined the card."),
    "test_prime_expired": ("prime_expired", "The card form expired; enter the card again."),
}


class SandboxCharge(Base):
    """One sandbox charge, as the gateway's own record of it would be."""

    __tablename__ = "sandbox_charges"
    __table_args__ = (
        CheckConstraint("refunded_amount BETWEEN 0 AND amount", name="refund_within_amount"),
    )

    rec_trade_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    order_number: Mapped[str] = mapped_column(String(50), index=True)
    amount: Mapped[int] = mapped_column(Integer)
    # False while 3-D Secure is unfinished (the sandbox never finishes it).
    paid: Mapped[bool] = mapped_column(Boolean)
    refunded_amount: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


def _record(charge: SandboxCharge) -> TradeRecord:
    return TradeRecord(
        charge.rec_trade_id, charge.order_number, charge.amount, paid=charge.paid, failed=False
    )


class SandboxPayments:
    name = "sandbox"

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        # Each call is the gateway's own transaction, never the caller's.
        self._factory = session_factory

    async def find_record(
        self, *, order_number: str | None = None, rec_trade_id: str | None = None
    ) -> TradeRecord | None:
        async with self._factory() as session:
            charge = await session.scalar(
                select(SandboxCharge)
                .where(
                    or_(
                        SandboxCharge.order_number == order_number,
                        SandboxCharge.rec_trade_id == rec_trade_id,
                    )
                )
                .order_by(SandboxCharge.created_at, SandboxCharge.rec_trade_id)
                .limit(1)
            )
            return _record(charge) if charge is not None else None

    async def pay_by_prime(self, request: ChargeRequest) -> ChargeResult:
        if request.prime in DECLINES:
            code, message = DECLINES[request.prime]
            return ChargeResult(ChargeOutcome.declined, error_code=code, message=message)
        trade_id = f"SBX{secrets.token_hex(8).upper()}"
        needs_3ds = request.prime == "test_prime_3ds" or request.three_domain_secure
        async with self._factory() as session, session.begin():
            session.add(
                SandboxCharge(
                    rec_trade_id=trade_id,
                    order_number=request.order_number,
                    amount=request.amount,
                    paid=not needs_3ds,
                    refunded_amount=0,
                )
            )
        if needs_3ds:
            return ChargeResult(
                ChargeOutcome.needs_3ds,
                rec_trade_id=trade_id,
                payment_url=f"{request.frontend_redirect_url}?sandbox_trade={trade_id}",
            )
        return ChargeResult(ChargeOutcome.paid, rec_trade_id=trade_id)

    async def refund(self, rec_trade_id: str, amount: int) -> bool:
        """Refunds up to what is left of a paid charge; the row count says whether it did
        (two refunds racing for the same money cannot both succeed)."""
        if amount <= 0:
            return False
        async with self._factory() as session, session.begin():
            result = await session.execute(
                update(SandboxCharge)
                .where(
                    SandboxCharge.rec_trade_id == rec_trade_id,
                    SandboxCharge.paid.is_(True),
                    SandboxCharge.refunded_amount + amount <= SandboxCharge.amount,
                )
                .values(refunded_amount=SandboxCharge.refunded_amount + amount)
                .execution_options(synchronize_session=False)
            )
            return bool(getattr(result, "rowcount", 0) == 1)
