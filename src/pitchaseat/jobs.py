"""The periodic jobs, each safe to run at any time and any number of times: the scheduler
(and an operator, through ``pitchaseat jobs run``) calls them on every tick."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from pitchaseat.db import commit
from pitchaseat.listings.cache import ListingPageCache
from pitchaseat.listings.service import expire_started_listings
from pitchaseat.orders.deadlines import complete_after_game
from pitchaseat.orders.reminders import remind_to_ship
from pitchaseat.orders.service import release_expired_holds
from pitchaseat.payments.deadlines import refund_missed_shipments
from pitchaseat.payments.reconcile import reconcile_payments
from pitchaseat.reservations.jobs import run_matching
from pitchaseat.web.services import AppServices


@dataclass(frozen=True)
class TickReport:
    holds_released: int
    payments_reconciled: int
    refunded_missed_shipments: int
    auto_completed: int
    listings_expired: int
    ship_reminders: int = 0
    listings_matched: int = 0


def page_cache(services: AppServices) -> ListingPageCache:
    return ListingPageCache(services.cache, enabled=services.settings.page_cache_enabled)


async def run_tick(services: AppServices) -> TickReport:
    settings, factory, cache = services.settings, services.session_factory, page_cache(services)
    before_game = timedelta(minutes=settings.ship_deadline_minutes_before_game)
    async with factory() as session:
        released = await release_expired_holds(session, cache=cache)
        await commit(session)
    reconciled = await reconcile_payments(factory, services.payments, stats_cache=services.cache)
    refunded = await refund_missed_shipments(
        factory,
        services.payments,
        before_game=before_game,
        cache=cache,
    )
    async with factory() as session:
        completed = await complete_after_game(
            session, after_game=timedelta(hours=settings.auto_complete_hours_after_game)
        )
        expired = await expire_started_listings(session)
        reminded = await remind_to_ship(session, before_game=before_game)
        await commit(session)
    # Match requests whose job was never handed over (broker down) or never finished.
    matched = await run_matching(factory, None)
    return TickReport(
        released, reconciled, len(refunded), completed, expired, reminded, len(matched)
    )
