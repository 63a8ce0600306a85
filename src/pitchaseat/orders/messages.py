"""Messages between an order's buyer and seller: open from payment until 30 days after the
order ends, plain text, and each burst tells the other side once (bell and email)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.models import User
from pitchaseat.adapters.ratelimit import RateLimiter
from pitchaseat.errors import RateLimited
from pitchaseat.notifications.events import order_params
from pitchaseat.notifications.kinds import Kind
from pitchaseat.notifications.models import Notification
from pitchaseat.notifications.service import EmailDetail, notify
from pitchaseat.orders.delivery import ENDED, KEPT_AFTER_END, ended_at
from pitchaseat.orders.errors import MessagesClosed, MessagesNotOpen
from pitchaseat.orders.handoff_mail import MESSAGE_LABEL
from pitchaseat.orders.models import Order, OrderMessage
from pitchaseat.orders.models import OrderStatus as S
from pitchaseat.timeutil import utcnow

OPEN = frozenset({S.paid, S.shipped, S.disputed})
# Per sender: a conversation, not a flood.
MESSAGE_RATE = "10/minute;100/day"
# A second message within this time, while the first notice is unread, tells no one again.
BURST = timedelta(minutes=15)


async def check_open(session: AsyncSession, order: Order, now: datetime | None = None) -> None:
    """Messages open with the payment and close 30 days after the order ended."""
    if order.status in OPEN:
        return
    ended = await ended_at(session, order.id) if order.status in ENDED else None
    paid = order.status is not S.cancelled and ended is not None
    if not paid:
        raise MessagesNotOpen()
    assert ended is not None
    if ended + KEPT_AFTER_END <= (now or utcnow()):
        raise MessagesClosed()


async def is_open(session: AsyncSession, order: Order) -> bool:
    try:
        await check_open(session, order)
    except (MessagesNotOpen, MessagesClosed):
        return False
    return True


async def check_rate(limiter: RateLimiter, sender_id: int) -> None:
    check = await limiter.hit(MESSAGE_RATE, "order_message", str(sender_id))
    if not check.allowed:
        raise RateLimited(check.retry_after_seconds, "Too many messages; wait a moment.")


@dataclass(frozen=True)
class MessagePage:
    items: list[OrderMessage]
    total: int


async def list_messages(
    session: AsyncSession, order_id: int, *, offset: int = 0, limit: int = 100
) -> MessagePage:
    total = await session.scalar(
        select(func.count(OrderMessage.id)).where(OrderMessage.order_id == order_id)
    )
    items = await session.scalars(
        select(OrderMessage)
        .where(OrderMessage.order_id == order_id)
        .order_by(OrderMessage.id)
        .offset(offset)
        .limit(limit)
    )
    return MessagePage(list(items), int(total or 0))


async def post_message(
    session: AsyncSession, order: Order, sender: User, body: str
) -> OrderMessage:
    """The caller has checked the sender is the buyer or the seller (others: 404)."""
    await check_open(session, order)
    message = OrderMessage(order_id=order.id, sender_id=sender.id, body=body)
    session.add(message)
    await session.flush()
    await _tell_the_other_side(session, order, sender, message)
    return message


async def _tell_the_other_side(
    session: AsyncSession, order: Order, sender: User, message: OrderMessage
) -> None:
    recipient = order.seller_id if sender.id == order.buyer_id else order.buyer_id
    unread_recent = await session.scalar(
        select(Notification.id)
        .where(
            Notification.order_id == order.id,
            Notification.kind == Kind.order_message.value,
            Notification.user_id == recipient,
            Notification.read_at.is_(None),
            Notification.created_at >= utcnow() - BURST,
        )
        .limit(1)
    )
    if unread_recent is not None:
        return  # they have not read the last notice yet: the page shows every message
    params = {**await order_params(session, order), "sender": sender.display_name}
    await notify(
        session,
        user_id=recipient,
        kind=Kind.order_message,
        params=params,
        link=f"/orders/{order.id}#messages",
        order_id=order.id,
        email_details=[EmailDetail(MESSAGE_LABEL, message.body)],
    )
