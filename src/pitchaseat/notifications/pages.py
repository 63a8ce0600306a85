"""The notifications page, "mark all read" without script, and the email choices form (shown
on the profile page)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts import pages as account_pages
from pitchaseat.accounts.deps import PageUser, cookie_user
from pitchaseat.accounts.models import User
from pitchaseat.i18n import LOCALES, current_locale
from pitchaseat.notifications import account_mail, service, sign_in_mail
from pitchaseat.notifications.kinds import Kind, label
from pitchaseat.notifications.schemas import NotificationOut
from pitchaseat.web.csrf import require_form_csrf
from pitchaseat.web.deps import SessionDep
from pitchaseat.web.params import IdPath
from pitchaseat.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(cookie_user)])
PAGE_SIZE = 50


def _login(request: Request) -> RedirectResponse:
    return RedirectResponse(f"/login?next={request.url.path}", status_code=303)


@router.get("/notifications")
async def notifications_page(request: Request, user: PageUser, session: SessionDep) -> Response:
    if user is None:
        return _login(request)
    found = await service.list_notifications(session, user.id, limit=PAGE_SIZE)
    locale = current_locale()
    items = [NotificationOut.of(note, locale) for note in found.items]
    return render(
        request,
        "notifications/list.html",
        {"items": items, "unread_count": found.unread_count},
    )


@router.get("/notifications/{notification_id}/open")
async def open_notification(
    request: Request, notification_id: IdPath, user: PageUser, session: SessionDep
) -> Response:
    """Opening a notification (from this page or the bell) marks it read and goes to its
    object; someone else's is 404."""
    if user is None:
        return _login(request)
    note = await service.owned_notification(session, user.id, notification_id)
    await service.mark_read(session, note)
    return RedirectResponse(note.link or "/notifications", status_code=303)


@router.post("/notifications/read-all")
async def read_all(request: Request, user: PageUser, session: SessionDep) -> Response:
    if user is None:
        return _login(request)
    form = await request.form()
    require_form_csrf(request, form.get("csrf_token"))
    await service.mark_all_read(session, user.id)
    return RedirectResponse("/notifications", status_code=303)


@router.post("/notifications/preferences")
async def save_preferences(request: Request, user: PageUser, session: SessionDep) -> Response:
    if user is None:
        return _login(request)
    form = await request.form()
    require_form_csrf(request, form.get("csrf_token"))
    chosen = {str(value) for value in form.getlist("email_kinds")}
    locale = str(form.get("email_locale") or "")
    await service.save_email_choices(
        session,
        user.id,
        enabled={kind for kind in Kind if kind.value in chosen},
        locale=locale if locale in LOCALES else "zh_TW",
    )
    return RedirectResponse("/profile?saved=1", status_code=303)


async def email_choices_context(session: AsyncSession, user: User) -> dict[str, Any]:
    """What the profile page needs to show the email choices form."""
    choices = await service.email_choices(session, user.id)
    locale = current_locale()
    return {
        "email_choices": [(kind.value, label(kind, locale), on) for kind, on in choices.items()],
        "email_locale": user.locale,
    }


account_pages.PROFILE_SECTIONS.append(email_choices_context)

sign_in_mail.install()
account_mail.install()
