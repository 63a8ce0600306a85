"""`pitchaseat serve --port P`, run as the operator runs it: the links it mails out and the
payment gateway's return address point at port P when no base URL is set."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import httpx

from pitchaseat.db import create_engine, create_session_factory
from pitchaseat.migrate import upgrade_database
from tests.factories import login_headers, make_game, make_listing, make_user
from tests.support.live_server import free_port
from tests.support.orders import CARDHOLDER, DELIVERY


async def _started(base_url: str, process: asyncio.subprocess.Process) -> None:
    async with httpx.AsyncClient(base_url=base_url) as client, asyncio.timeout(60):
        while process.returncode is None:
            try:
                if (await client.get("/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError("pitchaseat serve exited")


async def _first_mail(mailbox: Path) -> str:
    async with asyncio.timeout(20):
        while True:
            mails = sorted(mailbox.glob("*.eml")) if mailbox.exists() else []
            if mails:
                message = message_from_bytes(mails[0].read_bytes(), policy=policy.default)
                body = message.get_body(preferencelist=("plain",))
                assert isinstance(body, EmailMessage)
                return str(body.get_content())
            await asyncio.sleep(0.1)


async def test_serve_on_another_port_links_to_that_port(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    data_dir.mkdir()
    url = f"sqlite+aiosqlite:///{(data_dir / 'pitchaseat.db').as_posix()}"
    await asyncio.to_thread(upgrade_database, url)
    engine = create_engine(url, pool_size=1)
    async with create_session_factory(engine)() as session:
        seller, buyer = await make_user(session), await make_user(session)
        listing = await make_listing(session, seller, await make_game(session))
    await engine.dispose()
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("PITCHASEAT_")}
    env.update(PITCHASEAT_DATA_DIR=str(data_dir), PITCHASEAT_LOG_LEVEL="WARNING")
    server = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "pitchaseat.cli", "serve", "--port", str(port)),
        env=env,
        cwd=data_dir,  # no .env of the checkout
        stdout=asyncio.subprocess.DEVNULL,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        await _started(base_url, server)
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
            headers = await login_headers(client, buyer.email)
            held = await client.post(
                "/api/v1/orders", json={"listing_id": listing.id, "quantity": 1}, headers=headers
            )
            paid = await client.post(
                f"/api/v1/orders/{held.json()['id']}/pay",
                json={"prime": "test_prime_3ds", "cardholder": CARDHOLDER, "delivery": DELIVERY},
                headers=headers,
            )
        mail_to_seller = await _first_mail(data_dir / "mailbox")
    finally:
        server.terminate()
        await asyncio.wait_for(server.wait(), timeout=30)

    assert held.status_code == 201, held.text
    assert paid.json()["payment_url"].startswith(f"{base_url}/orders/{held.json()['id']}?")
    links = re.findall(r"https?://\S+", mail_to_seller)  # "a buyer holds your tickets"
    assert links and all(link.startswith(f"{base_url}/") for link in links), mail_to_seller
