"""Background work: email delivery wired to the job queue, the periodic scheduler, and the
``pitchaseat worker`` process (a Dramatiq worker plus the scheduler)."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
from dataclasses import dataclass

import structlog

from pitchaseat.adapters.queue import DramatiqQueue
from pitchaseat.db import create_engine, create_session_factory
from pitchaseat.jobs import TickReport, run_tick
from pitchaseat.listings.match_requests import MATCH_JOB
from pitchaseat.notifications import delivery
from pitchaseat.ops.logging import configure_logging
from pitchaseat.ops.scheduler import claim_tick, tick_number
from pitchaseat.reservations.jobs import run_matching
from pitchaseat.runtime import AppServices, build_mailer
from pitchaseat.settings import Settings
from pitchaseat.timeutil import utcnow

log = logging.getLogger(__name__)
events = structlog.get_logger("pitchaseat.scheduler")
PERIODIC = "periodic"


def retry_policy(settings: Settings) -> delivery.RetryPolicy:
    return delivery.RetryPolicy(settings.email_max_attempts, settings.email_retry_base_seconds)


def install_email_jobs(services: AppServices) -> None:
    """Lets this process hand emails and reservation matching to its job queue (and run them,
    when in-process)."""
    if services.jobs is not None:
        factory = services.session_factory

        async def match(request_id: int) -> None:
            await run_matching(factory, request_id)

        services.jobs.register(MATCH_JOB, match, max_retries=5, min_backoff_seconds=1.0)
    if services.jobs is None or services.mailer is None:
        return
    policy = retry_policy(services.settings)
    email = delivery.EmailDelivery(services.session_factory, services.mailer, policy)
    delivery.install(services.jobs, email.deliver, policy)


class WorkerDelivery:
    """Email delivery for Dramatiq's own event loop thread: the database engine is made on
    first use, on the loop that runs the actors (async engines belong to one loop)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.policy = retry_policy(settings)
        self._delivery: delivery.EmailDelivery | None = None

    async def deliver(self, outbox_id: int) -> None:
        if self._delivery is None:
            engine = create_engine(self.settings.effective_database_url, pool_size=2)
            self._delivery = delivery.EmailDelivery(
                create_session_factory(engine), build_mailer(self.settings), self.policy
            )
        await self._delivery.deliver(outbox_id)


class WorkerMatching:
    """Reservation matching on Dramatiq's own loop thread, with services made there on first
    use (so its sessions publish and hand emails over after commit like the app's)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._services: AppServices | None = None

    async def match(self, request_id: int) -> None:
        if self._services is None:
            self._services = AppServices.from_settings(self.settings)
        await run_matching(self._services.session_factory, request_id)


@dataclass(frozen=True)
class ScheduledRun:
    tick: TickReport
    emails_swept: int
    number: int = 0  # the tick this run claimed


async def run_scheduled_once(services: AppServices, *, holder: str) -> ScheduledRun | None:
    """Runs this tick's periodic jobs unless another process already runs them."""
    tick = tick_number(utcnow(), services.settings.scheduler_interval_seconds)
    async with services.session_factory() as session:
        if not await claim_tick(session, PERIODIC, tick, holder=holder):
            return None
    report = await run_tick(services)
    swept = 0
    if services.jobs is not None:
        async with services.session_factory() as session:
            swept = await delivery.sweep(session, services.jobs)
    return ScheduledRun(report, swept, tick)


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


async def scheduler_loop(services: AppServices, stop: asyncio.Event) -> None:
    interval = services.settings.scheduler_interval_seconds
    holder = holder_name()
    while not stop.is_set():
        # Wake at the start of the next tick, so every process aims at the same one.
        now = utcnow().timestamp()
        delay = interval - (now % interval) + 0.05
        try:
            await asyncio.wait_for(stop.wait(), timeout=delay)
            return
        except TimeoutError:
            pass
        try:
            ran = await run_scheduled_once(services, holder=holder)
        except Exception:
            log.exception("periodic jobs failed; trying again next tick")
            continue
        if ran is not None:
            # One line per tick run, whichever process won it: operators (and the
            # several-process test) can see that each tick ran once.
            events.info(
                "periodic_jobs_ran",
                tick=ran.number,
                holder=holder,
                report=str(ran.tick),
                emails_swept=ran.emails_swept,
            )


async def run_worker(settings: Settings) -> None:
    """The worker process: Dramatiq consumes the broker's jobs in its threads while this loop
    keeps the scheduler."""
    configure_logging(settings.log_level, json=settings.log_json)
    services = AppServices.from_settings(settings)
    queue, worker = services.jobs, None
    if isinstance(queue, DramatiqQueue):
        delivery.install(queue, WorkerDelivery(settings).deliver, retry_policy(settings))
        queue.register(
            MATCH_JOB, WorkerMatching(settings).match, max_retries=5, min_backoff_seconds=1.0
        )
        worker = queue.worker()
        worker.start()
    else:
        install_email_jobs(services)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await scheduler_loop(services, stop)
    finally:
        if worker is not None:
            await asyncio.to_thread(worker.stop)
        await services.close()
