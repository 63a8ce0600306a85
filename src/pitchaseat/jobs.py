"""The periodic jobs, each safe to run at any time and any number of times: the scheduler
(and an operator, through ``pitchaseat jobs run``) calls them on every tick.

A job that fails is logged and the others still run; the jobs that go through many items
(refunds, reconciles) handle each item on its own, so one bad item never stops the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from pitchaseat.db import commit, rollback
from pitchaseat.listings.service import expire_started_listings
from pitchaseat.notifications.retention import remove_old_sent_texts
from pitchaseat.orders.deadlines import complete_after_game
from pitchaseat.orders.holds import release_expired_holds
from pitchaseat.orders.reminders import remind_to_ship
from pitchaseat.orders.workflows.masking import mask_ended_deliveries
from pitchaseat.orders.workflows.reconcile import reconcile_payments
from pitchaseat.orders.workflows.ship_deadline import refund_missed_shipments
from pitchaseat.reservations.jobs import run_matching
from pitchaseat.runtime import AppServices

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TickReport:
    holds_released: int
    payments_reconciled: int
    refunded_missed_shipments: int
    auto_completed: int
    listings_expired: int
    ship_reminders: int = 0
    listings_matched: int = 0
    deliveries_masked: int = 0
    email_texts_removed: int = 0
    failed_jobs: tuple[str, ...] = ()


async def run_tick(services: AppServices) -> TickReport:
    settings, factory = services.settings, services.session_factory
    failed: list[str] = []

    async def guarded(name: str, job: Callable[[], Awaitable[int]]) -> int:
        try:
            return await job()
        except Exception:
            log.exception("periodic job %s failed; the others go on", name)
            failed.append(name)
            return 0

    def in_transaction(
        work: Callable[..., Awaitable[int]], **kwargs: object
    ) -> Callable[[], Awaitable[int]]:
        async def run() -> int:
            async with factory() as session:
                try:
                    done = await work(session, **kwargs)
                except BaseException:
                    await rollback(session)
                    raise
                await commit(session)
                return done

        return run

    async def refund_unshipped() -> int:
        return len(await refund_missed_shipments(factory, services.payments))

    async def match() -> int:
        return len(await run_matching(factory, None))

    after_game = timedelta(hours=settings.auto_complete_hours_after_game)
    released = await guarded("release_expired_holds", in_transaction(release_expired_holds))
    reconciled = await guarded(
        "reconcile_payments", lambda: reconcile_payments(factory, services.payments)
    )
    refunded = await guarded("refund_missed_shipments", refund_unshipped)
    completed = await guarded(
        "complete_after_game", in_transaction(complete_after_game, after_game=after_game)
    )
    expired = await guarded("expire_started_listings", in_transaction(expire_started_listings))
    reminded = await guarded("remind_to_ship", in_transaction(remind_to_ship))
    # Match requests whose job was never handed over (broker down) or never finished.
    matched = await guarded("run_matching", match)
    masked = await guarded("mask_ended_deliveries", lambda: mask_ended_deliveries(factory))
    texts_removed = await guarded("remove_old_sent_texts", in_transaction(remove_old_sent_texts))
    return TickReport(
        released,
        reconciled,
        refunded,
        completed,
        expired,
        reminded,
        matched,
        deliveries_masked=masked,
        email_texts_removed=texts_removed,
        failed_jobs=tuple(failed),
    )
