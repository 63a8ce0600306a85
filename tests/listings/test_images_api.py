from __future__ import annotations

import io
from pathlib import Path

import httpx
import pytest
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.listings.models import Listing, ListingImage
from pitchaseat.settings import Settings
from tests.factories import login_headers, make_game, make_listing, make_user


def image_bytes(kind: str = "JPEG", size: tuple[int, int] = (64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, kind)
    return buffer.getvalue()


@pytest.fixture
async def owned(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> tuple[Listing, dict[str, str]]:
    seller = await make_user(db_session)
    listing = await make_listing(db_session, seller, await make_game(db_session))
    return listing, await login_headers(client, seller.email)


def stored_files(settings: Settings) -> list[Path]:
    root = settings.effective_media_dir
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


async def upload(
    client: httpx.AsyncClient,
    listing: Listing,
    headers: dict[str, str],
    data: bytes,
    name: str = "seat.jpg",
    content_type: str = "image/jpeg",
) -> httpx.Response:
    return await client.post(
        f"/api/v1/listings/{listing.id}/images",
        files={"file": (name, data, content_type)},
        headers=headers,
    )


async def test_upload_stores_the_photo_and_a_thumbnail(
    client: httpx.AsyncClient, owned: tuple[Listing, dict[str, str]], settings: Settings
) -> None:
    listing, headers = owned

    response = await upload(client, listing, headers, image_bytes("PNG"), "seat.png", "image/png")

    assert response.status_code == 201
    body = response.json()
    assert body["url"].startswith("/media/listings/")
    assert body["thumbnail_url"] != body["url"]
    served = await client.get(body["url"])
    assert served.status_code == 200
    assert Image.open(io.BytesIO(served.content)).format == "PNG"
    assert len(stored_files(settings)) == 2
    detail = (await client.get(f"/api/v1/listings/{listing.id}")).json()
    assert [image["id"] for image in detail["images"]] == [body["id"]]


async def test_png_named_jpg_is_stored_as_png(
    client: httpx.AsyncClient, owned: tuple[Listing, dict[str, str]]
) -> None:
    listing, headers = owned

    response = await upload(client, listing, headers, image_bytes("PNG"), "seat.jpg", "image/jpeg")

    assert response.status_code == 201
    assert response.json()["url"].endswith(".png")


async def test_text_file_named_png_is_refused_and_nothing_is_kept(
    client: httpx.AsyncClient,
    owned: tuple[Listing, dict[str, str]],
    db_session: AsyncSession,
    settings: Settings,
) -> None:
    listing, headers = owned

    response = await upload(client, listing, headers, b"hello, not an image", "x.png", "image/png")

    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_photo_type"
    assert await db_session.scalar(select(func.count(ListingImage.id))) == 0
    assert stored_files(settings) == []


async def test_oversized_upload_is_refused(
    client: httpx.AsyncClient, owned: tuple[Listing, dict[str, str]]
) -> None:
    listing, headers = owned

    response = await upload(client, listing, headers, image_bytes() + b"\0" * (9 * 1024 * 1024))

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "photo_too_large"


async def test_request_body_over_the_global_limit_is_refused(
    client: httpx.AsyncClient, owned: tuple[Listing, dict[str, str]]
) -> None:
    listing, headers = owned

    response = await upload(client, listing, headers, b"\0" * (11 * 1024 * 1024))

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


async def test_sixth_photo_is_refused(
    client: httpx.AsyncClient, owned: tuple[Listing, dict[str, str]]
) -> None:
    listing, headers = owned
    for _ in range(5):
        assert (await upload(client, listing, headers, image_bytes())).status_code == 201

    response = await upload(client, listing, headers, image_bytes())

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "too_many_photos"


async def test_only_the_seller_can_upload(
    client: httpx.AsyncClient, owned: tuple[Listing, dict[str, str]], db_session: AsyncSession
) -> None:
    listing, _ = owned
    other = await make_user(db_session)

    response = await upload(
        client, listing, await login_headers(client, other.email), image_bytes()
    )

    assert response.status_code == 404


async def test_gps_exif_is_stripped_after_upload(
    client: httpx.AsyncClient, owned: tuple[Listing, dict[str, str]]
) -> None:
    listing, headers = owned
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (25.0, 2.0, 30.0), 3: "E", 4: (121.0, 33.0, 45.0)})
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), (0, 90, 200)).save(buffer, "JPEG", exif=exif)
    assert Image.open(io.BytesIO(buffer.getvalue())).getexif().get_ifd(0x8825)

    response = await upload(client, listing, headers, buffer.getvalue())

    stored = (await client.get(response.json()["url"])).content
    assert b"Exif" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()


async def test_browse_shows_each_listing_exactly_as_its_own_page(
    client: httpx.AsyncClient, owned: tuple[Listing, dict[str, str]]
) -> None:
    listing, headers = owned
    for _ in range(2):
        await upload(client, listing, headers, image_bytes())

    browsed = (await client.get(f"/api/v1/games/{listing.game_id}/listings")).json()["items"]
    single = (await client.get(f"/api/v1/listings/{listing.id}")).json()

    assert browsed == [single]
    assert len(single["images"]) == 2
