"""Racing writers: a transaction that loses a lock race is retried a few times, then the
buyer is told we are busy (never a 500)."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, OperationalError

from pitchaseat.db import is_lock_contention as is_retryable
from pitchaseat.orders.errors import Busy

ResultT = TypeVar("ResultT")


async def with_retries(attempt: Callable[[], Awaitable[ResultT]], *, attempts: int = 8) -> ResultT:
    for number in range(1, attempts + 1):
        try:
            return await attempt()
        except (OperationalError, DBAPIError) as error:
            if not is_retryable(error) or number == attempts:
                if is_retryable(error):
                    raise Busy() from error
                raise
            await asyncio.sleep(random.uniform(0.005, 0.02) * number)
    raise Busy()
