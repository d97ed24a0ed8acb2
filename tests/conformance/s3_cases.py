"""What an agent's boto3 sends to S3 that no reference solution does: each emulated operation,
and each documented error, as exchanges for :mod:`tests.conformance.s3_suite`.

boto3 itself builds and signs every request (SigV4, path-style, as ``tests/gym_apibench/
test_s3_clients.py`` configures it); a ``before-send`` hook hands the prepared request to an
episode of ``s3.upload-report`` at seed 0 as an env step, and the observation back to botocore
as its HTTP response, so the requests are the SDK's and go through the env as an agent's do.
The signer reads the episode clock. A few requests boto3 will not make (a tampered body, a
wrong region, an expired presigned URL) are built with botocore's signers and sent the same way.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import boto3
import gymnasium as gym
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest, AWSResponse
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError
from urllib3.response import HTTPResponse

import gym_apibench
from tests.conformance.s3_suite import SEED, S3Exchange, from_action

__all__ = ["SCENARIO", "Session", "case_exchanges"]

SCENARIO = "s3.upload-report"
CONFIG = Config(
    s3={"addressing_style": "path"}, signature_version="s3v4", retries={"max_attempts": 1}
)
"""Path-style SigV4 with no retries, and boto3's default checksums: over HTTPS, PutObject and
UploadPart bodies go ``aws-chunked`` with a trailing CRC32, as an agent's boto3 sends them."""


class Session:
    """One episode, a boto3 client whose requests are its env steps, and what they exchanged."""

    def __init__(self) -> None:
        self.env = gym.make(gym_apibench.gym_id(SCENARIO), max_episode_steps=-1)
        _, info = self.env.reset(seed=SEED)
        self.task = info["task"]
        self.world = self.env.unwrapped.episode.world  # type: ignore[attr-defined]
        self.base = str(self.task["services"]["s3"]).rstrip("/")
        creds = self.task["credentials"]["s3"]
        self.key, self.secret, self.region = (
            creds["access_key_id"],
            creds["secret_access_key"],
            creds["region"],
        )
        self.exchanges: list[S3Exchange] = []
        self.note = ""
        self.expected: tuple[int, ...] = ()
        self.skew = 0.0
        """Seconds the signer's clock is off the episode's."""
        self.client = self.make_client()
        self._clock = mock.patch("botocore.auth.get_current_datetime", self._now)
        self._clock.start()

    def make_client(self, **overrides: Any) -> Any:
        """A boto3 S3 client for this episode (``overrides``: credentials, region)."""
        client = boto3.client(
            "s3",
            endpoint_url=self.base + "/",
            aws_access_key_id=overrides.get("key", self.key),
            aws_secret_access_key=overrides.get("secret", self.secret),
            region_name=overrides.get("region", self.region),
            config=CONFIG,
        )
        client.meta.events.register("before-send.s3", self._send)
        return client

    def _send(self, request: Any, **_: Any) -> AWSResponse:
        body = request.body
        if hasattr(body, "read"):
            body = body.read()
        if isinstance(body, str):
            body = body.encode()
        return self.send(request.method, request.url, dict(request.headers.items()), body or b"")

    def send(self, method: str, url: str, headers: dict[str, Any], body: bytes) -> AWSResponse:
        """One env step; the response as botocore reads one."""
        sent = {k: v.decode() if isinstance(v, bytes) else str(v) for k, v in headers.items()}
        action: dict[str, Any] = {"method": method, "url": url, "headers": sent}
        if body:
            action["body_base64"] = base64.b64encode(body).decode("ascii")
        observation, *_ = self.env.step(action)
        exchange = from_action(action, observation, f"{SCENARIO}@{SEED}:case {self.note}")
        exchange = dataclasses.replace(exchange, expected=self.expected)
        self.exchanges.append(exchange)
        raw = HTTPResponse(  # a HEAD's Content-Length is the object's: no length to enforce
            body=io.BytesIO(exchange.body),
            headers={k: v for k, v in exchange.headers.items() if k != "content-length"},
            status=exchange.status,
            preload_content=False,
        )
        return AWSResponse(url, exchange.status, dict(exchange.headers), raw)

    @contextmanager
    def case(self, note: str, *statuses: int) -> Iterator[None]:
        """Requests made inside are the case ``note``, each expected to answer ``statuses``."""
        self.note, self.expected = note, statuses
        try:
            yield
        finally:
            self.note, self.expected = "", ()

    def _now(self) -> dt.datetime:
        # botocore's signers read this; the episode clock is the server's
        now = self.world.clock.now + self.skew
        return dt.datetime.fromtimestamp(now, tz=dt.UTC).replace(tzinfo=None)

    def error(self, call: Callable[..., Any], **params: Any) -> str:
        """The S3 error code ``call(**params)`` raises (an AssertionError if it succeeds)."""
        try:
            call(**params)
        except ClientError as exc:
            return str(exc.response["Error"]["Code"])
        raise AssertionError(f"{call.__name__} succeeded: an error was expected")

    def signed(self, method: str, path: str, body: bytes = b"", **kw: Any) -> AWSRequest:
        """A SigV4-signed request built by botocore's signer (``secret``, ``region``)."""
        request = AWSRequest(method, self.base + path, data=body, headers=kw.get("headers"))
        if kw.get("trailer"):  # signs STREAMING-UNSIGNED-PAYLOAD-TRAILER, as boto3 over HTTPS
            request.context["checksum"] = {"request_algorithm": {"in": "trailer"}}
        creds = Credentials(self.key, kw.get("secret", self.secret))
        S3SigV4Auth(creds, "s3", kw.get("region", self.region)).add_auth(request)
        return request

    def close(self) -> None:
        self._clock.stop()
        self.env.close()


