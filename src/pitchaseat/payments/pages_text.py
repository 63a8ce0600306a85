"""The words the order timeline uses for each step."""

from __future__ import annotations

from pitchaseat.web.i18n import gettext as _


def _labels() -> dict[str, str]:
    # Built per call so each label is translated into the viewer's language.
    return {
        "orders.hold.created": _("Tickets held for you"),
        "orders.hold.cancelled": _("Hold cancelled"),
        "orders.hold.expired": _("Hold expired; the tickets went back on sale"),
        "orders.hold.cancelled.game_postponed": _("Hold released: the game was postponed"),
        "orders.hold.cancelled.game_cancelled": _("Hold released: the game was called off"),
        "payments.charge.succeeded": _(
            "Paid; the platform holds the money until you have the tickets"
        ),
        "orders.shipped": _("The seller sent the tickets"),
        "orders.completed": _("The buyer confirmed receipt; the seller gets paid"),
        "orders.completed.automatically": _("Completed automatically after the game"),
        "orders.dispute.opened": _("Dispute opened"),
        "orders.dispute.resolved": _("Dispute resolved by our team"),
        "payments.refund.seller_cancelled": _("Refunded in full: the seller cancelled"),
        "payments.refund.ship_deadline_missed": _("Refunded in full: not sent in time"),
        "payments.refund.game_postponed": _("Refunded in full: the game was postponed"),
        "payments.refund.game_cancelled": _("Refunded in full: the game was called off"),
    }


def event_label(action: str, to_status: str) -> str:
    return _labels().get(action) or _(to_status)
