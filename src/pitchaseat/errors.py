"""The one error hierarchy. Each domain error carries its HTTP status and a stable code;
one handler in ``app`` turns it into API.md's error body, and pages show the same message."""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"
    default_message: ClassVar[str] = "The request could not be processed."

    def __init__(self, message: str | None = None, **details: Any) -> None:
        self.message = message or self.default_message
        self.details = details
        super().__init__(self.message)


class NotFound(DomainError):
    status = 404
    code = "not_found"
    default_message = "Not found."


class Conflict(DomainError):
    status = 409
    code = "conflict"
    default_message = "The request conflicts with the current state."


class InvalidInput(DomainError):
    status = 422
    code = "validation_error"
    default_message = "The request has invalid fields."


class NotAuthenticated(DomainError):
    status = 401
    code = "not_authenticated"
    default_message = "Log in first."


class PermissionDenied(DomainError):
    status = 403
    code = "permission_denied"
    default_message = "You may not do this."


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"
    default_message = "Too many attempts; try again later."

    def __init__(self, retry_after_seconds: int, message: str | None = None) -> None:
        super().__init__(message, retry_after_seconds=retry_after_seconds)
        self.retry_after_seconds = retry_after_seconds


class IdempotencyKeyReused(DomainError):
    status = 422
    code = "idempotency_key_reused"
    default_message = "This Idempotency-Key was already used for a different request."
