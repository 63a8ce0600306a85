"""A cache of byte values grouped by a key (e.g. all cached pages of one game), with
generation numbers so that a page computed before an invalidation is never stored after it.

Redis when configured (shared by every process), behind a circuit breaker that serves pages
uncached while Redis is away; an in-process LRU otherwise.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Protocol

from redis.asyncio import Redis

from pitchaseat.adapters.breaker import CircuitBreaker


class GroupCache(Protocol):
    async def get(self, group: str, field: str) -> bytes | None: ...

    async def generation(self, group: str) -> int: ...

    async def put(
        self, group: str, field: str, value: bytes, *, generation: int, ttl_seconds: int
    ) -> None: ...

    async def invalidate(self, *groups: str) -> None: ...

    async def clear(self) -> None: ...


class MemoryGroupCache:
    def __init__(self, *, max_groups: int = 4096, max_fields_per_group: int = 256) -> None:
        self._groups: OrderedDict[str, dict[str, tuple[bytes, float]]] = OrderedDict()
        self._generations: dict[str, int] = {}
        self.max_groups = max_groups
        self.max_fields_per_group = max_fields_per_group

    def get_now(self, group: str, field: str) -> bytes | None:
        """The synchronous lookup the hot path uses (memory needs no await)."""
        fields = self._groups.get(group)
        if fields is None:
            return None
        entry = fields.get(field)
        if entry is None:
            return None
        if entry[1] < time.monotonic():
            del fields[field]
            return None
        return entry[0]

    async def get(self, group: str, field: str) -> bytes | None:
        return self.get_now(group, field)

    async def generation(self, group: str) -> int:
        return self._generations.get(group, 0)

    async def put(
        self, group: str, field: str, value: bytes, *, generation: int, ttl_seconds: int
    ) -> None:
        if self._generations.get(group, 0) != generation:
            return  # invalidated while the value was being computed
        fields = self._groups.get(group)
        if fields is None:
            fields = self._groups[group] = {}
            if len(self._groups) > self.max_groups:
                self._groups.popitem(last=False)
        else:
            self._groups.move_to_end(group)
        if len(fields) >= self.max_fields_per_group:
            fields.clear()
        fields[field] = (value, time.monotonic() + ttl_seconds)

    async def invalidate(self, *groups: str) -> None:
        for group in groups:
            self._generations[group] = self._generations.get(group, 0) + 1
            self._groups.pop(group, None)

    async def clear(self) -> None:
        self._groups.clear()
        self._generations.clear()


# Stores the value only if the group's generation is unchanged, atomically.
_PUT_IF_GENERATION = """
local current = redis.call('GET', KEYS[1]) or '0'
if current ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[4])
return 1
"""


class RedisGroupCache:
    def __init__(self, redis: Redis, *, namespace: str = "pas:cache") -> None:
        self.redis = redis
        self.namespace = namespace
        self._put_script = redis.register_script(_PUT_IF_GENERATION)

    def _keys(self, group: str) -> tuple[str, str]:
        return f"{self.namespace}:gen:{group}", f"{self.namespace}:data:{group}"

    async def get(self, group: str, field: str) -> bytes | None:
        value = await self.redis.hget(self._keys(group)[1], field)
        if value is None:
            return None
        return value if isinstance(value, bytes) else value.encode()

    async def generation(self, group: str) -> int:
        value = await self.redis.get(self._keys(group)[0])
        return int(value) if value is not None else 0

    async def put(
        self, group: str, field: str, value: bytes, *, generation: int, ttl_seconds: int
    ) -> None:
        await self._put_script(
            keys=list(self._keys(group)), args=[str(generation), field, value, ttl_seconds]
        )

    async def invalidate(self, *groups: str) -> None:
        if not groups:
            return
        async with self.redis.pipeline(transaction=True) as pipe:
            for group in groups:
                generation_key, data_key = self._keys(group)
                pipe.incr(generation_key)
                pipe.delete(data_key)
            await pipe.execute()

    async def clear(self) -> None:
        async for key in self.redis.scan_iter(match=f"{self.namespace}:*"):
            await self.redis.delete(key)


# A generation that matches none: what is computed while Redis is away is not stored.
NO_GENERATION = -1
MAX_PENDING_INVALIDATIONS = 10_000


class GuardedGroupCache:
    """Redis's cache that degrades to no cache while Redis fails.

    An invalidation that cannot reach Redis is remembered and replayed before anything is
    read again, so a page cached before the outage is never served after a change made
    during it. (Should this process die first, the entries' TTL bounds the staleness.)
    """

    def __init__(self, inner: RedisGroupCache, breaker: CircuitBreaker) -> None:
        self.inner = inner
        self.breaker = breaker
        self._pending: set[str] = set()
        self._pending_overflowed = False

    async def _flush_pending(self) -> None:
        if self._pending_overflowed:
            await self.inner.clear()
        elif self._pending:
            await self.inner.invalidate(*sorted(self._pending))
        self._pending.clear()
        self._pending_overflowed = False

    async def get(self, group: str, field: str) -> bytes | None:
        async def read() -> bytes | None:
            await self._flush_pending()
            return await self.inner.get(group, field)

        return await self.breaker.call(read, fallback=None)

    async def generation(self, group: str) -> int:
        async def read() -> int:
            await self._flush_pending()
            return await self.inner.generation(group)

        return await self.breaker.call(read, fallback=NO_GENERATION)

    async def put(
        self, group: str, field: str, value: bytes, *, generation: int, ttl_seconds: int
    ) -> None:
        if generation == NO_GENERATION:
            return

        async def write() -> None:
            await self.inner.put(
                group, field, value, generation=generation, ttl_seconds=ttl_seconds
            )

        await self.breaker.call(write, fallback=None)

    async def invalidate(self, *groups: str) -> None:
        if not groups:
            return

        async def write() -> bool:
            await self._flush_pending()
            await self.inner.invalidate(*groups)
            return True

        if not await self.breaker.call(write, fallback=False):
            self._pending.update(groups)
            if len(self._pending) > MAX_PENDING_INVALIDATIONS:
                self._pending.clear()
                self._pending_overflowed = True

    async def clear(self) -> None:
        async def write() -> bool:
            await self.inner.clear()
            return True

        if await self.breaker.call(write, fallback=False):
            self._pending.clear()
            self._pending_overflowed = False
        else:
            self._pending_overflowed = True
