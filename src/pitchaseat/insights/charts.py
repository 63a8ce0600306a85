"""Pure geometry for the server-drawn SVG charts: numbers in, coordinates out.

The templates draw the shapes; every chart has a fixed viewBox and is scaled to the width of
the screen, so these units are "viewBox units", about 0.88 CSS pixel on a 360 px phone: text
is drawn at 14 units so that it stays at 12 px or more there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

CHART_WIDTH = 360
LABEL_WIDTH = 112
VALUE_WIDTH = 64
ROW_HEIGHT = 32
BAR_ROW_HEIGHT = 48
BAR_HEIGHT = 18
TOP = 8


def nice_ceiling(value: int) -> int:
    """The smallest 1, 2 or 5 times a power of ten that is at least ``value`` (at least 1)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def _scale(value: int, top: int, span: float) -> float:
    return round(value / top * span, 1) if top else 0.0


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    color: str
    label_y: float
    y: float
    width: float


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars, each under its label (long names fit a phone), value after the bar."""

    bars: list[Bar]
    height: int
    width: int = CHART_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def is_empty(self) -> bool:
        """Nothing to draw: no bars, or only zeros (the page says so instead)."""
        return not any(bar.value for bar in self.bars)


def bar_chart(items: Sequence[tuple[str, int, str]]) -> BarChart:
    """``items`` are (label, value, colour), drawn top to bottom in the given order."""
    top = nice_ceiling(max((value for _label, value, _color in items), default=0))
    span = CHART_WIDTH - VALUE_WIDTH
    bars = [
        Bar(
            label,
            value,
            color,
            label_y=TOP + index * BAR_ROW_HEIGHT + 14,
            y=TOP + index * BAR_ROW_HEIGHT + 21,
            width=_scale(value, top, span),
        )
        for index, (label, value, color) in enumerate(items)
    ]
    return BarChart(bars=bars, height=TOP * 2 + BAR_ROW_HEIGHT * len(items))


@dataclass(frozen=True)
class PriceRange:
    label: str
    y: float
    min_x: float
    median_x: float
    max_x: float
    face_x: float


@dataclass(frozen=True)
class RangeChart:
    """One row per seat area: a line from the lowest to the highest asking price, a dot at
    the median and a tick at the median face value, on one shared price axis."""

    rows: list[PriceRange]
    ticks: list[tuple[float, int]]
    height: int
    axis_y: float
    width: int = CHART_WIDTH
    label_width: int = LABEL_WIDTH


def range_chart(items: Sequence[tuple[str, int, int, int, int]]) -> RangeChart:
    """``items`` are (label, min, median, max, face value)."""
    top = nice_ceiling(max((max(row[1:]) for row in items), default=0))
    left = LABEL_WIDTH
    span = CHART_WIDTH - LABEL_WIDTH - 16

    def x(value: int) -> float:
        return left + _scale(value, top, span)

    rows = [
        PriceRange(
            label, TOP + index * ROW_HEIGHT + ROW_HEIGHT / 2, x(low), x(mid), x(high), x(face)
        )
        for index, (label, low, mid, high, face) in enumerate(items)
    ]
    axis_y = TOP + ROW_HEIGHT * len(items)
    ticks = [(x(top * part // 4), top * part // 4) for part in range(5)]
    return RangeChart(rows=rows, ticks=ticks, height=int(axis_y) + 24, axis_y=axis_y)


@dataclass(frozen=True)
class Point:
    label: str
    value: int
    x: float
    y: float


@dataclass(frozen=True)
class LineChart:
    """Values over time, evenly spaced left to right, with a 0-based price axis."""

    points: list[Point]
    polyline: str
    ticks: list[tuple[float, int]]
    height: int
    baseline: float
    width: int = CHART_WIDTH
    left: int = 48


def line_chart(items: Sequence[tuple[str, int]], *, height: int = 160) -> LineChart:
    """``items`` are (label, value) in time order."""
    left, right, bottom = 48, CHART_WIDTH - 16, height - 28
    top = nice_ceiling(max((value for _label, value in items), default=0))
    span_y = bottom - TOP
    step = (right - left) / (len(items) - 1) if len(items) > 1 else 0.0
    points = [
        Point(
            label,
            value,
            round(left + step * index if len(items) > 1 else (left + right) / 2, 1),
            round(bottom - _scale(value, top, span_y), 1),
        )
        for index, (label, value) in enumerate(items)
    ]
    ticks = [
        (round(bottom - _scale(top * part // 2, top, span_y), 1), top * part // 2)
        for part in range(3)
    ]
    return LineChart(
        points=points,
        polyline=" ".join(f"{point.x},{point.y}" for point in points),
        ticks=ticks,
        height=height,
        baseline=bottom,
    )
