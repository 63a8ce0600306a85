from __future__ import annotations

import httpx


async def test_every_response_carries_the_security_headers(client: httpx.AsyncClient) -> None:
    for path in ("/api/v1/teams", "/api/v1/games/987654", "/healthz"):
        response = await client.get(path)

        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"]


async def test_request_id_is_echoed_or_minted(client: httpx.AsyncClient) -> None:
    given = await client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    minted = await client.get("/healthz", headers={"X-Request-ID": "bad id with spaces"})

    assert given.headers["X-Request-ID"] == "abc-123"
    assert len(minted.headers["X-Request-ID"]) == 32


async def test_metrics_count_requests_by_route_template(client: httpx.AsyncClient) -> None:
    await client.get("/api/v1/games/987654")

    metrics = (await client.get("/metrics")).text

    assert (
        'pas_http_requests_total{method="GET",route="/api/v1/games/{game_id}",status="404"} 1.0'
        in metrics
    )
    assert "pas_http_request_duration_seconds_bucket" in metrics


async def test_openapi_documents_error_responses(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()

    register = spec["paths"]["/api/v1/auth/register"]["post"]["responses"]
    assert {"201", "409", "422"} <= set(register)
    assert "ErrorBody" in spec["components"]["schemas"]
