"""CPU- and memory-heavy work (decoding photos) on a few threads of its own.

At most ``size`` jobs run at once in a process, so a burst of uploads costs a known amount
of memory (the pixel budget, ``listings.photos``) and leaves the event loop's default
threads free.

glibc keeps what a burst freed in its heaps and reuses it for the next burst, so the
process stays near its peak but never grows past it. Giving the memory back at once
(``mallopt(M_MMAP_THRESHOLD)`` or ``malloc_trim``, tried before) made the app crash with a
segmentation fault within minutes of the soak (bench/soak.py), on SQLite and PostgreSQL,
with or without photo uploads: freed large blocks were unmapped at once, and something in
the process still read one. Without them, two soaks of 4 and 6 minutes ran clean.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


class BoundedWorkers:
    def __init__(self, size: int = 2, *, name: str = "photos") -> None:
        self.size = size
        self._pool = ThreadPoolExecutor(max_workers=size, thread_name_prefix=name)
        self._lock = threading.Lock()
        self.pending = 0  # jobs submitted and not finished, running or waiting for a worker

    async def run(self, function: Callable[[], T]) -> T:
        """Runs ``function`` on one of the workers; waits for a free one first."""
        loop = asyncio.get_running_loop()
        with self._lock:
            self.pending += 1
        try:
            return await loop.run_in_executor(self._pool, function)
        finally:
            with self._lock:
                self.pending -= 1

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
