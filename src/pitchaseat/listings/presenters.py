"""Listings shaped for the API and pages (image keys become URLs through the storage)."""

from __future__ import annotations

from pitchaseat.adapters.storage import ImageStorage
from pitchaseat.listings.models import Listing, ListingImage
from pitchaseat.listings.rules import discount_percent
from pitchaseat.listings.schemas import ImageOut, ListingOut, SeatAreaBrief, SellerOut


def image_out(image: ListingImage, storage: ImageStorage) -> ImageOut:
    return ImageOut(
        id=image.id,
        url=storage.url(image.storage_key),
        thumbnail_url=storage.url(image.thumbnail_key),
    )


def listing_out(listing: Listing, storage: ImageStorage) -> ListingOut:
    seller = listing.seller
    return ListingOut(
        id=listing.id,
        game_id=listing.game_id,
        seller=SellerOut(
            id=seller.id,
            display_name=seller.display_name,
            rating_average=(
                round(seller.rating_sum / seller.rating_count, 2) if seller.rating_count else None
            ),
            rating_count=seller.rating_count,
            seller_score=seller.seller_score,
        ),
        seat_area=SeatAreaBrief.model_validate(listing.seat_area),
        row=listing.row,
        seats=listing.seats,
        quantity=listing.quantity,
        available_quantity=listing.available_quantity,
        face_value=listing.face_value,
        price=listing.price,
        discount_percent=discount_percent(price=listing.price, face_value=listing.face_value),
        delivery_method=listing.delivery_method,
        note=listing.note,
        sell_together=listing.sell_together,
        status=listing.status,
        images=[image_out(image, storage) for image in listing.images],
        created_at=listing.created_at,
        updated_at=listing.updated_at,
    )
