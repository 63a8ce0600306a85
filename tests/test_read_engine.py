"""The read engine: autocommit connections that see committed data and refuse writes."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from pitchaseat.db import create_read_engine
from tests.support.databases import DatabasePlan


async def test_read_connections_see_committed_rows_and_refuse_writes(
    database: DatabasePlan,
) -> None:
    engine = create_read_engine(database.url, pool_size=1)
    try:
        async with engine.connect() as connection:
            teams = await connection.scalar(text("SELECT count(*) FROM teams"))
            with pytest.raises(DBAPIError):
                await connection.execute(text("UPDATE teams SET color = color"))
    finally:
        await engine.dispose()

    assert teams == 6
