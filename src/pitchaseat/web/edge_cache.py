"""Answers cached GET responses before the framework runs.

Domains register the routes whose response bytes they cache (in a ``GroupCache``) and how a
request maps to its cache entry. On a hit this ASGI layer sends the stored bytes; anything else
(a miss, an unknown or invalid parameter) falls through to the normal route, which validates,
computes and fills the cache.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from types import SimpleNamespace

from starlette.types import ASGIApp, Receive, Scope, Send

from pitchaseat.edge import EdgeRoute

_JSON_HEADERS = [(b"content-type", b"application/json"), (b"x-cache", b"hit")]


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
                body = await self._lookup(scope, route, match)
                if body is not None:
                    scope["route"] = label  # metrics count the hit under its route
                    headers = [*_JSON_HEADERS, (b"content-length", str(len(body)).encode())]
                    await send({"type": "http.response.start", "status": 200, "headers": headers})
                    await send({"type": "http.response.body", "body": body})
                    return
                break
        await self.app(scope, receive, send)

    @staticmethod
    async def _lookup(scope: Scope, route: EdgeRoute, match: re.Match[str]) -> bytes | None:
        services = getattr(scope["app"].state, "services", None)
        if services is None or not services.settings.page_cache_enabled:
            return None
        entry = route.locate(match, scope.get("query_string", b""))
        if entry is None:
            return None
        body: bytes | None = await services.cache.get(*entry)
        return body
