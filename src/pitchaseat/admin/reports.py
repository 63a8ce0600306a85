"""Fans report listings; the reports wait in the operators' queue."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.models import User
from pitchaseat.adapters.ratelimit import RateLimiter
from pitchaseat.admin.errors import AlreadyReported
from pitchaseat.admin.models import ListingReport, ReportReason, ReportStatus
from pitchaseat.errors import NotFound, RateLimited
from pitchaseat.listings.models import Listing, ListingStatus
from pitchaseat.timeutil import utcnow

# A fan may report what they can see: not someone else's withdrawn listing.
_REPORTABLE = (ListingStatus.active, ListingStatus.sold_out, ListingStatus.paused)


async def report_listing(
    session: AsyncSession,
    reporter: User,
    listing_id: int,
    *,
    reason: ReportReason,
    note: str | None,
    limiter: RateLimiter,
    rule: str,
) -> ListingReport:
    status = await session.scalar(select(Listing.status).where(Listing.id == listing_id))
    if status is None or status not in _REPORTABLE:
        raise NotFound("No such listing.")
    already = await session.scalar(
        select(ListingReport.id).where(
            ListingReport.listing_id == listing_id, ListingReport.reporter_id == reporter.id
        )
    )
    if already is not None:
        raise AlreadyReported()
    check = await limiter.hit(rule, "listing-report", str(reporter.id))
    if not check.allowed:
        raise RateLimited(check.retry_after_seconds)
    report = ListingReport(
        listing_id=listing_id,
        reporter_id=reporter.id,
        reason=reason,
        note=(note or "").strip() or None,
        status=ReportStatus.open,
    )
    session.add(report)
    try:
        async with session.begin_nested():  # a concurrent twin loses on the unique key
            await session.flush()
    except IntegrityError as error:
        raise AlreadyReported() from error
    return report


@dataclass(frozen=True)
class ReportPage:
    reports: list[ListingReport]
    total: int


async def list_reports(
    session: AsyncSession,
    *,
    status: ReportStatus | None = ReportStatus.open,
    listing_id: int | None = None,
    reporter_id: int | None = None,
    offset: int = 0,
    limit: int = 20,
) -> ReportPage:
    conditions = []
    if status is not None:
        conditions.append(ListingReport.status == status)
    if listing_id is not None:
        conditions.append(ListingReport.listing_id == listing_id)
    if reporter_id is not None:
        conditions.append(ListingReport.reporter_id == reporter_id)
    total = await session.scalar(select(func.count(ListingReport.id)).where(*conditions))
    reports = await session.scalars(
        select(ListingReport)
        .where(*conditions)
        .order_by(ListingReport.created_at, ListingReport.id)
        .offset(offset)
        .limit(limit)
    )
    return ReportPage(list(reports), int(total or 0))


async def close_reports(session: AsyncSession, listing_id: int) -> int:
    """Every open report of the listing is dealt with (taken down, or dismissed)."""
    result = await session.execute(
        update(ListingReport)
        .where(ListingReport.listing_id == listing_id, ListingReport.status == ReportStatus.open)
        .values(status=ReportStatus.closed, closed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def open_report_count(session: AsyncSession) -> int:
    count = await session.scalar(
        select(func.count(ListingReport.id)).where(ListingReport.status == ReportStatus.open)
    )
    return int(count or 0)


async def open_reports_for(
    session: AsyncSession, listing_ids: list[int]
) -> dict[int, list[ListingReport]]:
    found: dict[int, list[ListingReport]] = {}
    if not listing_ids:
        return found
    rows = await session.scalars(
        select(ListingReport)
        .where(ListingReport.listing_id.in_(listing_ids), ListingReport.status == ReportStatus.open)
        .order_by(ListingReport.id)
    )
    for report in rows:
        found.setdefault(report.listing_id, []).append(report)
    return found
