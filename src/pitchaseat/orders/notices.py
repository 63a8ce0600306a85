"""Which order event tells whom: the one table from an order's event code to the
notifications it causes. The state machine calls ``notify_order_event`` for every step."""

from __future__ import annotations

from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.notifications.events import order_params
from pitchaseat.notifications.kinds import Kind
from pitchaseat.notifications.service import Notice, notify, notify_all
from pitchaseat.orders.codes import OrderEventCode as C
from pitchaseat.orders.handoff_mail import email_details
from pitchaseat.orders.models import Order

Role = Literal["buyer", "seller"]
BOTH: tuple[Role, ...] = ("buyer", "seller")
Rules = tuple[tuple[Kind, tuple[Role, ...]], ...]

NOTICES: dict[C, Rules] = {
    C.hold_created: ((Kind.order_held, ("seller",)),),
    # Holds that end are the buyer's own doing, or told by the game's own notice.
    C.hold_cancelled: (),
    C.hold_expired: (),
    C.hold_released_game_postponed: (),
    C.hold_released_game_cancelled: (),
    C.hold_released_by_operator: (),
    C.charge_succeeded: ((Kind.order_paid, BOTH),),
    C.late_charge_refunded: ((Kind.order_refunded, ("buyer",)),),
    C.shipped: ((Kind.order_shipped, ("buyer",)),),
    C.completed: ((Kind.order_completed, BOTH),),
    C.completed_automatically: ((Kind.order_completed, BOTH),),
    C.dispute_opened: ((Kind.dispute_opened, BOTH),),
    C.dispute_resolved: ((Kind.dispute_resolved, BOTH),),
    C.refund_seller_cancelled: ((Kind.order_refunded, BOTH),),
    C.refund_ship_deadline_missed: (
        (Kind.order_refunded, ("buyer",)),
        (Kind.ship_deadline_missed, ("seller",)),
    ),
    C.refund_game_postponed: ((Kind.order_refunded, BOTH),),
    C.refund_game_cancelled: ((Kind.order_refunded, BOTH),),
}


def order_link(order: Order) -> str:
    return f"/orders/{order.id}"


async def notify_payment_not_taken(session: AsyncSession, order: Order) -> None:
    """The buyer was told the payment was being confirmed; now the bank says it was not."""
    await notify(
        session,
        user_id=order.buyer_id,
        kind=Kind.payment_not_taken,
        params=await order_params(session, order),
        link=order_link(order),
        order_id=order.id,
    )


async def notify_order_event(session: AsyncSession, order: Order, code: C) -> None:
    rules = NOTICES[code]
    if not rules:
        return
    params = await order_params(session, order)
    notices = [
        Notice(
            user_id=order.buyer_id if role == "buyer" else order.seller_id,
            kind=kind,
            params=params,
            link=order_link(order),
            order_id=order.id,
            email_details=await email_details(session, order, code, role),
        )
        for kind, roles in rules
        for role in roles
    ]
    await notify_all(session, notices)
