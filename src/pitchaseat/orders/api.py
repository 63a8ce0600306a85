"""The orders API: holds, payment, the hand-off, cancellation, and TapPay's notify."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Header, Request, UploadFile, status
from pydantic import BaseModel, Field

from pitchaseat.accounts.deps import CurrentCaller, CurrentUser
from pitchaseat.adapters.payments.base import Cardholder
from pitchaseat.db import release_connection
from pitchaseat.errors import NotFound
from pitchaseat.listings.deps import PhotoPipelineDep, StorageDep
from pitchaseat.listings.photos import MAX_UPLOAD_BYTES
from pitchaseat.orders import delivery, holds, lifecycle, messages, proof_photo
from pitchaseat.orders.deps import (
    HoldPolicyDep,
    OwnedOrder,
    OwnedOrderId,
    OwnPurchaseId,
    VisibleOrder,
)
from pitchaseat.orders.handoff_view import order_detail
from pitchaseat.orders.models import OrderStatus
from pitchaseat.orders.schemas import (
    DeliveryIn,
    DisputeRequest,
    MessageIn,
    MessageOut,
    OrderCancel,
    OrderCreate,
    OrderDetailOut,
    OrderOut,
    OrderPayRequest,
    ShipRequest,
)
from pitchaseat.orders.workflows import cancellation, paying
from pitchaseat.orders.workflows.placing import place_hold
from pitchaseat.orders.workflows.reconcile import reconcile_payment
from pitchaseat.payments.attempts import find_payment
from pitchaseat.payments.models import PaymentStatus
from pitchaseat.web.deps import ServicesDep, SessionDep
from pitchaseat.web.openapi import error_responses
from pitchaseat.web.pagination import Page, PageDep

router = APIRouter(prefix="/api/v1", tags=["orders"])

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=100,
        description="Repeat the same key to get the first result instead of a second order.",
    ),
]


class NotifyAnswer(BaseModel):
    status: str


class PaidOrderOut(OrderOut):
    payment_status: PaymentStatus = Field(
        description="paid; pending (waiting for 3-D Secure at payment_url); unknown (the bank "
        "has not answered yet: being confirmed, never a decline; the buyer is notified when it "
        "settles, and must not pay again meanwhile)"
    )
    payment_url: str | None = Field(
        default=None, description="Where to send the buyer for 3-D Secure, when required"
    )


async def _shown(services: ServicesDep, order_id: int, outcome: paying.PayOutcome) -> PaidOrderOut:
    order = outcome.paid_order
    if order is None:  # not paid by this request (a replay, 3-D Secure): read it
        async with services.session_factory() as session:
            order = await holds.order_with_history(session, order_id)
        if order is None:
            raise NotFound("No such order.")
    payment = outcome.payment
    pending = payment.status is PaymentStatus.pending
    return PaidOrderOut(
        **OrderOut.model_validate(order).model_dump(),
        payment_status=payment.status,
        payment_url=payment.payment_url if pending else None,
    )


@router.post(
    "/orders",
    status_code=status.HTTP_201_CREATED,
    response_model=OrderOut,
    responses=error_responses(401, 403, 404, 409, 422, 429),
)
async def create_order(
    body: OrderCreate,
    buyer: CurrentCaller,
    services: ServicesDep,
    policy: HoldPolicyDep,
    idempotency_key: IdempotencyKey = None,
) -> OrderOut:
    order = await place_hold(
        services.session_factory,
        services.rate_limiter,
        services.settings.holds_per_user,
        buyer,
        listing_id=body.listing_id,
        quantity=body.quantity,
        policy=policy,
        idempotency_key=idempotency_key,
    )
    return OrderOut.model_validate(order)


@router.get("/orders", response_model=Page[OrderOut], responses=error_responses(401, 422))
async def list_orders(
    user: CurrentUser,
    session: SessionDep,
    page: PageDep,
    role: Literal["buyer", "seller"] = "buyer",
    status: OrderStatus | None = None,
) -> Page[OrderOut]:
    result = await holds.list_orders(
        session,
        user,
        as_seller=role == "seller",
        status=status,
        offset=page.offset,
        limit=page.page_size,
    )
    return Page(
        items=[OrderOut.model_validate(order) for order in result.orders],
        page=page.page,
        page_size=page.page_size,
        total=result.total,
    )


@router.get(
    "/orders/{order_id}", response_model=OrderDetailOut, responses=error_responses(401, 404)
)
async def get_order(
    order: VisibleOrder, user: CurrentUser, session: SessionDep, storage: StorageDep
) -> OrderDetailOut:
    """The order with its history and hand-off: ``delivery`` for the buyer, and for the
    seller once paid; ``fee`` and ``payout`` for the seller."""
    return await order_detail(session, order, user, storage)


@router.post(
    "/orders/{order_id}/pay",
    response_model=PaidOrderOut,
    responses=error_responses(401, 402, 404, 409, 422),
)
async def pay_order(
    order_id: OwnPurchaseId,
    body: OrderPayRequest,
    buyer: CurrentCaller,
    services: ServicesDep,
    idempotency_key: IdempotencyKey = None,
) -> PaidOrderOut:
    outcome = await paying.pay(
        services.session_factory,
        services.payments,
        paying.PaySite.for_settings(services.settings),
        order_id,
        buyer.id,
        prime=body.prime,
        cardholder=Cardholder(**body.cardholder.model_dump()),
        idempotency_key=idempotency_key,
        delivery=body.delivery,
    )
    return await _shown(services, order_id, outcome)


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
        payment = await find_payment(
            session,
            order_number=order_number if isinstance(order_number, str) else None,
            rec_trade_id=rec_trade_id if isinstance(rec_trade_id, str) else None,
        )
        payment_id = payment.id if payment is not None else None
    if payment_id is None:
        return NotifyAnswer(status="ignored")
    settled = await reconcile_payment(services.session_factory, services.payments, payment_id)
    return NotifyAnswer(status=settled.value)


@router.post(
    "/orders/{order_id}/ship",
    response_model=OrderOut,
    responses=error_responses(401, 403, 404, 409, 422),
)
async def ship_order(
    order: OwnedOrder, body: ShipRequest, user: CurrentUser, session: SessionDep
) -> OrderOut:
    shipped = await lifecycle.ship(session, order, user.id, body)
    return OrderOut.model_validate(shipped)


@router.post(
    "/orders/{order_id}/confirm",
    response_model=OrderOut,
    responses=error_responses(401, 403, 404, 409),
)
async def confirm_order(order: OwnedOrder, user: CurrentUser, session: SessionDep) -> OrderOut:
    return OrderOut.model_validate(await lifecycle.confirm_receipt(session, order, user.id))


@router.post(
    "/orders/{order_id}/dispute",
    response_model=OrderOut,
    responses=error_responses(401, 403, 404, 409, 422),
)
async def dispute_order(
    order: OwnedOrder, body: DisputeRequest, user: CurrentUser, session: SessionDep
) -> OrderOut:
    disputed = await lifecycle.open_dispute(session, order, user.id, reason=body.reason)
    return OrderOut.model_validate(disputed)


@router.post(
    "/orders/{order_id}/cancel",
    response_model=OrderOut,
    responses=error_responses(401, 403, 404, 409, 422),
)
async def cancel_order(
    order_id: OwnedOrderId,
    user: CurrentUser,
    services: ServicesDep,
    body: OrderCancel | None = None,
) -> OrderOut:
    """The buyer lets a hold go (cancelled). A paid order is cancelled with a full refund
    (refunded) by its seller, or by its buyer while the game is postponed without a date."""
    cancelled = await cancellation.cancel_order(
        services.session_factory,
        services.payments,
        order_id,
        user,
        reason=body.reason if body else None,
    )
    return OrderOut.model_validate(cancelled)


@router.post(
    "/orders/{order_id}/shipment/photo",
    response_model=OrderDetailOut,
    responses=error_responses(401, 403, 404, 409, 413, 415, 422),
)
async def upload_proof_photo(
    order: OwnedOrder,
    user: CurrentUser,
    session: SessionDep,
    storage: StorageDep,
    photos: PhotoPipelineDep,
    file: Annotated[UploadFile, File(description="JPEG, PNG or WebP, at most 8 MiB")],
) -> OrderDetailOut:
    """The seller's proof of posting or transfer, for a shipment already made."""
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    # Decoded with no transaction open (on SQLite it would hold the database's write lock).
    await release_connection(session)
    photo = await photos.process(data)
    await proof_photo.attach_proof(session, order, user.id, photo, storage)
    return await order_detail(session, order, user, storage)