def case_exchanges() -> Iterator[S3Exchange]:
    """The exchanges of every case."""
    session = Session()
    try:
        for play in CASES:
            play(session)
    finally:
        session.close()
    yield from session.exchanges


def buckets(s: Session) -> None:
    """Bucket operations, and their documented errors."""
    c = s.client
    with s.case("create, head, locate, list and delete a bucket", 200, 204):
        c.create_bucket(Bucket="conformance-a")
        c.create_bucket(Bucket="conformance-a")  # us-east-1: 200 again, no BucketAlreadyOwned
        assert c.head_bucket(Bucket="conformance-a")["BucketRegion"] == s.region
        assert c.get_bucket_location(Bucket="conformance-a")["LocationConstraint"] is None
        assert "conformance-a" in [b["Name"] for b in c.list_buckets()["Buckets"]]
        c.delete_bucket(Bucket="conformance-a")
    with s.case("missing buckets", 404):
        assert s.error(c.head_bucket, Bucket="conformance-none") == "404"
        assert s.error(c.delete_bucket, Bucket="conformance-none") == "NoSuchBucket"
        assert s.error(c.list_objects_v2, Bucket="conformance-none") == "NoSuchBucket"
    with s.case("bad bucket names and locations", 400):
        assert s.error(c.create_bucket, Bucket="Not_A_Bucket") == "InvalidBucketName"
        code = s.error(
            c.create_bucket,
            Bucket="conformance-b",
            CreateBucketConfiguration={"LocationConstraint": "eu-west-1"},
        )
        assert code == "IllegalLocationConstraintException"
    existing = sorted(s.world.table("s3.buckets"))[0]
    with s.case("a bucket that is not empty", 409):
        assert s.error(c.delete_bucket, Bucket=existing) == "BucketNotEmpty"


def listing(s: Session) -> None:
    """ListObjectsV2 and ListObjects: pages, prefixes, delimiters, bad parameters."""
    c = s.client
    bucket = sorted(s.world.table("s3.buckets"))[0]
    with s.case("list pages with a delimiter, url-encoded", 200):
        first = c.list_objects_v2(Bucket=bucket, MaxKeys=3)
        c.list_objects_v2(Bucket=bucket, Delimiter="/", EncodingType="url", Prefix="")
        c.list_objects_v2(
            Bucket=bucket, ContinuationToken=first["NextContinuationToken"], MaxKeys=2
        )
        c.list_objects_v2(Bucket=bucket, StartAfter=first["Contents"][0]["Key"], MaxKeys=1)
        old = c.list_objects(Bucket=bucket, MaxKeys=2)
        assert old["IsTruncated"] and "NextMarker" not in old
        rolled = c.list_objects(Bucket=bucket, Marker=old["Contents"][-1]["Key"], Delimiter="/")
        assert rolled["CommonPrefixes"] and "KeyCount" not in rolled
    with s.case("a bucket's URL with a trailing slash", 200):
        for query in ("list-type=2&max-keys=1", "location"):
            request = s.signed("GET", f"/{bucket}/?{query}")
            s.send("GET", str(request.url), dict(request.headers.items()), b"")
    with s.case("bad listing parameters", 400):
        assert s.error(c.list_objects_v2, Bucket=bucket, ContinuationToken="@@") == (
            "InvalidArgument"
        )


