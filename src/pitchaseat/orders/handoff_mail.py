"""What the order emails carry beyond their notification: the delivery details in the
seller's "paid, please ship" email, the shipment and the seller's note in the buyer's
"shipped" email. Only in the email, never in the notification's stored params."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.listings.models import Listing
from pitchaseat.notifications.service import EmailDetail
from pitchaseat.orders.codes import OrderEventCode
from pitchaseat.orders.contact import CHUNGHWA_TRACKING_PAGE
from pitchaseat.orders.models import Order, OrderDelivery, OrderShipment
from pitchaseat.timeutil import to_taipei


def _(message: str) -> str:
    """Marks a message for extraction; the email translates it in the reader's language."""
    return message


DELIVERY_LABELS = {
    "recipient_name": _("Recipient"),
    "phone": _("Phone"),
    "address": _("Address"),
    "ticket_account": _("Ticket app account"),
    "meetup_note": _("Buyer's note"),
}
METHOD_NAMES = {"mail": _("mail"), "e_ticket": _("e_ticket"), "meet_up": _("meet_up")}
MESSAGE_LABEL = _("Message")
CARRIER_NAMES = {"chunghwa_post": _("Chunghwa Post"), "other": _("Other carrier")}


def delivery_lines(delivery: OrderDelivery | None) -> list[EmailDetail]:
    if delivery is None:
        return []
    return [
        EmailDetail(label, value)
        for name, label in DELIVERY_LABELS.items()
        if (value := getattr(delivery, name))
    ]


def tracking_url(shipment: OrderShipment) -> str | None:
    if shipment.tracking_number and shipment.carrier == "chunghwa_post":
        return CHUNGHWA_TRACKING_PAGE
    return None


def shipment_lines(shipment: OrderShipment | None, seller_note: str | None) -> list[EmailDetail]:
    lines: list[EmailDetail] = []
    if shipment is not None:
        method = METHOD_NAMES.get(shipment.method, shipment.method)
        lines.append(EmailDetail(_("How"), method, translate=True))
        if shipment.carrier:
            carrier = CARRIER_NAMES.get(shipment.carrier, shipment.carrier)
            lines.append(EmailDetail(_("Carrier"), carrier, translate=True))
        if shipment.tracking_number:
            lines.append(EmailDetail(_("Tracking number"), shipment.tracking_number))
        if url := tracking_url(shipment):
            lines.append(EmailDetail(_("Track it at"), url))
        if shipment.transfer_reference:
            lines.append(EmailDetail(_("Transfer reference"), shipment.transfer_reference))
        if shipment.meetup_place:
            lines.append(EmailDetail(_("Meeting place"), shipment.meetup_place))
        if shipment.meetup_at:
            when = to_taipei(shipment.meetup_at).strftime("%Y-%m-%d %H:%M")
            lines.append(EmailDetail(_("Meeting time"), when))
        if shipment.note:
            lines.append(EmailDetail(_("Seller's message"), shipment.note))
    if seller_note:
        lines.append(EmailDetail(_("Seller's listing note"), seller_note))
    return lines


async def email_details(
    session: AsyncSession, order: Order, code: OrderEventCode, role: str
) -> list[EmailDetail]:
    if code is OrderEventCode.charge_succeeded and role == "seller":
        return delivery_lines(await session.get(OrderDelivery, order.id))
    if code is OrderEventCode.shipped and role == "buyer":
        note = await session.scalar(select(Listing.note).where(Listing.id == order.listing_id))
        return shipment_lines(await session.get(OrderShipment, order.id), note)
    return []
