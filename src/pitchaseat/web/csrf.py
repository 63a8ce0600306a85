"""CSRF protection for cookie sessions: a token bound to the browser and to its session.

The ``pas_csrf`` cookie (HttpOnly) holds a random nonce. The token that pages put in their
forms is an HMAC of that nonce and of the session cookie, made with the app's secret; every
unsafe request that authenticates with the session cookie must repeat it, in the
``X-CSRF-Token`` header (scripts) or the ``csrf_token`` form field (plain forms). Another
site can neither read the page nor compute the token, a cookie planted by a sibling site
does not help it (it lacks the secret), and a token from before a log-in is worth nothing
after it: log-in starts a new session and a new nonce (``rotate_csrf``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Annotated

from fastapi import Depends
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from pitchaseat.errors import DomainError

CSRF_COOKIE = "pas_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SESSION_COOKIE = "pas_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_NEW_NONCE = "new_csrf_nonce"


class CsrfFailed(DomainError):
    status = 403
    code = "csrf_failed"
    default_message = "The form expired or came from another site; reload the page and retry."


def _secret(request: Request) -> bytes:
    return str(request.app.state.services.settings.secret_key).encode()


def _token_for(request: Request, nonce: str, session_token: str | None) -> str:
    message = f"csrf|{nonce}|{session_token or ''}".encode()
    return hmac.new(_secret(request), message, hashlib.sha256).hexdigest()


def _nonce(request: Request) -> str | None:
    fresh = getattr(request.state, _NEW_NONCE, None)
    return fresh or request.cookies.get(CSRF_COOKIE)


def csrf_token(request: Request, *, session_token: str | None = None) -> str:
    """The token for the request's forms, minting a nonce when the browser has none yet.
    ``session_token`` names the session the next request will carry, when it changes."""
    nonce = _nonce(request)
    if not nonce:
        nonce = secrets.token_urlsafe(32)
        setattr(request.state, _NEW_NONCE, nonce)
    session = session_token if session_token is not None else request.cookies.get(SESSION_COOKIE)
    return _token_for(request, nonce, session)


def rotate_csrf(request: Request) -> None:
    """A new nonce for this browser (at log-in), sent by ``store_csrf_cookie``."""
    setattr(request.state, _NEW_NONCE, secrets.token_urlsafe(32))


def store_csrf_cookie(request: Request, response: Response, *, secure: bool) -> None:
    nonce = getattr(request.state, _NEW_NONCE, None)
    if nonce:
        response.set_cookie(CSRF_COOKIE, nonce, httponly=True, samesite="lax", secure=secure)


def csrf_matches(request: Request, submitted: str | None) -> bool:
    nonce = request.cookies.get(CSRF_COOKIE)
    if not (nonce and submitted):
        return False
    expected = _token_for(request, nonce, request.cookies.get(SESSION_COOKIE))
    return secrets.compare_digest(expected, submitted)


def require_form_csrf(request: Request, submitted: object) -> None:
    if not csrf_matches(request, submitted if isinstance(submitted, str) else None):
        raise CsrfFailed()


async def csrf_checked_form(request: Request) -> FormData:
    """A page form's fields, once its CSRF token has been checked."""
    form = await request.form()
    require_form_csrf(request, form.get(CSRF_FIELD))
    return form


CsrfForm = Annotated[FormData, Depends(csrf_checked_form)]


def safe_next(target: object, default: str = "/") -> str:
    """A local path to go to after a form, never another site."""
    if isinstance(target, str) and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return default
