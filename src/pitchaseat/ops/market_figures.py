"""The marketplace's own figures for /metrics, counted from the tables at scrape time.

Each figure is one small aggregate that an index answers (orders by status and live holds from
``ix_orders_status_hold_expires``, the outbox from ``ix_email_outbox_status_next``) or that reads
a table kept short by design (charges waiting for an answer, match requests, scheduler ticks).
Counting rather than keeping counters in memory means every replica reports the same figures,
a restart loses nothing, and no workflow has to remember to count.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.db import READ_ONLY
from pitchaseat.notifications.models import EmailOutbox, EmailStatus
from pitchaseat.ops.figures import Figure
from pitchaseat.ops.readiness import readiness_checks
from pitchaseat.ops.scheduler import SchedulerTick
from pitchaseat.orders.models import Order, OrderStatus
from pitchaseat.payments.models import Payment, PaymentStatus
from pitchaseat.reservations.models import MatchRequest
from pitchaseat.timeutil import utcnow
from pitchaseat.web.services import AppServices

UNANSWERED = (PaymentStatus.unknown, PaymentStatus.pending)
UNSENT = (EmailStatus.pending, EmailStatus.failed)


def _age_seconds(now: datetime, since: datetime | None) -> float:
    return max(0.0, (now - since).total_seconds()) if since is not None else 0.0


async def _orders(session: AsyncSession, now: datetime) -> list[Figure]:
    by_status = dict.fromkeys(OrderStatus, 0)
    rows = await session.execute(select(Order.status, func.count()).group_by(Order.status))
    for status, count in rows:
        by_status[OrderStatus(status)] = count
    holds, held_tickets = (
        await session.execute(
            select(func.count(), func.coalesce(func.sum(Order.quantity), 0)).where(
                Order.status == OrderStatus.pending_payment, Order.hold_expires_at > now
            )
        )
    ).one()
    return [
        *(
            Figure("pas_orders", "Orders by status", count, {"status": status.value})
            for status, count in by_status.items()
        ),
        Figure("pas_holds_active", "Checkout holds not yet paid nor expired", holds),
        Figure("pas_holds_active_tickets", "Tickets kept by live checkout holds", held_tickets),
    ]


async def _payments(session: AsyncSession, now: datetime) -> list[Figure]:
    counts = dict.fromkeys(PaymentStatus, 0)
    oldest: dict[PaymentStatus, datetime | None] = {}
    refunded_count = refunded_amount = 0
    rows = await session.execute(
        select(
            Payment.status,
            func.count(),
            func.min(Payment.created_at),
            func.coalesce(func.sum(case((Payment.refunded_amount > 0, 1), else_=0)), 0),
            func.coalesce(func.sum(Payment.refunded_amount), 0),
        ).group_by(Payment.status)
    )
    for status, count, first_created, refunds, amount in rows:
        counts[PaymentStatus(status)] = count
        oldest[PaymentStatus(status)] = first_created
        refunded_count += int(refunds)
        refunded_amount += int(amount)
    figures = [
        Figure("pas_payments", "Charges by outcome", count, {"status": status.value})
        for status, count in counts.items()
    ]
    for status in UNANSWERED:
        labels = {"status": status.value}
        figures.append(
            Figure(
                "pas_charges_unanswered",
                "Charges still waiting for the provider's answer (pending: 3-D Secure too)",
                counts[status],
                labels,
            )
        )
        figures.append(
            Figure(
                "pas_charges_unanswered_oldest_age_seconds",
                "Age of the oldest charge still waiting for an answer (0 when none)",
                _age_seconds(now, oldest.get(status)),
                labels,
            )
        )
    figures.append(Figure("pas_refunds", "Charges refunded in whole or part", refunded_count))
    figures.append(Figure("pas_refunded_amount_twd", "Money refunded, in NT$", refunded_amount))
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
    checks = await readiness_checks(services)
    figures = [
        Figure(
            "pas_dependency_up",
            "1 when the dependency answered the readiness probe",
            1.0 if result == "ok" else 0.0,
            {"dependency": name},
        )
        for name, result in checks.items()
    ]
    figures.append(
        Figure(
            "pas_ready",
            "1 when /readyz would answer 200",
            1.0 if all(result == "ok" for result in checks.values()) else 0.0,
        )
    )
    now = utcnow()
    async with services.session_factory() as session:
        session.info[READ_ONLY] = True
        figures += await _orders(session, now)
        figures += await _payments(session, now)
        figures += await _outbox(session, now)
        figures += await _matching(session, now)
        figures += await _scheduler(session, services.settings.scheduler_interval_seconds)
        await session.rollback()
    return figures
