"""Runs compiled read statements on a driver connection: the reader's own pool (the app's
reads), or the connection under a SQLAlchemy session (tests, pages that read in their unit of
work)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql import Select

from pitchaseat.rawsql._compiled import CompiledRead, compile_read

# The driver call: SQL text and positional arguments in, rows out.
Fetch = Callable[[str, tuple[Any, ...]], Awaitable[Sequence[Sequence[Any]]]]
Close = Callable[[], Awaitable[None]]

# Compiled once per dialect and statement, shared by every reader of that dialect.
_COMPILED: dict[tuple[str, str], dict[Select[Any], CompiledRead]] = {}


async def _nothing_to_close() -> None:
    return None


class RawReader:
    """One-statement reads: the SQL compiled once, the driver's rows as decoded tuples."""

    def __init__(self, dialect: Dialect, fetch: Fetch, close: Close = _nothing_to_close) -> None:
        self.dialect = dialect
        self._fetch = fetch
        self._close = close
        self._compiled = _COMPILED.setdefault((dialect.name, dialect.driver), {})

    async def rows(
        self, statement: Select[Any], parameters: Mapping[str, Any]
    ) -> list[tuple[Any, ...]]:
        compiled = self._compiled.get(statement)
        if compiled is None:
            compiled = self._compiled[statement] = compile_read(statement, self.dialect)
        return compiled.decode(await self._fetch(compiled.sql, compiled.arguments(parameters)))

    async def fetch_sql(self, sql: str, arguments: tuple[Any, ...] = ()) -> Sequence[Sequence[Any]]:
        """SQL text in the driver's dialect, the driver's rows out, undecoded."""
        return await self._fetch(sql, arguments)

    async def close(self) -> None:
        await self._close()

    # A reader with its own pool is its own context: nothing to check out per read.
    async def __aenter__(self) -> RawReader:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        return None


async def borrowed_reader(connection: AsyncConnection) -> RawReader:
    """A reader on the driver connection under ``connection``, inside its transaction."""
    driver: Any = (await connection.get_raw_connection()).driver_connection
    dialect = connection.dialect
    if dialect.name == "postgresql" and dialect.driver == "asyncpg":

        async def fetch(sql: str, arguments: tuple[Any, ...]) -> Sequence[Sequence[Any]]:
            rows: Sequence[Sequence[Any]] = await driver.fetch(sql, *arguments)
            return rows

    elif dialect.name in ("mysql", "mariadb"):

        async def fetch(sql: str, arguments: tuple[Any, ...]) -> Sequence[Sequence[Any]]:
            async with driver.cursor() as cursor:
                await cursor.execute(sql, arguments)
                rows: Sequence[Sequence[Any]] = await cursor.fetchall()
                return rows

    elif dialect.name == "sqlite":

        async def fetch(sql: str, arguments: tuple[Any, ...]) -> Sequence[Sequence[Any]]:
            rows: Sequence[Sequence[Any]] = await driver.execute_fetchall(sql, arguments)
            return rows

    else:
        raise ValueError(f"no raw reads for {dialect.name}")
    return RawReader(dialect, fetch)


async def session_reader(session: AsyncSession) -> RawReader:
    """A reader inside the session's transaction (a page that reads in its unit of work)."""
    return await borrowed_reader(await session.connection())
