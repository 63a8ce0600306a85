"""FastAPI dependencies every router uses: the unit of work, settings, services."""

from __future__ import annotations

import ipaddress
from collections.abc import AsyncIterator, Sequence
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.db import READ_ONLY, commit, rollback
from pitchaseat.runtime import AppServices
from pitchaseat.settings import Settings

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


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


def client_address(peer: str, forwarded_for: str | None, trusted: Sequence[IpNetwork]) -> str:
    """The caller's address: the peer's, unless the peer is one of our trusted proxies, in
    which case the nearest address in X-Forwarded-For that is not a trusted proxy. Anyone
    else's X-Forwarded-For is ignored, so it cannot dodge a per-address limit."""
    if not forwarded_for or not _is_trusted(peer, trusted):
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",")]
    for hop in reversed(hops):  # each trusted proxy appended the address it saw
        if not _is_trusted(hop, trusted):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # a garbled header is not believed
    return hops[0]


def _is_trusted(address: str, trusted: Sequence[IpNetwork]) -> bool:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in trusted)


async def client_ip(request: Request, settings: SettingsDep) -> str:
    peer = request.client.host if request.client else "unknown"
    return client_address(
        peer, request.headers.get("x-forwarded-for"), settings.trusted_proxy_networks
    )


ClientIp = Annotated[str, Depends(client_ip)]
