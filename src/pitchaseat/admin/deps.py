"""The one check every /admin page and /api/v1/admin route goes through: the caller is an
operator with a fresh enough session, or the path does not exist (404, no existence leak)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import select

from pitchaseat.accounts import service, tokens
from pitchaseat.accounts.deps import SESSION_COOKIE, BearerCredentials, VisitorView
from pitchaseat.accounts.errors import InvalidToken
from pitchaseat.accounts.models import AuthSession, User
from pitchaseat.db import release_connection
from pitchaseat.errors import NotFound
from pitchaseat.timeutil import utcnow
from pitchaseat.web.csrf import CSRF_HEADER, SAFE_METHODS, CsrfFailed, csrf_matches
from pitchaseat.web.deps import SessionDep, SettingsDep


async def current_operator(
    request: Request, session: SessionDep, settings: SettingsDep, credentials: BearerCredentials
) -> User:
    token = credentials.credentials if credentials else request.cookies.get(SESSION_COOKIE)
    user: User | None = None
    started = None
    if token:
        try:
            user = await service.user_for_token(session, token, secret_key=settings.secret_key)
            claims = tokens.read_token(token, secret_key=settings.secret_key)
            started = await session.scalar(
                select(AuthSession.created_at).where(AuthSession.id == claims.session_id)
            )
        except (InvalidToken, tokens.InvalidToken):
            user = None
        await release_connection(session)
    fresh = started is not None and utcnow() - started < timedelta(
        seconds=settings.operator_session_ttl_seconds
    )
    if user is None or not user.is_operator or not fresh:
        raise NotFound()
    # A cookie-borne API write needs the CSRF header; page forms check their own field.
    if (
        credentials is None
        and request.method not in SAFE_METHODS
        and request.url.path.startswith("/api/")
        and not csrf_matches(request, request.headers.get(CSRF_HEADER))
    ):
        raise CsrfFailed()
    request.state.user = VisitorView(
        id=user.id, email=user.email, display_name=user.display_name, is_operator=True
    )
    return user


Operator = Annotated[User, Depends(current_operator)]
