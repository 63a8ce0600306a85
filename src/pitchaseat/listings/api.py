from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Response, UploadFile, status

from pitchaseat.accounts.deps import CurrentUser, OptionalUser
from pitchaseat.db import release_connection
from pitchaseat.listings import browse, photo_service, service
from pitchaseat.listings.deps import OwnedListing, PhotoPipelineDep, StorageDep
from pitchaseat.listings.fast_path import ListingQuery, listing_page_bytes
from pitchaseat.listings.models import MAX_FACE_VALUE, ListingStatus
from pitchaseat.listings.photos import MAX_UPLOAD_BYTES
from pitchaseat.listings.presenters import image_out, listing_out
from pitchaseat.listings.schemas import ImageOut, ListingCreate, ListingOut, ListingUpdate
from pitchaseat.listings.sorting import ListingSort
from pitchaseat.textinput import OneLine
from pitchaseat.web.deps import ServicesDep, SessionDep
from pitchaseat.web.openapi import error_responses
from pitchaseat.web.pagination import Page, PageDep
from pitchaseat.web.params import IdPath

router = APIRouter(prefix="/api/v1", tags=["listings"])

PriceQuery = Annotated[int | None, Query(ge=0, le=MAX_FACE_VALUE)]
SeatAreaQuery = Annotated[
    list[Annotated[str, Query(min_length=1, max_length=32), OneLine]] | None,
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
    photos: PhotoPipelineDep,
    file: Annotated[UploadFile, File(description="JPEG, PNG or WebP, at most 8 MiB")],
) -> ImageOut:
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    # Decoded with no transaction open (on SQLite it would hold the database's write lock).
    await release_connection(session)
    photo = await photos.process(data)
    image = await photo_service.attach_photo(session, listing, photo, storage=storage)
    return image_out(image, storage)


@router.get(
    "/games/{game_id}/listings",
    response_model=Page[ListingOut],
    responses=error_responses(404, 422),
)
async def game_listings(
    game_id: IdPath,
    services: ServicesDep,
    page: PageDep,
    sort: ListingSort = ListingSort.newest,
    seat_area: SeatAreaQuery = None,
    min_price: PriceQuery = None,
    max_price: PriceQuery = None,
    quantity: Annotated[int | None, Query(ge=1, le=10)] = None,
) -> Response:
    # Valid queries are answered by the edge layer before they get here; this route is the
    # one that validates, explains refusals and documents the API.
    query = ListingQuery(
        sort=sort,
        seat_areas=tuple(sorted(set(seat_area or ()))),
        min_price=min_price,
        max_price=max_price,
        quantity=quantity,
        page=page.page,
        page_size=page.page_size,
    )
    return Response(await listing_page_bytes(services, game_id, query), media_type=JSON)


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
