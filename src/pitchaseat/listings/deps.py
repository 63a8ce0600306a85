"""Listing dependencies: the page cache, the image storage, and the owner's listing."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from pitchaseat.accounts.deps import CurrentUser
from pitchaseat.adapters.storage import ImageStorage
from pitchaseat.listings import service
from pitchaseat.listings.cache import ListingPageCache
from pitchaseat.listings.models import Listing
from pitchaseat.listings.photo_service import PhotoPipeline
from pitchaseat.web.deps import ServicesDep, SessionDep
from pitchaseat.web.params import IdPath


async def listing_pages(services: ServicesDep) -> ListingPageCache:
    return ListingPageCache(services.cache, enabled=services.settings.page_cache_enabled)


ListingPagesDep = Annotated[ListingPageCache, Depends(listing_pages)]


async def image_storage(services: ServicesDep) -> ImageStorage:
    return services.storage


StorageDep = Annotated[ImageStorage, Depends(image_storage)]


async def photo_pipeline(services: ServicesDep) -> PhotoPipeline:
    budget = services.settings.photo_memory_budget_mb * 1024 * 1024
    return PhotoPipeline.within(services.photo_workers, budget)


PhotoPipelineDep = Annotated[PhotoPipeline, Depends(photo_pipeline)]


async def owned_listing(listing_id: IdPath, user: CurrentUser, session: SessionDep) -> Listing:
    return await service.owned_listing(session, listing_id, user)


OwnedListing = Annotated[Listing, Depends(owned_listing)]
