"""Amazon S3 (path-style ``/{bucket}/{key}`` at ``s3.amazonaws.com``), signed with SigV4.

Stored tables: ``s3.buckets`` (name -> ``{name, region, created, seq}``), ``s3.objects``
(``"<bucket>/<key>"`` -> ``{bucket, key, body (base64), size, etag, content_type,
last_modified, metadata}``), ``s3.uploads`` (upload id -> in-progress multipart upload),
``s3.parts`` (``"<upload id>/<part number>"`` -> part), ``s3._keys`` (access key id ->
secret), ``s3._settings`` (``min_part_size``, from the ``min_part_size`` size: 5 MiB unless a
scenario makes it smaller).

Emulated: SigV4 verified in the Authorization header and in presigned query strings (expiry on
the episode clock, 15-minute skew), SigV2 presigned query strings (as us-east-1 takes them, and
boto3 makes them by default there), x-amz-content-sha256 (hash checked against the body, or
UNSIGNED-PAYLOAD), aws-chunked bodies with a trailing checksum (boto3's uploads over HTTPS),
Content-MD5 and x-amz-checksum-*, ListObjectsV2 and ListObjects (version 1) paging,
GetBucketLocation, DeleteObjects, multipart uploads, S3's XML errors. Not emulated: virtual-hosted
addressing, versioning, ACLs, CopyObject, signed aws-chunked streaming; the
sub-resources of such operations (``?tagging``, ``?acl``...) answer 501 NotImplemented.
Checked against botocore's S3 service model by ``tests/conformance/test_s3_conformance.py``.
"""

from starlette.routing import Route

from mockapis.s3 import buckets, objects
from mockapis.s3.data import DEFAULT_SIZES, seed
from mockapis.s3.errors import error_response, render_error
from mockapis.service import Service

__all__ = ["SERVICE"]

SERVICE = Service(
    name="s3",
    hosts=("s3.amazonaws.com", "s3.us-east-1.amazonaws.com"),
    routes=[
        Route("/", buckets.list_buckets, methods=["GET"]),
        Route(
            "/{bucket}",
            buckets.bucket_endpoint,
            methods=["GET", "PUT", "HEAD", "DELETE", "POST"],
        ),
        objects.OBJECT_ROUTE,
    ],
    spec="s3.openapi.yaml",
    render_error=render_error,
    error_response=error_response,
    seed=seed,
    description="Amazon S3 object storage: buckets, objects, multipart uploads, SigV4.",
    default_sizes=DEFAULT_SIZES,
    client_clock=True,
)
