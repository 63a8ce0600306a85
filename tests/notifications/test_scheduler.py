"""The periodic jobs run once per tick however many schedulers race for it."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest

from pitchaseat.db import create_engine, create_session_factory
from pitchaseat.ops.scheduler import claim_tick
from pitchaseat.runtime import AppServices
from pitchaseat.settings import Settings
from pitchaseat.worker import run_scheduled_once


@pytest.fixture
async def two_processes(committed_settings: Settings) -> AsyncIterator[list[AppServices]]:
    """Two schedulers' worth of services, each with its own engine (as two processes)."""
    settings = committed_settings.model_copy(update={"scheduler_interval_seconds": 3600})
    services = [AppServices.from_settings(settings) for _ in range(2)]
    yield services
    for each in services:
        await each.close()


async def test_two_schedulers_claiming_one_tick_run_it_once(
    two_processes: list[AppServices],
) -> None:
    name = f"test-{uuid.uuid4().hex[:8]}"

    async def claim(services: AppServices, holder: str, tick: int) -> bool:
        async with services.session_factory() as session:
            return await claim_tick(session, name, tick, holder=holder)

    first = await asyncio.gather(*(claim(s, f"p{i}", 1) for i, s in enumerate(two_processes)))
    again = await asyncio.gather(*(claim(s, f"p{i}", 1) for i, s in enumerate(two_processes)))
    next_tick = await asyncio.gather(*(claim(s, f"p{i}", 2) for i, s in enumerate(two_processes)))

    assert sorted(first) == [False, True]
    assert again == [False, False]
    assert sorted(next_tick) == [False, True]


async def test_the_periodic_jobs_run_once_per_tick(two_processes: list[AppServices]) -> None:
    runs = await asyncio.gather(
        *(run_scheduled_once(s, holder=f"p{i}") for i, s in enumerate(two_processes))
    )

    assert len([run for run in runs if run is not None]) == 1


async def test_claims_on_separate_connections_agree(committed_settings: Settings) -> None:
    engine = create_engine(committed_settings.effective_database_url, pool_size=2)
    factory = create_session_factory(engine)
    name = f"test-{uuid.uuid4().hex[:8]}"
    try:
        async with factory() as first, factory() as second:
            won = [
                await claim_tick(first, name, 7, holder="a"),
                await claim_tick(second, name, 7, holder="b"),
            ]
    finally:
        await engine.dispose()

    assert won == [True, False]
