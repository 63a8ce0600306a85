"""The periodic masking of delivery details 30 days after an order ended: each order in a
transaction of its own, so one that fails is logged and the others are still masked."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pitchaseat.db import commit, rollback
from pitchaseat.orders.delivery import deliveries_to_mask, mask_delivery

log = logging.getLogger(__name__)


async def mask_ended_deliveries(
    factory: async_sessionmaker[AsyncSession], now: datetime | None = None
) -> int:
    async with factory() as session:
        order_ids = await deliveries_to_mask(session, now)
    masked = 0
    for order_id in order_ids:
        async with factory() as session:
            try:
                done = await mask_delivery(session, order_id, now)
            except Exception:
                await rollback(session)
                log.exception("masking the delivery details of order %s failed", order_id)
                continue
            await commit(session)
            masked += int(done)
    return masked
