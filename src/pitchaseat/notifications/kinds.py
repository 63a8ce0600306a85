"""Every kind of notification and its words: one table, English message ids translated by the
gettext catalogs, rendered in the reader's language from the kind and its params."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from pitchaseat.i18n import translations


def _(message: str) -> str:
    """Marks a message for extraction; it is translated when rendered."""
    return message


class Kind(enum.StrEnum):
    reservation_match = "reservation_match"
    order_held = "order_held"
    order_paid = "order_paid"
    payment_not_taken = "payment_not_taken"
    ship_reminder = "ship_reminder"
    ship_deadline_missed = "ship_deadline_missed"
    order_shipped = "order_shipped"
    order_completed = "order_completed"
    order_refunded = "order_refunded"
    dispute_opened = "dispute_opened"
    dispute_resolved = "dispute_resolved"
    rating_received = "rating_received"
    payout_paid = "payout_paid"
    game_postponed = "game_postponed"
    game_cancelled = "game_cancelled"
    listing_removed = "listing_removed"
    listing_restored = "listing_restored"
    dispute_evidence = "dispute_evidence"
    order_message = "order_message"


@dataclass(frozen=True)
class Template:
    label: str  # what the preference checkbox says
    title: str
    body: str


# Params used: game (per language: game_zh / game_en), order_id, quantity, amount, reference.
TEMPLATES: dict[Kind, Template] = {
    Kind.reservation_match: Template(
        _("Tickets you are waiting for"),
        _("Tickets for %(game)s are on sale"),
        _("%(quantity)s ticket(s) matching your reservation for %(game)s were just listed."),
    ),
    Kind.order_held: Template(
        _("A buyer holds my tickets"),
        _("A buyer is checking out your tickets"),
        _("A buyer holds %(quantity)s ticket(s) for %(game)s (order %(order_id)s)."),
    ),
    Kind.order_paid: Template(
        _("Order paid"),
        _("Order %(order_id)s is paid"),
        _("NT$%(amount)s for %(quantity)s ticket(s) to %(game)s is held safely until delivery."),
    ),
    Kind.payment_not_taken: Template(
        _("Payments that did not go through"),
        _("The payment for order %(order_id)s did not go through"),
        _(
            "The bank did not take NT$%(amount)s for %(game)s: no money was taken. "
            "While your hold lasts you can pay again."
        ),
    ),
    Kind.ship_reminder: Template(
        _("Reminders to send tickets"),
        _("Send the tickets for order %(order_id)s"),
        _("Please send the tickets for %(game)s soon, or the buyer is refunded automatically."),
    ),
    Kind.ship_deadline_missed: Template(
        _("Missed delivery deadlines"),
        _("Order %(order_id)s was not shipped in time"),
        _("The tickets for %(game)s were not sent before the deadline; the buyer was refunded."),
    ),
    Kind.order_shipped: Template(
        _("Tickets sent to me"),
        _("Your tickets for order %(order_id)s are on their way"),
        _("The seller has sent your tickets for %(game)s."),
    ),
    Kind.order_completed: Template(
        _("Order completed"),
        _("Order %(order_id)s is complete"),
        _("The order for %(game)s is complete. Thank you for using Pitch-A-Seat!"),
    ),
    Kind.order_refunded: Template(
        _("Refunds"),
        _("Order %(order_id)s was refunded"),
        _("NT$%(amount)s for %(game)s goes back to the buyer's card in full."),
    ),
    Kind.dispute_opened: Template(
        _("Disputes opened"),
        _("A dispute was opened on order %(order_id)s"),
        _("The money for %(game)s stays held until our staff settle the dispute."),
    ),
    Kind.dispute_resolved: Template(
        _("Disputes settled"),
        _("The dispute on order %(order_id)s is settled"),
        _("Our staff settled the dispute on the order for %(game)s."),
    ),
    Kind.rating_received: Template(
        _("Ratings of my sales"),
        _("A buyer rated your sale"),
        _("A buyer rated order %(order_id)s."),
    ),
    Kind.payout_paid: Template(
        _("Payouts"),
        _("NT$%(amount)s is on its way to your bank"),
        _("We sent NT$%(amount)s to your bank account (reference %(reference)s)."),
    ),
    Kind.game_postponed: Template(
        _("Postponed games"),
        _("%(game)s is postponed"),
        _("%(game)s is postponed. Your order stays valid for the make-up game."),
    ),
    Kind.game_cancelled: Template(
        _("Cancelled games"),
        _("%(game)s is cancelled"),
        _("%(game)s is called off; every order for it is refunded in full."),
    ),
    Kind.listing_removed: Template(
        _("Listings taken down by our staff"),
        _("Your listing for %(game)s was taken down"),
        _("Our staff took your listing down. Reason: %(reason)s"),
    ),
    Kind.listing_restored: Template(
        _("Listings put back on sale by our staff"),
        _("Your listing for %(game)s is back on sale"),
        _("Our staff put your listing back on sale. Note: %(reason)s"),
    ),
    Kind.dispute_evidence: Template(
        _("Evidence added to a dispute"),
        _("New evidence on order %(order_id)s"),
        _("The other side added evidence to the dispute on the order for %(game)s."),
    ),
    Kind.order_message: Template(
        _("Messages on my orders"),
        _("New message on order %(order_id)s"),
        _("%(sender)s wrote to you about the order for %(game)s."),
    ),
}


class _Params(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


@dataclass(frozen=True)
class Rendered:
    title: str
    body: str


def render(kind: str, params: dict[str, Any], locale: str) -> Rendered:
    """The title and body of a notification in a language (zh_TW or en)."""
    template = TEMPLATES.get(Kind(kind)) if kind in Kind.__members__ else None
    if template is None:
        return Rendered(kind, "")
    gettext = translations(locale).gettext
    values = _Params(params)
    values["game"] = params.get(f"game_{'en' if locale == 'en' else 'zh'}", "")
    if isinstance(params.get("amount"), int):
        values["amount"] = f"{params['amount']:,}"
    return Rendered(gettext(template.title) % values, gettext(template.body) % values)


def label(kind: Kind, locale: str) -> str:
    return translations(locale).gettext(TEMPLATES[kind].label)
