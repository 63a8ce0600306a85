"""Browser tests: Debian's Chromium driven by Playwright against a live server, on a freshly
migrated database of each selected backend."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, Page, async_playwright

from pitchaseat.catalog.models import Game
from pitchaseat.db import create_engine, create_session_factory
from pitchaseat.settings import Settings
from tests.support.databases import DatabasePlan, create_migrated, drop, plan_database
from tests.support.live_server import live_server
from tests.support.mailbox import verify_by_email

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# 18:35 in Taipei on Saturday 2099-04-04 (a known day on the calendar).
KNOWN_GAME_TIME = datetime(2099, 4, 4, 10, 35, tzinfo=UTC)


async def _seed_known_games(url: str) -> None:
    engine = create_engine(url)
    async with create_session_factory(engine)() as session, session.begin():
        session.add_all(
            [
                Game(
                    season=2099,
                    game_number=1,
                    starts_at=KNOWN_GAME_TIME,
                    home_team_id=1,
                    away_team_id=6,
                    stadium_id=1,
                ),
                Game(
                    season=2099,
                    game_number=2,
                    starts_at=KNOWN_GAME_TIME,
                    home_team_id=2,
                    away_team_id=3,
                    stadium_id=2,
                ),
            ]
        )
    await engine.dispose()


@pytest.fixture(scope="module")
async def browser_database(
    database: DatabasePlan, worker_name: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[DatabasePlan]:
    planned = plan_database(
        database.backend, f"pas_browser_{worker_name}", tmp_path_factory.mktemp("browser")
    )
    await create_migrated(planned)
    await _seed_known_games(planned.url)
    yield planned
    await drop(planned)


@pytest.fixture(scope="module")
def server_url(
    browser_database: DatabasePlan, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    settings = Settings(
        environment="test",
        database_url=browser_database.url,
        data_dir=tmp_path_factory.mktemp("browser-data"),
        log_level="ERROR",
        _env_file=None,  # type: ignore[call-arg]
    )
    with live_server(settings) as url:
        MAILBOXES[url] = settings.mailbox_dir
        yield url


# Each live server's mailbox folder, where its emails (sign-up links, resets) are written.
MAILBOXES: dict[str, Path] = {}


async def verify_registered(server_url: str, email: str) -> None:
    """Opens the sign-up link the server emailed to ``email``: selling needs a proven address."""
    async with httpx.AsyncClient(base_url=server_url, timeout=10) as http:
        await verify_by_email(http, MAILBOXES[server_url], email)


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield browser
        await browser.close()


@pytest.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:
    context = await browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-TW")
    page = await context.new_page()
    yield page
    await context.close()


async def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
