"""Engine, sessions and the declarative base shared by every domain.

Three backends are first-class: SQLite (embedded default), PostgreSQL and MariaDB/MySQL.
Backend quirks are handled here so that models and queries stay portable.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
import weakref
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, MetaData, event, exc
from sqlalchemy.dialects import mysql
from sqlalchemy.engine import Dialect, Engine, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Session
from sqlalchemy.types import TypeDecorator
from sqlalchemy.util import await_

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every backend.

    PostgreSQL keeps the offset itself; SQLite and MySQL store naive UTC, which this type
    converts back to aware UTC when reading.
    """

    impl = DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are refused; pass an aware UTC datetime")
        value = value.astimezone(UTC)
        if dialect.name == "postgresql":
            return value
        return value.replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None or value.tzinfo is UTC:
            return value
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def result_processor(self, dialect: Dialect, coltype: Any) -> Callable[[Any], Any] | None:
        general = super().result_processor(dialect, coltype)
        if dialect.name != "sqlite" or general is None:
            return general

        # SQLite keeps the naive UTC text SQLAlchemy wrote (ISO 8601). Its own parser is a
        # regular expression in Python and ``replace(tzinfo=...)`` is slow too; parsing the
        # text with its offset is one C call, several times faster, and the listing page and
        # the calendar read thousands of these a second. Anything else takes the long way.
        def parse(value: Any) -> datetime | None:
            try:
                return datetime.fromisoformat(value + "+00:00")
            except (TypeError, ValueError):
                result: datetime | None = general(value)
                return result

        return parse


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _configure_sqlite(engine: AsyncEngine) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT; take over BEGIN ourselves.
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    # BEGIN is sent just before the transaction's first statement, so that a session meant
    # to write can take the write lock up front (BEGIN IMMEDIATE). A deferred transaction
    # that reads and then writes fails at once with "database is locked" when another
    # connection wrote in between (WAL snapshot); an immediate one waits its turn instead.
    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.info[_BEGIN_PENDING] = True

    gate = _WriteGate()

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _send_begin(
        connection: Any, cursor: Any, _sql: Any, _params: Any, _context: Any, _many: Any
    ) -> None:
        if connection.info.pop(_BEGIN_PENDING, False):
            immediate = connection.info.pop(_SQLITE_IMMEDIATE, False)
            if immediate:
                gate.enter(connection.info)
            cursor.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")

    @event.listens_for(engine.sync_engine, "commit")
    @event.listens_for(engine.sync_engine, "rollback")
    def _on_end(connection: Any) -> None:
        connection.info.pop(_BEGIN_PENDING, None)
        connection.info.pop(_SQLITE_IMMEDIATE, None)
        gate.leave(connection.info)

    # A connection that goes back to the pool, or away, never keeps the gate.
    @event.listens_for(engine.sync_engine, "reset")
    def _on_reset(_dbapi_connection: Any, record: Any, _state: Any) -> None:
        gate.leave(record.info)

    @event.listens_for(engine.sync_engine, "close")
    @event.listens_for(engine.sync_engine, "invalidate")
    def _on_gone(_dbapi_connection: Any, record: Any, *_rest: Any) -> None:
        if record is not None:
            gate.leave(record.info)


# SQLite "database is locked", MySQL/MariaDB deadlock and lock wait timeout, PostgreSQL
# serialization failure and deadlock: a writer that lost a race, not a broken request.
_LOCK_CONTENTION = ("database is locked", "1213", "1205", "40001", "40p01", "deadlock")


def is_lock_contention(error: BaseException) -> bool:
    text = f"{error} {getattr(getattr(error, 'orig', None), 'sqlstate', '')}".lower()
    return any(marker in text for marker in _LOCK_CONTENTION)


# How long a writer waits for its turn before it is told the database is busy; the same as
# SQLite's own busy timeout for writers in other processes.
SQLITE_WRITE_WAIT_SECONDS = 10.0
_HOLDS_GATE = "pitchaseat.sqlite_holds_gate"


class _WriteGate:
    """SQLite lets one transaction write at a time. Writers of this process queue here, in
    the order they came, instead of each polling the file lock inside SQLite's busy handler:
    that handler is not fair, so under load one writer could lose every race until its
    timeout and fail with "database is locked". Other processes (the CLI, a worker) still
    meet the file lock and its busy timeout."""

    def __init__(self) -> None:
        self._locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )

    def enter(self, info: dict[str, Any]) -> None:
        lock = self._locks.setdefault(asyncio.get_running_loop(), asyncio.Lock())
        try:
            await_(self._acquire(lock))
        except TimeoutError:
            raise sqlite3.OperationalError("database is locked") from None
        info[_HOLDS_GATE] = lock

    @staticmethod
    async def _acquire(lock: asyncio.Lock) -> None:
        async with asyncio.timeout(SQLITE_WRITE_WAIT_SECONDS):
            await lock.acquire()

    @staticmethod
    def leave(info: dict[str, Any]) -> None:
        lock = info.pop(_HOLDS_GATE, None)
        if lock is not None:
            lock.release()


_BEGIN_PENDING = "pitchaseat.sqlite_begin_pending"
_SQLITE_IMMEDIATE = "pitchaseat.sqlite_immediate"
# A session with this in its info only reads (a GET request's unit of work).
READ_ONLY = "pitchaseat.read_only"


