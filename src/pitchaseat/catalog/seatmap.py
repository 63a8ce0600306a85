"""A park's seat map, computed from its seat areas: each area a sector of the bowl.

The field sits in the middle with home plate at the bottom. Every side of the field (behind
the plate, first base, third base, the outfield corners and center) owns an arc of the bowl;
the areas on one side and deck share that arc in their map order, and a deck further up lies
further out. Templates draw the shapes as SVG; nothing here knows about HTML.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from pitchaseat.catalog.models import SeatAreaSide, SeatAreaZone

CENTER = 100.0  # the map's viewBox is 0 0 200 200
# Degrees clockwise from straight up (center field); home plate is at 180.
SIDE_ARCS: dict[SeatAreaSide, tuple[float, float]] = {
    SeatAreaSide.center_field: (-22.0, 22.0),
    SeatAreaSide.right: (22.0, 80.0),
    SeatAreaSide.first: (80.0, 157.0),
    SeatAreaSide.home: (157.0, 203.0),
    SeatAreaSide.third: (203.0, 280.0),
    SeatAreaSide.left: (280.0, 338.0),
}
LOWER_DECK = (54.0, 74.0)
UPPER_DECK = (77.0, 96.0)
OUTFIELD_STANDS = (58.0, 96.0)
GAP_DEGREES = 1.2
# Lowest asking price bands, cheapest first (viridis steps), with a readable count colour.
BAND_FILLS = ("#fde725", "#5ec962", "#21918c", "#3b528b")
BAND_TEXT = ("#1f2937", "#1f2937", "#ffffff", "#ffffff")
NO_LISTINGS_FILL = "#e5e7eb"
ZONE_ORDER = (SeatAreaZone.premium, SeatAreaZone.infield, SeatAreaZone.outfield)


class AreaLike(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def name_zh(self) -> str: ...
    @property
    def name_en(self) -> str: ...
    @property
    def zone(self) -> SeatAreaZone: ...
    @property
    def level(self) -> int: ...
    @property
    def side(self) -> SeatAreaSide: ...
    @property
    def face_value(self) -> int: ...
    @property
    def sort_order(self) -> int: ...


@dataclass(frozen=True)
class AreaShape:
    code: str
    name_zh: str
    name_en: str
    zone: SeatAreaZone
    level: int
    face_value: int
    path: str
    label_x: float
    label_y: float


@dataclass(frozen=True)
class AreaOffer:
    """What is on sale in one area of one game."""

    count: int
    lowest_price: int


@dataclass(frozen=True)
class MapArea:
    shape: AreaShape
    count: int
    lowest_price: int | None
    band: int | None  # 1 (cheapest) to len(BAND_FILLS); None without listings
    selected: bool

    @property
    def fill(self) -> str:
        return NO_LISTINGS_FILL if self.band is None else BAND_FILLS[self.band - 1]

    @property
    def text_fill(self) -> str:
        return "#374151" if self.band is None else BAND_TEXT[self.band - 1]


def _point(degrees: float, radius: float) -> tuple[float, float]:
    angle = math.radians(degrees)
    return CENTER + radius * math.sin(angle), CENTER - radius * math.cos(angle)


def sector_path(start: float, end: float, inner: float, outer: float) -> str:
    """An annular sector from ``start`` to ``end`` degrees, as an SVG path."""
    large = 1 if end - start > 180 else 0
    (x1, y1), (x2, y2) = _point(start, outer), _point(end, outer)
    (x3, y3), (x4, y4) = _point(end, inner), _point(start, inner)
    return (
        f"M{x1:.1f} {y1:.1f}A{outer:.0f} {outer:.0f} 0 {large} 1 {x2:.1f} {y2:.1f}"
        f"L{x3:.1f} {y3:.1f}A{inner:.0f} {inner:.0f} 0 {large} 0 {x4:.1f} {y4:.1f}Z"
    )


def _radii(area: AreaLike) -> tuple[float, float]:
    if area.zone is SeatAreaZone.outfield and area.level == 1:
        return OUTFIELD_STANDS
    return LOWER_DECK if area.level <= 1 else UPPER_DECK


def park_shapes(areas: Sequence[AreaLike]) -> list[AreaShape]:
    """One shape per area, in the areas' map order."""
    groups: dict[tuple[int, SeatAreaSide], list[AreaLike]] = defaultdict(list)
    for area in sorted(areas, key=lambda area: area.sort_order):
        groups[area.level, SeatAreaSide(area.side)].append(area)
    placed: dict[str, AreaShape] = {}
    for (_, side), members in groups.items():
        start, end = SIDE_ARCS[side]
        step = (end - start) / len(members)
        inner, outer = _radii(members[0])
        for index, area in enumerate(members):
            first, last = start + index * step + GAP_DEGREES / 2, start + (index + 1) * step
            label_x, label_y = _point((first + last) / 2, (inner + outer) / 2)
            placed[area.code] = AreaShape(
                code=area.code,
                name_zh=area.name_zh,
                name_en=area.name_en,
                zone=SeatAreaZone(area.zone),
                level=area.level,
                face_value=area.face_value,
                path=sector_path(first, last - GAP_DEGREES / 2, inner, outer),
                label_x=round(label_x, 1),
                label_y=round(label_y, 1),
            )
    return [placed[area.code] for area in sorted(areas, key=lambda area: area.sort_order)]


def price_bands(offers: Mapping[str, AreaOffer]) -> dict[str, int]:
    """Each area's band by its lowest price among the areas on sale: equal prices share a
    band, the cheapest is band 1 and the dearest the top band."""
    prices = sorted({offer.lowest_price for offer in offers.values()})
    if not prices:
        return {}
    bands = len(BAND_FILLS)
    band_of = {
        price: 1 if len(prices) == 1 else 1 + round(index * (bands - 1) / (len(prices) - 1))
        for index, price in enumerate(prices)
    }
    return {code: band_of[offer.lowest_price] for code, offer in offers.items()}


def game_map(
    shapes: Sequence[AreaShape], offers: Mapping[str, AreaOffer], selected: str | None = None
) -> list[MapArea]:
    bands = price_bands(offers)
    return [
        MapArea(
            shape=shape,
            count=offers[shape.code].count if shape.code in offers else 0,
            lowest_price=offers[shape.code].lowest_price if shape.code in offers else None,
            band=bands.get(shape.code),
            selected=shape.code == selected,
        )
        for shape in shapes
    ]


def by_zone(areas: Sequence[MapArea]) -> list[tuple[SeatAreaZone, list[MapArea]]]:
    """The map as a list: areas grouped by zone, premium first."""
    grouped: dict[SeatAreaZone, list[MapArea]] = defaultdict(list)
    for area in areas:
        grouped[area.shape.zone].append(area)
    return [(zone, grouped[zone]) for zone in ZONE_ORDER if grouped[zone]]
