"""Account pages: sign up, log in and out, profile, language."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from pitchaseat.accounts import recovery, service, sign_in_links
from pitchaseat.accounts.deps import SESSION_COOKIE, LoginPolicyDep, PageUser, cookie_user
from pitchaseat.accounts.errors import LoginThrottled
from pitchaseat.accounts.pages import _recovery
from pitchaseat.accounts.pages._common import (
    PROFILE_FIELDS,
    PROFILE_SECTIONS,
    _profile,
    _profile_values,
    form_values,
    login_redirect,
    redirect,
)
from pitchaseat.accounts.schemas import LoginRequest, RegisterRequest, UserUpdate
from pitchaseat.accounts.tokens import IssuedToken
from pitchaseat.db import rollback
from pitchaseat.errors import DomainError, InvalidInput
from pitchaseat.i18n import LOCALE_COOKIE, LOCALES, gettext
from pitchaseat.settings import Settings
from pitchaseat.web.csrf import require_form_csrf, rotate_csrf, safe_next, store_csrf_cookie
from pitchaseat.web.deps import ClientIp, ServicesDep, SessionDep, SettingsDep
from pitchaseat.web.forms import FormErrors
from pitchaseat.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(cookie_user)])

_ = gettext

__all__ = ["PROFILE_SECTIONS", "router"]

REGISTER_FIELDS = frozenset({"email", "display_name", "password"})


@router.get("/register")
async def register_page(request: Request, user: PageUser) -> Response:
    next_url = safe_next(request.query_params.get("next"))
    if user is not None:
        return redirect(next_url)
    return render(request, "accounts/register.html", {"values": {}, "next_url": next_url})


@router.post("/register")
async def register(
    request: Request,
    session: SessionDep,
    services: ServicesDep,
    policy: LoginPolicyDep,
    ip: ClientIp,
) -> Response:
    values = await form_values(request)
    next_url = safe_next(values.get("next"))
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
        user = await service.register(
            session, email=body.email, password=body.password, display_name=body.display_name
        )
        await recovery.start_verification(session, user, base_url=services.settings.base_url)
    except (ValidationError, DomainError) as error:
        errors = FormErrors.of(error, known=REGISTER_FIELDS)
        context = {"values": shown, "errors": errors, "next_url": next_url}
        return render(request, "accounts/register.html", context, status_code=errors.status)
    # Signed up means logged in; a new fan is offered their favourite teams, then goes on to
    # the page they came from. (A redirect after the POST: a reload does not submit again.)
    issued = service.open_session(
        session,
        user,
        secret_key=policy.secret_key,
        ttl_seconds=policy.token_ttl_seconds,
        user_agent=request.headers.get("user-agent"),
    )
    welcome = "/profile?" + urlencode({"welcome": 1, "next": next_url})
    return signed_in(request, issued, services.settings, welcome)


@router.get("/login")
async def login_page(request: Request, user: PageUser) -> Response:
    next_url = safe_next(request.query_params.get("next"))
    if user is not None:
        return redirect(next_url)
    notice = None
    if request.query_params.get("registered"):
        notice = _("Account created. Log in to continue.")
    elif request.query_params.get("reset"):
        notice = _("Your password is changed. Log in with the new one.")
    elif request.query_params.get("verified"):
        notice = _("Your email address is confirmed.")
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
    except (ValidationError, DomainError) as error:
        errors = FormErrors.of(error, known=frozenset({"email", "password"}))
        page = render(
            request,
            "accounts/login.html",
            {**context, "errors": errors, "offer_link": isinstance(error, LoginThrottled)},
            status_code=errors.status,
        )
        if isinstance(error, DomainError) and error.status == 429:
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


@router.get("/profile")
async def profile_page(request: Request, user: PageUser, session: SessionDep) -> Response:
    if user is None:
        return login_redirect(request)
    return await _profile(request, session, user, _profile_values(user))


@router.post("/profile")
async def update_profile(request: Request, user: PageUser, session: SessionDep) -> Response:
    if user is None:
        return login_redirect(request)
    form = await request.form()
    require_form_csrf(request, form.get("csrf_token"))
    raw_teams = [str(v) for v in form.getlist("favorite_team_ids")]
    team_ids = [int(v) for v in raw_teams if v.isdigit()]
    values: dict[str, Any] = {
        "display_name": str(form.get("display_name", "")),
        "phone": str(form.get("phone") or "") or None,
        "favorite_team_ids": team_ids,
    }
    next_url = safe_next(form.get("next"), default="")
    try:
        if len(team_ids) != len(raw_teams):
            raise InvalidInput(field="favorite_team_ids")
        body = UserUpdate(**values)
        await service.update_profile(
            session,
            user,
            display_name=body.display_name,
            phone=body.phone,
            favorite_team_ids=body.favorite_team_ids,
        )
    except (ValidationError, DomainError) as error:
        await rollback(session)
        errors = FormErrors.of(error, known=PROFILE_FIELDS)
        return await _profile(request, session, user, values, errors=errors, next_url=next_url)
    return redirect(next_url or "/profile?saved=1")


@router.get("/lang/{code}")
async def switch_language(request: Request, code: str) -> Response:
    response = redirect(safe_next(request.query_params.get("next")))
    if code in LOCALES:
        response.set_cookie(LOCALE_COOKIE, code, max_age=365 * 24 * 3600, samesite="lax")
    return response


router.include_router(_recovery.router)
