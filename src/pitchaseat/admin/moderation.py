"""Taking listings down and suspending accounts, each with its audit entry in the same
transaction (services: the caller's unit of work commits once)."""

from __future__ import annotations

from sqlalchemy import CursorResult, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.models import AuthSession, User
from pitchaseat.admin import audit
from pitchaseat.admin.audit import Action
from pitchaseat.admin.errors import (
    AlreadySuspended,
    CannotSuspendOperator,
    ListingNotRemovable,
    ListingNotRemoved,
    NotSuspended,
)
from pitchaseat.admin.reports import close_reports
from pitchaseat.errors import NotFound
from pitchaseat.listings.models import Listing, ListingStatus
from pitchaseat.listings.service import load_listing, refresh_game_summaries
from pitchaseat.notifications.events import game_params
from pitchaseat.notifications.kinds import Kind
from pitchaseat.notifications.service import notify
from pitchaseat.orders.codes import OrderEventCode
from pitchaseat.orders.holds import release_holds_where
from pitchaseat.orders.models import Order
from pitchaseat.timeutil import utcnow

_ON_SALE = (ListingStatus.active, ListingStatus.sold_out)


async def _locked_listing(session: AsyncSession, listing_id: int) -> Listing:
    listing = await session.scalar(
        select(Listing)
        .where(Listing.id == listing_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if listing is None:
        raise NotFound("No such listing.")
    return listing


async def _set_status(session: AsyncSession, listing: Listing, status: ListingStatus) -> None:
    listing.status = status
    listing.updated_at = utcnow()
    await session.flush()


def _back_on_sale(listing: Listing) -> ListingStatus:
    return ListingStatus.active if listing.available_quantity > 0 else ListingStatus.sold_out


async def take_down(
    session: AsyncSession, operator: User, listing_id: int, *, reason: str
) -> Listing:
    """The listing leaves browse (and the cached pages, after commit), its open holds end,
    its reports close and the seller is told why."""
    listing = await _locked_listing(session, listing_id)
    if listing.status not in (*_ON_SALE, ListingStatus.paused):
        raise ListingNotRemovable(status=listing.status.value)
    await _set_status(session, listing, ListingStatus.removed)
    await release_holds_where(
        session, [Order.listing_id == listing.id], code=OrderEventCode.hold_released_by_operator
    )
    closed = await close_reports(session, listing.id)
    return await _seller_told_and_recorded(
        session,
        operator,
        listing,
        (Kind.listing_removed, Action.listing_taken_down),
        reason=reason,
        data={"reports_closed": closed},
    )


async def restore(
    session: AsyncSession, operator: User, listing_id: int, *, reason: str
) -> Listing:
    listing = await _locked_listing(session, listing_id)
    if listing.status is not ListingStatus.removed:
        raise ListingNotRemoved(status=listing.status.value)
    seller_suspended = await session.scalar(
        select(User.suspended_at).where(User.id == listing.seller_id)
    )
    await _set_status(
        session, listing, ListingStatus.paused if seller_suspended else _back_on_sale(listing)
    )
    return await _seller_told_and_recorded(
        session, operator, listing, (Kind.listing_restored, Action.listing_restored), reason=reason
    )


async def _seller_told_and_recorded(
    session: AsyncSession,
    operator: User,
    listing: Listing,
    what: tuple[Kind, Action],
    *,
    reason: str,
    data: dict[str, object] | None = None,
) -> Listing:
    """After a take-down or a restore: the game's figures follow, the seller is told why, the
    audit log records it, and the listing is read back as the API shows it."""
    kind, action = what
    await refresh_game_summaries(session, [listing.game_id])
    await notify(
        session,
        user_id=listing.seller_id,
        kind=kind,
        params={**await game_params(session, listing.game_id), "reason": reason},
        link="/me/listings",
    )
    await audit.record(
        session,
        operator.id,
        action,
        target_type="listing",
        target_id=listing.id,
        reason=reason,
        data=data,
    )
    loaded = await load_listing(session, listing.id)
    assert loaded is not None
    return loaded


async def dismiss_reports(
    session: AsyncSession, operator: User, listing_id: int, *, reason: str
) -> int:
    if await session.get(Listing, listing_id) is None:
        raise NotFound("No such listing.")
    closed = await close_reports(session, listing_id)
    await audit.record(
        session,
        operator.id,
        Action.report_dismissed,
        target_type="listing",
        target_id=listing_id,
        reason=reason,
        data={"reports_closed": closed},
    )
    return closed


async def _locked_user(session: AsyncSession, user_id: int) -> User:
    user = await session.scalar(
        select(User)
        .where(User.id == user_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if user is None:
        raise NotFound("No such user.")
    return user


async def suspend(session: AsyncSession, operator: User, user_id: int, *, reason: str) -> User:
    """Sessions revoked, listings on sale paused, open holds (as buyer or on the user's
    listings) released; paid orders run their course."""
    user = await _locked_user(session, user_id)
    if user.is_operator:
        raise CannotSuspendOperator()
    if user.suspended_at is not None:
        raise AlreadySuspended()
    now = utcnow()
    user.suspended_at = now
    user.suspension_reason = reason
    await session.execute(
        update(AuthSession)
        .where(AuthSession.user_id == user.id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    game_ids = list(
        await session.scalars(
            select(Listing.game_id)
            .where(Listing.seller_id == user.id, Listing.status.in_(_ON_SALE))
            .distinct()
        )
    )
    paused = await session.execute(
        update(Listing)
        .where(Listing.seller_id == user.id, Listing.status.in_(_ON_SALE))
        .values(status=ListingStatus.paused, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    own_listings = select(Listing.id).where(Listing.seller_id == user.id)
    released = await release_holds_where(
        session,
        [or_(Order.buyer_id == user.id, Order.listing_id.in_(own_listings))],
        code=OrderEventCode.hold_released_by_operator,
    )
    await refresh_game_summaries(session, game_ids)
    await audit.record(
        session,
        operator.id,
        Action.user_suspended,
        target_type="user",
        target_id=user.id,
        reason=reason,
        data={
            "listings_paused": int(paused.rowcount if isinstance(paused, CursorResult) else 0),
            "holds_released": len(released),
        },
    )
    return user


async def reinstate(session: AsyncSession, operator: User, user_id: int, *, reason: str) -> User:
    user = await _locked_user(session, user_id)
    if user.suspended_at is None:
        raise NotSuspended()
    user.suspended_at = None
    user.suspension_reason = None
    paused = list(
        await session.scalars(
            select(Listing).where(
                Listing.seller_id == user.id, Listing.status == ListingStatus.paused
            )
        )
    )
    for listing in paused:
        listing.status = _back_on_sale(listing)
        listing.updated_at = utcnow()
    await session.flush()
    await refresh_game_summaries(session, sorted({listing.game_id for listing in paused}))
    await audit.record(
        session,
        operator.id,
        Action.user_reinstated,
        target_type="user",
        target_id=user.id,
        reason=reason,
        data={"listings_resumed": len(paused)},
    )
    return user
