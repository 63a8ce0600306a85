"""Recovery pages: "forgot password?", the emailed reset and verification links, and the
profile page's password and email forms."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import ValidationError

from pitchaseat.accounts import recovery, tokens
from pitchaseat.accounts.deps import SESSION_COOKIE, PageUser, SignedInPageUser, cookie_user
from pitchaseat.accounts.pages._common import _profile, _profile_values, form_values, redirect
from pitchaseat.accounts.schemas import EmailChange, PasswordChange, PasswordResetConfirm
from pitchaseat.db import rollback
from pitchaseat.errors import DomainError
from pitchaseat.i18n import gettext as _
from pitchaseat.web.deps import ClientIp, ServicesDep, SessionDep, SettingsDep
from pitchaseat.web.forms import FormErrors
from pitchaseat.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(cookie_user)])


@router.get("/password-reset")
async def reset_request_page(request: Request) -> Response:
    return render(request, "accounts/password_reset.html", {"values": {}})


@router.post("/password-reset")
async def reset_request(
    request: Request, session: SessionDep, services: ServicesDep, ip: ClientIp
) -> Response:
    values = await form_values(request)
    email = values.get("email", "")[:254]
    context: dict[str, Any] = {"values": {"email": email}}
    settings = services.settings
    try:
        if not email.strip():
            raise ValidationError.from_exception_data(
                "PasswordResetRequest", [{"type": "missing", "loc": ("email",), "input": ""}]
            )
        await recovery.request_password_reset(
            session,
            services.rate_limiter,
            per_ip_rule=settings.password_resets_per_ip,
            per_account_rule=settings.password_resets_per_account,
            email=email,
            client_ip=ip,
            base_url=settings.base_url,
        )
    except (ValidationError, DomainError) as error:
        errors = FormErrors.of(error, known=frozenset({"email"}))
        context["errors"] = errors
        return render(request, "accounts/password_reset.html", context, status_code=errors.status)
    context["sent"] = True
    return render(request, "accounts/password_reset.html", context)


@router.get(recovery.RESET_PATH)
async def reset_confirm_page(request: Request) -> Response:
    token = request.query_params.get("token", "")[: recovery.MAX_TOKEN_LENGTH]
    return render(request, "accounts/password_reset_confirm.html", {"token": token})


@router.post(recovery.RESET_PATH)
async def reset_confirm(request: Request, session: SessionDep) -> Response:
    values = await form_values(request)
    token = values.get("token", "")[: recovery.MAX_TOKEN_LENGTH]
    try:
        body = PasswordResetConfirm(token=token or "-", password=values.get("password", ""))
        await recovery.reset_password(session, token=body.token, password=body.password)
    except (ValidationError, DomainError) as error:
        await rollback(session)
        errors = FormErrors.of(error, known=frozenset({"password"}))
        context = {
            "token": token,
            "errors": errors,
            "link_dead": isinstance(error, DomainError) and error.code == "invalid_token",
        }
        return render(
            request, "accounts/password_reset_confirm.html", context, status_code=errors.status
        )
    # Every session ended with the reset, this browser's too: log in with the new password.
    response = redirect("/login?reset=1")
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get(recovery.VERIFY_PATH)
async def verify_page(request: Request) -> Response:
    # A button, not an automatic confirmation: mail scanners that open links must not use it.
    token = request.query_params.get("token", "")[: recovery.MAX_TOKEN_LENGTH]
    return render(request, "accounts/verify_email.html", {"token": token})


@router.post(recovery.VERIFY_PATH)
async def verify(request: Request, session: SessionDep, user: PageUser) -> Response:
    values = await form_values(request)
    try:
        await recovery.verify_email(session, token=values.get("token", ""))
    except DomainError as error:
        await rollback(session)
        context = {"token": "", "error": _(error.message)}
        return render(request, "accounts/verify_email.html", context, status_code=error.status)
    return redirect("/profile?verified=1" if user else "/login?verified=1")


@router.post("/verify-email/resend")
async def resend(
    request: Request, session: SessionDep, services: ServicesDep, user: SignedInPageUser
) -> Response:
    await form_values(request)
    settings = services.settings
    try:
        await recovery.resend_verification(
            session,
            services.rate_limiter,
            settings.verification_emails_per_account,
            user,
            base_url=settings.base_url,
        )
    except DomainError as error:
        return await _security_refused(request, session, user, "verify_errors", error, {})
    return redirect("/profile?link_sent=1#email")


async def _security_refused(
    request: Request,
    session: SessionDep,
    user: Any,
    name: str,
    error: DomainError | ValidationError,
    values: dict[str, str],
    known: frozenset[str] = frozenset(),
) -> Response:
    """The profile page again, the refused form's message beside its field, input kept."""
    await rollback(session)
    await session.refresh(user)
    errors = FormErrors.of(error, known=known)
    extra = {name: errors, f"{name}_values": values}
    return await _profile(
        request,
        session,
        user,
        _profile_values(user),
        extra=extra,
        status_code=errors.status,
    )


@router.post("/profile/password")
async def change_password(
    request: Request, session: SessionDep, settings: SettingsDep, user: SignedInPageUser
) -> Response:
    values = await form_values(request)
    try:
        this_session = tokens.read_token(
            request.cookies.get(SESSION_COOKIE, ""), secret_key=settings.secret_key
        ).session_id
    except tokens.InvalidToken:
        this_session = None
    try:
        body = PasswordChange(
            current_password=values.get("current_password", ""),
            new_password=values.get("new_password", ""),
        )
        await recovery.change_password(
            session,
            user,
            current_password=body.current_password,
            new_password=body.new_password,
            current_session_id=this_session,
        )
    except (ValidationError, DomainError) as error:
        known = frozenset({"current_password", "new_password"})
        return await _security_refused(request, session, user, "password_errors", error, {}, known)
    return redirect("/profile?password_changed=1#password")


@router.post("/profile/email")
async def change_email(
    request: Request, session: SessionDep, services: ServicesDep, user: SignedInPageUser
) -> Response:
    values = await form_values(request)
    shown = {"new_email": values.get("new_email", "")[:254]}
    settings = services.settings
    try:
        body = EmailChange(
            new_email=values.get("new_email", ""),
            current_password=values.get("email_password", ""),
        )
        await recovery.request_email_change(
            session,
            services.rate_limiter,
            settings.verification_emails_per_account,
            user,
            new_email=str(body.new_email),
            current_password=body.current_password,
            base_url=settings.base_url,
        )
    except (ValidationError, DomainError) as error:
        known = frozenset({"new_email", "email_password"})
        rename = {"current_password": "email_password"}
        return await _email_refused(request, session, user, error, shown, known, rename)
    return redirect("/profile?email_sent=1#email")


async def _email_refused(
    request: Request,
    session: SessionDep,
    user: Any,
    error: DomainError | ValidationError,
    shown: dict[str, str],
    known: frozenset[str],
    rename: dict[str, str],
) -> Response:
    await rollback(session)
    await session.refresh(user)
    errors = FormErrors.of(error, known=known, rename=rename)
    extra = {"email_errors": errors, "email_values": shown}
    return await _profile(
        request, session, user, _profile_values(user), extra=extra, status_code=errors.status
    )