# The hand-off between buyer and seller (reading it is part of GET /orders/{id}).


@router.put(
    "/orders/{order_id}/delivery",
    response_model=OrderDetailOut,
    responses=error_responses(401, 403, 404, 409, 422),
)
async def put_delivery(
    order: OwnedOrder,
    body: DeliveryIn,
    user: CurrentUser,
    session: SessionDep,
    storage: StorageDep,
) -> OrderDetailOut:
    """The buyer gives or corrects the delivery details, until the tickets are sent."""
    updated = await delivery.update_delivery(session, order.id, user.id, body)
    return await order_detail(session, updated, user, storage)


@router.get(
    "/orders/{order_id}/messages",
    response_model=Page[MessageOut],
    responses=error_responses(401, 404, 422),
)
async def list_messages(
    order: VisibleOrder, session: SessionDep, page: PageDep
) -> Page[MessageOut]:
    found = await messages.list_messages(
        session, order.id, offset=page.offset, limit=page.page_size
    )
    return Page(
        items=[MessageOut.model_validate(message) for message in found.items],
        page=page.page,
        page_size=page.page_size,
        total=found.total,
    )


@router.post(
    "/orders/{order_id}/messages",
    status_code=status.HTTP_201_CREATED,
    response_model=MessageOut,
    responses=error_responses(401, 404, 409, 422, 429),
)
async def post_message(
    order: OwnedOrder,
    body: MessageIn,
    user: CurrentUser,
    session: SessionDep,
    services: ServicesDep,
) -> MessageOut:
    """Plain text to the other side of the order (1-1000 characters), from payment until 30
    days after the order ends; the other side is told once per burst."""
    await messages.check_rate(services.rate_limiter, user.id)
    message = await messages.post_message(session, order, user, body.body)
    return MessageOut.model_validate(message)