def objects(s: Session) -> None:
    """Objects: put, get (ranges), head, delete, and their documented errors."""
    c = s.client
    bucket = sorted(s.world.table("s3.buckets"))[0]
    with s.case("put, get, head and delete an object", 200, 204, 206):
        c.put_object(
            Bucket=bucket, Key="conf/a.txt", Body=b"hello", ContentType="text/plain",
            Metadata={"origin": "conformance"},
        )  # fmt: skip
        assert c.get_object(Bucket=bucket, Key="conf/a.txt")["Body"].read() == b"hello"
        got = c.get_object(Bucket=bucket, Key="conf/a.txt", Range="bytes=1-2")
        assert got["Body"].read() == b"el"
        assert c.head_object(Bucket=bucket, Key="conf/a.txt")["ContentLength"] == 5
        c.delete_object(Bucket=bucket, Key="conf/a.txt")
    with s.case("delete objects in a batch", 200):
        for key in ("conf/x", "conf/y"):
            c.put_object(Bucket=bucket, Key=key, Body=b"x")
        objects = [{"Key": "conf/x"}, {"Key": "conf/y"}, {"Key": "conf/never"}]
        done = c.delete_objects(Bucket=bucket, Delete={"Objects": objects})
        assert sorted(d["Key"] for d in done["Deleted"]) == sorted(o["Key"] for o in objects)
        quiet = c.delete_objects(Bucket=bucket, Delete={"Objects": objects, "Quiet": True})
        assert "Deleted" not in quiet and f"{bucket}/conf/x" not in s.world.table("s3.objects")
    with s.case("a batch delete without an integrity header, or too many keys", 400):
        too_many = [{"Key": f"k{i}"} for i in range(1001)]
        assert s.error(c.delete_objects, Bucket=bucket, Delete={"Objects": too_many}) == (
            "MalformedXML"
        )
        request = s.signed("POST", f"/{bucket}?delete", b"<Delete/>")
        s.send("POST", str(request.url), dict(request.headers.items()), b"<Delete/>")
        assert b"InvalidRequest" in s.exchanges[-1].body
    with s.case("missing objects", 404):
        assert s.error(c.get_object, Bucket=bucket, Key="conf/none") == "NoSuchKey"
        assert s.error(c.head_object, Bucket=bucket, Key="conf/none") == "404"
        assert s.error(c.put_object, Bucket="conformance-none", Key="k", Body=b"") == (
            "NoSuchBucket"
        )
    c.put_object(Bucket=bucket, Key="conf/b.txt", Body=b"abc")
    with s.case("an unsatisfiable range", 416):
        code = s.error(c.get_object, Bucket=bucket, Key="conf/b.txt", Range="bytes=10-20")
        assert code == "InvalidRange"
    with s.case("bad digests and keys", 400):
        md5 = base64.b64encode(b"0" * 16).decode()
        code = s.error(c.put_object, Bucket=bucket, Key="conf/c", Body=b"x", ContentMD5=md5)
        assert code == "BadDigest"
        code = s.error(c.put_object, Bucket=bucket, Key="conf/c", Body=b"x", ContentMD5="x")
        assert code == "InvalidDigest"
        assert s.error(c.put_object, Bucket=bucket, Key="k" * 1025, Body=b"") == ("KeyTooLongError")
    with s.case("an operation the service does not emulate", 501):
        code = s.error(c.copy_object, Bucket=bucket, Key="conf/d", CopySource=f"{bucket}/x")
        assert code == "NotImplemented"
        code = s.error(c.get_object_tagging, Bucket=bucket, Key="conf/b.txt")
        assert code == "NotImplemented"
        assert s.error(c.get_bucket_versioning, Bucket=bucket) == "NotImplemented"


