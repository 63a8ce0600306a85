from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from pitchaseat.adapters.storage import LocalImageStorage, S3ImageStorage
from tests.support.live_server import free_port

BUCKET = "pas-photos"


async def test_local_storage_round_trip(tmp_path: Path) -> None:
    storage = LocalImageStorage(tmp_path, base_url="/media")

    await storage.save("listings/1/abc.jpg", b"jpeg-bytes", "image/jpeg")

    assert (tmp_path / "listings/1/abc.jpg").read_bytes() == b"jpeg-bytes"
    assert storage.url("listings/1/abc.jpg") == "/media/listings/1/abc.jpg"
    await storage.delete("listings/1/abc.jpg")
    await storage.delete("listings/1/abc.jpg")
    assert not (tmp_path / "listings/1/abc.jpg").exists()


@pytest.mark.parametrize("key", ["../escape.jpg", "/etc/passwd", "a\\b.jpg", ""])
async def test_local_storage_refuses_unsafe_keys(tmp_path: Path, key: str) -> None:
    with pytest.raises(ValueError, match="unsafe"):
        await LocalImageStorage(tmp_path).save(key, b"x", "image/jpeg")


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """moto's standalone S3 server on localhost: a real S3 API over HTTP, not a mock object."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="ap-northeast-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    client.create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"}
    )
    yield endpoint
    server.stop()


def s3_storage(endpoint: str, cdn: str | None = None) -> S3ImageStorage:
    return S3ImageStorage(
        BUCKET,
        endpoint_url=endpoint,
        region="ap-northeast-1",
        access_key_id="test",
        secret_access_key="test",
        cdn_base_url=cdn,
    )


async def test_s3_storage_saves_with_type_and_cache_headers(s3_endpoint: str) -> None:
    storage = s3_storage(s3_endpoint)

    await storage.save("listings/7/photo.png", b"png-bytes", "image/png")

    stored = storage._s3().get_object(Bucket=BUCKET, Key="listings/7/photo.png")
    assert stored["Body"].read() == b"png-bytes"
    assert stored["ContentType"] == "image/png"
    assert "immutable" in stored["CacheControl"]


async def test_s3_storage_deletes(s3_endpoint: str) -> None:
    storage = s3_storage(s3_endpoint)
    await storage.save("listings/7/gone.jpg", b"x", "image/jpeg")

    await storage.delete("listings/7/gone.jpg")
    await storage.delete("listings/7/gone.jpg")

    listed = storage._s3().list_objects_v2(Bucket=BUCKET, Prefix="listings/7/gone")
    assert listed.get("KeyCount", 0) == 0


def test_s3_urls_use_the_cdn_when_there_is_one(s3_endpoint: str) -> None:
    assert s3_storage(s3_endpoint).url("a/b.jpg") == f"{s3_endpoint}/{BUCKET}/a/b.jpg"
    cdn = s3_storage(s3_endpoint, cdn="https://cdn.example.tw/")
    assert cdn.url("a/b.jpg") == "https://cdn.example.tw/a/b.jpg"
