"""The hold arithmetic, in one place: tickets leave a listing and come back only through here.

Each is one conditional UPDATE, so that under any concurrency tickets held plus sold never
exceed a listing's quantity; the row count says whether the take succeeded.
"""

from __future__ import annotations

from sqlalchemy import and_, case, or_, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.listings.match_requests import request_match
from pitchaseat.listings.models import Listing, ListingStatus


async def take_tickets(session: AsyncSession, listing_id: int, quantity: int) -> bool:
    """Takes ``quantity`` tickets if that many are available (a sell-together listing only
    whole); False when someone else got there first."""
    result = await session.execute(
        update(Listing)
        .where(
            Listing.id == listing_id,
            Listing.status == ListingStatus.active,
            Listing.available_quantity >= quantity,
            or_(
                Listing.sell_together.is_(False),
                and_(Listing.available_quantity == quantity, Listing.quantity == quantity),
            ),
        )
        # Status first: MySQL evaluates SET clauses in order, each seeing the ones before.
        .ordered_values(
            (
                Listing.status,
                case(
                    (Listing.available_quantity == quantity, ListingStatus.sold_out.value),
                    else_=Listing.status,
                ),
            ),
            (Listing.available_quantity, Listing.available_quantity - quantity),
        )
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


async def return_tickets(session: AsyncSession, listing_id: int, quantity: int) -> None:
    """Puts tickets back (an expired or cancelled hold); a sold-out listing is buyable again.
    A withdrawn or expired listing keeps its status."""
    await session.execute(
        update(Listing)
        .where(Listing.id == listing_id, Listing.available_quantity + quantity <= Listing.quantity)
        .ordered_values(
            (
                Listing.status,
                case(
                    (Listing.status == ListingStatus.sold_out.value, ListingStatus.active.value),
                    else_=Listing.status,
                ),
            ),
            (Listing.available_quantity, Listing.available_quantity + quantity),
        )
        .execution_options(synchronize_session=False)
    )
    # Tickets back on sale may be what someone's reservation waits for.
    await request_match(session, listing_id)
