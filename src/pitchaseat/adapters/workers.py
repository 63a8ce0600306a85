"""CPU- and memory-heavy work (decoding photos) on a few threads of its own.

At most ``size`` jobs run at once in a process, so a burst of uploads costs a known amount
of memory and leaves the event loop's default threads free. When the last job of a burst
ends, the C allocator is asked to give freed memory back to the system: large decoded
images otherwise stay in glibc's arenas and the process keeps its peak size.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


# glibc's mallopt: allocations from this size up are mapped from the system one by one and
# unmapped when freed. Set explicitly, it also stops glibc from raising the threshold after
# the first big free, which otherwise keeps later decoded images in its heaps for good.
_M_MMAP_THRESHOLD = -3
_MMAP_THRESHOLD_BYTES = 1024 * 1024


def _glibc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
        libc.malloc_trim  # noqa: B018 - probing: only glibc has it
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to tune
        return None
    return libc


_LIBC = _glibc()
if _LIBC is not None:
    _LIBC.mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD_BYTES)


class BoundedWorkers:
    def __init__(self, size: int = 2, *, name: str = "photos") -> None:
        self.size = size
        self._pool = ThreadPoolExecutor(max_workers=size, thread_name_prefix=name)
        self._in_flight = 0
        self._lock = threading.Lock()
        self.pending = 0  # jobs submitted and not finished, running or waiting for a worker

    def _run(self, function: Callable[[], T]) -> T:
        with self._lock:
            self._in_flight += 1
        try:
            return function()
        finally:
            with self._lock:
                self._in_flight -= 1
                last = self._in_flight == 0
            if last and _LIBC is not None:
                _LIBC.malloc_trim(0)

    async def run(self, function: Callable[[], T]) -> T:
        """Runs ``function`` on one of the workers; waits for a free one first."""
        loop = asyncio.get_running_loop()
        with self._lock:
            self.pending += 1
        try:
            return await loop.run_in_executor(self._pool, self._run, function)
        finally:
            with self._lock:
                self.pending -= 1

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
