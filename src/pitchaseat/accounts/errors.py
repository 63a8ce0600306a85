from __future__ import annotations

from pitchaseat.errors import (
    Conflict,
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


class AccountSuspended(PermissionDenied):
    code = "account_suspended"
    default_message = "This account is suspended. Contact support if you think this is a mistake."
