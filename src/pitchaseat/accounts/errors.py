from __future__ import annotations

from pitchaseat.errors import Conflict, InvalidInput, NotAuthenticated


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
