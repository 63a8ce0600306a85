from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Response, UploadFile, status

from pitchaseat.accounts.deps import CurrentUser, OptionalUser
from pitchaseat.listings import browse, photo_service, read_model, service
from pitchaseat.listings.cache import page_key
from pitchaseat.listings.deps import ListingPagesDep, OwnedListing, StorageDep
from pitchaseat.listings.models import MAX_FACE_VALUE, ListingStatus
from pitchaseat.listings.photos import MAX_UPLOAD_BYTES
from pitchaseat.listings.presenters import image_out, listing_out
from pitchaseat.listings.schemas import ImageOut, ListingCreate, ListingOut, ListingUpdate
from pitchaseat.listings.sorting import ListingSort
from pitchaseat.timeutil import utcnow
from pitchaseat.web.deps import SessionDep
from pitchaseat.web.openapi import error_responses
from pitchaseat.web.pagination import Page, PageDep
from pitchaseat.web.params import IdPath

router = APIRouter(prefix="/api/v1", tags=["listings"])

PriceQuery = Annotated[int | None, Query(ge=0, le=MAX_FACE_VALUE)]
SeatAreaQuery = Annotated[
    list[Annotated[str, Query(min_length=1, max_length=32)]] | None,
    Query(max_length=20, description="Seat area code; repeat for several"),
]
JSON = "application/json"


@router.post(
    "/listings",
    status_code=status.HTTP_201_CREATED,
    response_model=ListingOut,
    responses=error_responses(401, 403, 404, 409, 422),
)
async def create_listing(
    body: ListingCreate,
    seller: CurrentUser,
    session: SessionDep,
    storage: StorageDep,
) -> ListingOut:
    listing = await service.create_listing(
        session,
        seller,
        service.NewListing(**body.model_dump()),
    )
    return listing_out(listing, storage)


@router.get("/listings/{listing_id}", response_model=ListingOut, responses=error_responses(404))
async def get_listing(
    listing_id: IdPath, viewer: OptionalUser, session: SessionDep, storage: StorageDep
) -> ListingOut:
    return listing_out(await service.visible_listing(session, listing_id, viewer), storage)


@router.patch(
    "/listings/{listing_id}",
    response_model=ListingOut,
    responses=error_responses(401, 403, 404, 409, 422),
)
async def update_listing(
    body: ListingUpdate,
    listing: OwnedListing,
    session: SessionDep,
    storage: StorageDep,
) -> ListingOut:
    updated = await service.update_listing(
        session, listing, price=body.price, quantity=body.quantity, note=body.note
    )
    return listing_out(updated, storage)


@router.delete(
    "/listings/{listing_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(401, 403, 404, 409),
)
async def withdraw_listing(listing: OwnedListing, session: SessionDep) -> Response:
    await service.withdraw_listing(session, listing)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/listings/{listing_id}/images",
    status_code=status.HTTP_201_CREATED,
    response_model=ImageOut,
    responses=error_responses(401, 403, 404, 409, 413, 415, 422),
)
async def upload_image(
    listing: OwnedListing,
    session: SessionDep,
    storage: StorageDep,
    file: Annotated[UploadFile, File(description="JPEG, PNG or WebP, at most 8 MiB")],
) -> ImageOut:
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    image = await photo_service.attach_photo(session, listing, data, storage=storage)
    return image_out(image, storage)


@router.get(
    "/games/{game_id}/listings",
    response_model=Page[ListingOut],
    responses=error_responses(404, 422),
)
async def game_listings(
    game_id: IdPath,
    session: SessionDep,
    pages: ListingPagesDep,
    storage: StorageDep,
    page: PageDep,
    sort: ListingSort = ListingSort.newest,
    seat_area: SeatAreaQuery = None,
    min_price: PriceQuery = None,
    max_price: PriceQuery = None,
    quantity: Annotated[int | None, Query(ge=1, le=10)] = None,
) -> Response:
    areas = sorted(set(seat_area or ()))
    cache_key = page_key(
        sort=sort.value,
        seat_areas=areas,
        min_price=min_price,
        max_price=max_price,
        quantity=quantity,
        page=page.page,
        page_size=page.page_size,
    )
    cached = await pages.get(game_id, cache_key)
    if cached is not None:
        return Response(cached, media_type=JSON)
    generation = await pages.generation(game_id)
    result = await read_model.game_listing_page(
        session,
        game_id,
        storage,
        sort=sort,
        filters=read_model.BrowseFilters(areas, min_price, max_price, quantity),
        page=page.page,
        page_size=page.page_size,
    )
    body = result.to_json()
    if result.game_starts_at is not None:
        seconds_to_start = (result.game_starts_at - utcnow()).total_seconds()
        await pages.put(game_id, cache_key, body, generation=generation, max_age=seconds_to_start)
    return Response(body, media_type=JSON)


@router.get("/users/me/listings", response_model=Page[ListingOut], responses=error_responses(401))
async def my_listings(
    seller: CurrentUser,
    session: SessionDep,
    storage: StorageDep,
    page: PageDep,
    status: ListingStatus | None = None,
) -> Page[ListingOut]:
    result = await browse.seller_listings(
        session, seller, status=status, offset=page.offset, limit=page.page_size
    )
    return Page(
        items=[listing_out(listing, storage) for listing in result.listings],
        page=page.page,
        page_size=page.page_size,
        total=result.total,
    )
