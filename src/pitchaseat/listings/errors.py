from __future__ import annotations

from pitchaseat.errors import Conflict, InvalidInput


class PriceAboveFaceValue(InvalidInput):
    code = "price_above_face_value"
    default_message = (
        "The asking price may not exceed the ticket's face value "
        "(Sports Industry Development Act, Art. 24-1)."
    )


class PriceBelowMinimum(InvalidInput):
    code = "price_below_minimum"
    default_message = "The asking price must be at least NT$1."


class FreeTicketNotAllowed(InvalidInput):
    code = "free_ticket_not_allowed"
    default_message = "Complimentary tickets (face value 0) cannot be resold."


class UnknownSeatArea(InvalidInput):
    code = "unknown_seat_area"
    default_message = "That seat area does not exist at this game's stadium."


class GameNotOnSale(Conflict):
    code = "game_not_on_sale"
    default_message = "Tickets can no longer be listed for this game."


class ListingNotEditable(Conflict):
    code = "listing_not_editable"
    default_message = "Only an active listing can be changed."


class QuantityBelowTaken(Conflict):
    code = "quantity_below_taken"
    default_message = "The quantity cannot drop below the tickets already held or sold."


class TooManyPhotos(Conflict):
    code = "too_many_photos"
    default_message = "A listing can have at most 5 photos."
