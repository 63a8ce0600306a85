"""On the embedded default (one SQLite file), an operator's CLI refunds what the running app
charged through the sandbox: the CLI is a process of its own, so the charge must be found in
the database, not in the app's memory."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import httpx
from sqlalchemy import select

from pitchaseat.adapters.payments.sandbox import SandboxCharge
from pitchaseat.db import create_engine, create_session_factory
from pitchaseat.migrate import upgrade_database
from pitchaseat.payments.models import Payment
from pitchaseat.settings import Settings
from tests.support.live_server import live_server
from tests.support.orders import buy


async def run_cli(data_dir: Path, database_url: str, *args: str) -> tuple[int, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PITCHASEAT_")}
    env.update(
        PITCHASEAT_DATA_DIR=str(data_dir),
        PITCHASEAT_DATABASE_URL=database_url,
        PITCHASEAT_LOG_LEVEL="WARNING",
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "pitchaseat.cli",
        *args,
        env=env,
        cwd=data_dir,  # no .env of the checkout
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    return int(process.returncode or 0), output.decode()


async def test_games_cancel_from_the_cli_refunds_a_charge_the_running_app_made(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "var"
    data_dir.mkdir()
    url = f"sqlite+aiosqlite:///{(data_dir / 'pitchaseat.db').as_posix()}"
    await asyncio.to_thread(upgrade_database, url)
    settings = Settings(
        environment="test",
        database_url=url,
        data_dir=data_dir,
        log_level="WARNING",
        _env_file=None,  # type: ignore[call-arg]
    )
    engine = create_engine(url, pool_size=1)
    factory = create_session_factory(engine)
    try:
        with live_server(settings) as base_url:
            async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
                async with factory() as session:
                    paid = await buy(client, session)

                code, output = await run_cli(data_dir, url, "games", "cancel", str(paid.game_id))
                order = (await client.get(paid.url, headers=paid.buyer)).json()
        async with factory() as session:
            trade_id = await session.scalar(
                select(Payment.rec_trade_id).where(Payment.order_id == paid.id)
            )
            charge = await session.get(SandboxCharge, trade_id)
    finally:
        await engine.dispose()

    assert code == 0, output
    assert "1 order(s) refunded" in output, output
    assert order["status"] == "refunded"
    assert charge is not None
    assert charge.refunded_amount == paid.amount
