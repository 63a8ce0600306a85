"""The embedded default: a session that reads and then writes must not fail because another
connection committed in between (SQLite's WAL snapshot rule); it takes the write lock first.
Writers of one process queue for that lock in the order they came, and one that waits too
long is told to retry (503), never given a 500."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from pitchaseat import db
from pitchaseat.adapters.cache import MemoryGroupCache
from pitchaseat.adapters.payments.sandbox import SandboxPayments
from pitchaseat.adapters.ratelimit import RateLimiter
from pitchaseat.adapters.storage import LocalImageStorage
from pitchaseat.app import create_app
from pitchaseat.db import READ_ONLY, create_engine, create_session_factory
from pitchaseat.runtime import AppServices
from pitchaseat.settings import Settings
from tests.support.databases import create_migrated, plan_database


async def test_a_writer_that_reads_first_survives_a_concurrent_commit(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'lock.db'}")
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER)"))
        await connection.execute(text("INSERT INTO counter VALUES (1, 0)"))
    factory = create_session_factory(engine)

    async def other_writer() -> None:
        async with factory() as session:
            await session.execute(text("UPDATE counter SET n = n + 1 WHERE id = 1"))
            await session.commit()

    async with factory() as session:
        await session.execute(text("SELECT n FROM counter WHERE id = 1"))
        other = asyncio.create_task(other_writer())
        await asyncio.sleep(0.3)  # the other writer tries to commit now
        await session.execute(text("UPDATE counter SET n = n + 10 WHERE id = 1"))
        await session.commit()
        await other

    async with factory() as session:
        session.info[READ_ONLY] = True
        total = await session.scalar(text("SELECT n FROM counter WHERE id = 1"))
    await engine.dispose()
    assert total == 11


async def test_writers_of_one_process_take_their_turns_in_the_order_they_came(
    tmp_path: Path,
) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'turns.db'}")
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE turns (id INTEGER PRIMARY KEY, name TEXT)"))
    factory = create_session_factory(engine)
    first_has_the_lock = asyncio.Event()
    let_go = asyncio.Event()

    async def first() -> None:
        async with factory() as session:
            await session.execute(text("INSERT INTO turns (name) VALUES ('first')"))
            first_has_the_lock.set()
            await let_go.wait()
            await session.commit()

    async def writer(name: str) -> None:
        async with factory() as session:
            await session.execute(text("INSERT INTO turns (name) VALUES (:name)"), {"name": name})
            await session.commit()

    holder = asyncio.create_task(first())
    await first_has_the_lock.wait()
    waiting = []
    for name in ("b", "c", "d", "e", "f"):
        waiting.append(asyncio.create_task(writer(name)))
        await asyncio.sleep(0.15)  # each one is queued before the next arrives
    let_go.set()
    await asyncio.gather(holder, *waiting)

    async with factory() as session:
        session.info[READ_ONLY] = True
        order = (await session.scalars(text("SELECT name FROM turns ORDER BY id"))).all()
    await engine.dispose()
    assert order == ["first", "b", "c", "d", "e", "f"]


async def test_a_request_that_waits_too_long_for_the_write_lock_is_told_to_retry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    planned = plan_database("sqlite", "busy", tmp_path)
    await create_migrated(planned)
    engine = create_engine(planned.url)
    factory = create_session_factory(engine)
    settings = Settings(
        environment="test",
        database_url=planned.url,
        data_dir=tmp_path,
        log_level="WARNING",
        _env_file=None,  # type: ignore[call-arg]
    )
    services = AppServices(
        settings=settings,
        engine=engine,
        session_factory=factory,
        rate_limiter=RateLimiter(),
        cache=MemoryGroupCache(),
        storage=LocalImageStorage(settings.effective_media_dir),
        payments=SandboxPayments(factory),
    )
    monkeypatch.setattr(db, "SQLITE_WRITE_WAIT_SECONDS", 0.3)
    transport = httpx.ASGITransport(app=create_app(settings, services))
    async with (
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
        factory() as holder,
    ):
        # Another writer of this process keeps its transaction open.
        await holder.execute(text("UPDATE teams SET color = color"))
        busy = await client.post(
            "/api/v1/auth/register",
            json={
                "email": "late.fan@example.com",
                "password": "Knuckleball-2099",
                "display_name": "Late fan",
            },
        )
        await holder.rollback()
        after = await client.post(
            "/api/v1/auth/register",
            json={
                "email": "late.fan@example.com",
                "password": "Knuckleball-2099",
                "display_name": "Late fan",
            },
        )
    await engine.dispose()

    assert busy.status_code == 503, busy.text
    assert busy.json()["error"]["code"] == "busy"
    assert busy.headers["retry-after"] == "2"
    assert after.status_code == 201, after.text  # nothing of the first try was kept
