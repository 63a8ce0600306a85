"""JWT access tokens. Each token names a server-side session row, checked on every use."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt

from pitchaseat.timeutil import utcnow

ALGORITHM = "HS256"
AUDIENCE = "pitchaseat"


@dataclass(frozen=True)
class IssuedToken:
    token: str
    session_id: str
    expires_at: datetime
    expires_in: int


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    session_id: str


class InvalidToken(Exception):
    """The token is malformed, tampered with or expired."""


def issue_token(user_id: int, *, secret_key: str, ttl_seconds: int) -> IssuedToken:
    now = utcnow()
    expires_at = now + timedelta(seconds=ttl_seconds)
    session_id = secrets.token_hex(16)
    claims = {
        "sub": str(user_id),
        "jti": session_id,
        "iat": int(now.timestamp()),
        "exp": int(expires_at.timestamp()),
        "aud": AUDIENCE,
    }
    token = jwt.encode(claims, secret_key, algorithm=ALGORITHM)
    return IssuedToken(token, session_id, expires_at, ttl_seconds)


def read_token(token: str, *, secret_key: str) -> TokenClaims:
    try:
        claims = jwt.decode(
            token,
            secret_key,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            options={"require": ["sub", "jti", "exp", "aud"]},
        )
        return TokenClaims(user_id=int(claims["sub"]), session_id=str(claims["jti"]))
    except (jwt.PyJWTError, ValueError, TypeError) as error:
        raise InvalidToken(str(error)) from error
