"""The live stream: a notification created by another app instance reaches a browser's
Server-Sent Events stream through Redis pub/sub (PITCHASEAT_TEST_REDIS_URL)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from pitchaseat.app import create_app
from pitchaseat.db import commit
from pitchaseat.notifications.kinds import Kind
from pitchaseat.notifications.service import notify
from pitchaseat.runtime import AppServices
from pitchaseat.settings import Settings
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.notifications.conftest import REDIS_URL
from tests.support.live_server import serve_asgi
from tests.support.sse import next_event

pytestmark = pytest.mark.skipif(not REDIS_URL, reason="PITCHASEAT_TEST_REDIS_URL is not set")


@pytest.fixture
def redis_settings(committed_settings: Settings) -> Settings:
    return committed_settings.model_copy(update={"redis_url": REDIS_URL})


@pytest.fixture
def stream_server(redis_settings: Settings) -> Iterator[str]:
    """Instance A: serves the stream."""
    with serve_asgi(create_app(redis_settings)) as url:
        yield url


@pytest.fixture
async def other_instance(redis_settings: Settings) -> AsyncIterator[AppServices]:
    """Instance B: where the notification is created."""
    services = AppServices.from_settings(redis_settings)
    yield services
    await services.close()


async def test_a_notification_made_by_another_instance_reaches_the_stream(
    stream_server: str, other_instance: AppServices
) -> None:
    async with other_instance.session_factory() as session:
        user = await make_user(session)
        user_id, email = user.id, user.email
    async with httpx.AsyncClient(base_url=stream_server, timeout=10) as http:
        login = await http.post(
            "/api/v1/auth/login", json={"email": email, "password": DEFAULT_PASSWORD}
        )
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        async with (
            asyncio.timeout(15),
            http.stream("GET", "/api/v1/notifications/stream", headers=headers) as response,
        ):
            assert response.headers["content-type"].startswith("text/event-stream")
            lines = response.aiter_lines()
            assert await next_event(lines) == ("hello", {"unread_count": 0})

            async with other_instance.session_factory() as session:
                note = await notify(
                    session,
                    user_id=user_id,
                    kind=Kind.payout_paid,
                    params={"amount": 500, "reference": "R1"},
                    link="/me/listings",
                )
                await commit(session)

            kind, data = await next_event(lines)

    assert kind == "notification"
    assert data == {
        "id": note.id,
        "kind": "payout_paid",
        "title": "NT$500 已撥入您的銀行帳戶",
        "link": "/me/listings",
        "unread_count": 1,
    }


async def test_the_stream_needs_a_login(stream_server: str) -> None:
    async with httpx.AsyncClient(base_url=stream_server, timeout=10) as http:
        response = await http.get("/api/v1/notifications/stream")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
