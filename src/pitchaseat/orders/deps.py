"""Orders an API caller may see: their purchases and their sales; anyone else's are 404."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import Depends

from pitchaseat.accounts.deps import CurrentUser
from pitchaseat.errors import NotFound
from pitchaseat.orders.models import Order
from pitchaseat.orders.service import HoldPolicy, order_with_history
from pitchaseat.web.deps import SessionDep, SettingsDep
from pitchaseat.web.params import IdPath


async def owned_order(order_id: IdPath, user: CurrentUser, session: SessionDep) -> Order:
    order = await order_with_history(session, order_id)
    if order is None or user.id not in (order.buyer_id, order.seller_id):
        raise NotFound("No such order.")
    return order


OwnedOrder = Annotated[Order, Depends(owned_order)]


async def hold_policy(settings: SettingsDep) -> HoldPolicy:
    return HoldPolicy(
        hold_minutes=settings.hold_minutes,
        max_held_tickets=settings.max_held_tickets,
        seller_fee_bps=settings.seller_fee_bps,
        sales_close_before_game=timedelta(minutes=settings.ship_deadline_minutes_before_game),
    )


HoldPolicyDep = Annotated[HoldPolicy, Depends(hold_policy)]
