"""boto3 (and httpx with a presigned URL) against ``apibench serve``: real SigV4 clients."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.served import Served, serving

SCENARIO = "s3.upload-report"
MIB = 1024 * 1024
CONFIG = Config(
    s3={"addressing_style": "path"}, signature_version="s3v4", retries={"max_attempts": 1}
)
"""Path-style, SigV4 (boto3 presigns with SigV2 for custom endpoints otherwise), no retries.
The endpoint URL ends with ``/``: served, the service lives under ``/s3`` and ListBuckets
is ``GET /s3/``."""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    info = tmp_path_factory.mktemp("s3") / "info.json"
    with serving(Path(info), "--scenario", SCENARIO) as server:
        yield server


@pytest.fixture(scope="module")
def client(served: Served) -> Any:
    creds = served.info["credentials"]["s3"]
    return boto3.client(
        "s3",
        endpoint_url=served.info["services"]["s3"] + "/",
        aws_access_key_id=creds["access_key_id"],
        aws_secret_access_key=creds["secret_access_key"],
        region_name="us-east-1",
        config=CONFIG,
    )


def test_bucket_put_get_and_paginated_listing(client: Any) -> None:
    client.create_bucket(Bucket="sdk-bucket")
    assert "sdk-bucket" in [b["Name"] for b in client.list_buckets()["Buckets"]]
    keys = [f"dir/{i:02d} odd+ü.txt" for i in range(25)] + ["top.csv"]
    for key in keys:
        client.put_object(Bucket="sdk-bucket", Key=key, Body=key.encode(), ContentType="text/csv")
    got = client.get_object(Bucket="sdk-bucket", Key=keys[3])
    assert got["Body"].read() == keys[3].encode() and got["ContentType"] == "text/csv"
    ranged = client.get_object(Bucket="sdk-bucket", Key="top.csv", Range="bytes=0-2")
    assert ranged["Body"].read() == b"top"
    pages = client.get_paginator("list_objects_v2").paginate(
        Bucket="sdk-bucket", PaginationConfig={"PageSize": 7}
    )
    listed = [o["Key"] for page in pages for o in page.get("Contents", [])]
    assert listed == sorted(keys)
    rolled = client.list_objects_v2(Bucket="sdk-bucket", Delimiter="/")
    assert [p["Prefix"] for p in rolled["CommonPrefixes"]] == ["dir/"]
    with pytest.raises(ClientError) as caught:
        client.get_object(Bucket="sdk-bucket", Key="missing")
    assert caught.value.response["Error"]["Code"] == "NoSuchKey"
    with pytest.raises(ClientError) as full:
        client.delete_bucket(Bucket="sdk-bucket")
    assert full.value.response["Error"]["Code"] == "BucketNotEmpty"


def test_multipart_upload_fileobj(client: Any) -> None:
    client.create_bucket(Bucket="sdk-multi")
    data = bytes(range(256)) * (11 * MIB // 256 + 3)
    config = TransferConfig(multipart_threshold=5 * MIB, multipart_chunksize=5 * MIB)
    client.upload_fileobj(io.BytesIO(data), "sdk-multi", "big.bin", Config=config)
    head = client.head_object(Bucket="sdk-multi", Key="big.bin")
    assert head["ContentLength"] == len(data) and head["ETag"].endswith('-3"')
    assert client.get_object(Bucket="sdk-multi", Key="big.bin")["Body"].read() == data


def test_presigned_get_with_httpx(client: Any) -> None:
    client.create_bucket(Bucket="sdk-presign")
    client.put_object(Bucket="sdk-presign", Key="a b/c.txt", Body=b"shared")
    url = client.generate_presigned_url(
        "get_object", Params={"Bucket": "sdk-presign", "Key": "a b/c.txt"}, ExpiresIn=60
    )
    assert httpx.get(url).content == b"shared"
    tampered = httpx.get(url.replace("c.txt", "d.txt"))
    assert tampered.status_code == 403 and b"SignatureDoesNotMatch" in tampered.content


def test_presigned_with_the_default_config(served: Served, client: Any) -> None:
    """boto3's default config presigns with SigV2 in us-east-1, over ``/<bucket>/<key>``
    without the endpoint's ``/s3`` path."""
    creds = served.info["credentials"]["s3"]
    default = boto3.client(
        "s3",
        endpoint_url=served.info["services"]["s3"] + "/",
        aws_access_key_id=creds["access_key_id"],
        aws_secret_access_key=creds["secret_access_key"],
        region_name="us-east-1",
    )
    client.create_bucket(Bucket="sdk-presign-v2")
    client.put_object(Bucket="sdk-presign-v2", Key="a b.txt", Body=b"two")
    url = default.generate_presigned_url(
        "get_object", Params={"Bucket": "sdk-presign-v2", "Key": "a b.txt"}, ExpiresIn=60
    )
    assert "AWSAccessKeyId=" in url and "/s3/sdk-presign-v2/" in url
    assert httpx.get(url).content == b"two"
    assert httpx.delete(url).status_code == 403


def test_wrong_secret_is_refused(served: Served) -> None:
    creds = served.info["credentials"]["s3"]
    bad = boto3.client(
        "s3",
        endpoint_url=served.info["services"]["s3"] + "/",
        aws_access_key_id=creds["access_key_id"],
        aws_secret_access_key="x" * 40,
        region_name="us-east-1",
        config=CONFIG,
    )
    with pytest.raises(ClientError) as caught:
        bad.list_buckets()
    assert caught.value.response["Error"]["Code"] == "SignatureDoesNotMatch"