def multipart(s: Session) -> None:
    """A multipart upload from start to end, an aborted one, and their documented errors."""
    c = s.client
    bucket = sorted(s.world.table("s3.buckets"))[0]
    key = "conf/multi.bin"
    with s.case("a multipart upload", 200, 204):
        upload = c.create_multipart_upload(Bucket=bucket, Key=key, ContentType="text/plain")
        uid = upload["UploadId"]
        etag = c.upload_part(Bucket=bucket, Key=key, UploadId=uid, PartNumber=1, Body=b"one")
        c.list_parts(Bucket=bucket, Key=key, UploadId=uid)
        parts = [{"PartNumber": 1, "ETag": etag["ETag"]}]
        c.complete_multipart_upload(
            Bucket=bucket, Key=key, UploadId=uid, MultipartUpload={"Parts": parts}
        )
        other = c.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
        c.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=other)
    with s.case("unknown uploads", 404):
        for call in (c.list_parts, c.abort_multipart_upload):
            assert s.error(call, Bucket=bucket, Key=key, UploadId="nope") == "NoSuchUpload"
        code = s.error(
            c.upload_part, Bucket=bucket, Key=key, UploadId="nope", PartNumber=1, Body=b"x"
        )
        assert code == "NoSuchUpload"
    uid = c.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
    one = c.upload_part(Bucket=bucket, Key=key, UploadId=uid, PartNumber=1, Body=b"a")["ETag"]
    two = c.upload_part(Bucket=bucket, Key=key, UploadId=uid, PartNumber=2, Body=b"b")["ETag"]
    with s.case("bad parts", 400):
        for parts, expected in (
            ([{"PartNumber": 2, "ETag": two}, {"PartNumber": 1, "ETag": one}], "InvalidPartOrder"),
            ([{"PartNumber": 3, "ETag": one}], "InvalidPart"),
            ([{"PartNumber": 1, "ETag": one}, {"PartNumber": 2, "ETag": two}], "EntityTooSmall"),
            ([], "MalformedXML"),
        ):
            code = s.error(
                c.complete_multipart_upload,
                Bucket=bucket, Key=key, UploadId=uid, MultipartUpload={"Parts": parts},
            )  # fmt: skip
            assert code == expected, (parts, code)
        code = s.error(
            c.upload_part, Bucket=bucket, Key=key, UploadId=uid, PartNumber=10001, Body=b"x"
        )
        assert code == "InvalidArgument"


def signing(s: Session) -> None:
    """Authentication errors: a wrong secret, an unknown key, a skewed clock, a wrong region,
    a body that is not the one signed, an aws-chunked body with a wrong trailing checksum or
    length, no signature, an expired presigned URL."""
    with s.case("signing errors", 400, 403):
        wrong = s.make_client(secret="x" * 40)
        assert s.error(wrong.list_buckets) == "SignatureDoesNotMatch"
        assert s.error(s.make_client(key="AKIANOTAKEY").list_buckets) == "InvalidAccessKeyId"
        assert s.error(s.make_client(region="eu-west-1").list_buckets) == (
            "AuthorizationHeaderMalformed"
        )
        request = s.signed("PUT", f"/{sorted(s.world.table('s3.buckets'))[0]}/conf/e", b"one")
        s.send("PUT", str(request.url), dict(request.headers.items()), b"two")
        assert b"XAmzContentSHA256Mismatch" in s.exchanges[-1].body
        bucket = sorted(s.world.table("s3.buckets"))[0]
        for trailer, length, expected in [
            ("AAAAAA==", "3", b"BadDigest"),
            ("", "4", b"Incomplete"),
        ]:
            request = s.signed(
                "PUT", f"/{bucket}/conf/f", b"", headers=_chunked(length), trailer=True
            )
            checksum = f"x-amz-checksum-crc32:{trailer}\r\n" if trailer else ""
            body = f"3\r\none\r\n0\r\n{checksum}\r\n".encode()
            s.send("PUT", str(request.url), dict(request.headers.items()), body)
            assert expected in s.exchanges[-1].body, s.exchanges[-1].body
        s.send("GET", s.base + "/", {}, b"")
        assert b"AccessDenied" in s.exchanges[-1].body
        url = s.client.generate_presigned_url("list_buckets", ExpiresIn=60)
        s.world.clock.advance(61)
        s.send("GET", url, {}, b"")
        assert b"Request has expired" in s.exchanges[-1].body
    with s.case("a skewed clock", 403):
        s.skew = -3600
        request = s.signed("GET", "/")
        s.skew = 0
        s.send("GET", str(request.url), dict(request.headers.items()), b"")
        assert b"RequestTimeTooSkewed" in s.exchanges[-1].body


def _chunked(decoded_length: str) -> dict[str, str]:
    """The headers of an ``aws-chunked`` body with a trailing CRC32."""
    return {
        "Content-Encoding": "aws-chunked",
        "x-amz-decoded-content-length": decoded_length,
        "x-amz-trailer": "x-amz-checksum-crc32",
    }


CASES: list[Callable[[Session], None]] = [buckets, listing, objects, multipart, signing]
"""Each plays its requests in the one episode, in order, and asserts what boto3 got back."""
