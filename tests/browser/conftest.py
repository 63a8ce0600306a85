"""Browser-test fixtures: a live uvicorn server on a freshly migrated database, and Chromium.

Self-contained on purpose (nothing from the shared conftest), so a browser run builds its own
world. ``PITCHASEAT_TEST_BROWSER_DATABASE_URLS`` lists async SQLAlchemy URLs, comma-separated;
each named database is dropped, recreated and migrated. The default is one SQLite file in
``tmp_path`` (the token ``sqlite`` in the list means the same).
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
import uvicorn
from alembic import command
from alembic.config import Config
from playwright.async_api import Browser, async_playwright
from sqlalchemy import select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import create_async_engine

from pitchaseat.app import create_app
from pitchaseat.catalog.models import Game, GameStatus, Team
from pitchaseat.db import create_engine
from pitchaseat.settings import Settings

URLS_ENV = "PITCHASEAT_TEST_BROWSER_DATABASE_URLS"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
ALEMBIC_INI = ROOT / "src" / "pitchaseat" / "alembic.ini"
ARTIFACTS = ROOT / "test-artifacts"
_DATABASE_NAME = re.compile(r"^[A-Za-z0-9_]+$")


@dataclass(frozen=True)
class KnownGame:
    starts_at: datetime
    home: str
    away: str


# A month far from today, so the home page has to jump to it; 10:35 UTC is 18:35 in Taipei.
KNOWN_MONTH = "2099-05"
KNOWN_DAY = "2099-05-12"
KNOWN_GAMES = (
    KnownGame(datetime(2099, 5, 12, 10, 35, tzinfo=UTC), home="CTBC", away="RM"),
    KnownGame(datetime(2099, 5, 12, 9, 5, tzinfo=UTC), home="UL", away="FG"),
    KnownGame(datetime(2099, 5, 14, 10, 35, tzinfo=UTC), home="WD", away="TSG"),
)


def _configured_urls() -> list[str]:
    raw = os.environ.get(URLS_ENV, "")
    return [url.strip() for url in raw.split(",") if url.strip()] or ["sqlite"]


def _backend_id(url: str) -> str:
    return "sqlite" if url == "sqlite" else make_url(url).get_backend_name()


async def _recreate_database(url: URL) -> None:
    """Drops and recreates the named database, through an admin connection."""
    name = url.database or ""
    if not _DATABASE_NAME.match(name):
        raise ValueError(f"refusing to recreate a database named {name!r}")
    backend = url.get_backend_name()
    if backend == "postgresql":
        admin_url, statements = url.set(database="test"), [
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
            f'CREATE DATABASE "{name}"',
        ]
    elif backend in ("mysql", "mariadb"):
        admin_url, statements = url.set(database=None), [
            f"DROP DATABASE IF EXISTS `{name}`",
            f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4",
        ]
    else:
        raise ValueError(f"no recipe to recreate a {backend} database")
    engine = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            for statement in statements:
                await connection.execute(text(statement))
    finally:
        await engine.dispose()


def _migrate(database_url: str) -> None:
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    command.upgrade(config, "head")


async def _insert_known_games(database_url: str) -> None:
    engine = create_engine(database_url, pool_size=1)
    try:
        async with engine.begin() as connection:
            teams = {
                team.code: team for team in (await connection.execute(select(Team))).all()
            }
            for number, known in enumerate(KNOWN_GAMES, start=1):
                home = teams[known.home]
                await connection.execute(
                    Game.__table__.insert().values(
                        season=known.starts_at.year,
                        game_number=number,
                        starts_at=known.starts_at,
                        home_team_id=home.id,
                        away_team_id=teams[known.away].id,
                        stadium_id=home.home_stadium_id,
                        status=GameStatus.scheduled,
                        listing_count=0,
                        created_at=datetime.now(UTC),
                    )
                )
    finally:
        await engine.dispose()


async def _prepare_database(database_url: str) -> None:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        Path(url.database or "").unlink(missing_ok=True)
    else:
        await _recreate_database(url)
    # Alembic's env runs its own event loop, so it gets a thread of its own.
    await asyncio.to_thread(_migrate, database_url)
    await _insert_known_games(database_url)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(params=_configured_urls(), ids=_backend_id)
async def browser_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    configured = str(request.param)
    if configured == "sqlite":
        configured = f"sqlite+aiosqlite:///{(tmp_path / 'browser.db').as_posix()}"
    try:
        await _prepare_database(configured)
    except OSError as error:
        pytest.skip(f"{_backend_id(configured)} is not reachable: {error}")
    return configured


@pytest.fixture
def live_server(browser_database_url: str, tmp_path: Path) -> Iterator[str]:
    """The app served by uvicorn in a background thread; yields its base URL."""
    settings = Settings(
        environment="test",
        database_url=browser_database_url,
        data_dir=tmp_path,
        log_level="WARNING",
        _env_file=None,  # type: ignore[call-arg]
    )
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
        )
    )
    thread = threading.Thread(target=server.run, name="live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the live server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            await chromium.close()


@pytest.fixture
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
