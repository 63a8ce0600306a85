"""A cache of byte values grouped by a key (e.g. all cached pages of one game), with
generation numbers so that a page computed before an invalidation is never stored after it.

Redis when configured (shared by every process); an in-process LRU otherwise.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Protocol

from redis.asyncio import Redis


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
