"""Migration 0015: accounts that existed before it are marked verified (they signed up when no
address was checked, and must keep selling and being paid); new ones start unverified."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from pitchaseat.db import UtcDateTime
from pitchaseat.migrate import upgrade_database
from tests.conftest import BACKENDS, RUN_ID
from tests.support.databases import DatabasePlan, create_migrated, drop, plan_database

BEFORE = "0013"
NOW = datetime(2026, 12, 5, 12, tzinfo=UTC)
users = sa.table(
    "users",
    sa.column("email"),
    sa.column("password_hash"),
    sa.column("display_name"),
    sa.column("is_operator"),
    sa.column("created_at", UtcDateTime()),
    sa.column("updated_at", UtcDateTime()),
)


@pytest.fixture(params=BACKENDS)
async def old_database(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[DatabasePlan]:
    planned = plan_database(request.param, f"pas_money_{RUN_ID}", tmp_path)
    try:
        await create_migrated(planned, BEFORE)
    except OSError as error:
        pytest.skip(f"{request.param} is not reachable: {error}")
    yield planned
    await drop(planned)


async def test_existing_accounts_are_verified_and_new_ones_are_not(
    old_database: DatabasePlan,
) -> None:
    engine = create_async_engine(old_database.url)
    async with engine.begin() as connection:
        await connection.execute(
            users.insert().values(
                email="old@example.com",
                password_hash="x",
                display_name="Old fan",
                is_operator=False,
                created_at=NOW,
                updated_at=NOW,
            )
        )
    await engine.dispose()

    await asyncio.to_thread(upgrade_database, old_database.url, "head")

    engine = create_async_engine(old_database.url)
    async with engine.begin() as connection:
        await connection.execute(
            users.insert().values(
                email="new@example.com",
                password_hash="x",
                display_name="New fan",
                is_operator=False,
                created_at=NOW,
                updated_at=NOW,
            )
        )
        rows = await connection.execute(
            sa.text("SELECT email, email_verified FROM users ORDER BY email")
        )
        found = {email: bool(verified) for email, verified in rows.all()}
    await engine.dispose()
    assert found == {"new@example.com": False, "old@example.com": True}
