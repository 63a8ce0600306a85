"""FastAPI dependencies every router uses: the unit of work, settings, services."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.db import READ_ONLY, commit, rollback
from pitchaseat.runtime import AppServices
from pitchaseat.settings import Settings


async def get_services(request: Request) -> AppServices:
    services: AppServices = request.app.state.services
    return services


ServicesDep = Annotated[AppServices, Depends(get_services)]


async def get_settings_dep(services: ServicesDep) -> Settings:
    return services.settings


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


async def unit_of_work(request: Request, services: ServicesDep) -> AsyncIterator[AsyncSession]:
    """One session per request, committed once after the endpoint succeeds."""
    async with services.session_factory() as session:
        # A page or API read never writes: on SQLite it need not queue for the write lock.
        session.info[READ_ONLY] = request.method in ("GET", "HEAD")
        try:
            yield session
        except BaseException:
            await rollback(session)
            raise
        await commit(session)


# Function scope: the commit runs before the response is sent, so a client never sees
# success for a change that then fails to commit.
SessionDep = Annotated[AsyncSession, Depends(unit_of_work, scope="function")]


async def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


ClientIp = Annotated[str, Depends(client_ip)]
