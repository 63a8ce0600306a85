"""Per-request plumbing as plain ASGI middleware (cheaper than BaseHTTPMiddleware):
request ids, access logs, Prometheus metrics and the security headers."""

from __future__ import annotations

import os
import random
import re
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import IO, Any

import orjson
from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pitchaseat.ops.request_context import reset_request_id, set_request_id

_REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class HttpMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.requests = Counter(
            "pas_http_requests_total",
            "HTTP requests by route template and status",
            ["method", "route", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "pas_http_request_duration_seconds",
            "HTTP request latency by route template",
            ["method", "route"],
            registry=registry,
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )
        # Label lookups cost more than the counting itself; keep the children.
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def record(self, method: str, route: str, status: int, seconds: float) -> None:
        key = (method, route, status)
        children = self._children.get(key)
        if children is None:
            children = (
                self.requests.labels(method, route, str(status)),
                self.latency.labels(method, route),
            )
            self._children[key] = children
        children[0].inc()
        children[1].observe(seconds)


def _route_template(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return str(path) if path else "unmatched"


class AccessLog:
    """One JSON line per request, written straight to stdout: the hot path cannot afford a
    general logging pipeline per request."""

    def __init__(self, stream: IO[bytes] | None = None) -> None:
        self.stream = stream or sys.stdout.buffer

    def write(self, **fields: Any) -> None:
        fields["timestamp"] = datetime.now(UTC).isoformat()
        fields["level"] = "info"
        fields["event"] = "request"
        self.stream.write(orjson.dumps(fields) + b"\n")


# Its own generator: the global one is the tests' (hypothesis replays it). Reseeded in a
# forked worker, as the global one is, so that two workers never share a sequence.
_request_ids = random.Random()
os.register_at_fork(after_in_child=_request_ids.seed)


def _new_request_id() -> str:
    # Unique, not secret: uuid4 reads the OS's random source, a system call that also lets
    # go of the GIL (and then waits to get it back from the SQLite reader threads).
    return f"{_request_ids.getrandbits(128):032x}"


class RequestContextMiddleware:
    """Request ids, metrics, the access log, and the headers every response carries (the
    security headers): one wrapper of ``send`` for all of them, since each wrapper costs a
    call per message on the busiest reads."""

    def __init__(
        self,
        app: ASGIApp,
        metrics: HttpMetrics,
        *,
        headers: Sequence[tuple[bytes, bytes]] = (),
        access_log: AccessLog | None = None,
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.headers = tuple(headers)
        self.access_log = access_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = ""
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                incoming = value.decode("latin-1")
                break
        request_id = incoming if _REQUEST_ID_PATTERN.match(incoming) else _new_request_id()
        raw_request_id = request_id.encode()
        scope.setdefault("state", {})["request_id"] = request_id
        token = set_request_id(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", ()))
                # A response that sets one of these itself keeps its own.
                present = {name.lower() for name, _ in headers}
                headers.extend(item for item in self.headers if item[0] not in present)
                headers.append((b"x-request-id", raw_request_id))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            elapsed = time.perf_counter() - started
            route = _route_template(scope)
            self.metrics.record(scope["method"], route, status, elapsed)
            if self.access_log is not None:
                self.access_log.write(
                    request_id=request_id,
                    method=scope["method"],
                    path=scope["path"],
                    route=route,
                    status=status,
                    duration_ms=round(elapsed * 1000, 2),
                )
            reset_request_id(token)


def content_security_policy(image_sources: str = "", payment_sdk: str = "") -> str:
    """The site's policy; ``payment_sdk`` is the card-field SDK's origin (its script and its
    iframes), allowed only when a real payment provider is configured."""
    sdk = f" {payment_sdk}" if payment_sdk else ""
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self'{sdk}",
            f"frame-src 'self'{sdk}",
            "style-src 'self'",
            f"img-src 'self' data: blob:{' ' + image_sources if image_sources else ''}",
            "font-src 'self'",
            f"connect-src 'self'{sdk}",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def security_headers(csp: str, *, hsts: bool = False) -> list[tuple[bytes, bytes]]:
    """The headers every response carries (``RequestContextMiddleware`` adds them)."""
    headers = [
        ("Content-Security-Policy", csp),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("X-Frame-Options", "DENY"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ]
    if hsts:
        headers.append(("Strict-Transport-Security", "max-age=31536000"))
    return [(name.lower().encode(), value.encode()) for name, value in headers]


class BodySizeLimitMiddleware:
    """Refuses request bodies over the limit with 413, before the app reads them whole."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def _refuse(self, send: Send) -> None:
        body = b'{"error":{"code":"payload_too_large","message":"The request body is too large."}}'
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = next((v for name, v in scope["headers"] if name == b"content-length"), None)
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _BodyTooLarge
            return message

        try:
            await self.app(scope, counting_receive, send)
        except _BodyTooLarge:
            await self._refuse(send)


class _BodyTooLarge(Exception):
    pass
