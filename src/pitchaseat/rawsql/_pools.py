"""The reader's own connections, straight from the driver: autocommit (one statement is one
snapshot, so nothing to begin, commit or reset), read-only, pooled without a round trip on
checkout or return. SQLite reads run in a few threads of their own, one hop per read."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

import asyncmy
import asyncpg  # type: ignore[import-untyped]
from asyncmy.constants import FIELD_TYPE
from asyncmy.converters import conversions, convert_datetime
from sqlalchemy.engine import URL, Dialect, make_url

from pitchaseat.rawsql._reader import Query, RawReader, Rows

IDLE_SECONDS = 1800  # as the engines' pool_recycle
SQLITE_READ_THREADS = 2
_SQLALCHEMY_ONLY = ("prepared_statement_cache_size", "prepared_statement_name_func")


def open_reader(url: str, *, pool_size: int) -> RawReader | None:
    """A reader with its own pool, or None where one cannot see the app's data (an
    in-memory SQLite database lives in one connection)."""
    parsed = make_url(url)
    dialect: Dialect = parsed.get_dialect()()
    if dialect.name == "postgresql" and dialect.driver == "asyncpg":
        postgres = _PostgresPool(_postgres_connect(parsed, dialect), pool_size)
        return RawReader(dialect, postgres.fetch, postgres.close)
    if dialect.name in ("mysql", "mariadb") and dialect.driver == "asyncmy":
        mysql = _MysqlPool(lambda: _mysql_pool(parsed, dialect, pool_size))
        return RawReader(dialect, mysql.fetch, mysql.close)
    if dialect.name == "sqlite" and parsed.database not in (None, "", ":memory:"):
        if "mode=memory" in str(parsed):
            return None
        threads = _SqliteThreads(parsed, dialect)
        return RawReader(dialect, threads.fetch, threads.close)
    return None


class _LazyPool:
    """A driver pool made on first use: pools are made inside the running event loop."""

    def __init__(self, make: Callable[[], Awaitable[Any]]) -> None:
        self._make = make
        self._pool: Any = None
        self._lock = asyncio.Lock()

    async def _get(self) -> Any:
        if self._pool is None:
            async with self._lock:
                if self._pool is None:
                    self._pool = await self._make()
        return self._pool


class _PostgresPool:
    """Idle connections on a stack, at most ``size`` open. asyncpg's own pool costs ~55 us
    of CPU per checkout and return (measured; the read itself ~40 us); one-statement,
    autocommit, read-only reads need none of its resets, so a list and a semaphore do."""

    def __init__(self, connect: Callable[[], Awaitable[Any]], size: int) -> None:
        self._connect = connect
        self._idle: list[tuple[Any, float]] = []  # (connection, when it was last returned)
        self._slots = asyncio.Semaphore(size)

    async def fetch(self, queries: Sequence[Query]) -> list[Rows]:
        async with self._slots:
            connection = await self._checkout()
            try:
                results = [await connection.fetch(sql, *arguments) for sql, arguments in queries]
            except BaseException:
                # A failed or cancelled read may leave the connection mid-protocol.
                connection.terminate()
                raise
            self._idle.append((connection, time.monotonic()))
            return results

    async def _checkout(self) -> Any:
        while self._idle:
            connection, returned_at = self._idle.pop()
            if not connection.is_closed() and time.monotonic() - returned_at < IDLE_SECONDS:
                return connection
            connection.terminate()
        return await self._connect()

    async def close(self) -> None:
        idle, self._idle = self._idle, []
        for connection, _ in idle:
            await connection.close()


class _MysqlPool(_LazyPool):
    async def fetch(self, queries: Sequence[Query]) -> list[Rows]:
        pool = self._pool or await self._get()
        results: list[Rows] = []
        async with pool.acquire() as connection, connection.cursor() as cursor:
            for sql, arguments in queries:
                await cursor.execute(sql, arguments)
                results.append(await cursor.fetchall())
        return results

    async def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            await self._pool.wait_closed()


def _postgres_connect(url: URL, dialect: Dialect) -> Callable[[], Awaitable[Any]]:
    _, options = dialect.create_connect_args(url)
    for name in _SQLALCHEMY_ONLY:
        options.pop(name, None)
    settings = {
        "default_transaction_read_only": "on",
        # Few statements whose best plan does not depend on the values (an index per
        # filter); planning each execution anew cost more than running it.
        "plan_cache_mode": "force_generic_plan",
    }

    async def connect() -> Any:
        return await asyncpg.connect(server_settings=settings, **options)

    return connect


def _utc_datetime(text: str) -> Any:
    # DATETIME columns hold naive UTC (``db.UtcDateTime``): read as aware UTC in one C call,
    # UtcDateTime has nothing left to do (its replace(tzinfo=...) costs ~1.5 us a value).
    try:
        return datetime.fromisoformat(text + "+00:00")
    except ValueError:
        return convert_datetime(text)  # what the driver makes of anything else


_MYSQL_CONVERSIONS = {**conversions, FIELD_TYPE.DATETIME: _utc_datetime}


async def _mysql_pool(url: URL, dialect: Dialect, size: int) -> Any:
    _, options = dialect.create_connect_args(url)
    options.setdefault("charset", "utf8mb4")
    return await asyncmy.create_pool(
        minsize=0,
        maxsize=size,
        pool_recycle=IDLE_SECONDS,
        autocommit=True,
        init_command="SET SESSION TRANSACTION READ ONLY",
        conv=_MYSQL_CONVERSIONS,
        **options,
    )


class _SqliteThreads:
    """Each thread keeps its own read-only sqlite3 connection; a read is one hop there."""

    def __init__(self, url: URL, dialect: Dialect) -> None:
        self._connect_args = dialect.create_connect_args(url)
        self._executor = ThreadPoolExecutor(SQLITE_READ_THREADS, thread_name_prefix="sqlite-read")
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            args, options = self._connect_args
            options = {**options, "timeout": 10, "isolation_level": None}
            connection = sqlite3.connect(*args, **options)  # type: ignore[call-overload]
            connection.execute("PRAGMA busy_timeout=10000")
            connection.execute("PRAGMA query_only=ON")
            self._local.connection = connection
            self._opened.append(connection)
        return connection

    def _run(self, queries: Sequence[Query]) -> list[Rows]:
        connection = self._connection()
        return [connection.execute(sql, arguments).fetchall() for sql, arguments in queries]

    async def fetch(self, queries: Sequence[Query]) -> list[Rows]:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._run, queries)

    async def close(self) -> None:
        await asyncio.to_thread(self._executor.shutdown)
        for connection in self._opened:
            connection.close()
