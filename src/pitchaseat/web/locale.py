"""The request's language, chosen once per request for the pages, the API and the emails."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from pitchaseat.i18n import LOCALE_COOKIE, pick_locale, reset_locale, set_locale


class LocaleMiddleware:
    """Chooses the request's locale: ``?lang=`` wins, then the cookie, then the default."""

    def __init__(self, app: ASGIApp, *, default_locale: str) -> None:
        self.app = app
        self.default_locale = default_locale

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        from starlette.requests import Request

        request = Request(scope)
        locale = pick_locale(
            request.cookies.get(LOCALE_COOKIE),
            request.query_params.get("lang"),
            self.default_locale,
        )
        token = set_locale(locale)
        try:
            await self.app(scope, receive, send)
        finally:
            reset_locale(token)
