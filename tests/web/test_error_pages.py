"""A page that fails shows the error page (HTML); the API keeps API.md's JSON body."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI


@pytest.fixture
async def failing(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async def broken() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/broken-page", broken, include_in_schema=False)
    app.add_api_route("/api/v1/broken", broken)
    # The server error handler answers and then re-raises, as under uvicorn.
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.mark.parametrize("accept", ["text/html,application/xhtml+xml", "*/*", ""])
async def test_a_failing_page_shows_the_error_page(failing: httpx.AsyncClient, accept: str) -> None:
    response = await failing.get("/broken-page", headers={"accept": accept})

    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert "<html" in response.text.lower()
    assert "a bug" not in response.text  # no internals shown


async def test_a_failing_api_route_keeps_the_json_error_body(failing: httpx.AsyncClient) -> None:
    response = await failing.get("/api/v1/broken", headers={"accept": "text/html"})

    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"


async def test_an_unknown_page_is_a_404_page_even_for_curl(client: httpx.AsyncClient) -> None:
    response = await client.get("/no-such-page", headers={"accept": "*/*"})

    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")


async def test_a_client_that_asks_for_json_gets_json_from_a_page_route(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/no-such-page", headers={"accept": "application/json"})

    assert response.json()["error"]["code"] == "not_found"
