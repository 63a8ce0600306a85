"""Attaching photos to a listing: the database row first, then the files, removed again if
the transaction does not commit."""

from __future__ import annotations

import asyncio
import secrets

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.adapters.storage import ImageStorage
from pitchaseat.aftercommit import Happening, announce
from pitchaseat.db import after_rollback
from pitchaseat.listings.errors import ListingNotEditable, TooManyPhotos
from pitchaseat.listings.models import Listing, ListingImage, ListingStatus
from pitchaseat.listings.photos import process_photo

MAX_PHOTOS_PER_LISTING = 5


async def attach_photo(
    session: AsyncSession,
    listing: Listing,
    data: bytes,
    *,
    storage: ImageStorage,
) -> ListingImage:
    if listing.status not in (ListingStatus.active, ListingStatus.sold_out):
        raise ListingNotEditable(status=listing.status.value)
    # Serialise uploads to one listing so two at once cannot pass the photo limit.
    await session.execute(select(Listing.id).where(Listing.id == listing.id).with_for_update())
    count = await session.scalar(
        select(func.count(ListingImage.id)).where(ListingImage.listing_id == listing.id)
    )
    if (count or 0) >= MAX_PHOTOS_PER_LISTING:
        raise TooManyPhotos(limit=MAX_PHOTOS_PER_LISTING)
    photo = await asyncio.to_thread(process_photo, data)
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
