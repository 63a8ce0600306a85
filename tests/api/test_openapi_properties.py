"""Property-based API test: schemathesis generates requests from our own /openapi.json
against a live server; no request may get a 5xx, and every error uses API.md's body."""

from __future__ import annotations

import re

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import CheckContext, not_a_server_error
from schemathesis.core.transport import Response

from pitchaseat.app import create_app
from pitchaseat.settings import Settings

_SNAKE_CASE = re.compile(r"^[a-z][a-z0-9_]*$")


def error_body_follows_the_contract(ctx: CheckContext, response: Response, case: object) -> None:
    if response.status_code < 400:
        return
    body = response.json()
    error = body["error"]
    assert _SNAKE_CASE.match(error["code"]), error
    assert isinstance(error["message"], str) and error["message"]


# The document does not depend on the database, so it is built once at import time.
schema = schemathesis.openapi.from_dict(
    create_app(Settings(environment="test", _env_file=None)).openapi()  # type: ignore[call-arg]
)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_generated_request_gets_a_server_error(
    case: schemathesis.Case, server_url: str, auth_headers: dict[str, str]
) -> None:
    headers = None if case.path.startswith("/api/v1/auth/logout") else auth_headers
    case.call_and_validate(
        base_url=server_url,
        headers=headers,
        checks=[not_a_server_error, error_body_follows_the_contract],
    )
