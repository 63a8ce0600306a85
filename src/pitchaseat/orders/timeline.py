"""The words the order timeline uses for each step, keyed by the event codes."""

from __future__ import annotations

from pitchaseat.i18n import gettext as _
from pitchaseat.orders.codes import OrderEventCode as C


def _labels() -> dict[C, str]:
    # Built per call so each label is translated into the viewer's language.
    return {
        C.hold_created: _("Tickets held for you"),
        C.hold_cancelled: _("Hold cancelled"),
        C.hold_expired: _("Hold expired; the tickets went back on sale"),
        C.hold_released_game_postponed: _("Hold released: the game was postponed"),
        C.hold_released_game_cancelled: _("Hold released: the game was called off"),
        C.hold_released_by_operator: _("Hold released: the listing was taken off sale"),
        C.charge_succeeded: _("Paid; the platform holds the money until you have the tickets"),
        C.late_charge_refunded: _(
            "A payment that arrived after the hold ended was refunded in full"
        ),
        C.shipped: _("The seller sent the tickets"),
        C.completed: _("The buyer confirmed receipt; the seller gets paid"),
        C.completed_automatically: _("Completed automatically after the game"),
        C.dispute_opened: _("Dispute opened"),
        C.dispute_resolved: _("Dispute resolved by our team"),
        C.refund_seller_cancelled: _("Refunded in full: the seller cancelled"),
        C.refund_ship_deadline_missed: _("Refunded in full: not sent in time"),
        C.refund_game_postponed: _("Refunded in full: the game was postponed"),
        C.refund_game_cancelled: _("Refunded in full: the game was called off"),
    }


def _seller_labels() -> dict[C, str]:
    """The steps whose buyer's words would read wrong to the seller."""
    return {
        C.hold_created: _("A buyer is holding these tickets"),
        C.charge_succeeded: _("Paid; the platform holds the money until the buyer has the tickets"),
    }


def event_label(action: str, *, for_seller: bool = False) -> str:
    labels = {**_labels(), **(_seller_labels() if for_seller else {})}
    try:
        return labels[C(action)]
    except ValueError:
        return _("Order updated")
