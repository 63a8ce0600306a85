"""Shared fixtures: the app on each selected database, each test rolled back."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from pitchaseat.adapters.cache import MemoryGroupCache
from pitchaseat.adapters.ratelimit import RateLimiter
from pitchaseat.adapters.storage import LocalImageStorage
from pitchaseat.app import create_app
from pitchaseat.db import create_engine
from pitchaseat.runtime import AppServices
from pitchaseat.settings import Settings
from tests.support.databases import DatabasePlan, create_migrated, drop, plan_database
from tests.support.databases import selected_backends as _selected_backends
from tests.support.orders import PaidOrder, buy

BACKENDS = _selected_backends()
IN_CI = bool(os.environ.get("CI"))
# Set once by the controller and inherited by the xdist workers, so that two test runs against
# the same database servers (two checkouts, CI beside a developer) never share a database.
RUN_ID = os.environ.setdefault("PITCHASEAT_TEST_RUN_ID", uuid.uuid4().hex[:8])

_skipped: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # In CI nothing may be skipped: a skipped database or browser test fails the run.
    if IN_CI and _skipped and not hasattr(session.config, "workerinput"):
        print(f"\nCI: {len(_skipped)} skipped test(s) count as failures:")
        for nodeid in _skipped[:20]:
            print(f"  {nodeid}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def worker_name(request: pytest.FixtureRequest) -> str:
    workerinput = getattr(request.config, "workerinput", None)
    return f"{RUN_ID}_{workerinput['workerid'] if workerinput else 'main'}"


@pytest.fixture(scope="session", params=BACKENDS)
async def database(
    request: pytest.FixtureRequest, worker_name: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[DatabasePlan]:
    planned = plan_database(
        request.param, f"pas_test_{worker_name}", tmp_path_factory.mktemp("sqlite")
    )
    try:
        await create_migrated(planned)
    except OSError as error:
        pytest.skip(f"{request.param} is not reachable: {error}")
    yield planned
    await drop(planned)


@pytest.fixture(scope="session")
async def engine(database: DatabasePlan) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database.url, pool_size=2)
    yield engine
    await engine.dispose()


@pytest.fixture
async def connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    async with engine.connect() as connection:
        transaction = await connection.begin()
        try:
            yield connection
        finally:
            await transaction.rollback()


@pytest.fixture
def session_factory(connection: AsyncConnection) -> async_sessionmaker[AsyncSession]:
    # Commits inside the app become savepoint releases; the outer transaction is rolled back.
    return async_sessionmaker(
        bind=connection,
        expire_on_commit=False,
        autoflush=False,
        join_transaction_mode="create_savepoint",
    )


@pytest.fixture
async def db_session(
    session_factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    async with session_factory() as session:
        yield session


@pytest.fixture
def settings(database: DatabasePlan, tmp_path: Path) -> Settings:
    return Settings(
        environment="test",
        database_url=database.url,
        data_dir=tmp_path,
        log_level="WARNING",
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture
def services(
    settings: Settings, engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> AppServices:
    return AppServices(
        settings=settings,
        engine=engine,
        session_factory=session_factory,
        rate_limiter=RateLimiter(),
        cache=MemoryGroupCache(),
        storage=LocalImageStorage(settings.effective_media_dir),
    )


@pytest.fixture
def app(settings: Settings, services: AppServices):  # type: ignore[no-untyped-def]
    return create_app(settings, services)


@pytest.fixture
async def client(app) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture
async def paid(client: httpx.AsyncClient, db_session: AsyncSession) -> PaidOrder:
    """A fresh seller's ticket, bought and paid (sandbox) by a fresh buyer."""
    return await buy(client, db_session)
