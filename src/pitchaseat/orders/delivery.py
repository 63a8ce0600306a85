"""The buyer's delivery details: which fields a delivery method needs, saving them (when
paying or later, until the tickets are sent), the buyer's last answers for the next checkout,
and masking them once the order has long ended. Services: the caller's transaction."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.errors import PermissionDenied
from pitchaseat.listings.models import DeliveryMethod, Listing
from pitchaseat.orders.errors import DeliveryDetailsRequired, DeliveryLocked
from pitchaseat.orders.models import Order, OrderDelivery, OrderEvent
from pitchaseat.orders.models import OrderStatus as S
from pitchaseat.orders.schemas import DeliveryIn
from pitchaseat.timeutil import utcnow

FIELDS = ("recipient_name", "phone", "address", "ticket_account", "meetup_note")
REQUIRED: dict[DeliveryMethod, tuple[str, ...]] = {
    DeliveryMethod.mail: ("recipient_name", "phone", "address"),
    DeliveryMethod.e_ticket: ("ticket_account",),
    DeliveryMethod.meet_up: ("phone",),
}
# Only what the method uses is kept (plus the buyer's note for the hand-off).
KEPT = {method: (*fields, "meetup_note") for method, fields in REQUIRED.items()}
# Until the tickets are sent, the buyer may still correct where they go.
EDITABLE = frozenset({S.pending_payment, S.paid})
ENDED = frozenset({S.completed, S.refunded, S.cancelled})
KEPT_AFTER_END = timedelta(days=30)


async def delivery_method_of(session: AsyncSession, order: Order) -> DeliveryMethod:
    method = await session.scalar(
        select(Listing.delivery_method).where(Listing.id == order.listing_id)
    )
    assert method is not None
    return method


async def delivery_of(session: AsyncSession, order_id: int) -> OrderDelivery | None:
    return await session.get(OrderDelivery, order_id)


def missing_fields(method: DeliveryMethod, values: dict[str, str | None]) -> list[str]:
    return [name for name in REQUIRED[method] if not values.get(name)]


async def save_delivery(
    session: AsyncSession, order: Order, given: DeliveryIn | None
) -> OrderDelivery:
    """Stores the buyer's answers over what they said before; refuses (422
    ``delivery_details_required``, nothing written) when the method's fields are missing.
    The caller holds the order row (locked, or its status checked)."""
    if order.status not in EDITABLE:
        raise DeliveryLocked()
    method = await delivery_method_of(session, order)
    return await store_delivery(session, order, given, method, await delivery_of(session, order.id))


async def store_delivery(
    session: AsyncSession,
    order: Order,
    given: DeliveryIn | None,
    method: DeliveryMethod,
    stored: OrderDelivery | None,
) -> OrderDelivery:
    """``save_delivery`` for a caller that read the method and the stored details already."""
    if order.status not in EDITABLE:
        raise DeliveryLocked()
    values = {name: getattr(stored, name) if stored else None for name in FIELDS}
    if given is not None:
        values.update({k: v for k, v in given.model_dump().items() if v is not None})
    missing = missing_fields(method, values)
    if missing:
        raise DeliveryDetailsRequired(missing=missing, delivery_method=method.value)
    kept = {name: values[name] if name in KEPT[method] else None for name in FIELDS}
    if stored is None:
        stored = OrderDelivery(order_id=order.id, buyer_id=order.buyer_id, **kept)
        session.add(stored)
    else:
        for name, value in kept.items():
            setattr(stored, name, value)
        stored.updated_at = utcnow()
    await session.flush()
    return stored


async def update_delivery(
    session: AsyncSession, order_id: int, actor_id: int, given: DeliveryIn
) -> Order:
    """The buyer corrects the details until the tickets are sent (PUT .../delivery)."""
    order = await session.scalar(select(Order).where(Order.id == order_id).with_for_update())
    assert order is not None  # the route's ownership check read it
    if actor_id != order.buyer_id:
        raise PermissionDenied("Only the buyer gives the delivery details.")
    await save_delivery(session, order, given)
    return order


async def last_answers(session: AsyncSession, buyer_id: int) -> dict[str, str]:
    """The buyer's latest answer to each field (masked ones are not answers)."""
    rows = await session.scalars(
        select(OrderDelivery)
        .where(OrderDelivery.buyer_id == buyer_id, OrderDelivery.masked_at.is_(None))
        .order_by(OrderDelivery.updated_at.desc())
        .limit(10)
    )
    answers: dict[str, str] = {}
    for row in rows:
        for name in FIELDS:
            value = getattr(row, name)
            if value and name not in answers and name != "meetup_note":
                answers[name] = value
    return answers


async def ended_at(session: AsyncSession, order_id: int) -> datetime | None:
    """When the order reached a final status (completed, refunded, cancelled)."""
    return await session.scalar(
        select(func.min(OrderEvent.at)).where(
            OrderEvent.order_id == order_id, OrderEvent.to_status.in_([s.value for s in ENDED])
        )
    )


async def deliveries_to_mask(
    session: AsyncSession, now: datetime | None = None, *, limit: int = 500
) -> list[int]:
    cutoff = (now or utcnow()) - KEPT_AFTER_END
    ended_long_ago = (
        select(OrderEvent.id)
        .where(
            OrderEvent.order_id == Order.id,
            OrderEvent.to_status.in_([s.value for s in ENDED]),
            OrderEvent.at <= cutoff,
        )
        .exists()
    )
    rows = await session.scalars(
        select(OrderDelivery.order_id)
        .join(Order, Order.id == OrderDelivery.order_id)
        .where(OrderDelivery.masked_at.is_(None), Order.status.in_(ENDED), ended_long_ago)
        .order_by(OrderDelivery.order_id)
        .limit(limit)
    )
    return list(rows)


def _keep_tail(value: str | None, shown: int) -> str | None:
    if not value:
        return value
    return "*" * max(3, len(value) - shown) + value[-shown:] if len(value) > shown else "***"


async def mask_delivery(session: AsyncSession, order_id: int, now: datetime | None = None) -> bool:
    """Masks one order's details if it ended long enough ago (re-checked here: safe to run
    any number of times)."""
    now = now or utcnow()
    stored = await delivery_of(session, order_id)
    order = await session.get(Order, order_id)
    if stored is None or order is None or stored.masked_at is not None:
        return False
    ended = await ended_at(session, order_id)
    if order.status not in ENDED or ended is None or ended > now - KEPT_AFTER_END:
        return False
    stored.recipient_name = stored.recipient_name[:1] + "**" if stored.recipient_name else None
    stored.phone = _keep_tail(stored.phone, 3)
    stored.address = "***" if stored.address else None
    stored.ticket_account = _keep_tail(stored.ticket_account, 2)
    stored.meetup_note = None
    stored.masked_at = now
    await session.flush()
    return True
