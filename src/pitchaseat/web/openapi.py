"""API.md's error body as an OpenAPI schema, so every route can declare its errors."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

_DESCRIPTIONS = {
    400: "Bad request",
    401: "Not logged in, or the token is invalid, expired or revoked",
    402: "Payment failed",
    403: "Forbidden (for example a failed CSRF check)",
    404: "Not found (also for other users' private objects)",
    409: "Conflict with the current state",
    413: "Payload too large",
    422: "Invalid input (`validation_error` lists the bad fields in `details`)",
    429: "Rate limited; see the Retry-After header",
}


class ErrorDetail(BaseModel):
    code: str = Field(examples=["not_found"])
    message: str = Field(examples=["Not found."])
    details: dict[str, Any] | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {
        status: {"model": ErrorBody, "description": _DESCRIPTIONS.get(status, "Error")}
        for status in statuses
    }
