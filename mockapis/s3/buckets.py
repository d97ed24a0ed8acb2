"""Buckets: ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation,
DeleteObjects; the bucket route's dispatch."""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import Response

from mockapis.kit.context import world_of
from mockapis.s3 import batch, listing
from mockapis.s3.access import query_pairs
from mockapis.s3.common import bucket_row, iso_time, refuse_not_emulated, signed_body, text
from mockapis.s3.data import REGION
from mockapis.s3.errors import NAMESPACE, S3Error, xml_response
from mockapis.s3.objects import check_md5

__all__ = ["bucket_endpoint", "list_buckets"]

_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")


async def list_buckets(request: Request) -> Response:
    """GET /: ListBuckets."""
    await signed_body(request)
    rows = sorted(world_of(request).table("s3.buckets").values(), key=lambda r: r["name"])
    items = "".join(
        f"<Bucket>{text('Name', r['name'])}{text('CreationDate', iso_time(r['created']))}"
        f"{text('BucketRegion', r['region'])}</Bucket>"
        for r in rows
    )
    return xml_response(
        f'<ListAllMyBucketsResult xmlns="{NAMESPACE}">'
        f"<Buckets>{items}</Buckets>{listing.OWNER}</ListAllMyBucketsResult>"
    )


async def bucket_endpoint(request: Request) -> Response:
    """/{bucket}: GET ListObjectsV2 (``?list-type=2``), ListObjects or GetBucketLocation
    (``?location``), PUT CreateBucket, HEAD HeadBucket, DELETE DeleteBucket, POST
    DeleteObjects (``?delete``)."""
    body = await signed_body(request)
    name = request.path_params["bucket"]
    world = world_of(request)
    pairs = query_pairs(request)
    params = dict(pairs)
    # ?uploads here is ListMultipartUploads; ?location and ?delete belong to GET and POST
    also = ["uploads"] + ["location"] * (request.method != "GET")
    refuse_not_emulated(params, also + ["delete"] * (request.method != "POST"))
    if request.method == "PUT":
        return _create(request, name, body)
    bucket = bucket_row(world, name)
    if request.method == "POST":
        if "delete" not in params:  # a browser-form upload (POST Object): not emulated
            refused = S3Error(
                405,
                "MethodNotAllowed",
                "The specified method is not allowed against this resource.",
            )
            refused.headers["Allow"] = "GET, PUT, HEAD, DELETE"
            raise refused
        check_md5(request, body)
        headers = {k.lower(): v for k, v in request.headers.items()}
        return batch.delete_objects(world, name, headers, body)
    if request.method == "HEAD":
        return Response(b"", 200, headers={"x-amz-bucket-region": bucket["region"]})
    if request.method == "DELETE":
        prefix = name + "/"
        if world.table("s3.objects").with_prefix(prefix) or any(
            u["bucket"] == name for u in world.table("s3.uploads").values()
        ):
            raise S3Error(
                409,
                "BucketNotEmpty",
                "The bucket you tried to delete is not empty",
                BucketName=name,
            )
        world.table("s3.buckets").delete(name)
        return Response(b"", 204)
    if "location" in params:
        # us-east-1's buckets have an empty LocationConstraint (GetBucketLocation's reference)
        return xml_response(f'<LocationConstraint xmlns="{NAMESPACE}"/>')
    if "list-type" not in params:
        return listing.list_objects(world, name, pairs)
    if params["list-type"] != "2":
        raise S3Error(400, "InvalidArgument", "Invalid List Type specified in Request")
    return listing.list_objects_v2(world, name, pairs)


def _create(request: Request, name: str, body: bytes) -> Response:
    world = world_of(request)
    if not _NAME.match(name) or ".." in name:
        raise S3Error(
            400,
            "InvalidBucketName",
            "Bucket names are 3-63 lower-case letters, digits, dots and hyphens, "
            "starting and ending with a letter or digit.",
            BucketName=name,
        )
    constraint = f"<LocationConstraint>{REGION}</LocationConstraint>".encode()
    if b"LocationConstraint" in body and constraint not in body:
        raise S3Error(
            400,
            "IllegalLocationConstraintException",
            f"This endpoint is {REGION}: send no LocationConstraint (or {REGION}).",
        )
    if name in world.table("s3.buckets"):
        # us-east-1 answers 200 to re-creating a bucket you own (409 BucketAlreadyOwnedByYou
        # in every other region: the model's documentation of that error)
        return Response(b"", 200, headers={"Location": f"/{name}"})
    seq = len(world.table("s3.buckets"))
    world.table("s3.buckets").put(
        name,
        {"name": name, "region": REGION, "created": world.clock.now_ns // 10**9, "seq": seq},
    )
    return Response(b"", 200, headers={"Location": f"/{name}"})
