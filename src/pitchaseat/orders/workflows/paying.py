"""Paying for a hold, start to finish, for the API and the pages alike: transaction 1 claims
the order and records the attempt, the provider is asked with no transaction open,
transaction 2 records its answer."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pitchaseat.adapters.payments.base import (
    Cardholder,
    ChargeRequest,
    PaymentProvider,
    PaymentUnavailable,
)
from pitchaseat.db import commit, rollback
from pitchaseat.orders import charges
from pitchaseat.orders.models import Order
from pitchaseat.orders.schemas import DeliveryIn
from pitchaseat.orders.workflows.refunds import refund_late_charge
from pitchaseat.payments.attempts import fingerprint
from pitchaseat.payments.errors import PaymentFailed
from pitchaseat.payments.models import Payment, PaymentStatus
from pitchaseat.settings import Settings


@dataclass(frozen=True)
class PaySite:
    """Where the provider sends the buyer and its notify after 3-D Secure."""

    base_url: str
    three_domain_secure: bool

    @classmethod
    def for_settings(cls, settings: Settings) -> PaySite:
        return cls(settings.base_url, settings.tappay_three_domain_secure)


@dataclass(frozen=True)
class PayOutcome:
    payment: Payment
    # The order with its history when this payment paid it (otherwise the caller reads it).
    paid_order: Order | None = None


async def pay_for_order(
    factory: async_sessionmaker[AsyncSession],
    provider: PaymentProvider,
    site: PaySite,
    order_id: int,
    buyer_id: int,
    *,
    prime: str,
    cardholder: Cardholder,
    idempotency_key: str | None = None,
    delivery: DeliveryIn | None = None,
) -> Payment:
    """``pay`` for callers that want the payment only."""
    outcome = await pay(
        factory,
        provider,
        site,
        order_id,
        buyer_id,
        prime=prime,
        cardholder=cardholder,
        idempotency_key=idempotency_key,
        delivery=delivery,
    )
    return outcome.payment


async def pay(
    factory: async_sessionmaker[AsyncSession],
    provider: PaymentProvider,
    site: PaySite,
    order_id: int,
    buyer_id: int,
    *,
    prime: str,
    cardholder: Cardholder,
    idempotency_key: str | None = None,
    delivery: DeliveryIn | None = None,
) -> PayOutcome:
    """Charges the order's amount; a refused card raises PaymentFailed (402) and the hold
    runs on. A payment waiting for 3-D Secure comes back pending with its ``payment_url``."""
    request_fingerprint = fingerprint({"prime": prime, "cardholder": asdict(cardholder)})
    async with factory() as session:
        try:
            start = await charges.start_payment(
                session,
                order_id,
                buyer_id,
                provider=provider.name,
                idempotency_key=idempotency_key,
                request_fingerprint=request_fingerprint,
                delivery=delivery,
            )
        except BaseException:
            await rollback(session)
            raise
        await commit(session)
    payment, paid_order = start.payment, None
    if not start.replay:
        try:
            result = await provider.pay_by_prime(
                ChargeRequest(
                    prime=prime,
                    amount=payment.amount,
                    order_number=payment.order_number,
                    details=f"Pitch-A-Seat order {order_id}",
                    cardholder=cardholder,
                    three_domain_secure=site.three_domain_secure,
                    frontend_redirect_url=f"{site.base_url}/orders/{order_id}",
                    backend_notify_url=f"{site.base_url}/api/v1/payments/tappay/notify",
                )
            )
        except PaymentUnavailable:
            result = None
        async with factory() as session:
            recorded = await charges.record_result(session, payment.id, result)
            await commit(session)
        payment, paid_order = recorded.payment, recorded.paid_order
        if recorded.late_charge:
            await refund_late_charge(factory, provider, payment.id)
    if payment.status is PaymentStatus.failed:
        raise PaymentFailed(error_code=payment.error_code)
    return PayOutcome(payment, paid_order)
