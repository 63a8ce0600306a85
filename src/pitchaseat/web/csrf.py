"""CSRF protection for cookie sessions: a double-submit token.

The ``pas_csrf`` cookie holds a random token; every unsafe request that authenticates with the
session cookie must repeat it, in the ``X-CSRF-Token`` header (scripts) or the ``csrf_token``
form field (plain forms). Another site can neither read the cookie nor set the header.
"""

from __future__ import annotations

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
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class CsrfFailed(DomainError):
    status = 403
    code = "csrf_failed"
    default_message = "The form expired or came from another site; reload the page and retry."


def csrf_token(request: Request) -> str:
    """The request's CSRF token, minting one when the browser has none yet."""
    token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf_token", None)
    if not token:
        token = secrets.token_urlsafe(32)
        request.state.new_csrf_token = token
    return str(token)


def store_csrf_cookie(request: Request, response: Response, *, secure: bool) -> None:
    token = getattr(request.state, "new_csrf_token", None)
    if token:
        response.set_cookie(CSRF_COOKIE, token, httponly=False, samesite="lax", secure=secure)


def csrf_matches(request: Request, submitted: str | None) -> bool:
    expected = request.cookies.get(CSRF_COOKIE)
    return bool(expected and submitted and secrets.compare_digest(expected, submitted))


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
