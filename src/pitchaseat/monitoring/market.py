"""The marketplace's own figures for /metrics, counted from the tables at scrape time.

Every query reads only what an index narrows to the live part of the market, never the whole
history (bench/metrics_scrape.py: a GROUP BY over all orders and payments cost about 0.3 s per
100,000 rows): orders in flight and live holds from ``ix_orders_status_hold_expires``, the last
minutes' order moves from ``ix_order_events_to_status_at``, charges through the orders they
belong to, the outbox from ``ix_email_outbox_status_next``; match requests and scheduler ticks
are short tables by design. Counting rather than keeping counters in memory means every
replica reports the same figures, a restart loses nothing, and no workflow has to remember to
count.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.db import READ_ONLY
from pitchaseat.listings.match_requests import MatchRequest
from pitchaseat.monitoring.readiness import readiness
from pitchaseat.notifications.models import EmailOutbox, EmailStatus
from pitchaseat.ops.figures import Figure
from pitchaseat.ops.scheduler import SchedulerTick
from pitchaseat.orders.models import Order, OrderEvent, OrderStatus
from pitchaseat.payments.models import Payment, PaymentStatus
from pitchaseat.runtime import AppServices
from pitchaseat.timeutil import utcnow

# Statuses an order leaves again; the others (completed, cancelled, refunded) only pile up.
IN_FLIGHT = (
    OrderStatus.pending_payment,
    OrderStatus.paid,
    OrderStatus.shipped,
    OrderStatus.disputed,
)
UNANSWERED = (PaymentStatus.unknown, PaymentStatus.pending)
UNSENT = (EmailStatus.pending, EmailStatus.failed)
RECENT = timedelta(minutes=15)
RECENT_NOTE = "in the last 15 minutes"


def _age_seconds(now: datetime, since: datetime | None) -> float:
    return max(0.0, (now - since).total_seconds()) if since is not None else 0.0


async def _orders(session: AsyncSession, now: datetime) -> list[Figure]:
    in_flight = dict.fromkeys(IN_FLIGHT, 0)
    rows = await session.execute(
        select(Order.status, func.count()).where(Order.status.in_(IN_FLIGHT)).group_by(Order.status)
    )
    for status, count in rows:
        in_flight[OrderStatus(status)] = count
    moved = dict.fromkeys(OrderStatus, 0)
    rows = await session.execute(
        select(OrderEvent.to_status, func.count())
        .where(OrderEvent.to_status.in_([status.value for status in OrderStatus]))
        .where(OrderEvent.at >= now - RECENT)
        .group_by(OrderEvent.to_status)
    )
    for status, count in rows:
        moved[OrderStatus(status)] = count
    holds, held_tickets = (
        await session.execute(
            select(func.count(), func.coalesce(func.sum(Order.quantity), 0)).where(
                Order.status == OrderStatus.pending_payment, Order.hold_expires_at > now
            )
        )
    ).one()
    return [
        *(
            Figure(
                "pas_orders_in_flight",
                "Orders not yet finished, by status",
                count,
                {"status": status.value},
            )
            for status, count in in_flight.items()
        ),
        *(
            Figure(
                "pas_order_moves_recent",
                f"Orders that moved to this status {RECENT_NOTE} (pending_payment: holds "
                "placed, paid: charges that went through, refunded, cancelled: expired holds too)",
                count,
                {"to_status": status.value},
            )
            for status, count in moved.items()
        ),
        Figure("pas_holds_active", "Checkout holds not yet paid nor expired", holds),
        Figure("pas_holds_active_tickets", "Tickets kept by live checkout holds", held_tickets),
    ]


async def _charges(session: AsyncSession, now: datetime) -> list[Figure]:
    """Charges reached through their orders: those of the last minutes' holds by outcome, and
    those still waiting for an answer (their order waits too: a charge in flight keeps the
    hold from expiring, so it is still pending_payment)."""
    recent_orders = (
        select(OrderEvent.order_id)
        .where(OrderEvent.to_status == OrderStatus.pending_payment.value)
        .where(OrderEvent.at >= now - RECENT)
    )
    outcomes = dict.fromkeys(PaymentStatus, 0)
    rows = await session.execute(
        select(Payment.status, func.count())
        .where(Payment.order_id.in_(recent_orders))
        .group_by(Payment.status)
    )
    for status, count in rows:
        outcomes[PaymentStatus(status)] = count
    waiting: dict[PaymentStatus, tuple[int, datetime | None]] = dict.fromkeys(UNANSWERED, (0, None))
    waiting_rows = await session.execute(
        select(Payment.status, func.count(), func.min(Payment.created_at))
        .join(Order, Order.id == Payment.order_id)
        .where(Order.status == OrderStatus.pending_payment, Payment.status.in_(UNANSWERED))
        .group_by(Payment.status)
    )
    for status, count, first_created in waiting_rows:
        waiting[PaymentStatus(status)] = (count, first_created)
    figures = [
        Figure(
            "pas_charges_recent",
            f"Charges for holds placed {RECENT_NOTE}, by outcome",
            count,
            {"status": status.value},
        )
        for status, count in outcomes.items()
    ]
    for status, (count, oldest) in waiting.items():
        labels = {"status": status.value}
        figures.append(
            Figure(
                "pas_charges_unanswered",
                "Charges still waiting for the provider's answer (pending: 3-D Secure too)",
                count,
                labels,
            )
        )
        figures.append(
            Figure(
                "pas_charges_unanswered_oldest_age_seconds",
                "Age of the oldest charge still waiting for an answer (0 when none)",
                _age_seconds(now, oldest),
                labels,
            )
        )
    return figures


async def _outbox(session: AsyncSession, now: datetime) -> list[Figure]:
    counts = dict.fromkeys(UNSENT, 0)
    retrying, oldest_due = 0, None
    rows = await session.execute(
        select(
            EmailOutbox.status,
            func.count(),
            func.min(EmailOutbox.next_attempt_at),
            func.coalesce(func.sum(case((EmailOutbox.attempts > 0, 1), else_=0)), 0),
        )
        .where(EmailOutbox.status.in_(UNSENT))
        .group_by(EmailOutbox.status)
    )
    for status, count, first_due, tried in rows:
        counts[EmailStatus(status)] = count
        if status == EmailStatus.pending:
            retrying, oldest_due = int(tried), first_due
    return [
        Figure(
            "pas_email_outbox_pending", "Emails waiting to be sent", counts[EmailStatus.pending]
        ),
        Figure("pas_email_outbox_retrying", "Waiting emails that failed at least once", retrying),
        Figure(
            "pas_email_outbox_failed",
            "Emails given up after their last attempt (pitchaseat emails failed)",
            counts[EmailStatus.failed],
        ),
        Figure(
            "pas_email_outbox_oldest_due_age_seconds",
            "How long the most overdue waiting email has been due (0 when none)",
            _age_seconds(now, oldest_due),
        ),
    ]


async def _matching(session: AsyncSession, now: datetime) -> list[Figure]:
    waiting, oldest = (
        await session.execute(select(func.count(), func.min(MatchRequest.requested_at)))
    ).one()
    return [
        Figure("pas_match_requests_waiting", "Listings waiting to be matched", waiting),
        Figure(
            "pas_match_request_oldest_age_seconds",
            "Age of the oldest listing waiting to be matched (0 when none)",
            _age_seconds(now, oldest),
        ),
    ]


async def _scheduler(session: AsyncSession, interval_seconds: int) -> list[Figure]:
    rows = await session.execute(select(SchedulerTick.name, SchedulerTick.ran_at))
    return [
        Figure(
            "pas_scheduler_interval_seconds",
            "How often the periodic jobs should run",
            interval_seconds,
        ),
        *(
            Figure(
                "pas_scheduler_last_run_timestamp_seconds",
                "When a process last claimed and ran this periodic job (unix time)",
                ran_at.timestamp(),
                {"job": name},
            )
            for name, ran_at in rows
        ),
    ]


async def read_market_figures(services: AppServices) -> list[Figure]:
    state = await readiness(services)
    figures = [
        Figure(
            "pas_dependency_up",
            "1 when the dependency answered the readiness probe",
            1.0 if result == "ok" else 0.0,
            {"dependency": name},
        )
        for name, result in state.checks.items()
    ]
    figures.append(
        Figure(
            "pas_ready",
            "1 when /readyz would answer 200",
            1.0 if state.can_serve else 0.0,
        )
    )
    now = utcnow()
    async with services.session_factory() as session:
        session.info[READ_ONLY] = True
        figures += await _orders(session, now)
        figures += await _charges(session, now)
        figures += await _outbox(session, now)
        figures += await _matching(session, now)
        figures += await _scheduler(session, services.settings.scheduler_interval_seconds)
        await session.rollback()
    return figures
