"""The scrape-time collector: one read per max age, and a failed read reported, not raised."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, generate_latest

from pitchaseat.ops.figures import Figure, FigureCollector


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Reader:
    def __init__(self) -> None:
        self.reads = 0
        self.fail = False

    async def __call__(self) -> list[Figure]:
        self.reads += 1
        if self.fail:
            raise ConnectionError("database went away")
        return [Figure("pas_orders", "Orders by status", self.reads, {"status": "paid"})]


def exported(registry: CollectorRegistry) -> str:
    return generate_latest(registry).decode()


async def test_scrapes_within_the_max_age_share_one_read() -> None:
    registry, clock, read = CollectorRegistry(), Clock(), Reader()
    collector = FigureCollector(registry, max_age_seconds=5, clock=clock)

    await collector.refresh(read)
    clock.now += 4
    await collector.refresh(read)
    shared = read.reads
    clock.now += 2
    await collector.refresh(read)

    assert shared == 1
    assert read.reads == 2
    assert 'pas_orders{status="paid"} 2.0' in exported(registry)


async def test_a_failed_read_drops_the_figures_and_says_so() -> None:
    registry, clock, read = CollectorRegistry(), Clock(), Reader()
    collector = FigureCollector(registry, max_age_seconds=0, clock=clock)
    await collector.refresh(read)

    read.fail = True
    await collector.refresh(read)
    text = exported(registry)

    assert "pas_figures_up 0.0" in text
    assert "pas_figures_read_failures_total 1.0" in text
    assert "pas_orders{" not in text
