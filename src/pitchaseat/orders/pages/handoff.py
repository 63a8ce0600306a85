"""The order page's hand-off: the delivery details asked at checkout (pre-filled with the
buyer's last answers), the seller's shipping form, the shipment and the messages; and the
forms' refusals beside their fields."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData, UploadFile

from pitchaseat.accounts.models import User
from pitchaseat.db import release_connection
from pitchaseat.errors import DomainError
from pitchaseat.i18n import gettext as _
from pitchaseat.listings.photo_service import PhotoPipeline
from pitchaseat.listings.photos import MAX_UPLOAD_BYTES, ProcessedPhoto
from pitchaseat.orders import delivery, messages
from pitchaseat.orders.contact import CHUNGHWA_TRACKING_PAGE
from pitchaseat.orders.errors import DeliveryDetailsRequired, ShipmentDetailsRequired
from pitchaseat.orders.guards import can_view_order
from pitchaseat.orders.handoff_view import handoff_view
from pitchaseat.orders.lifecycle import SHIPMENT_REQUIRED
from pitchaseat.orders.models import Order
from pitchaseat.orders.schemas import Carrier, DeliveryIn, MessageIn, ShipRequest
from pitchaseat.runtime import AppServices
from pitchaseat.web.forms import FormErrors

# The checkout's own "phone" is the cardholder's: the delivery phone has its own name.
DELIVERY_FORM_NAMES = {
    "recipient_name": "recipient_name",
    "phone": "delivery_phone",
    "address": "address",
    "ticket_account": "ticket_account",
    "meetup_note": "meetup_note",
}
SHIP_FIELDS = frozenset(
    {"carrier", "tracking_number", "transfer_reference", "meetup_place", "meetup_at", "note"}
)
PHOTO_ERRORS = frozenset(
    {"photo_too_large", "photo_dimensions_too_large", "unsupported_photo_type"}
)
KNOWN_FIELDS = frozenset({*DELIVERY_FORM_NAMES.values(), *SHIP_FIELDS, "body", "photo"})
OWN_CHECKS = frozenset({"invalid_phone", "postal_code_missing", "invalid_tracking_number"})
# Typed input given back on a refusal (the cardholder's too; never the card itself).
KEPT_INPUT = KNOWN_FIELDS | {"name", "email", "phone"}


def _text(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value.strip() or None if isinstance(value, str) else None


def delivery_from_form(form: FormData) -> DeliveryIn:
    return DeliveryIn(**{field: _text(form, name) for field, name in DELIVERY_FORM_NAMES.items()})


def shipment_from_form(form: FormData, method: str) -> ShipRequest:
    values: dict[str, Any] = {name: _text(form, name) for name in SHIP_FIELDS}
    if method != "mail":
        values["carrier"] = None
    return ShipRequest(method=method, **values)


async def proof_from_form(
    form: FormData, session: AsyncSession, services: AppServices
) -> ProcessedPhoto | None:
    upload = form.get("photo")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    data = await upload.read(MAX_UPLOAD_BYTES + 1)
    if not data:
        return None
    await release_connection(session)
    budget = services.settings.photo_memory_budget_mb * 1024 * 1024
    return await PhotoPipeline.within(services.photo_workers, budget).process(data)


def message_from_form(form: FormData) -> MessageIn:
    body = form.get("body")
    return MessageIn(body=body if isinstance(body, str) else "")


def field_errors(error: DomainError | ValidationError) -> FormErrors:
    """The refusal beside the field it is about (every missing field of a hand-off)."""
    if isinstance(error, DeliveryDetailsRequired | ShipmentDetailsRequired):
        names = DELIVERY_FORM_NAMES if isinstance(error, DeliveryDetailsRequired) else {}
        missing = [names.get(name, name) for name in error.details.get("missing", [])]
        return FormErrors(
            fields={name: _("Fill in this field.") for name in missing},
            general=_(error.message),
            status=error.status,
        )
    if isinstance(error, DomainError) and error.code in PHOTO_ERRORS:
        message = _(error.message)
        return FormErrors(fields={"photo": message}, general=message, status=error.status)
    found = FormErrors.of(error, known=KNOWN_FIELDS, rename=DELIVERY_FORM_NAMES)
    if isinstance(error, ValidationError):
        # Our own checks say what a good value looks like: show that, not "not valid".
        for item in error.errors():
            location = item.get("loc", ())
            name = DELIVERY_FORM_NAMES.get(str(location[0]), str(location[0])) if location else ""
            if item.get("type") in OWN_CHECKS and name in found.fields:
                found.fields[name] = _(str(item.get("msg", "")))
    return found


def form_values(form: FormData | None) -> dict[str, str]:
    """What was typed, given back when the form is refused."""
    if form is None:
        return {}
    return {
        key: value for key, value in form.items() if isinstance(value, str) and key in KEPT_INPUT
    }


async def handoff_context(
    session: AsyncSession, order: Order, viewer: User, services: AppServices
) -> dict[str, Any]:
    view = await handoff_view(session, order, viewer, services.storage)
    method = view.delivery_method
    asked: dict[str, str] = {}
    if viewer.id == order.buyer_id:
        stored = view.delivery.model_dump(exclude={"masked"}) if view.delivery else {}
        answers = await delivery.last_answers(session, viewer.id) if not stored else {}
        asked = {
            DELIVERY_FORM_NAMES[name]: value
            for name, value in {**answers, **stored}.items()
            if value and name in DELIVERY_FORM_NAMES
        }
    readable = can_view_order(order, viewer)
    found = await messages.list_messages(session, order.id) if readable else None
    return {
        "handoff": view,
        "delivery_method": method.value,
        "delivery_fields": [DELIVERY_FORM_NAMES[name] for name in delivery.KEPT[method]],
        "delivery_required": [DELIVERY_FORM_NAMES[name] for name in delivery.REQUIRED[method]],
        "delivery_values": asked,
        "delivery_editable": viewer.id == order.buyer_id
        and order.status in delivery.EDITABLE
        and not order.charge_in_flight,
        "ship_required": SHIPMENT_REQUIRED[method],
        "carriers": [carrier.value for carrier in Carrier],
        "tracking_page": CHUNGHWA_TRACKING_PAGE,
        "messages": found.items if found else [],
        "messages_open": await messages.is_open(session, order),
        "form_values": {},
    }
