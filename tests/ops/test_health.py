from __future__ import annotations

import httpx

from pitchaseat.adapters.breaker import CircuitBreaker
from pitchaseat.runtime import AppServices


async def test_healthz_answers(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_checks_the_database(client: httpx.AsyncClient) -> None:
    response = await client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


async def test_a_failing_optional_part_is_degraded_but_still_ready(
    client: httpx.AsyncClient, services: AppServices
) -> None:
    broker = CircuitBreaker("broker", failure_threshold=1)
    services.breakers.append(broker)
    broker.record_failure(ConnectionError("connection refused"))

    response = await client.get("/readyz")

    assert response.status_code == 200  # the load balancer keeps the instance
    assert response.json() == {
        "status": "degraded",
        "checks": {"database": "ok", "broker": "degraded: ConnectionError: connection refused"},
    }


async def test_readyz_is_ok_when_every_part_answers(
    client: httpx.AsyncClient, services: AppServices
) -> None:
    services.breakers.append(CircuitBreaker("broker"))

    response = await client.get("/readyz")

    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}
