"""The in-process moving window: counts per key, frees room as hits age out, forgets idle keys."""

from __future__ import annotations

import pytest
from limits import parse

from pitchaseat.adapters import local_limits
from pitchaseat.adapters.local_limits import LocalMovingWindows
from pitchaseat.adapters.ratelimit import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(local_limits.time, "monotonic", clock)
    return clock


def test_the_window_moves_hit_by_hit(clock: Clock) -> None:
    windows = LocalMovingWindows()
    three_a_minute = parse("3/minute")

    for second in (0, 20, 40):
        clock.now = 1000.0 + second
        assert windows.hit(three_a_minute, "login", "fan@example.com") == (True, 0.0)
    clock.now = 1050.0
    assert windows.hit(three_a_minute, "login", "fan@example.com") == (False, 10.0)
    # Another key has its own window.
    assert windows.hit(three_a_minute, "login", "other@example.com")[0]
    # The first hit leaves the window 60 s after it was made, and only that one.
    clock.now = 1060.5
    assert windows.hit(three_a_minute, "login", "fan@example.com")[0]
    assert not windows.hit(three_a_minute, "login", "fan@example.com")[0]


def test_keys_idle_past_their_window_are_forgotten(
    clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(local_limits, "_SWEEP_EVERY", 10)
    windows = LocalMovingWindows()
    per_second = parse("1/second")
    for n in range(9):
        windows.hit(per_second, "hold", str(n))
    clock.now += 5
    windows.hit(per_second, "hold", "last")

    assert len(windows._windows) == 1


async def test_growing_delays_across_several_windows(clock: Clock) -> None:
    limiter = RateLimiter()
    rule = "2/minute;3/hour"

    answers = []
    for minute in range(4):
        clock.now = 1000.0 + 61 * minute
        answers.append([(await limiter.hit(rule, "ip", "203.0.113.5")) for _ in range(2)])

    assert [[check.allowed for check in pair] for pair in answers] == [
        [True, True],
        [True, False],
        [False, False],
        [False, False],
    ]
    refused = answers[2][0]
    # The hour's window has room again an hour after its first hit.
    assert refused.retry_after_seconds == 3600 - 2 * 61
