"""Placing a hold for the API and the pages alike: rate limited per buyer (the law also
outlaws buying with bots), in its own short transaction, retried when it loses a lock race."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pitchaseat.adapters.ratelimit import RateLimiter
from pitchaseat.db import commit, rollback
from pitchaseat.errors import RateLimited
from pitchaseat.orders import holds
from pitchaseat.orders.models import Order
from pitchaseat.orders.retry import with_retries


async def place_hold(
    factory: async_sessionmaker[AsyncSession],
    limiter: RateLimiter,
    holds_per_user: str,
    buyer: holds.Buyer,
    *,
    listing_id: int,
    quantity: int,
    policy: holds.HoldPolicy,
    idempotency_key: str | None = None,
) -> Order:
    check = await limiter.hit(holds_per_user, "hold", str(buyer.id))
    if not check.allowed:
        raise RateLimited(check.retry_after_seconds, "Too many holds at once; wait a moment.")

    async def attempt() -> Order:
        async with factory() as session:
            try:
                order = await holds.create_hold(
                    session,
                    buyer,
                    listing_id=listing_id,
                    quantity=quantity,
                    policy=policy,
                    idempotency_key=idempotency_key,
                )
            except BaseException:
                await rollback(session)
                raise
            await commit(session)
            return order

    return await with_retries(attempt)
