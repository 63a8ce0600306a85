"""Who is an operator: given and taken by the command line (``pitchaseat users ...``)."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.models import AuthSession, User
from pitchaseat.accounts.service import normalise_email
from pitchaseat.errors import NotFound
from pitchaseat.timeutil import utcnow


async def set_operator(session: AsyncSession, email: str, *, operator: bool) -> User:
    """Gives or takes the role. Taking it ends the person's sessions, so an open console
    tab stops working at once."""
    user = await session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise NotFound("No account with this email.")
    if user.is_operator and not operator:
        await session.execute(
            update(AuthSession)
            .where(AuthSession.user_id == user.id, AuthSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    user.is_operator = operator
    await session.flush()
    return user
