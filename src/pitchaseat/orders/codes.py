"""Every step an order's history can record, as one enum: the state machine writes these
codes, the notification table and the timeline's words are keyed by them."""

from __future__ import annotations

import enum


class OrderEventCode(enum.StrEnum):
    hold_created = "orders.hold.created"
    hold_cancelled = "orders.hold.cancelled"
    hold_expired = "orders.hold.expired"
    hold_released_game_postponed = "orders.hold.cancelled.game_postponed"
    hold_released_game_cancelled = "orders.hold.cancelled.game_cancelled"
    # An operator took the listing down or suspended one side of the order.
    hold_released_by_operator = "orders.hold.cancelled.by_operator"
    charge_succeeded = "payments.charge.succeeded"
    # A charge that succeeded after its order could no longer take it: refunded at once.
    late_charge_refunded = "payments.charge.late_refunded"
    shipped = "orders.shipped"
    completed = "orders.completed"
    completed_automatically = "orders.completed.automatically"
    dispute_opened = "orders.dispute.opened"
    dispute_resolved = "orders.dispute.resolved"
    refund_seller_cancelled = "payments.refund.seller_cancelled"
    refund_ship_deadline_missed = "payments.refund.ship_deadline_missed"
    refund_game_postponed = "payments.refund.game_postponed"
    refund_game_cancelled = "payments.refund.game_cancelled"
