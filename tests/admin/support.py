"""Operators and audit counts for the console's tests."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.models import User
from pitchaseat.admin.models import AuditEntry
from tests.factories import login_headers, make_user


async def make_operator(session: AsyncSession) -> User:
    user = await make_user(session)
    user.is_operator = True
    await session.commit()
    return user


async def operator_headers(client: httpx.AsyncClient, session: AsyncSession) -> dict[str, str]:
    operator = await make_operator(session)
    return await login_headers(client, operator.email)


async def audit_count(session: AsyncSession, action: str, target_id: int | None = None) -> int:
    query = select(func.count(AuditEntry.id)).where(AuditEntry.action == action)
    if target_id is not None:
        query = query.where(AuditEntry.target_id == target_id)
    return int(await session.scalar(query) or 0)
