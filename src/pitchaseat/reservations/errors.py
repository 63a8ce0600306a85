from __future__ import annotations

from pitchaseat.errors import Conflict, InvalidInput


class ReservationClosed(Conflict):
    code = "reservation_closed"
    default_message = "This game is no longer on sale; reservations for it are closed."


class BadPriceRange(InvalidInput):
    code = "bad_price_range"
    default_message = "The lowest price must not be above the highest price."


class TooManyReservations(Conflict):
    code = "too_many_reservations"
    default_message = "You have as many reservations as one fan may have."
