from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from pitchaseat.accounts import recovery, service, sign_in_links, tokens
from pitchaseat.accounts.deps import (
    SESSION_COOKIE,
    CurrentUser,
    LoginPolicyDep,
    PresentedToken,
)
from pitchaseat.accounts.schemas import (
    Accepted,
    EmailChange,
    LoginRequest,
    PasswordChange,
    PasswordResetConfirm,
    PasswordResetRequest,
    PublicProfile,
    RegisterRequest,
    SignInLinkRedeem,
    SignInLinkRequest,
    SignInLinkSent,
    TokenResponse,
    UserOut,
    UserUpdate,
    VerifyEmailRequest,
)
from pitchaseat.web.deps import ClientIp, ServicesDep, SessionDep, SettingsDep
from pitchaseat.web.openapi import error_responses
from pitchaseat.web.params import IdPath

router = APIRouter(prefix="/api/v1", tags=["accounts"])


@router.post(
    "/auth/register",
    status_code=status.HTTP_201_CREATED,
    response_model=UserOut,
    responses=error_responses(409, 422, 429),
)
async def register(
    body: RegisterRequest, session: SessionDep, services: ServicesDep, ip: ClientIp
) -> UserOut:
    await service.check_registration_rate(
        services.rate_limiter, services.settings.registrations_per_ip, ip
    )
    user = await service.register(
        session,
        email=body.email,
        password=body.password,
        display_name=body.display_name,
        phone=body.phone,
    )
    await recovery.start_verification(session, user, base_url=services.settings.base_url)
    return UserOut.model_validate(user)


@router.post("/auth/login", response_model=TokenResponse, responses=error_responses(401, 422, 429))
async def login(
    body: LoginRequest, request: Request, session: SessionDep, policy: LoginPolicyDep, ip: ClientIp
) -> TokenResponse:
    issued = await service.log_in(
        session,
        policy,
        email=body.email,
        password=body.password,
        client_ip=ip,
        user_agent=request.headers.get("user-agent"),
    )
    return TokenResponse(access_token=issued.token, expires_in=issued.expires_in)


@router.post(
    "/auth/login-link",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=SignInLinkSent,
    responses=error_responses(422, 429),
)
async def request_login_link(
    body: SignInLinkRequest, session: SessionDep, services: ServicesDep, ip: ClientIp
) -> SignInLinkSent:
    """Emails a one-time sign-in link: the way in while password attempts are slowed down."""
    settings = services.settings
    await sign_in_links.request_sign_in_link(
        session,
        services.rate_limiter,
        settings.sign_in_links_per_account,
        email=body.email,
        client_ip=ip,
        secret_key=settings.secret_key,
        base_url=settings.base_url,
    )
    return SignInLinkSent()


@router.post(
    "/auth/login-link/redeem", response_model=TokenResponse, responses=error_responses(401, 422)
)
async def redeem_login_link(
    body: SignInLinkRedeem, request: Request, session: SessionDep, settings: SettingsDep
) -> TokenResponse:
    user, _next = await sign_in_links.redeem_sign_in_link(
        session, body.token, secret_key=settings.secret_key
    )
    issued = service.open_session(
        session,
        user,
        secret_key=settings.secret_key,
        ttl_seconds=settings.access_token_ttl_seconds,
        user_agent=request.headers.get("user-agent"),
    )
    return TokenResponse(access_token=issued.token, expires_in=issued.expires_in)


@router.post(
    "/auth/logout", status_code=status.HTTP_204_NO_CONTENT, responses=error_responses(401, 403)
)
async def logout(
    user: CurrentUser, token: PresentedToken, session: SessionDep, settings: SettingsDep
) -> Response:
    if token:
        await service.log_out(session, token, secret_key=settings.secret_key)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/users/me", response_model=UserOut, responses=error_responses(401))
async def me(user: CurrentUser) -> UserOut:
    return UserOut.model_validate(user)


