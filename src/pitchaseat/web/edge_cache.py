"""Answers the busiest GET routes before the framework runs.

Domains register the routes whose response bytes they cache (in a ``GroupCache``), how a
request maps to its cache entry, and how to compute the bytes. On a hit this ASGI layer sends
the stored bytes; on a miss it computes them straight from the database, skipping routing and
dependency resolution. Anything else (an unknown or invalid parameter, a missing game, any
error) falls through to the normal route, which validates, answers and writes the API's error
body; the route computes with the same function, so both give the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import structlog
from starlette.types import ASGIApp, Receive, Scope, Send

from pitchaseat.edge import EdgeRoute

log = structlog.get_logger("pitchaseat.edge")

_HIT_HEADERS = [(b"content-type", b"application/json"), (b"x-cache", b"hit")]
_MISS_HEADERS = [(b"content-type", b"application/json")]


class EdgeCache:
    def __init__(self, app: ASGIApp, routes: Sequence[EdgeRoute]) -> None:
        self.app = app
        self.routes = [(route, SimpleNamespace(path=route.template)) for route in routes]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            for route, label in self.routes:
                match = route.path.match(scope["path"])
                if match is None:
                    continue
                services = getattr(scope["app"].state, "services", None)
                if services is None:
                    break
                query = scope.get("query_string", b"")
                headers = _HIT_HEADERS
                body = await self._lookup(services, route, match, query)
                if body is None and route.compute is not None:
                    headers = _MISS_HEADERS
                    body = await self._compute(services, route, match, query)
                if body is not None:
                    scope["route"] = label  # metrics count it under its route
                    start = [*headers, (b"content-length", str(len(body)).encode())]
                    await send({"type": "http.response.start", "status": 200, "headers": start})
                    await send({"type": "http.response.body", "body": body})
                    return
                break
        await self.app(scope, receive, send)

    @staticmethod
    async def _lookup(
        services: Any, route: EdgeRoute, match: re.Match[str], query: bytes
    ) -> bytes | None:
        if not services.settings.page_cache_enabled:
            return None
        entry = route.locate(match, query)
        if entry is None:
            return None
        body: bytes | None = await services.cache.get(*entry)
        return body

    @staticmethod
    async def _compute(
        services: Any, route: EdgeRoute, match: re.Match[str], query: bytes
    ) -> bytes | None:
        assert route.compute is not None
        try:
            return await route.compute(services, match, query)
        except Exception:
            # The route answers instead (a 404, a 422, or the logged 500 with its body).
            log.debug("edge_compute_fell_through", route=route.template, exc_info=True)
            return None
