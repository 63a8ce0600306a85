"""The hold arithmetic, in one place: tickets leave a listing and come back only through here.

Each is one conditional UPDATE, so that under any concurrency tickets held plus sold never
exceed a listing's quantity; the row count says whether the take succeeded.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, case, or_, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.listings.match_requests import request_match
from pitchaseat.listings.models import Listing, ListingStatus


@dataclass(frozen=True)
class Taken:
    # None where the database cannot say in the same statement (MariaDB: no UPDATE RETURNING).
    sold_out: bool | None


async def take_tickets(
    session: AsyncSession,
    listing_id: int,
    quantity: int,
    *,
    only_if: ColumnElement[bool] | None = None,
) -> Taken | None:
    """Takes ``quantity`` tickets if that many are available (a sell-together listing only
    whole) and ``only_if`` holds; None when someone else got there first (or ``only_if``
    failed). One statement: the row is locked only from here to the commit."""
    statement = (
        update(Listing)
        .where(
            Listing.id == listing_id,
            Listing.status == ListingStatus.active,
            Listing.available_quantity >= quantity,
            or_(
                Listing.sell_together.is_(False),
                and_(Listing.available_quantity == quantity, Listing.quantity == quantity),
            ),
            *([only_if] if only_if is not None else []),
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
    if session.get_bind().dialect.update_returning:
        status = await session.scalar(statement.returning(Listing.status))
        return None if status is None else Taken(sold_out=status is ListingStatus.sold_out)
    result = await session.execute(statement)
    assert isinstance(result, CursorResult)
    return Taken(sold_out=None) if result.rowcount == 1 else None


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