@event.listens_for(Session, "after_begin")
def _sqlite_writers_lock_up_front(session: Session, _transaction: Any, connection: Any) -> None:
    # Only sessions that own their transaction: a session joined to an outer one (tests'
    # savepoints) must not turn that outer transaction into a writer.
    if (
        connection.dialect.name == "sqlite"
        and isinstance(session.bind, Engine)
        and not session.info.get(READ_ONLY)
    ):
        connection.info[_SQLITE_IMMEDIATE] = True


# A pooled connection idle longer than this is pinged before use; a busy one is not, which
# saves a round trip on every request (a ping per checkout costs as much as a small query).
IDLE_PING_SECONDS = 10.0
_CHECKED_IN_AT = "pitchaseat.checked_in_at"


def _ping_when_idle(engine: AsyncEngine) -> None:
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info[_CHECKED_IN_AT] = time.monotonic()

    @event.listens_for(sync_engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        checked_in_at = record.info.get(_CHECKED_IN_AT)
        if checked_in_at is None or time.monotonic() - checked_in_at < IDLE_PING_SECONDS:
            return
        try:
            alive = sync_engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            raise exc.DisconnectionError() from error  # the pool retries with a new connection
        if not alive:
            raise exc.DisconnectionError()


def create_engine(url: str, *, echo: bool = False, pool_size: int = 10) -> AsyncEngine:
    backend = make_url(url).get_backend_name()
    kwargs: dict[str, Any] = {"echo": echo}
    if backend == "sqlite":
        kwargs["connect_args"] = {"timeout": 10}
    else:
        kwargs.update(pool_size=pool_size, max_overflow=pool_size, pool_recycle=1800)
    if backend in ("mysql", "mariadb"):
        kwargs.setdefault("connect_args", {})["charset"] = "utf8mb4"
        kwargs["isolation_level"] = "READ COMMITTED"
    engine = create_async_engine(url, **kwargs)
    if backend == "sqlite":
        _configure_sqlite(engine)
    else:
        _ping_when_idle(engine)
    return engine


def create_read_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    """Connections for reads that are one statement each (the listing page, the calendar).

    One statement is one consistent snapshot, so these run in autocommit: no BEGIN, no COMMIT
    and no reset when a connection goes back to the pool, only the statement itself. The
    connections refuse writes, so nothing can slip through without a transaction."""
    backend = make_url(url).get_backend_name()
    kwargs: dict[str, Any] = {"isolation_level": "AUTOCOMMIT", "pool_reset_on_return": None}
    if backend == "sqlite":
        kwargs["connect_args"] = {"timeout": 10}
    else:
        # No overflow: under a burst, overflow connections are opened and closed again for
        # each request (a TCP and TLS handshake apiece); a read waits its turn instead.
        kwargs.update(pool_size=pool_size, max_overflow=0, pool_recycle=1800)
    if backend == "postgresql":
        settings = {
            "default_transaction_read_only": "on",
            # These statements are few and their best plan does not depend on the values
            # (an index per filter); planning each execution anew cost more than running it.
            "plan_cache_mode": "force_generic_plan",
        }
        kwargs["connect_args"] = {"server_settings": settings}
    if backend in ("mysql", "mariadb"):
        kwargs["connect_args"] = {"charset": "utf8mb4"}
    engine = create_async_engine(url, **kwargs)

    @event.listens_for(engine.sync_engine, "connect")
    def _read_only(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        if backend == "sqlite":
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.execute("PRAGMA query_only=ON")
        elif backend in ("mysql", "mariadb"):
            cursor.execute("SET SESSION TRANSACTION READ ONLY")
        cursor.close()

    if backend != "sqlite":
        _ping_when_idle(engine)
    return engine


def create_session_factory(bind: Any) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(bind=bind, expire_on_commit=False, autoflush=False)


# Side effects that must follow the transaction's fate: cache invalidation after a commit,
# file clean-up after a rollback. The unit of work runs them.
AFTER_COMMIT = "after_commit"
AFTER_ROLLBACK = "after_rollback"
Hook = Callable[[], Awaitable[None]]


def after_commit(session: AsyncSession, hook: Hook) -> None:
    session.info.setdefault(AFTER_COMMIT, []).append(hook)


def after_rollback(session: AsyncSession, hook: Hook) -> None:
    session.info.setdefault(AFTER_ROLLBACK, []).append(hook)


async def run_hooks(session: AsyncSession, kind: str) -> None:
    hooks: list[Hook] = session.info.pop(kind, [])
    session.info.pop(AFTER_COMMIT if kind == AFTER_ROLLBACK else AFTER_ROLLBACK, None)
    for hook in hooks:
        await hook()


async def commit(session: AsyncSession) -> None:
    """Commits and then runs the after-commit hooks (or the rollback hooks on failure)."""
    try:
        await session.commit()
    except BaseException:
        await session.rollback()
        await run_hooks(session, AFTER_ROLLBACK)
        raise
    await run_hooks(session, AFTER_COMMIT)


async def rollback(session: AsyncSession) -> None:
    await session.rollback()
    await run_hooks(session, AFTER_ROLLBACK)


async def release_connection(session: AsyncSession) -> None:
    """Ends a transaction that has only read, so its connection goes back to the pool while
    the request does other work (its own short transactions, a payment provider's answer).
    Without this, every busy request would hold two connections and a full pool deadlocks."""
    if session.in_transaction() and not (session.new or session.dirty or session.deleted):
        await session.commit()
