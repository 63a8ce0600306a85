from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from pitchaseat.accounts.passwords import MAX_PASSWORD_LENGTH
from pitchaseat.textinput import OneLine

DisplayName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40), OneLine
]
# Taiwanese mobile (09xxxxxxxx) or an international number with a leading +.
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^(09\d{8}|\+\d{8,15})$")]
Password = Annotated[str, Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)]


class RegisterRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr = Field(max_length=254)
    password: Password
    display_name: DisplayName
    phone: Phone | None = None


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Annotated[str, Field(min_length=1, max_length=254), OneLine]
    password: Password


class SignInLinkRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Annotated[str, Field(min_length=1, max_length=254), OneLine]


class SignInLinkSent(BaseModel):
    detail: str = "If an account has this email, a sign-in link is on its way."


class SignInLinkRedeem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: Annotated[str, Field(min_length=1, max_length=2000)]


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth token type, not a secret
    expires_in: int


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    display_name: str
    phone: str | None
    favorite_team_ids: list[int]
    email_verified: bool
    created_at: datetime


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    display_name: DisplayName | None = None
    phone: Phone | None = None
    favorite_team_ids: (
        Annotated[list[Annotated[int, Field(ge=1, le=2_147_483_647)]], Field(max_length=6)] | None
    ) = None


class PublicProfile(BaseModel):
    id: int
    display_name: str
    member_since: datetime
    rating_average: float | None = Field(description="The raw mean of the ratings")
    rating_count: int
    seller_score: float | None = Field(
        description="The smoothed (Bayesian) score that sorting and badges use"
    )
    completed_sales: int


Token = Annotated[str, Field(min_length=1, max_length=200)]
Email = Annotated[str, Field(min_length=1, max_length=254), OneLine]


class PasswordResetRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Email


class Accepted(BaseModel):
    detail: str


class PasswordResetConfirm(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: Token
    password: Password


class VerifyEmailRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: Token


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: Password
    new_password: Password


class EmailChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    new_email: EmailStr = Field(max_length=254)
    current_password: Password
