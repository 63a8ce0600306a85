"""Who may see what of an order: the one place for each rule, asked by the API, the pages
and the emails alike."""

from __future__ import annotations

from typing import Protocol

from pitchaseat.orders.models import OrderStatus as S

# The seller sees where to send the tickets only once the buyer has paid.
PAID_OR_LATER = frozenset({S.paid, S.shipped, S.disputed, S.completed, S.refunded})


class Viewer(Protocol):
    id: int
    is_operator: bool


class OrderParties(Protocol):
    status: S
    buyer_id: int
    seller_id: int


def is_party(order: OrderParties, viewer: Viewer) -> bool:
    return viewer.id in (order.buyer_id, order.seller_id)


def operator_may_look(order: OrderParties, viewer: Viewer) -> bool:
    """Operators look into an order only while they are settling its dispute."""
    return viewer.is_operator and order.status is S.disputed


def can_view_order(order: OrderParties, viewer: Viewer) -> bool:
    """The order and its messages: its buyer and seller, and operators during a dispute.
    Anyone else is told the order does not exist (404)."""
    return is_party(order, viewer) or operator_may_look(order, viewer)


def can_read_delivery(order: OrderParties, viewer: Viewer) -> bool:
    """The buyer's delivery details (name, phone, address, ticket account): the buyer
    always, the seller once the order is paid, an operator while it is disputed."""
    if viewer.id == order.buyer_id:
        return True
    if viewer.id == order.seller_id:
        return order.status in PAID_OR_LATER
    return operator_may_look(order, viewer)


def sees_money(order: OrderParties, viewer: Viewer) -> bool:
    """The seller's fee and payout: the seller's own business."""
    return viewer.id == order.seller_id
