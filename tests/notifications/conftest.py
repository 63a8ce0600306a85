"""Notification fixtures: a real SMTP server (aiosmtpd) that records what it receives and can
be told to refuse, app services with live fan-out and jobs, and a committed database for the
tests whose other side (a broker's worker, a live server) opens its own connections."""

from __future__ import annotations

import os
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from pitchaseat.adapters.cache import MemoryGroupCache
from pitchaseat.adapters.fanout import MemoryFanOut
from pitchaseat.adapters.queue import InProcessQueue
from pitchaseat.adapters.ratelimit import RateLimiter
from pitchaseat.adapters.storage import LocalImageStorage
from pitchaseat.db import create_engine, create_session_factory
from pitchaseat.runtime import AppServices, build_mailer
from pitchaseat.settings import Settings
from pitchaseat.worker import install_email_jobs
from tests.support.databases import DatabasePlan, create_migrated, drop, plan_database
from tests.support.live_server import free_port

REDIS_URL = os.environ.get("PITCHASEAT_TEST_REDIS_URL")
AMQP_URL = os.environ.get("PITCHASEAT_TEST_AMQP_URL")


@dataclass
class SmtpRecorder:
    """aiosmtpd handler: refuses the next ``refuse`` messages (451), or all of them when
    ``refuse_always``, and keeps the rest."""

    refuse: int = 0
    refuse_always: bool = False
    refused: int = 0
    received: list[Message] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            if self.refuse_always or self.refuse > 0:
                self.refuse = max(self.refuse - 1, 0)
                self.refused += 1
                return "451 4.3.0 Try again later"
            self.received.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def subjects(self) -> list[str]:
        with self.lock:
            return [str(message["Subject"]) for message in self.received]


@pytest.fixture
def smtp() -> Iterator[tuple[SmtpRecorder, int]]:
    recorder = SmtpRecorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield recorder, port
    finally:
        controller.stop()


def smtp_settings(base: Settings, port: int, **changes: Any) -> Settings:
    return base.model_copy(
        update={
            "smtp_host": "127.0.0.1",
            "smtp_port": port,
            "smtp_starttls": False,
            "email_retry_base_seconds": 0.05,
            "email_max_attempts": 3,
            **changes,
        }
    )


@pytest.fixture
async def live_services(
    committed_settings: Settings, smtp: tuple[SmtpRecorder, int]
) -> AsyncIterator[AppServices]:
    """Services on the committed database (each job has its own connection, as in the app)
    with in-process fan-out and jobs, mail to the SMTP recorder."""
    mail_settings = smtp_settings(committed_settings, smtp[1])
    engine = create_engine(mail_settings.effective_database_url, pool_size=4)
    services = AppServices(
        settings=mail_settings,
        engine=engine,
        session_factory=create_session_factory(engine),
        rate_limiter=RateLimiter(),
        cache=MemoryGroupCache(),
        storage=LocalImageStorage(mail_settings.effective_media_dir),
        fanout=MemoryFanOut(),
        jobs=InProcessQueue(),
        mailer=build_mailer(mail_settings),
    )
    install_email_jobs(services)
    yield services
    await services.close()


@pytest.fixture(scope="session")
async def committed_database(
    database: DatabasePlan, worker_name: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[DatabasePlan]:
    """A database of the same backend whose data is committed, for other processes' eyes."""
    planned = plan_database(
        database.backend, f"pas_notify_{worker_name}", tmp_path_factory.mktemp("notify")
    )
    await create_migrated(planned)
    yield planned
    await drop(planned)


@pytest.fixture
def committed_settings(committed_database: DatabasePlan, settings: Settings) -> Settings:
    return settings.model_copy(update={"database_url": committed_database.url})
