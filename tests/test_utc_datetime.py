"""UtcDateTime reads back aware UTC datetimes, whatever text SQLite holds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.dialects.sqlite.aiosqlite import SQLiteDialect_aiosqlite

from pitchaseat.db import UtcDateTime


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("2027-03-02 10:35:00.000250", datetime(2027, 3, 2, 10, 35, 0, 250, tzinfo=UTC)),
        ("2027-03-02 10:35:00", datetime(2027, 3, 2, 10, 35, tzinfo=UTC)),
        ("2027-03-02 18:35:00+08:00", datetime(2027, 3, 2, 10, 35, tzinfo=UTC)),
        (None, None),
    ],
)
def test_sqlite_text_reads_back_as_aware_utc(stored: str | None, expected: datetime | None) -> None:
    dialect = SQLiteDialect_aiosqlite()
    process = UtcDateTime().dialect_impl(dialect).result_processor(dialect, None)
    assert process is not None

    value = process(stored)

    assert value == expected
    assert value is None or value.utcoffset() == timedelta(0)


def test_an_aware_value_from_the_driver_is_turned_to_utc() -> None:
    dialect = PGDialect_asyncpg()
    process = UtcDateTime().dialect_impl(dialect).result_processor(dialect, None)
    taipei = datetime(2027, 3, 2, 18, 35, tzinfo=timezone(timedelta(hours=8)))

    value = process(taipei) if process else UtcDateTime().process_result_value(taipei, dialect)

    assert value == taipei
    assert value is not None and value.tzinfo is UTC
