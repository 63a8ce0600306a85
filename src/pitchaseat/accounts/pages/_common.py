"""What the account pages share: redirects, a CSRF-checked form, and the profile page, to
which other domains and the recovery forms add sections."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.models import User
from pitchaseat.catalog.service import list_teams
from pitchaseat.i18n import gettext
from pitchaseat.web.csrf import require_form_csrf, safe_next
from pitchaseat.web.forms import FormErrors
from pitchaseat.web.templating import render

_ = gettext
# Other domains add sections to the profile page (their context for the template), so that
# accounts need not know them.
PROFILE_SECTIONS: list[Callable[[AsyncSession, User], Awaitable[dict[str, Any]]]] = []


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def login_redirect(request: Request) -> RedirectResponse:
    return redirect(f"/login?next={request.url.path}")


async def form_values(request: Request) -> dict[str, Any]:
    form = await request.form()
    require_form_csrf(request, form.get("csrf_token"))
    return {key: value for key, value in form.multi_items() if isinstance(value, str)}


def _profile_values(user: Any) -> dict[str, Any]:
    return {
        "display_name": user.display_name,
        "phone": user.phone,
        "favorite_team_ids": user.favorite_team_ids,
    }


PROFILE_FIELDS = frozenset({"display_name", "phone", "favorite_team_ids"})


def _notice_ids() -> dict[str, str]:
    def _(message: str) -> str:
        return message  # marks a message for extraction; translated when shown

    return {
        "password_changed": _("Your password is changed. Your other devices are signed out."),
        "email_sent": _(
            "We emailed a link to the new address; the change takes effect when you open it."
        ),
        "link_sent": _("A new confirmation link is on its way to your email."),
        "verified": _("Your email address is confirmed."),
    }


# What the profile page says after one of its forms (the query's first key).
PROFILE_NOTICES = _notice_ids()


def profile_notice(request: Request) -> str | None:
    for key in request.query_params:
        if key in PROFILE_NOTICES:
            return _(PROFILE_NOTICES[key])
    return None


async def _profile(
    request: Request,
    session: AsyncSession,
    user: User,
    values: dict[str, Any],
    *,
    errors: FormErrors | None = None,
    next_url: str | None = None,
    extra: dict[str, Any] | None = None,
    status_code: int | None = None,
) -> Response:
    next_url = next_url or request.query_params.get("next")
    context: dict[str, Any] = {
        "email_verified": user.email_verified,
        "notice": profile_notice(request),
        "teams": await list_teams(session),
        "values": values,
        "saved": request.query_params.get("saved") == "1",
        # A fan who just signed up is asked for their teams first, then sent on.
        "welcome": request.query_params.get("welcome") == "1" or bool(next_url),
        "next_url": safe_next(next_url) if next_url else None,
        "errors": errors,
    }
    for section in PROFILE_SECTIONS:
        context.update(await section(session, user))
    context.update(extra or {})
    status = status_code or (errors.status if errors else 200)
    return render(request, "accounts/profile.html", context, status_code=status)
