"""Seat-view pictures for the demo listings, drawn with Pillow at demo time (no downloads):
the field as seen from the listing's side of the park, in the home club's colour."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw

from pitchaseat.catalog.models import SeatAreaSide

WIDTH, HEIGHT = 640, 400
# Where home plate appears from each side: behind the plate it is straight ahead and near.
PLATE_X = {
    SeatAreaSide.home: 0.5,
    SeatAreaSide.first: 0.3,
    SeatAreaSide.third: 0.7,
    SeatAreaSide.right: 0.15,
    SeatAreaSide.left: 0.85,
    SeatAreaSide.center_field: 0.5,
}


def _hex(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def seat_view(side: SeatAreaSide, level: int, team_color: str, seed: int) -> bytes:
    """A JPEG of the field from an area: nearer the plate from the lower deck, the outfield
    wall across the top, the crowd opposite in the home club's colour."""
    rng = random.Random(seed)
    image = Image.new("RGB", (WIDTH, HEIGHT), (135, 190, 235))
    draw = ImageDraw.Draw(image)
    horizon = 120 + (30 if level > 1 else 0)
    crowd = _hex(team_color)
    draw.rectangle((0, horizon - 60, WIDTH, horizon), fill=crowd)
    for _ in range(260):  # faces in the far stands
        x, y = rng.randrange(WIDTH), rng.randrange(horizon - 58, horizon - 2)
        shade = rng.choice(((250, 250, 250), (30, 30, 30), (240, 200, 160)))
        draw.point((x, y), fill=shade)
    draw.rectangle((0, horizon, WIDTH, HEIGHT), fill=(58, 140, 70))
    draw.rectangle((0, horizon, WIDTH, horizon + 8), fill=(20, 70, 40))  # outfield wall
    plate_x = int(WIDTH * PLATE_X[side])
    plate_y = HEIGHT - 40 if side is SeatAreaSide.home else HEIGHT - 90
    spread = 260 if level == 1 else 200
    second = (WIDTH // 2 + (plate_x - WIDTH // 2) // 3, horizon + 70)
    first = (plate_x + spread // 2 + 40, (plate_y + second[1]) // 2)
    third = (plate_x - spread // 2 - 40, (plate_y + second[1]) // 2)
    draw.polygon([(plate_x, plate_y), first, second, third], fill=(196, 150, 100))
    for base in (first, second, third):
        draw.rectangle((base[0] - 5, base[1] - 4, base[0] + 5, base[1] + 4), fill="white")
    draw.polygon(
        [(plate_x - 6, plate_y), (plate_x + 6, plate_y), (plate_x, plate_y + 6)], fill="white"
    )
    # The seat backs in front of the viewer.
    draw.rectangle((0, HEIGHT - 22, WIDTH, HEIGHT), fill=(70, 70, 80))
    for x in range(10, WIDTH, 46):
        draw.rounded_rectangle((x, HEIGHT - 34, x + 36, HEIGHT - 8), 6, fill=(40, 40, 50))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()
