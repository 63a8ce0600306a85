"""Photo processing: the real type from the bytes, bombs refused, every piece of metadata
(EXIF with GPS, XMP, comments) dropped by re-encoding, and a thumbnail made.

Memory is bounded: the header's dimensions are checked against a pixel budget before any
pixel is decoded (JPEGs are first scaled down while decoding, which costs nothing), and what
is kept is at most ``MAX_STORED_EDGE`` pixels on its long side.

Blocking and CPU-bound: callers run it on the photo workers (``photo_service``).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError

from pitchaseat.listings.photo_errors import (
    PhotoDimensionsTooLarge,
    PhotoTooLarge,
    UnsupportedPhoto,
)

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
# What a header may declare at all; JPEGs this large still decode small (draft mode).
MAX_HEADER_PIXELS = 100_000_000
# Stored photos are at most this on their long side: plenty to read a ticket on a phone.
MAX_STORED_EDGE = 2560
THUMBNAIL_SIZE = (480, 480)
# Pillow keeps every mode we accept in at most 4 bytes a pixel, and while a photo is made
# two full-size images are alive at once (the decoded one and the one made from it).
BYTES_PER_DECODED_PIXEL = 4 * 2

_FORMATS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "JPEG": ("image/jpeg", "jpg", {"quality": 85, "optimize": True}),
    "PNG": ("image/png", "png", {"optimize": True}),
    "WEBP": ("image/webp", "webp", {"quality": 85}),
}

# Pillow's own guard (a warning above this, which _open turns into an error).
Image.MAX_IMAGE_PIXELS = MAX_HEADER_PIXELS


def pixel_budget(memory_budget_bytes: int, workers: int) -> int:
    """How many decoded pixels one photo may have so that ``workers`` photos processed at
    once fit in ``memory_budget_bytes``."""
    return memory_budget_bytes // max(1, workers) // BYTES_PER_DECODED_PIXEL


@dataclass(frozen=True)
class ProcessedPhoto:
    image: bytes
    thumbnail: bytes
    content_type: str
    extension: str
    width: int
    height: int


def _open(data: bytes, max_pixels: int) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in _FORMATS:
                raise UnsupportedPhoto(detected=image.format)
            if image.format == "JPEG":
                # Decodes at 1/2, 1/4 or 1/8 scale when that still covers what we keep.
                image.draft(None, (MAX_STORED_EDGE, MAX_STORED_EDGE))
            if image.width * image.height > max_pixels:
                raise PhotoDimensionsTooLarge(
                    width=image.width, height=image.height, max_pixels=max_pixels
                )
            image.load()
            return image
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise PhotoDimensionsTooLarge() from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise UnsupportedPhoto() from error


def _encode(image: Image.Image, image_format: str) -> bytes:
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif image_format in ("PNG", "WEBP") and image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    buffer = io.BytesIO()
    # A fresh image carries no info dict, so nothing (EXIF, XMP, ICC, comments) is copied.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    clean.save(buffer, image_format, **_FORMATS[image_format][2])
    return buffer.getvalue()


def process_photo(data: bytes, *, max_pixels: int) -> ProcessedPhoto:
    if not data:
        raise UnsupportedPhoto("The file is empty.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise PhotoTooLarge(limit_bytes=MAX_UPLOAD_BYTES)
    original = _open(data, max_pixels)
    image_format = str(original.format)
    if max(original.size) > MAX_STORED_EDGE:
        original.thumbnail((MAX_STORED_EDGE, MAX_STORED_EDGE))  # in place: frees the big one
    ImageOps.exif_transpose(original, in_place=True)
    upright = original
    content_type, extension, _ = _FORMATS[image_format]
    fits = upright.width <= THUMBNAIL_SIZE[0] and upright.height <= THUMBNAIL_SIZE[1]
    # Resized straight from the photo (no full-size copy first); never enlarged.
    thumbnail = upright.copy() if fits else ImageOps.contain(upright, THUMBNAIL_SIZE)
    return ProcessedPhoto(
        image=_encode(upright, image_format),
        thumbnail=_encode(thumbnail, image_format),
        content_type=content_type,
        extension=extension,
        width=upright.width,
        height=upright.height,
    )
