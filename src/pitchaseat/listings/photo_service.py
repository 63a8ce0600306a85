"""Attaching photos to a listing in two steps: ``PhotoPipeline.process`` decodes and
re-encodes the upload on the photo workers, before any transaction is open (on SQLite an
open write transaction locks the whole database); ``attach_photo`` then writes the row
first and the files after it, removing them again if the transaction does not commit."""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass
from functools import partial

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.adapters.storage import ImageStorage
from pitchaseat.adapters.workers import BoundedWorkers
from pitchaseat.aftercommit import Happening, announce
from pitchaseat.db import after_rollback
from pitchaseat.listings.errors import ListingNotEditable, TooManyPhotos
from pitchaseat.listings.models import Listing, ListingImage, ListingStatus
from pitchaseat.listings.photos import ProcessedPhoto, pixel_budget, process_photo

MAX_PHOTOS_PER_LISTING = 5


@dataclass(frozen=True)
class PhotoPipeline:
    workers: BoundedWorkers
    max_pixels: int

    @classmethod
    def within(cls, workers: BoundedWorkers, memory_budget_bytes: int) -> PhotoPipeline:
        return cls(workers, pixel_budget(memory_budget_bytes, workers.size))

    async def process(self, data: bytes) -> ProcessedPhoto:
        return await self.workers.run(partial(process_photo, data, max_pixels=self.max_pixels))


async def attach_photo(
    session: AsyncSession,
    listing: Listing,
    photo: ProcessedPhoto,
    *,
    storage: ImageStorage,
) -> ListingImage:
    # Serialise uploads to one listing so two at once cannot pass the photo limit; the
    # status is read under that lock, as the photo was processed outside any transaction.
    status = await session.scalar(
        select(Listing.status).where(Listing.id == listing.id).with_for_update()
    )
    if status not in (ListingStatus.active, ListingStatus.sold_out):
        raise ListingNotEditable(status=status.value if status else "missing")
    count = await session.scalar(
        select(func.count(ListingImage.id)).where(ListingImage.listing_id == listing.id)
    )
    if (count or 0) >= MAX_PHOTOS_PER_LISTING:
        raise TooManyPhotos(limit=MAX_PHOTOS_PER_LISTING)
    key = f"listings/{listing.id}/{secrets.token_hex(12)}"
    image = ListingImage(
        listing_id=listing.id,
        position=count or 0,
        storage_key=f"{key}.{photo.extension}",
        thumbnail_key=f"{key}-thumb.{photo.extension}",
        content_type=photo.content_type,
        width=photo.width,
        height=photo.height,
    )
    session.add(image)
    await session.flush()

    async def remove_files() -> None:
        await asyncio.gather(storage.delete(image.storage_key), storage.delete(image.thumbnail_key))

    after_rollback(session, remove_files)
    await storage.save(image.storage_key, photo.image, photo.content_type)
    await storage.save(image.thumbnail_key, photo.thumbnail, photo.content_type)
    announce(session, Happening.listings_changed, [listing.game_id])
    return image
