"""A live server on a freshly migrated database of each backend, for API tests that need
real HTTP (schemathesis, commit-before-response)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from pitchaseat.settings import Settings
from tests.support.databases import DatabasePlan, create_migrated, drop, plan_database
from tests.support.live_server import live_server


@pytest.fixture(scope="module")
async def schema_database(
    database: DatabasePlan, worker_name: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[DatabasePlan]:
    planned = plan_database(
        database.backend, f"pas_live_{worker_name}", tmp_path_factory.mktemp("live")
    )
    await create_migrated(planned)
    yield planned
    await drop(planned)


@pytest.fixture(scope="module")
def server_url(schema_database: DatabasePlan) -> Iterator[str]:
    server_settings = Settings(
        environment="test",
        database_url=schema_database.url,
        log_level="ERROR",
        login_attempts_per_ip="100000/minute",
        login_attempts_per_account="100000/minute",
        login_attempts_per_account_ip="100000/minute",
        sign_in_links_per_account="100000/minute",
        registrations_per_ip="100000/minute",
        _env_file=None,  # type: ignore[call-arg]
    )
    with live_server(server_settings) as url:
        yield url


CREDENTIALS = {"email": "schema@example.com", "password": "Pitch-Seat-2027x"}


@pytest.fixture(scope="module")
def auth_headers(server_url: str) -> dict[str, str]:
    httpx.post(f"{server_url}/api/v1/auth/register", json={**CREDENTIALS, "display_name": "Schema"})
    token = httpx.post(f"{server_url}/api/v1/auth/login", json=CREDENTIALS).json()
    return {"Authorization": f"Bearer {token['access_token']}"}
