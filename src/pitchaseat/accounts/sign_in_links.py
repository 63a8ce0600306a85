"""One-time sign-in links by email: the owner's way in while log-in attempts for the
account are being slowed down (someone else guessing its password).

A link carries no server-side row: it is signed and names a fingerprint of the account's
state (its password hash and its newest session). Using the link opens a new session, which
changes the fingerprint, so the link works once; so does a password change or any newer
log-in. It expires after ``LINK_TTL_SECONDS``.

The email itself is written by whoever registered in ``SIGN_IN_LINK_MAILERS`` (the
notifications domain puts it in its outbox), so accounts need not know about email.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from datetime import timedelta
from urllib.parse import quote

import jwt
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts import tokens
from pitchaseat.accounts.errors import InvalidSignInLink
from pitchaseat.accounts.models import AuthSession, User
from pitchaseat.adapters.ratelimit import RateLimiter
from pitchaseat.errors import RateLimited
from pitchaseat.timeutil import utcnow

LINK_TTL_SECONDS = 15 * 60
LINK_PATH = "/login/link"
_AUDIENCE = "pitchaseat:sign-in-link"

SignInMailer = Callable[[AsyncSession, User, str], Awaitable[None]]
SIGN_IN_LINK_MAILERS: list[SignInMailer] = []


async def _fingerprint(session: AsyncSession, user: User) -> str:
    newest = await session.scalar(
        select(AuthSession.id)
        .where(AuthSession.user_id == user.id)
        .order_by(AuthSession.created_at.desc(), AuthSession.id.desc())
        .limit(1)
    )
    state = f"{user.id}:{user.password_hash}:{newest or ''}"
    return hashlib.sha256(state.encode()).hexdigest()[:32]


async def request_sign_in_link(
    session: AsyncSession,
    limiter: RateLimiter,
    rule: str,
    *,
    email: str,
    client_ip: str,
    secret_key: str,
    base_url: str,
    next_url: str = "/",
) -> None:
    """Mails a link if the address has an account; says nothing either way (the answer must
    not tell who has an account). Limited per address and per account, so the link cannot be
    used to flood someone's mailbox."""
    email = email.strip().lower()
    for key in (("ip", client_ip), ("account", email)):
        check = await limiter.hit(rule, "sign-in-link", *key)
        if not check.allowed:
            raise RateLimited(check.retry_after_seconds)
    user = await session.scalar(select(User).where(User.email == email))
    if user is not None:
        await send_sign_in_link(
            session, user, secret_key=secret_key, base_url=base_url, next_url=next_url
        )


async def send_sign_in_link(
    session: AsyncSession, user: User, *, secret_key: str, base_url: str, next_url: str = "/"
) -> None:
    now = utcnow()
    claims = {
        "sub": str(user.id),
        "fp": await _fingerprint(session, user),
        "next": next_url,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=LINK_TTL_SECONDS)).timestamp()),
        "aud": _AUDIENCE,
    }
    token = jwt.encode(claims, secret_key, algorithm=tokens.ALGORITHM)
    url = f"{base_url}{LINK_PATH}?token={quote(token)}"
    for mailer in SIGN_IN_LINK_MAILERS:
        await mailer(session, user, url)


async def redeem_sign_in_link(
    session: AsyncSession, token: str, *, secret_key: str
) -> tuple[User, str]:
    """The link's user and where to go next; raises ``InvalidSignInLink`` when it is forged,
    expired or already used."""
    try:
        claims = jwt.decode(
            token,
            secret_key,
            algorithms=[tokens.ALGORITHM],
            audience=_AUDIENCE,
            options={"require": ["sub", "fp", "exp", "aud"]},
        )
        user_id = int(claims["sub"])
    except (jwt.PyJWTError, ValueError, TypeError) as error:
        raise InvalidSignInLink() from error
    user = await session.get(User, user_id)
    if user is None or claims["fp"] != await _fingerprint(session, user):
        raise InvalidSignInLink()
    return user, str(claims.get("next") or "/")