@router.patch("/users/me", response_model=UserOut, responses=error_responses(401, 403, 422))
async def update_me(body: UserUpdate, user: CurrentUser, session: SessionDep) -> UserOut:
    updated = await service.update_profile(
        session,
        user,
        display_name=body.display_name,
        phone=body.phone,
        favorite_team_ids=body.favorite_team_ids,
    )
    return UserOut.model_validate(updated)


@router.get("/users/{user_id}", response_model=PublicProfile, responses=error_responses(404))
async def public_profile(user_id: IdPath, session: SessionDep) -> PublicProfile:
    figures = await service.public_profile(session, user_id)
    return PublicProfile(
        id=figures.user.id,
        display_name=figures.user.display_name,
        member_since=figures.user.created_at,
        rating_average=figures.rating_average,
        rating_count=figures.rating_count,
        seller_score=figures.user.seller_score,
        completed_sales=figures.completed_sales,
    )


RESET_SENT = "If an account has this email, a link to reset its password is on its way."


@router.post(
    "/auth/password-reset",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=Accepted,
    responses=error_responses(422, 429),
)
async def request_password_reset(
    body: PasswordResetRequest, session: SessionDep, services: ServicesDep, ip: ClientIp
) -> Accepted:
    """Emails a one-time link (30 minutes) to reset the password; the same answer whether or
    not the address has an account."""
    settings = services.settings
    await recovery.request_password_reset(
        session,
        services.rate_limiter,
        per_ip_rule=settings.password_resets_per_ip,
        per_account_rule=settings.password_resets_per_account,
        email=body.email,
        client_ip=ip,
        base_url=settings.base_url,
    )
    return Accepted(detail=RESET_SENT)


@router.post(
    "/auth/password-reset/confirm",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(400, 422),
)
async def confirm_password_reset(body: PasswordResetConfirm, session: SessionDep) -> Response:
    """Sets the new password; every session of the account is revoked."""
    await recovery.reset_password(session, token=body.token, password=body.password)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/auth/verify-email",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(400, 409, 422),
)
async def verify_email(body: VerifyEmailRequest, session: SessionDep) -> Response:
    """Uses the emailed link: the sign-up one, or the one that confirms a new address."""
    await recovery.verify_email(session, token=body.token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/auth/verify-email/resend",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=Accepted,
    responses=error_responses(401, 403, 429),
)
async def resend_verification(
    user: CurrentUser, session: SessionDep, services: ServicesDep
) -> Accepted:
    settings = services.settings
    await recovery.resend_verification(
        session,
        services.rate_limiter,
        settings.verification_emails_per_account,
        user,
        base_url=settings.base_url,
    )
    return Accepted(detail="A new confirmation link is on its way.")


def _session_id(token: str | None, secret_key: str) -> str | None:
    try:
        return tokens.read_token(token, secret_key=secret_key).session_id if token else None
    except tokens.InvalidToken:
        return None


@router.post(
    "/users/me/password",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(400, 401, 403, 422),
)
async def change_password(
    body: PasswordChange,
    user: CurrentUser,
    token: PresentedToken,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """Sets a new password; every other session is revoked, this one stays."""
    await recovery.change_password(
        session,
        user,
        current_password=body.current_password,
        new_password=body.new_password,
        current_session_id=_session_id(token, settings.secret_key),
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/users/me/email",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=Accepted,
    responses=error_responses(400, 401, 403, 409, 422, 429),
)
async def change_email(
    body: EmailChange, user: CurrentUser, session: SessionDep, services: ServicesDep
) -> Accepted:
    """Emails a link to the new address; the change takes effect when it is opened."""
    settings = services.settings
    await recovery.request_email_change(
        session,
        services.rate_limiter,
        settings.verification_emails_per_account,
        user,
        new_email=str(body.new_email),
        current_password=body.current_password,
        base_url=settings.base_url,
    )
    return Accepted(detail="Open the link we emailed to the new address to make the change.")
