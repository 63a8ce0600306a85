"""The circuit breaker: open after failures in a row, one trial after the pause, closed
again by a success."""

from __future__ import annotations

from pitchaseat.adapters.breaker import CircuitBreaker


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _failing_breaker(clock: Clock) -> CircuitBreaker:
    breaker = CircuitBreaker("redis", failure_threshold=3, reset_seconds=5, clock=clock)
    for _ in range(3):
        breaker.record_failure(ConnectionError("refused"))
    return breaker


def test_failures_in_a_row_open_the_breaker_and_refuse_calls() -> None:
    breaker = _failing_breaker(Clock())

    assert breaker.state == "open"
    assert not breaker.allow()
    assert breaker.status().last_error == "ConnectionError: refused"


def test_a_success_between_failures_keeps_it_closed() -> None:
    breaker = CircuitBreaker("redis", failure_threshold=3)
    breaker.record_failure(ConnectionError())
    breaker.record_failure(ConnectionError())
    breaker.record_success()
    breaker.record_failure(ConnectionError())

    assert breaker.state == "closed"


def test_after_the_pause_one_trial_goes_through_and_its_success_closes() -> None:
    clock = Clock()
    breaker = _failing_breaker(clock)
    clock.now = 5.0

    first, second = breaker.allow(), breaker.allow()
    breaker.record_success()

    assert (first, second) == (True, False)  # one trial at a time
    assert breaker.state == "closed"
    assert breaker.allow()


def test_a_failed_trial_opens_it_for_another_pause() -> None:
    clock = Clock()
    breaker = _failing_breaker(clock)
    clock.now = 5.0
    assert breaker.allow()

    breaker.record_failure(TimeoutError())
    clock.now = 9.0

    assert breaker.state == "open"
    assert not breaker.allow()


async def test_call_returns_the_fallback_while_open_without_calling() -> None:
    breaker = _failing_breaker(Clock())
    calls = 0

    async def operation() -> str:
        nonlocal calls
        calls += 1
        return "value"

    assert await breaker.call(operation, fallback="fallback") == "fallback"
    assert calls == 0
