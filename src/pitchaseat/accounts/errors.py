from __future__ import annotations

from pitchaseat.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    NotAuthenticated,
    PermissionDenied,
    RateLimited,
)


class EmailTaken(Conflict):
    code = "email_taken"
    default_message = "An account with this email already exists."


class WeakPassword(InvalidInput):
    code = "weak_password"
    default_message = "The password is too weak."


class InvalidCredentials(NotAuthenticated):
    code = "invalid_credentials"
    default_message = "Wrong email or password."


class InvalidToken(NotAuthenticated):
    code = "invalid_token"
    default_message = "Your session is invalid or has expired; log in again."


class UnknownTeam(InvalidInput):
    code = "unknown_team"
    default_message = "One of the favourite teams does not exist."


class InvalidSignInLink(NotAuthenticated):
    code = "invalid_sign_in_link"
    default_message = "This sign-in link has expired or was already used; ask for a new one."


class LoginThrottled(RateLimited):
    code = "login_throttled"
    default_message = (
        "Too many log-in attempts for this account from here; wait a moment, "
        "or ask for a sign-in link by email."
    )


class InvalidLink(DomainError):
    status = 400
    code = "invalid_token"
    default_message = "This link has expired or was already used; ask for a new one."


class WrongPassword(DomainError):
    status = 400
    code = "wrong_password"
    default_message = "The current password is not right."


class EmailNotVerified(PermissionDenied):
    code = "email_not_verified"
    default_message = (
        "Confirm your email address first: open the link we emailed you, or ask for it again."
    )


class AccountSuspended(PermissionDenied):
    code = "account_suspended"
    default_message = "This account is suspended. Contact support if you think this is a mistake."
