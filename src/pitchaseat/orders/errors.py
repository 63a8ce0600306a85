from __future__ import annotations

from pitchaseat.errors import Conflict, DomainError


class NotEnoughTickets(Conflict):
    code = "not_enough_tickets"
    default_message = "Those tickets are no longer available."


class OwnListing(Conflict):
    code = "own_listing"
    default_message = "You cannot buy your own tickets."


class HoldLimitReached(Conflict):
    code = "hold_limit_reached"
    default_message = "You are already holding as many tickets as one fan may hold at once."


class WholeListingOnly(Conflict):
    code = "sell_together"
    default_message = "These tickets are sold together: take all of them."


class InvalidOrderState(Conflict):
    code = "invalid_order_state"
    default_message = "The order cannot do that in its current state."


class Busy(DomainError):
    status = 409
    code = "busy"
    default_message = "Many fans are buying right now; please try again."


class DeliveryDetailsRequired(DomainError):
    status = 422
    code = "delivery_details_required"
    default_message = "Tell the seller where the tickets should go: some details are missing."


class ShipmentDetailsRequired(DomainError):
    status = 422
    code = "shipment_details_required"
    default_message = "Tell the buyer how the tickets were sent: some details are missing."


class DeliveryLocked(Conflict):
    code = "delivery_locked"
    default_message = "The tickets were sent already; the delivery details can no longer change."


class MessagesNotOpen(Conflict):
    code = "messages_not_open"
    default_message = "Messages open once the order is paid."


class MessagesClosed(Conflict):
    code = "messages_closed"
    default_message = "Messages closed 30 days after the order ended."


class ProofPhotoExists(Conflict):
    code = "proof_photo_exists"
    default_message = "This shipment already has its proof photo."
