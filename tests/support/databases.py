"""Test databases: one per backend and xdist worker, built by the Alembic migrations."""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from pitchaseat.migrate import upgrade_database

URL_ENV = {
    "postgresql": "PITCHASEAT_TEST_POSTGRES_URL",
    "mariadb": "PITCHASEAT_TEST_MARIADB_URL",
}


def selected_backends() -> list[str]:
    """SQLite always; PostgreSQL and MariaDB when their admin URLs are given, e.g.
    ``PITCHASEAT_TEST_POSTGRES_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/test`` and
    ``PITCHASEAT_TEST_MARIADB_URL=mysql+aiomysql://root@127.0.0.1:3306/test``."""
    return ["sqlite", *(name for name, env in URL_ENV.items() if os.environ.get(env))]


@dataclass(frozen=True)
class DatabasePlan:
    backend: str
    url: str
    admin_url: str | None
    name: str


def plan_database(backend: str, database_name: str, sqlite_dir: Path) -> DatabasePlan:
    if backend == "sqlite":
        path = sqlite_dir / f"{database_name}.db"
        return DatabasePlan(backend, f"sqlite+aiosqlite:///{path.as_posix()}", None, str(path))
    admin_url = os.environ[URL_ENV[backend]]
    url = make_url(admin_url).set(database=database_name)
    return DatabasePlan(
        backend, url.render_as_string(hide_password=False), admin_url, database_name
    )


async def _recreate(database: DatabasePlan, *, drop_only: bool = False) -> None:
    if database.admin_url is None:
        Path(database.name).unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(database.name + suffix).unlink(missing_ok=True)
        return
    engine = create_async_engine(database.admin_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            if database.backend == "postgresql":
                await connection.execute(
                    text(f'DROP DATABASE IF EXISTS "{database.name}" WITH (FORCE)')
                )
                if not drop_only:
                    await connection.execute(text(f'CREATE DATABASE "{database.name}"'))
            else:
                await connection.execute(text(f"DROP DATABASE IF EXISTS `{database.name}`"))
                if not drop_only:
                    await connection.execute(
                        text(f"CREATE DATABASE `{database.name}` CHARACTER SET utf8mb4")
                    )
    finally:
        await engine.dispose()


async def create_migrated(database: DatabasePlan, revision: str = "head") -> None:
    await _recreate(database)
    await asyncio.to_thread(upgrade_database, database.url, revision)


async def drop(database: DatabasePlan) -> None:
    await _recreate(database, drop_only=True)
