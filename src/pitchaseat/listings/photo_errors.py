from __future__ import annotations

from pitchaseat.errors import DomainError


class PhotoTooLarge(DomainError):
    status = 413
    code = "photo_too_large"
    default_message = "The photo is too large (at most 8 MiB)."


class PhotoDimensionsTooLarge(PhotoTooLarge):
    code = "photo_dimensions_too_large"
    default_message = "The photo has too many pixels."


class UnsupportedPhoto(DomainError):
    status = 415
    code = "unsupported_photo_type"
    default_message = "Upload a JPEG, PNG or WebP photo."
