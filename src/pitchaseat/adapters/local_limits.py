"""In-process moving-window rate limits: for each (window, key), the times of the hits still
inside the window. A hit is a few deque operations. The `limits` package's memory storage
was 10 % of the app's CPU under a checkout rush (its expiry sweep hands every key to a
thread); Redis, shared by every process, still goes through `limits`."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field

from limits import RateLimitItem

# Every this many hits, keys whose last hit left their window are dropped (memory stays
# proportional to the keys active within their windows).
_SWEEP_EVERY = 4096


@dataclass
class _Window:
    seconds: float
    hits: deque[float] = field(default_factory=deque)

    def forget_before(self, now: float) -> None:
        start = now - self.seconds
        hits = self.hits
        while hits and hits[0] <= start:
            hits.popleft()


class LocalMovingWindows:
    def __init__(self) -> None:
        self._windows: dict[str, _Window] = {}
        self._hits_since_sweep = 0

    def hit(self, item: RateLimitItem, *key: str) -> tuple[bool, float]:
        """Counts one hit; returns (allowed, seconds until the window has room again)."""
        now = time.monotonic()
        # Before this key's window is looked up: a sweep must not drop the window in use.
        self._sweep_now_and_then(now)
        name = item.key_for(*key)
        window = self._windows.get(name)
        if window is None:
            window = self._windows[name] = _Window(float(item.get_expiry()))
        window.forget_before(now)
        if len(window.hits) >= item.amount:
            return False, window.hits[0] + window.seconds - now
        window.hits.append(now)
        return True, 0.0

    def _sweep_now_and_then(self, now: float) -> None:
        self._hits_since_sweep += 1
        if self._hits_since_sweep < _SWEEP_EVERY:
            return
        self._hits_since_sweep = 0
        for name in [
            n for n, w in self._windows.items() if not w.hits or w.hits[-1] <= now - w.seconds
        ]:
            del self._windows[name]

    def reset(self) -> None:
        self._windows.clear()
