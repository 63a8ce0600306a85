"""The embedded default: a session that reads and then writes must not fail because another
connection committed in between (SQLite's WAL snapshot rule); it takes the write lock first."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import text

from pitchaseat.db import READ_ONLY, create_engine, create_session_factory


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
