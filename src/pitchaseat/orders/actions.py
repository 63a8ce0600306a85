"""Who may do what to an order, now: the one rule behind both the API's checks and the order
page's buttons."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Protocol

from pitchaseat.catalog.models import GameStatus
from pitchaseat.catalog.sales import GameTimes, is_on_sale
from pitchaseat.errors import PermissionDenied
from pitchaseat.orders.errors import InvalidOrderState
from pitchaseat.orders.models import OrderStatus as S
from pitchaseat.payments.errors import PaymentInProgress


class Action(enum.StrEnum):
    pay = "pay"
    release_hold = "release_hold"  # the buyer lets a hold go
    ship = "ship"
    confirm = "confirm"  # the buyer has the tickets
    dispute = "dispute"
    refund = "refund"  # the seller cannot deliver: the buyer gets everything back
    cancel_postponed = "cancel_postponed"  # the buyer walks away from a postponed game


BUYER_ACTIONS = frozenset(
    {Action.pay, Action.release_hold, Action.confirm, Action.dispute, Action.cancel_postponed}
)
SELLER_ACTIONS = frozenset({Action.ship, Action.refund})
# What each action moves the order to (for the error that says why not).
TARGETS = {
    Action.pay: S.paid,
    Action.release_hold: S.cancelled,
    Action.ship: S.shipped,
    Action.confirm: S.completed,
    Action.dispute: S.disputed,
    Action.refund: S.refunded,
    Action.cancel_postponed: S.refunded,
}


class OrderView(Protocol):
    status: S
    buyer_id: int
    seller_id: int
    hold_expires_at: datetime
    charge_in_flight: bool
    refund_in_flight: bool


def allowed_actions(
    order: OrderView, viewer_id: int, game: GameTimes, now: datetime
) -> frozenset[Action]:
    if order.charge_in_flight or order.refund_in_flight:
        return frozenset()  # the gateway's answer comes first
    status = order.status
    allowed: set[Action] = set()
    if viewer_id == order.buyer_id:
        if status is S.pending_payment:
            allowed.add(Action.release_hold)
            if order.hold_expires_at > now and is_on_sale(game, now):
                allowed.add(Action.pay)
        if status is S.shipped:
            allowed.add(Action.confirm)
        if status in (S.paid, S.shipped):
            allowed.add(Action.dispute)
            if game.status is GameStatus.postponed:
                allowed.add(Action.cancel_postponed)
    elif viewer_id == order.seller_id:
        if status is S.paid:
            allowed.add(Action.ship)
        if status in (S.paid, S.shipped, S.disputed):
            allowed.add(Action.refund)
    return frozenset(allowed)


def check_action(
    order: OrderView, viewer_id: int, action: Action, game: GameTimes, now: datetime
) -> None:
    """Refuses an action ``allowed_actions`` does not offer: 403 when it is the other side's,
    409 when the order is waiting for the gateway or not in a state that allows it."""
    if action in allowed_actions(order, viewer_id, game, now):
        return
    own = BUYER_ACTIONS if viewer_id == order.buyer_id else SELLER_ACTIONS
    if action not in own:
        raise PermissionDenied("That is for the other side of this order.")
    if order.charge_in_flight or order.refund_in_flight:
        raise PaymentInProgress()
    raise InvalidOrderState(status=order.status.value, wanted=TARGETS[action].value)


def cancel_action(order: OrderView, viewer_id: int) -> Action:
    """What "cancel" means for this viewer: a hold let go, a seller's refund, or a buyer's
    walk-away from a postponed game."""
    if order.status is S.pending_payment and viewer_id == order.buyer_id:
        return Action.release_hold
    if viewer_id == order.seller_id:
        return Action.refund
    return Action.cancel_postponed
