from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pitchaseat.db import Base, UtcDateTime
from pitchaseat.timeutil import utcnow


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    is_operator: Mapped[bool] = mapped_column(Boolean, default=False)
    # Proven by a link sent to the address; selling and payouts need it (accounts.guards).
    email_verified: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The language of the emails we send (zh_TW or en); pages follow the visitor's choice.
    locale: Mapped[str] = mapped_column(String(8), default="zh_TW", server_default="zh_TW")
    # Seller reputation, kept by the reviews domain: raw figures and the smoothed score
    # (null until the first rating) that every listing sort and badge uses.
    rating_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    rating_sum: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    seller_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    # Set by an operator (the admin domain): log-in is refused and every session revoked.
    suspended_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    suspension_reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)

    favorite_teams: Mapped[list[UserFavoriteTeam]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="UserFavoriteTeam.team_id"
    )

    @property
    def favorite_team_ids(self) -> list[int]:
        return [favorite.team_id for favorite in self.favorite_teams]


class UserFavoriteTeam(Base):
    __tablename__ = "user_favorite_teams"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), primary_key=True)


class AuthSession(Base):
    """One issued access token; revoking the row makes the token stop working."""

    __tablename__ = "auth_sessions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    user_agent: Mapped[str | None] = mapped_column(String(200), nullable=True)


class AccountToken(Base):
    """A one-time link sent by email (password reset, email check, change of email). Only a
    hash of the token is kept, so a copy of the database opens nothing."""

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The address being proven: the account's own, or the new one for a change of email.
    email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
