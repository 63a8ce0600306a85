"""Runs Alembic migrations from code (the CLI, tests and the demo use it)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

ALEMBIC_INI = Path(__file__).parent / "alembic.ini"


def alembic_config(database_url: str) -> Config:
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade_database(database_url: str, revision: str = "head") -> None:
    """Blocking (Alembic drives its own event loop): call it from a thread in async code."""
    command.upgrade(alembic_config(database_url), revision)
