"""Who is calling: a bearer token (API clients) or the session cookie (web pages)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from pitchaseat.accounts import service
from pitchaseat.accounts.errors import InvalidToken
from pitchaseat.accounts.models import User
from pitchaseat.db import release_connection
from pitchaseat.errors import NotAuthenticated
from pitchaseat.web.csrf import (
    CSRF_HEADER,
    SAFE_METHODS,
    CsrfFailed,
    csrf_matches,
)
from pitchaseat.web.csrf import (
    SESSION_COOKIE as SESSION_COOKIE,
)
from pitchaseat.web.deps import ServicesDep, SessionDep, SettingsDep

_bearer = HTTPBearer(auto_error=False, description="The access_token from POST /api/v1/auth/login.")
BearerCredentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


async def presented_token(request: Request, credentials: BearerCredentials) -> str | None:
    if credentials is not None:
        return credentials.credentials
    return request.cookies.get(SESSION_COOKIE)


PresentedToken = Annotated[str | None, Depends(presented_token)]


async def optional_user(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    credentials: BearerCredentials,
) -> User | None:
    if credentials is not None:
        # An explicit bearer token that does not work is an error, never anonymous access.
        user = await service.user_for_token(
            session, credentials.credentials, secret_key=settings.secret_key
        )
        await release_connection(session)
        return user
    cookie_token = request.cookies.get(SESSION_COOKIE)
    if not cookie_token:
        return None
    try:
        user = await service.user_for_token(session, cookie_token, secret_key=settings.secret_key)
    except InvalidToken:
        return None  # a stale cookie just means "logged out"
    await release_connection(session)
    if request.method not in SAFE_METHODS and not csrf_matches(
        request, request.headers.get(CSRF_HEADER)
    ):
        raise CsrfFailed()
    return user


OptionalUser = Annotated[User | None, Depends(optional_user)]


async def current_user(user: OptionalUser) -> User:
    if user is None:
        raise NotAuthenticated()
    return user


CurrentUser = Annotated[User, Depends(current_user)]


@dataclass(frozen=True)
class Caller:
    """Who is calling, for routes that need nothing else (a hold, a payment)."""

    id: int


async def current_caller(
    request: Request, services: ServicesDep, credentials: BearerCredentials
) -> Caller:
    """``CurrentUser`` (the same tokens, cookie and CSRF rules) in one statement on a read
    connection: no transaction to begin and end, no user object to build."""
    token = credentials.credentials if credentials is not None else None
    cookie_token = request.cookies.get(SESSION_COOKIE) if token is None else None
    if token is None and not cookie_token:
        raise NotAuthenticated()
    secret_key = services.settings.secret_key
    try:
        async with services.read_connection() as connection:
            user_id = await service.user_id_for_token(
                connection, token or cookie_token or "", secret_key=secret_key
            )
    except InvalidToken:
        if token is not None:
            raise  # an explicit bearer token that does not work is an error
        raise NotAuthenticated() from None  # a stale cookie just means "logged out"
    unsafe = request.method not in SAFE_METHODS
    if cookie_token and unsafe and not csrf_matches(request, request.headers.get(CSRF_HEADER)):
        raise CsrfFailed()
    return Caller(user_id)


CurrentCaller = Annotated[Caller, Depends(current_caller)]


async def cookie_user(request: Request, session: SessionDep, settings: SettingsDep) -> User | None:
    """The page visitor from the session cookie (forms check their own CSRF field); kept on
    the request so that templates can show who is logged in."""
    user = None
    cookie_token = request.cookies.get(SESSION_COOKIE)
    if cookie_token:
        try:
            user = await service.user_for_token(
                session, cookie_token, secret_key=settings.secret_key
            )
        except InvalidToken:
            user = None
        await release_connection(session)
    # Templates get a plain snapshot: it stays readable even after a failed form rolls back.
    request.state.user = (
        VisitorView(
            id=user.id,
            email=user.email,
            display_name=user.display_name,
            is_operator=user.is_operator,
        )
        if user
        else None
    )
    return user


PageUser = Annotated[User | None, Depends(cookie_user)]


class LoginRequired(Exception):
    """A page that needs a signed-in visitor; the app answers with the log-in page, which
    comes back to ``next_path`` afterwards."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def _come_back_to(request: Request) -> str:
    if request.method in SAFE_METHODS:
        query = request.url.query
        return request.url.path + (f"?{query}" if query else "")
    # A form sent after the session ended: back to the page the form was on.
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc == request.url.netloc and referer.path:
        return referer.path
    return "/"


async def signed_in_page_user(request: Request, user: PageUser) -> User:
    if user is None:
        raise LoginRequired(_come_back_to(request))
    return user


SignedInPageUser = Annotated[User, Depends(signed_in_page_user)]


@dataclass(frozen=True)
class VisitorView:
    id: int
    email: str
    display_name: str
    is_operator: bool = False


async def login_policy(request: Request, settings: SettingsDep) -> service.LoginPolicy:
    return service.LoginPolicy(
        limiter=request.app.state.services.rate_limiter,
        per_account_ip_rule=settings.login_attempts_per_account_ip,
        per_account_rule=settings.login_attempts_per_account,
        per_ip_rule=settings.login_attempts_per_ip,
        secret_key=settings.secret_key,
        token_ttl_seconds=settings.access_token_ttl_seconds,
        operator_token_ttl_seconds=settings.operator_session_ttl_seconds,
    )


LoginPolicyDep = Annotated[service.LoginPolicy, Depends(login_policy)]
