"""Runs compiled read statements on a driver connection: the reader's own pool (the app's
reads), or the connection under a SQLAlchemy session (tests, pages that read in their unit of
work)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from pitchaseat.rawsql._compiled import CompiledRead, Statement, compile_read

Rows = Sequence[Sequence[Any]]
# SQL text and its positional arguments.
Query = tuple[str, tuple[Any, ...]]
# The driver call: queries in, each one's rows out, on one connection (one checkout, or one
# hop to a SQLite reader thread, for all of them).
Fetch = Callable[[Sequence[Query]], Awaitable[list[Rows]]]
Close = Callable[[], Awaitable[None]]
Read = tuple[Statement, Mapping[str, Any]]

# Compiled once per dialect and statement, shared by every reader of that dialect.
_COMPILED: dict[tuple[str, str], dict[Statement, CompiledRead]] = {}


async def _nothing_to_close() -> None:
    return None


class RawReader:
    """Reads of a statement or two: the SQL compiled once, the driver's rows as decoded
    tuples. Each statement is its own snapshot (autocommit on the reader's own pool)."""

    def __init__(self, dialect: Dialect, fetch: Fetch, close: Close = _nothing_to_close) -> None:
        self.dialect = dialect
        self._fetch = fetch
        self._close = close
        self._compiled = _COMPILED.setdefault((dialect.name, dialect.driver), {})

    def _compile(self, statement: Statement) -> CompiledRead:
        compiled = self._compiled.get(statement)
        if compiled is None:
            compiled = self._compiled[statement] = compile_read(statement, self.dialect)
        return compiled

    async def rows(
        self, statement: Statement, parameters: Mapping[str, Any]
    ) -> list[tuple[Any, ...]]:
        compiled = self._compile(statement)
        (rows,) = await self._fetch([(compiled.sql, compiled.arguments(parameters))])
        return compiled.decode(rows)

    async def rows_of_each(self, reads: Sequence[Read]) -> list[list[tuple[Any, ...]]]:
        """Several statements in order on one connection."""
        compiled = [self._compile(statement) for statement, _ in reads]
        queries = [
            (each.sql, each.arguments(parameters))
            for each, (_, parameters) in zip(compiled, reads, strict=True)
        ]
        results = await self._fetch(queries)
        return [each.decode(rows) for each, rows in zip(compiled, results, strict=True)]

    async def fetch_sql(self, sql: str, arguments: tuple[Any, ...] = ()) -> Rows:
        """SQL text in the driver's dialect, the driver's rows out, undecoded."""
        (rows,) = await self._fetch([(sql, arguments)])
        return rows

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

        async def fetch(queries: Sequence[Query]) -> list[Rows]:
            return [await driver.fetch(sql, *arguments) for sql, arguments in queries]

    elif dialect.name in ("mysql", "mariadb"):

        async def fetch(queries: Sequence[Query]) -> list[Rows]:
            results: list[Rows] = []
            async with driver.cursor() as cursor:
                for sql, arguments in queries:
                    await cursor.execute(sql, arguments)
                    results.append(await cursor.fetchall())
            return results

    elif dialect.name == "sqlite":

        async def fetch(queries: Sequence[Query]) -> list[Rows]:
            return [await driver.execute_fetchall(sql, arguments) for sql, arguments in queries]

    else:
        raise ValueError(f"no raw reads for {dialect.name}")
    return RawReader(dialect, fetch)


async def session_reader(session: AsyncSession) -> RawReader:
    """A reader inside the session's transaction (a page that reads in its unit of work)."""
    return await borrowed_reader(await session.connection())
