"""The legal price cap, in the one place everything calls.

Sports Industry Development Act Art. 24-1 (in force 2024-01-03): reselling a sports ticket above
its face value is fined 10-50 times the ticket price. We never let a listing ask for more.
"""

from __future__ import annotations

from pitchaseat.listings.errors import FreeTicketNotAllowed, PriceAboveFaceValue, PriceBelowMinimum

MIN_PRICE = 1  # the database's CHECK (positive_money) says the same


def check_price_cap(*, price: int, face_value: int) -> None:
    """Every asking price passes here (new listing, price change); ``field`` tells a form
    which input the refusal is about."""
    if face_value <= 0:
        raise FreeTicketNotAllowed(face_value=face_value, field="face_value")
    if price < MIN_PRICE:
        # Orders, fees and refunds all assume money changes hands; the DB refuses 0 too.
        raise PriceBelowMinimum(price=price, minimum=MIN_PRICE, field="price")
    if price > face_value:
        raise PriceAboveFaceValue(price=price, face_value=face_value, field="price")


def discount_percent(*, price: int, face_value: int) -> int:
    """How far below face value the asking price is, rounded down (the honest 'deal')."""
    if face_value <= 0:
        return 0
    return (face_value - price) * 100 // face_value
