"""Orders a caller may see: their purchases and their sales; anyone else's are 404."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from sqlalchemy import bindparam, select

from pitchaseat.accounts.deps import CurrentCaller, CurrentUser
from pitchaseat.errors import NotFound
from pitchaseat.orders.guards import can_view_order
from pitchaseat.orders.holds import HoldPolicy, order_with_history
from pitchaseat.orders.models import Order
from pitchaseat.web.deps import ServicesDep, SessionDep, SettingsDep
from pitchaseat.web.params import IdPath


def _check_party(order: Order | None, user_id: int) -> Order:
    if order is None or user_id not in (order.buyer_id, order.seller_id):
        raise NotFound("No such order.")
    return order


async def owned_order(order_id: IdPath, user: CurrentUser, session: SessionDep) -> Order:
    """For services: the order, read in the request's unit of work."""
    return _check_party(await order_with_history(session, order_id), user.id)


OwnedOrder = Annotated[Order, Depends(owned_order)]


async def visible_order(order_id: IdPath, user: CurrentUser, session: SessionDep) -> Order:
    """Reads of the order and its messages: its parties, and operators during a dispute
    (``guards.can_view_order``); anyone else gets 404."""
    order = await order_with_history(session, order_id)
    if order is None or not can_view_order(order, user):
        raise NotFound("No such order.")
    return order


VisibleOrder = Annotated[Order, Depends(visible_order)]


async def owned_order_id(order_id: IdPath, user: CurrentUser, services: ServicesDep) -> int:
    """For workflows, which own their transactions: the check is one short read of its own,
    so the route holds no transaction while the workflow runs."""
    async with services.session_factory() as session:
        _check_party(await order_with_history(session, order_id), user.id)
    return order_id


OwnedOrderId = Annotated[int, Depends(owned_order_id)]


_OWN_PURCHASE = select(Order.id).where(
    Order.id == bindparam("order_id"), Order.buyer_id == bindparam("buyer_id")
)


async def own_purchase_id(order_id: IdPath, buyer: CurrentCaller, services: ServicesDep) -> int:
    """The payment's check, as cheap as the checkout needs: the caller's own purchase, one
    statement on a read connection (no transaction); anyone else's order is 404. The payment
    locks and reads the order again, as the buyer's, inside its own transaction."""
    async with services.read_connection() as connection:
        found = await connection.scalar(_OWN_PURCHASE, {"order_id": order_id, "buyer_id": buyer.id})
    if found is None:
        raise NotFound("No such order.")
    return order_id


OwnPurchaseId = Annotated[int, Depends(own_purchase_id)]


async def hold_policy(settings: SettingsDep) -> HoldPolicy:
    return HoldPolicy(
        hold_minutes=settings.hold_minutes,
        max_held_tickets=settings.max_held_tickets,
        seller_fee_bps=settings.seller_fee_bps,
    )


HoldPolicyDep = Annotated[HoldPolicy, Depends(hold_policy)]
