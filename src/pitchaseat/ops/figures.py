"""Figures read at scrape time (from the database, a dependency's ping) handed to
prometheus_client, which only knows synchronous collectors.

The /metrics route awaits ``refresh()`` before rendering; ``collect()`` then serves the last
figures read. Scrapes within ``max_age_seconds`` of each other share one read, and a failed read
drops the figures (stale numbers would hide the very outage an alert should see) and says so in
``pas_figures_up``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from prometheus_client import CollectorRegistry, Counter
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

log = logging.getLogger(__name__)

READ_TIMEOUT_SECONDS = 3.0


@dataclass(frozen=True)
class Figure:
    name: str
    help: str
    value: float
    labels: dict[str, str] = field(default_factory=dict)
    kind: Literal["gauge", "counter"] = "gauge"


FigureReader = Callable[[], Awaitable[list[Figure]]]


def families(figures: Iterable[Figure]) -> Iterator[Metric]:
    """One metric family per name, in the order the names first appear."""
    grouped: dict[str, list[Figure]] = {}
    for figure in figures:
        grouped.setdefault(figure.name, []).append(figure)
    for name, samples in grouped.items():
        first = samples[0]
        label_names = sorted(first.labels)
        family: GaugeMetricFamily | CounterMetricFamily
        if first.kind == "counter":
            family = CounterMetricFamily(name, first.help, labels=label_names)
        else:
            family = GaugeMetricFamily(name, first.help, labels=label_names)
        for sample in samples:
            family.add_metric([sample.labels[label] for label in label_names], sample.value)
        yield family


class FigureCollector(Collector):
    def __init__(
        self,
        registry: CollectorRegistry,
        *,
        max_age_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_age_seconds = max_age_seconds
        self._clock = clock
        self._figures: list[Figure] = []
        self._up = 0.0
        self._read_at: float | None = None
        self._lock = asyncio.Lock()
        self.failures = Counter(
            "pas_figures_read_failures_total",
            "Scrape-time reads of the marketplace figures that failed or timed out",
            registry=registry,
        )
        registry.register(self)

    def _fresh(self) -> bool:
        return self._read_at is not None and self._clock() - self._read_at < self.max_age_seconds

    async def refresh(self, read: FigureReader) -> None:
        if self._fresh():
            return
        async with self._lock:  # concurrent scrapes wait for one read instead of each reading
            if self._fresh():
                return
            try:
                self._figures = await asyncio.wait_for(read(), READ_TIMEOUT_SECONDS)
                self._up = 1.0
            except Exception:  # any failure: report it on /metrics, never fail the scrape
                log.warning("reading the marketplace figures failed", exc_info=True)
                self.failures.inc()
                self._figures, self._up = [], 0.0
            self._read_at = self._clock()

    def collect(self) -> Iterator[Metric]:
        yield from families(
            [
                Figure(
                    "pas_figures_up",
                    "1 when the last scrape-time read of the marketplace figures worked",
                    self._up,
                ),
                *self._figures,
            ]
        )
