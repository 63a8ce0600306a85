"""Accounts: registration, log-in with rate limits, token sessions, profiles."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, column, func, select, table, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from pitchaseat.accounts import passwords, tokens
from pitchaseat.accounts.errors import (
    AccountSuspended,
    EmailTaken,
    InvalidCredentials,
    InvalidToken,
    LoginThrottled,
    UnknownTeam,
    WeakPassword,
)
from pitchaseat.accounts.models import AuthSession, User, UserFavoriteTeam
from pitchaseat.adapters.ratelimit import RateLimiter
from pitchaseat.catalog.models import Team
from pitchaseat.errors import NotFound, RateLimited
from pitchaseat.timeutil import utcnow


def normalise_email(email: str) -> str:
    return email.strip().lower()


@dataclass(frozen=True)
class LoginPolicy:
    """Log-in attempts are slowed, never locked: the tightest limits are per account *and*
    address, with growing delays, so a stranger guessing cannot keep the owner out from
    elsewhere; a looser per-account limit catches guessing spread over many addresses, and
    the owner then still gets in through a one-time email link (``sign_in_links``)."""

    limiter: RateLimiter
    per_account_ip_rule: str
    per_account_rule: str
    per_ip_rule: str
    secret_key: str
    token_ttl_seconds: int
    # Operators hold the keys to other people's money: their sessions end sooner.
    operator_token_ttl_seconds: int | None = None


async def check_registration_rate(limiter: RateLimiter, rule: str, client_ip: str) -> None:
    check = await limiter.hit(rule, "reg", client_ip)
    if not check.allowed:
        raise RateLimited(check.retry_after_seconds)


async def register(
    session: AsyncSession,
    *,
    email: str,
    password: str,
    display_name: str,
    phone: str | None = None,
) -> User:
    email = normalise_email(email)
    problems = await passwords.check_password(password, email=email, display_name=display_name)
    if problems:
        raise WeakPassword(" ".join(problems), problems=problems)
    if await session.scalar(select(User.id).where(User.email == email)) is not None:
        raise EmailTaken()
    user = User(
        email=email,
        password_hash=await passwords.hash_password(password),
        display_name=display_name,
        phone=phone,
    )
    session.add(user)
    try:
        # A savepoint, so a concurrent duplicate leaves the outer transaction usable.
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as error:
        raise EmailTaken() from error
    await session.refresh(user, ["favorite_teams"])
    return user


async def log_in(
    session: AsyncSession,
    policy: LoginPolicy,
    *,
    email: str,
    password: str,
    client_ip: str,
    user_agent: str | None = None,
) -> tokens.IssuedToken:
    email = normalise_email(email)
    limits = (
        (policy.per_ip_rule, ("ip", client_ip)),
        (policy.per_account_ip_rule, ("pair", email, client_ip)),
        (policy.per_account_rule, ("account", email)),
    )
    for rule, key in limits:
        check = await policy.limiter.hit(rule, "login", *key)
        if not check.allowed:
            raise LoginThrottled(check.retry_after_seconds)
    user = await session.scalar(select(User).where(User.email == email))
    if user is None:
        await passwords.burn_verification_time(password)
        raise InvalidCredentials()
    if not await passwords.verify_password(user.password_hash, password):
        raise InvalidCredentials()
    if user.suspended_at is not None:
        raise AccountSuspended()
    ttl_seconds = policy.token_ttl_seconds
    if user.is_operator and policy.operator_token_ttl_seconds:
        ttl_seconds = min(ttl_seconds, policy.operator_token_ttl_seconds)
    return open_session(
        session,
        user,
        secret_key=policy.secret_key,
        ttl_seconds=ttl_seconds,
        user_agent=user_agent,
    )


def open_session(
    session: AsyncSession,
    user: User,
    *,
    secret_key: str,
    ttl_seconds: int,
    user_agent: str | None = None,
) -> tokens.IssuedToken:
    issued = tokens.issue_token(user.id, secret_key=secret_key, ttl_seconds=ttl_seconds)
    session.add(
        AuthSession(
            id=issued.session_id,
            user_id=user.id,
            expires_at=issued.expires_at,
            user_agent=(user_agent or "")[:200] or None,
        )
    )
    return issued


def _live_session(token: str, secret_key: str) -> list[ColumnElement[bool]]:
    """The one rule for a token that still works: its session live, its user not suspended."""
    try:
        claims = tokens.read_token(token, secret_key=secret_key)
    except tokens.InvalidToken as error:
        raise InvalidToken() from error
    return [
        AuthSession.user_id == User.id,
        AuthSession.id == claims.session_id,
        AuthSession.user_id == claims.user_id,
        AuthSession.revoked_at.is_(None),
        AuthSession.expires_at > utcnow(),
        User.suspended_at.is_(None),
    ]


async def user_for_token(session: AsyncSession, token: str, *, secret_key: str) -> User:
    """The user a token belongs to, if its session is still live."""
    user = await session.scalar(
        select(User).join(AuthSession, true()).where(*_live_session(token, secret_key))
    )
    if user is None:
        raise InvalidToken()
    return user


async def user_id_for_token(connection: AsyncConnection, token: str, *, secret_key: str) -> int:
    """``user_for_token`` for callers that need only who it is: one statement, no objects."""
    user_id = await connection.scalar(
        select(User.id).join(AuthSession, true()).where(*_live_session(token, secret_key))
    )
    if user_id is None:
        raise InvalidToken()
    return int(user_id)


async def log_out(session: AsyncSession, token: str, *, secret_key: str) -> None:
    try:
        claims = tokens.read_token(token, secret_key=secret_key)
    except tokens.InvalidToken:
        return
    await session.execute(
        update(AuthSession)
        .where(AuthSession.id == claims.session_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


async def update_profile(
    session: AsyncSession,
    user: User,
    *,
    display_name: str | None = None,
    phone: str | None = None,
    favorite_team_ids: list[int] | None = None,
) -> User:
    # Everything is checked before anything changes, so a refusal leaves the user untouched.
    wanted = sorted(set(favorite_team_ids or ()))
    if wanted:
        known = await session.scalar(select(func.count()).where(Team.id.in_(wanted)))
        if known != len(wanted):
            raise UnknownTeam(team_ids=wanted)
    if display_name is not None:
        user.display_name = display_name
    if phone is not None:
        user.phone = phone
    if favorite_team_ids is not None:
        user.favorite_teams = [UserFavoriteTeam(team_id=team_id) for team_id in wanted]
    await session.flush()
    return user


@dataclass(frozen=True)
class ProfileFigures:
    user: User
    rating_average: float | None
    rating_count: int
    completed_sales: int


async def public_profile(session: AsyncSession, user_id: int) -> ProfileFigures:
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    # Read by name: the orders domain sits above accounts and is not imported here.
    orders = table("orders", column("seller_id"), column("status"))
    completed = await session.scalar(
        select(func.count())
        .select_from(orders)
        .where(orders.c.seller_id == user_id, orders.c.status == "completed")
    )
    average = round(user.rating_sum / user.rating_count, 2) if user.rating_count else None
    return ProfileFigures(
        user=user,
        rating_average=average,
        rating_count=user.rating_count,
        completed_sales=int(completed or 0),
    )
