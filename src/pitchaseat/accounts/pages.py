"""Account pages: sign up, log in and out, profile, language."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts import service, sign_in_links
from pitchaseat.accounts.deps import SESSION_COOKIE, LoginPolicyDep, PageUser, cookie_user
from pitchaseat.accounts.errors import LoginThrottled
from pitchaseat.accounts.models import User
from pitchaseat.accounts.schemas import LoginRequest, RegisterRequest, UserUpdate
from pitchaseat.accounts.tokens import IssuedToken
from pitchaseat.catalog.service import list_teams
from pitchaseat.errors import DomainError
from pitchaseat.i18n import LOCALE_COOKIE, LOCALES, gettext
from pitchaseat.settings import Settings
from pitchaseat.web.csrf import require_form_csrf, rotate_csrf, safe_next, store_csrf_cookie
from pitchaseat.web.deps import ClientIp, ServicesDep, SessionDep, SettingsDep
from pitchaseat.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(cookie_user)])

_ = gettext
# Other domains add sections to the profile page (their context for the template), so that
# accounts need not know them.
PROFILE_SECTIONS: list[Callable[[AsyncSession, User], Awaitable[dict[str, Any]]]] = []


FIELD_LABELS = {
    "email": "Email",
    "password": "Password",
    "display_name": "Display name",
    "phone": "Mobile phone",
    "favorite_team_ids": "Favourite teams",
}


def first_error(error: ValidationError) -> str:
    """A readable, translated sentence naming the first bad field."""
    location = error.errors()[0].get("loc", ())
    field = str(location[0]) if location else ""
    label = _(FIELD_LABELS[field]) if field in FIELD_LABELS else field
    return (
        f"{label}: {_('this value is missing or invalid.')}"
        if label
        else _("Some fields are missing or invalid.")
    )


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def login_redirect(request: Request) -> RedirectResponse:
    return redirect(f"/login?next={request.url.path}")


async def form_values(request: Request) -> dict[str, Any]:
    form = await request.form()
    require_form_csrf(request, form.get("csrf_token"))
    return {key: value for key, value in form.multi_items() if isinstance(value, str)}


@router.get("/register")
async def register_page(request: Request) -> Response:
    return render(request, "accounts/register.html", {"values": {}})


@router.post("/register")
async def register(
    request: Request, session: SessionDep, services: ServicesDep, ip: ClientIp
) -> Response:
    values = await form_values(request)
    shown = {"email": values.get("email", ""), "display_name": values.get("display_name", "")}
    try:
        await service.check_registration_rate(
            services.rate_limiter, services.settings.registrations_per_ip, ip
        )
        body = RegisterRequest(
            email=values.get("email", ""),
            password=values.get("password", ""),
            display_name=values.get("display_name", ""),
        )
        await service.register(
            session, email=body.email, password=body.password, display_name=body.display_name
        )
    except ValidationError as error:
        return render(
            request,
            "accounts/register.html",
            {"values": shown, "error": first_error(error)},
            status_code=422,
        )
    except DomainError as error:
        context = {"values": shown, "error": _(error.message)}
        if error.details.get("problems"):
            context = {"values": shown, "problems": [_(p) for p in error.details["problems"]]}
        return render(request, "accounts/register.html", context, status_code=error.status)
    # Redirect after the POST, so a reload does not submit the form again.
    return redirect("/login?registered=1")


@router.get("/login")
async def login_page(request: Request, user: PageUser) -> Response:
    next_url = safe_next(request.query_params.get("next"))
    if user is not None:
        return redirect(next_url)
    notice = (
        _("Account created. Log in to continue.")
        if request.query_params.get("registered")
        else None
    )
    return render(
        request, "accounts/login.html", {"values": {}, "next_url": next_url, "notice": notice}
    )


@router.post("/login")
async def login(
    request: Request,
    session: SessionDep,
    policy: LoginPolicyDep,
    settings: SettingsDep,
    ip: ClientIp,
) -> Response:
    values = await form_values(request)
    next_url = safe_next(values.get("next"))
    context = {"values": {"email": values.get("email", "")}, "next_url": next_url}
    try:
        body = LoginRequest(email=values.get("email", ""), password=values.get("password", ""))
        issued = await service.log_in(
            session,
            policy,
            email=body.email,
            password=body.password,
            client_ip=ip,
            user_agent=request.headers.get("user-agent"),
        )
    except ValidationError as error:
        return render(
            request,
            "accounts/login.html",
            {**context, "error": first_error(error)},
            status_code=422,
        )
    except DomainError as error:
        page = render(
            request,
            "accounts/login.html",
            {
                **context,
                "error": _(error.message),
                "offer_link": isinstance(error, LoginThrottled),
            },
            status_code=error.status,
        )
        if error.status == 429:
            page.headers["Retry-After"] = str(error.details.get("retry_after_seconds", 60))
        return page
    return signed_in(request, issued, settings, next_url)


def signed_in(
    request: Request, issued: IssuedToken, settings: Settings, next_url: str
) -> RedirectResponse:
    """Where a log-in lands: the session cookie set, and a new CSRF nonce, so no token from
    before the log-in works after it."""
    response = redirect(next_url)
    response.set_cookie(
        SESSION_COOKIE,
        issued.token,
        max_age=issued.expires_in,
        httponly=True,
        samesite="lax",
        secure=settings.cookies_secure,
    )
    rotate_csrf(request)
    store_csrf_cookie(request, response, secure=settings.cookies_secure)
    return response


@router.post("/login/email-link")
async def email_link(
    request: Request, session: SessionDep, services: ServicesDep, ip: ClientIp
) -> Response:
    values = await form_values(request)
    next_url = safe_next(values.get("next"))
    email = values.get("email", "")[:254]
    context: dict[str, Any] = {"values": {"email": email}, "next_url": next_url}
    settings = services.settings
    try:
        await sign_in_links.request_sign_in_link(
            session,
            services.rate_limiter,
            settings.sign_in_links_per_account,
            email=email,
            client_ip=ip,
            secret_key=settings.secret_key,
            base_url=settings.base_url,
            next_url=next_url,
        )
    except DomainError as error:
        return render(
            request,
            "accounts/login.html",
            {**context, "error": _(error.message)},
            status_code=error.status,
        )
    notice = _("If an account has this email, a sign-in link is on its way.")
    return render(request, "accounts/login.html", {**context, "notice": notice})


@router.get(sign_in_links.LINK_PATH)
async def sign_in_link_page(request: Request) -> Response:
    # A button, not an automatic sign-in: mail scanners that open links must not use it up.
    token = request.query_params.get("token", "")[:2000]
    return render(request, "accounts/sign_in_link.html", {"token": token})


@router.post(sign_in_links.LINK_PATH)
async def use_sign_in_link(
    request: Request, session: SessionDep, settings: SettingsDep
) -> Response:
    values = await form_values(request)
    try:
        user, next_url = await sign_in_links.redeem_sign_in_link(
            session, values.get("token", ""), secret_key=settings.secret_key
        )
    except DomainError as error:
        context = {"values": {}, "next_url": "/", "error": _(error.message), "offer_link": True}
        return render(request, "accounts/login.html", context, status_code=error.status)
    issued = service.open_session(
        session,
        user,
        secret_key=settings.secret_key,
        ttl_seconds=settings.access_token_ttl_seconds,
        user_agent=request.headers.get("user-agent"),
    )
    return signed_in(request, issued, settings, safe_next(next_url))


@router.post("/logout")
async def logout(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    await form_values(request)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        await service.log_out(session, token, secret_key=settings.secret_key)
    response = redirect("/")
    response.delete_cookie(SESSION_COOKIE)
    return response


def _profile_values(user: Any) -> dict[str, Any]:
    return {
        "display_name": user.display_name,
        "phone": user.phone,
        "favorite_team_ids": user.favorite_team_ids,
    }


@router.get("/profile")
async def profile_page(request: Request, user: PageUser, session: SessionDep) -> Response:
    if user is None:
        return login_redirect(request)
    context = {
        "teams": await list_teams(session),
        "values": _profile_values(user),
        "saved": request.query_params.get("saved") == "1",
    }
    for section in PROFILE_SECTIONS:
        context.update(await section(session, user))
    return render(request, "accounts/profile.html", context)


@router.post("/profile")
async def update_profile(request: Request, user: PageUser, session: SessionDep) -> Response:
    if user is None:
        return login_redirect(request)
    form = await request.form()
    require_form_csrf(request, form.get("csrf_token"))
    teams = await list_teams(session)
    try:
        body = UserUpdate(
            display_name=str(form.get("display_name", "")),
            phone=str(form.get("phone") or "") or None,
            favorite_team_ids=[int(str(v)) for v in form.getlist("favorite_team_ids")],
        )
        await service.update_profile(
            session,
            user,
            display_name=body.display_name,
            phone=body.phone,
            favorite_team_ids=body.favorite_team_ids,
        )
    except (ValidationError, ValueError, DomainError) as error:
        message = (
            first_error(error)
            if isinstance(error, ValidationError)
            else _(error.message)
            if isinstance(error, DomainError)
            else _("Some fields are missing or invalid.")
        )
        return render(
            request,
            "accounts/profile.html",
            {"teams": teams, "values": _profile_values(user), "error": message},
            status_code=422,
        )
    return redirect("/profile?saved=1")


@router.get("/lang/{code}")
async def switch_language(request: Request, code: str) -> Response:
    response = redirect(safe_next(request.query_params.get("next")))
    if code in LOCALES:
        response.set_cookie(LOCALE_COOKIE, code, max_age=365 * 24 * 3600, samesite="lax")
    return response
