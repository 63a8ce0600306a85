"""Several processes as one site: two `pitchaseat serve` processes and one `pitchaseat worker`
on PostgreSQL, Redis and RabbitMQ, started as real subprocesses on 127.0.0.1.

A notification made on one app process reaches a live stream on the other, rate limits and
cached pages are shared, the worker delivers the email, and each scheduler tick runs once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from pitchaseat.adapters.queue import DramatiqQueue, build_broker
from pitchaseat.db import create_engine, create_session_factory
from tests.factories import DEFAULT_PASSWORD, make_game, make_listing, make_user
from tests.support.databases import DatabasePlan, create_migrated, drop, plan_database
from tests.support.live_server import free_port
from tests.support.sse import next_event

POSTGRES_URL = os.environ.get("PITCHASEAT_TEST_POSTGRES_URL")
REDIS_URL = os.environ.get("PITCHASEAT_TEST_REDIS_URL")
AMQP_URL = os.environ.get("PITCHASEAT_TEST_AMQP_URL")

pytestmark = pytest.mark.skipif(
    not (POSTGRES_URL and REDIS_URL and AMQP_URL),
    reason="needs PITCHASEAT_TEST_POSTGRES_URL, _REDIS_URL and _AMQP_URL",
)
LOGIN_LIMIT = 4


@dataclass
class Site:
    app_a: str
    app_b: str
    worker: subprocess.Popen[bytes]
    logs: list[Path]
    mailbox: Path
    database: DatabasePlan


def _start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as output:
        return subprocess.Popen(  # noqa: S603 (our own CLI, fixed arguments)
            [sys.executable, "-m", "pitchaseat.cli", *command],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


async def _wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    # Generous: on a busy shared machine a Python process can take half a minute to import.
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 150
    async with httpx.AsyncClient(base_url=url, timeout=5) as http:
        while loop.time() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{url} exited: {log.read_text()[-2000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if (await http.get("/readyz")).status_code == 200:
                    return
            await asyncio.sleep(0.2)
    raise RuntimeError(f"{url} did not get ready: {log.read_text()[-2000:]}")


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _delete_queue(name: str) -> None:
    assert AMQP_URL
    queue = DramatiqQueue(build_broker(AMQP_URL), queue_name=name)
    channel = getattr(queue.broker, "channel", None)
    if channel is not None:
        for declared in (name, f"{name}.DQ", f"{name}.XQ"):
            channel.queue_delete(declared)
    queue.broker.close()


@pytest.fixture
async def site(worker_name: str, tmp_path: Path) -> AsyncIterator[Site]:
    database = plan_database("postgresql", f"pas_site_{worker_name}", tmp_path)
    await create_migrated(database)
    queue_name = f"pas-test-site-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "PITCHASEAT_DATABASE_URL": database.url,
        "PITCHASEAT_REDIS_URL": str(REDIS_URL),
        "PITCHASEAT_BROKER_URL": str(AMQP_URL),
        "PITCHASEAT_JOB_QUEUE": queue_name,
        "PITCHASEAT_DATA_DIR": str(tmp_path / "data"),
        "PITCHASEAT_SCHEDULER_INTERVAL_SECONDS": "1",
        "PITCHASEAT_LOGIN_ATTEMPTS_PER_IP": f"{LOGIN_LIMIT}/minute",
        # The test client stands in for a proxy on this machine: each fan gets an address.
        "PITCHASEAT_TRUSTED_PROXIES": "127.0.0.1",
        "PITCHASEAT_LOG_LEVEL": "INFO",
        "PITCHASEAT_LOG_JSON": "true",
        "PYTHONUNBUFFERED": "1",
    }
    ports = [free_port(), free_port()]
    logs = [tmp_path / "app_a.log", tmp_path / "app_b.log", tmp_path / "worker.log"]
    processes = [
        _start(["serve", "--port", str(port)], env, log)
        for port, log in zip(ports, logs, strict=False)
    ]
    processes.append(_start(["worker"], env, logs[2]))
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for url, process, log in zip(urls, processes, logs, strict=False):
            await _wait_ready(url, process, log)
        yield Site(urls[0], urls[1], processes[2], logs, tmp_path / "data" / "mailbox", database)
    finally:
        _stop(processes)
        with contextlib.suppress(Exception):
            await asyncio.to_thread(_delete_queue, queue_name)
        await drop(database)


def _from(address: str) -> dict[str, str]:
    # The app trusts X-Forwarded-For from 127.0.0.1: each client gets an address of its own,
    # so no other test's counts on the shared Redis meet ours.
    return {"X-Forwarded-For": address}


def _address() -> str:
    return f"198.51.{random.randrange(1, 255)}.{random.randrange(1, 255)}"


async def _log_in(http: httpx.AsyncClient, email: str, address: str) -> dict[str, str]:
    response = await http.post(
        "/api/v1/auth/login",
        json={"email": email, "password": DEFAULT_PASSWORD},
        headers=_from(address),
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}", **_from(address)}


def _log_events(logs: list[Path], event: str) -> Iterator[dict[str, object]]:
    for log in logs:
        for line in log.read_text().splitlines():
            if line.startswith("{") and f'"{event}"' in line:
                record = json.loads(line)
                if record.get("event") == event:
                    yield record


async def test_two_app_processes_and_a_worker_act_as_one_site(site: Site) -> None:
    engine = create_engine(site.database.url, pool_size=1)
    async with create_session_factory(engine)() as session:
        seller, buyer = await make_user(session), await make_user(session)
        game = await make_game(session)
        held_listing = await make_listing(session, seller, game, price=480)
        cached_listing = await make_listing(session, seller, game, price=520)
    await engine.dispose()
    address = _address()
    page = f"/api/v1/games/{game.id}/listings?sort=price_desc&page_size=7"

    async with (
        httpx.AsyncClient(base_url=site.app_a, timeout=10) as app_a,
        httpx.AsyncClient(base_url=site.app_b, timeout=10) as app_b,
    ):
        seller_headers = await _log_in(app_a, seller.email, address)
        buyer_headers = await _log_in(app_b, buyer.email, address)

        # A page computed on A is served from the shared cache on B, until A changes it.
        filled = await app_a.get(page)
        from_cache = await app_b.get(page)
        edited = await app_a.patch(
            f"/api/v1/listings/{cached_listing.id}", json={"price": 430}, headers=seller_headers
        )
        after_edit = await app_b.get(page)

        # The seller listens on B; the buyer holds on A.
        async with (
            asyncio.timeout(20),
            app_b.stream("GET", "/api/v1/notifications/stream", headers=seller_headers) as stream,
        ):
            lines = stream.aiter_lines()
            hello = await next_event(lines)
            held = await app_a.post(
                "/api/v1/orders",
                json={"listing_id": held_listing.id, "quantity": 1},
                headers=buyer_headers,
            )
            live = await next_event(lines)

        # Failed log-ins from one address, spread over both processes, share one count.
        prober, refusals = _address(), []
        for attempt in range(LOGIN_LIMIT + 1):
            response = await (app_a if attempt % 2 else app_b).post(
                "/api/v1/auth/login",
                json={"email": f"nobody-{uuid.uuid4().hex[:6]}@example.com", "password": "x" * 9},
                headers=_from(prober),
            )
            refusals.append(response.status_code)

    # The worker delivers the hold's email to the seller from the broker.
    delivered = False
    for _ in range(100):
        delivered = any(seller.email in mail.read_text() for mail in site.mailbox.glob("*.eml"))
        if delivered:
            break
        await asyncio.sleep(0.2)
    # Ticks went by during the test; each ran once, and only in the worker (it keeps the clock
    # when a broker is configured).
    await asyncio.sleep(2.5)
    runs = list(_log_events(site.logs, "periodic_jobs_ran"))
    ticks = [run["tick"] for run in runs]

    assert delivered
    assert filled.status_code == 200 and "x-cache" not in filled.headers
    assert from_cache.headers.get("x-cache") == "hit"
    assert from_cache.content == filled.content
    assert edited.status_code == 200
    assert "x-cache" not in after_edit.headers
    assert 430 in [item["price"] for item in after_edit.json()["items"]]
    assert hello[0] == "hello"
    assert held.status_code == 201, held.text
    assert live[0] == "notification"
    assert live[1]["kind"] == "order_held"
    assert refusals == [401] * LOGIN_LIMIT + [429]
    assert len(ticks) >= 2
    assert len(ticks) == len(set(ticks))
    assert {str(run["holder"]).rsplit(":", 1)[1] for run in runs} == {str(site.worker.pid)}
