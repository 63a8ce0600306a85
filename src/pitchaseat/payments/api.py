from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request
from pydantic import BaseModel, Field

from pitchaseat.accounts.deps import CurrentUser
from pitchaseat.adapters.payments.base import Cardholder
from pitchaseat.errors import NotFound
from pitchaseat.listings.deps import ListingPagesDep
from pitchaseat.orders.deps import OwnedOrder
from pitchaseat.orders.models import Order
from pitchaseat.orders.schemas import OrderCancel, OrderOut
from pitchaseat.orders.service import order_with_history
from pitchaseat.payments import cancellation, checkout, service
from pitchaseat.payments.models import PaymentStatus
from pitchaseat.payments.reconcile import reconcile_payment
from pitchaseat.payments.schemas import PayRequest
from pitchaseat.web.deps import ServicesDep, SessionDep
from pitchaseat.web.openapi import error_responses
from pitchaseat.web.params import IdPath

router = APIRouter(prefix="/api/v1", tags=["payments"])


class NotifyAnswer(BaseModel):
    status: str


class PaidOrderOut(OrderOut):
    payment_url: str | None = Field(
        default=None, description="Where to send the buyer for 3-D Secure, when required"
    )


@router.post(
    "/orders/{order_id}/pay",
    response_model=PaidOrderOut,
    responses=error_responses(401, 402, 404, 409, 422),
)
async def pay_order(
    order_id: IdPath,
    body: PayRequest,
    buyer: CurrentUser,
    services: ServicesDep,
    idempotency_key: Annotated[
        str | None, Header(alias="Idempotency-Key", min_length=1, max_length=100)
    ] = None,
) -> PaidOrderOut:
    payment = await checkout.pay_for_order(
        services.session_factory,
        services.payments,
        checkout.PaySite.for_settings(services.settings),
        order_id,
        buyer.id,
        prime=body.prime,
        cardholder=Cardholder(**body.cardholder.model_dump()),
        idempotency_key=idempotency_key,
        stats_cache=services.cache,
    )
    async with services.session_factory() as session:
        order: Order | None = await order_with_history(session, order_id)
        if order is None:
            raise NotFound("No such order.")
        shown = PaidOrderOut.model_validate(order)
    if payment.status is PaymentStatus.pending and payment.payment_url:
        shown.payment_url = payment.payment_url
    return shown


@router.post("/payments/tappay/notify", response_model=NotifyAnswer)
async def tappay_notify(request: Request, services: ServicesDep) -> NotifyAnswer:
    """TapPay's backend notify after 3-D Secure. Nothing in it is trusted: the payment is
    settled from TapPay's record query, once; repeated or forged notifies change nothing."""
    try:
        body = await request.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return NotifyAnswer(status="ignored")
    order_number = body.get("order_number")
    rec_trade_id = body.get("rec_trade_id")
    async with services.session_factory() as session:
        payment = await service.find_payment(
            session,
            order_number=order_number if isinstance(order_number, str) else None,
            rec_trade_id=rec_trade_id if isinstance(rec_trade_id, str) else None,
        )
        payment_id = payment.id if payment is not None else None
    if payment_id is None:
        return NotifyAnswer(status="ignored")
    settled = await reconcile_payment(
        services.session_factory, services.payments, payment_id, stats_cache=services.cache
    )
    return NotifyAnswer(status=settled.value)


@router.post(
    "/orders/{order_id}/cancel",
    response_model=OrderOut,
    responses=error_responses(401, 403, 404, 409, 422),
)
async def cancel_order(
    order: OwnedOrder,
    user: CurrentUser,
    session: SessionDep,
    services: ServicesDep,
    pages: ListingPagesDep,
    body: OrderCancel | None = None,
) -> OrderOut:
    """The buyer lets a hold go (cancelled). A paid order is cancelled with a full refund
    (refunded) by its seller, or by its buyer while the game is postponed without a date."""
    cancelled = await cancellation.cancel_order(
        session,
        services.session_factory,
        services.payments,
        order,
        user,
        reason=body.reason if body else None,
        cache=pages,
    )
    return OrderOut.model_validate(cancelled)
