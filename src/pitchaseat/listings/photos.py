"""Photo processing: the real type from the bytes, bombs refused, every piece of metadata
(EXIF with GPS, XMP, comments) dropped by re-encoding, and a thumbnail made.

Blocking and CPU-bound: callers run it in a thread.
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
MAX_PIXELS = 40_000_000
THUMBNAIL_SIZE = (480, 480)

_FORMATS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "JPEG": ("image/jpeg", "jpg", {"quality": 85, "optimize": True}),
    "PNG": ("image/png", "png", {"optimize": True}),
    "WEBP": ("image/webp", "webp", {"quality": 85}),
}

# Pillow's own guard raises above twice this; we check the size ourselves first.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


@dataclass(frozen=True)
class ProcessedPhoto:
    image: bytes
    thumbnail: bytes
    content_type: str
    extension: str
    width: int
    height: int


def _open(data: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in _FORMATS:
                raise UnsupportedPhoto(detected=image.format)
            if image.width * image.height > MAX_PIXELS:
                raise PhotoDimensionsTooLarge(width=image.width, height=image.height)
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


def process_photo(data: bytes) -> ProcessedPhoto:
    if not data:
        raise UnsupportedPhoto("The file is empty.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise PhotoTooLarge(limit_bytes=MAX_UPLOAD_BYTES)
    original = _open(data)
    image_format = str(original.format)
    upright = ImageOps.exif_transpose(original)
    content_type, extension, _ = _FORMATS[image_format]
    thumbnail = upright.copy()
    thumbnail.thumbnail(THUMBNAIL_SIZE)
    return ProcessedPhoto(
        image=_encode(upright, image_format),
        thumbnail=_encode(thumbnail, image_format),
        content_type=content_type,
        extension=extension,
        width=upright.width,
        height=upright.height,
    )
