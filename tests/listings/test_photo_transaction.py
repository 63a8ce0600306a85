"""On SQLite an open write transaction locks the whole database, so a photo is decoded with
no transaction open: while an upload waits for (or sits in) the photo workers, other
requests write as usual. Against a real server on a file database, each request in its own
connection, as in production."""

from __future__ import annotations

import asyncio
import io
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from PIL import Image

from pitchaseat.adapters.workers import BoundedWorkers
from pitchaseat.app import create_app
from pitchaseat.db import create_engine, create_session_factory
from pitchaseat.runtime import AppServices
from pitchaseat.settings import Settings
from tests.factories import make_game
from tests.support.databases import create_migrated, drop, plan_database
from tests.support.live_server import serve_asgi
from tests.support.mailbox import verify_by_email

PASSWORD = "Outfield-9-Seats"
LISTING = {
    "seat_area": "infield_1b",
    "face_value": 600,
    "price": 500,
    "delivery_method": "e_ticket",
}


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[tuple[str, BoundedWorkers, int]]:
    plan = plan_database("sqlite", "photo_tx", tmp_path)
    await create_migrated(plan)
    seed_engine = create_engine(plan.url)
    async with create_session_factory(seed_engine)() as session:
        game_id = (await make_game(session)).id
    await seed_engine.dispose()
    settings = Settings(
        environment="test",
        database_url=plan.url,
        data_dir=tmp_path,
        log_level="ERROR",
        _env_file=None,  # type: ignore[call-arg]
    )
    workers = BoundedWorkers(1)
    services = AppServices.from_settings(settings)
    services.photo_workers = workers
    with serve_asgi(create_app(settings, services)) as url:
        yield url, workers, game_id
    await services.close()
    await drop(plan)


async def _user(client: httpx.AsyncClient, email: str, mailbox: Path) -> dict[str, str]:
    await client.post(
        "/api/v1/auth/register", json={"email": email, "password": PASSWORD, "display_name": "Fan"}
    )
    await verify_by_email(client, mailbox, email)  # selling needs a proven address
    login = await client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


async def test_other_writes_go_on_while_an_upload_waits_for_the_photo_workers(
    server: tuple[str, BoundedWorkers, int], tmp_path: Path
) -> None:
    url, workers, game_id = server
    busy = threading.Event()
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        seller = await _user(client, "seller@example.com", tmp_path / "mailbox")
        listing = (
            await client.post(
                "/api/v1/listings",
                json={**LISTING, "game_id": game_id, "quantity": 2},
                headers=seller,
            )
        ).json()
        photo = io.BytesIO()
        Image.new("RGB", (800, 600), (10, 120, 40)).save(photo, "JPEG")
        occupied = asyncio.ensure_future(workers.run(lambda: busy.wait(30)))

        upload = asyncio.ensure_future(
            client.post(
                f"/api/v1/listings/{listing['id']}/images",
                files={"file": ("ticket.jpg", photo.getvalue(), "image/jpeg")},
                headers=seller,
            )
        )
        for _ in range(200):  # until the upload waits for the worker
            if workers.pending == 2:
                break
            await asyncio.sleep(0.05)
        other = await client.post(
            "/api/v1/listings",
            json={**LISTING, "game_id": game_id, "quantity": 1},
            headers=seller,
        )
        still_waiting = not upload.done()
        busy.set()
        uploaded = await upload
        await occupied

    assert other.status_code == 201, other.text
    assert still_waiting
    assert uploaded.status_code == 201, uploaded.text
