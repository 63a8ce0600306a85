from __future__ import annotations

import io

import pytest
from PIL import Image

from pitchaseat.listings.photo_errors import (
    PhotoDimensionsTooLarge,
    PhotoTooLarge,
    UnsupportedPhoto,
)
from pitchaseat.listings.photos import (
    MAX_STORED_EDGE,
    MAX_UPLOAD_BYTES,
    THUMBNAIL_SIZE,
    ProcessedPhoto,
    pixel_budget,
    process_photo,
)

MAX_PIXELS = pixel_budget(256 * 1024 * 1024, 2)


def process(data: bytes) -> ProcessedPhoto:
    return process_photo(data, max_pixels=MAX_PIXELS)


def encoded(
    kind: str, size: tuple[int, int] = (1200, 800), mode: str = "RGB", **save: object
) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, (180, 40, 40) if mode == "RGB" else 0).save(buffer, kind, **save)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("kind", "content_type"),
    [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")],
)
def test_valid_photos_are_accepted_with_a_thumbnail(kind: str, content_type: str) -> None:
    photo = process(encoded(kind))

    assert photo.content_type == content_type
    assert (photo.width, photo.height) == (1200, 800)
    thumbnail = Image.open(io.BytesIO(photo.thumbnail))
    assert thumbnail.format == kind
    assert max(thumbnail.size) <= max(THUMBNAIL_SIZE)


def test_type_comes_from_the_bytes() -> None:
    assert process(encoded("PNG")).extension == "png"


@pytest.mark.parametrize("data", [b"just some text, named photo.png", b"GIF89a" + b"\0" * 40, b""])
def test_non_images_are_refused(data: bytes) -> None:
    with pytest.raises(UnsupportedPhoto):
        process(data)


def test_gif_is_refused_even_though_it_is_an_image() -> None:
    with pytest.raises(UnsupportedPhoto):
        process(encoded("GIF", mode="P"))


def test_truncated_jpeg_is_refused() -> None:
    data = encoded("JPEG")

    with pytest.raises(UnsupportedPhoto):
        process(data[: len(data) // 3])


def test_oversized_upload_is_refused() -> None:
    with pytest.raises(PhotoTooLarge) as refused:
        process(encoded("JPEG", (10, 10)) + b"\0" * MAX_UPLOAD_BYTES)

    assert refused.value.code == "photo_too_large"


def test_decompression_bomb_is_refused() -> None:
    bomb = encoded("PNG", (12_000, 12_000), mode="1", optimize=True)
    assert len(bomb) < 100_000

    with pytest.raises(PhotoDimensionsTooLarge) as refused:
        process(bomb)

    assert refused.value.code == "photo_dimensions_too_large"
    assert refused.value.status == 413


def test_gps_exif_is_stripped_and_orientation_applied() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees when shown
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825).update({1: "N", 2: (25.0, 2.0, 30.0), 3: "E", 4: (121.0, 33.0, 45.0)})
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), (0, 90, 200)).save(buffer, "JPEG", exif=exif)

    photo = process(buffer.getvalue())

    cleaned = Image.open(io.BytesIO(photo.image))
    assert not cleaned.getexif()
    assert b"Exif" not in photo.image
    assert cleaned.size == (10, 20)


def test_a_png_whose_pixels_exceed_the_budget_is_refused_before_decoding() -> None:
    side = int(MAX_PIXELS**0.5) + 1
    small_file = encoded("PNG", (side, side), mode="1", optimize=True)

    with pytest.raises(PhotoDimensionsTooLarge) as refused:
        process(small_file)

    assert refused.value.status == 413
    assert refused.value.details == {"width": side, "height": side, "max_pixels": MAX_PIXELS}


def test_a_large_jpeg_is_scaled_down_while_decoding_and_stored_bounded() -> None:
    side = int(MAX_PIXELS**0.5) + 200  # over the budget at full size, fine at 1/2
    photo = process(encoded("JPEG", (side, side // 2), quality=50))

    assert max(photo.width, photo.height) == MAX_STORED_EDGE
    assert Image.open(io.BytesIO(photo.image)).size == (photo.width, photo.height)
