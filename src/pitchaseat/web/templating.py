"""Server-rendered pages: one Jinja2 environment with autoescaping and gettext."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from pitchaseat import i18n
from pitchaseat.timeutil import to_taipei
from pitchaseat.web.csrf import csrf_token, store_csrf_cookie

environment = Environment(
    loader=PackageLoader("pitchaseat.web", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    extensions=["jinja2.ext.i18n"],
    trim_blocks=True,
    lstrip_blocks=True,
    enable_async=False,
)
environment.install_gettext_callables(  # type: ignore[attr-defined]
    i18n.gettext, i18n.ngettext, newstyle=True
)


def _taipei(moment: datetime, pattern: str = "%Y-%m-%d %H:%M") -> str:
    return to_taipei(moment).strftime(pattern)


def _money(amount: int | None) -> str:
    return "—" if amount is None else f"NT${amount:,}"


environment.filters["taipei"] = _taipei
environment.filters["money"] = _money


def render(
    request: Request,
    template_name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    locale = i18n.current_locale()
    full_context = {
        "request": request,
        "current_user": getattr(request.state, "user", None),
        "csrf_token": csrf_token(request),
        "locale": locale,
        "html_lang": i18n.HTML_LANG.get(locale, "zh-Hant-TW"),
        **(context or {}),
    }
    html = environment.get_template(template_name).render(full_context)
    response = HTMLResponse(html, status_code=status_code)
    settings = request.app.state.services.settings
    store_csrf_cookie(request, response, secure=settings.cookies_secure)
    return response


def render_error(request: Request, status_code: int, code: str, message: str) -> HTMLResponse:
    try:
        return render(
            request,
            "error.html",
            {"status_code": status_code, "code": code, "message": message},
            status_code=status_code,
        )
    except Exception:  # the failure may be in what pages need; the visitor still gets a page
        heading = f"<title>{status_code}</title><h1>{status_code}</h1>"
        body = f"<!doctype html><html>{heading}<p>{escape(message)}</p></html>"
        return HTMLResponse(body, status_code=status_code)
