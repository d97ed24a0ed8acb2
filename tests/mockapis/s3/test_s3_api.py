"""The S3 service in-process: SigV4 tampering, objects, listing, multipart, bad input."""

from __future__ import annotations

import hashlib
import re

from tests.inprocess import call
from tests.mockapis.s3.conftest import S3Client


def code(reply) -> str:  # type: ignore[no-untyped-def]
    found = re.search(rb"<Code>([^<]*)</Code>", reply.raw)
    return found.group(1).decode() if found else ""


def test_put_get_head_delete(s3: S3Client) -> None:
    assert s3.request("PUT", "/my-bucket").status == 200
    key = "/my-bucket/dir/a%20b%2B%C3%A9/..%2Fx.txt"
    put = s3.request("PUT", key, b"hello", headers={"content-type": "text/csv"})
    assert (
        put.status == 200 and put.headers["etag"] == '"' + hashlib.md5(b"hello").hexdigest() + '"'
    )
    got = s3.request("GET", key)
    assert got.status == 200 and got.raw == b"hello" and got.headers["content-type"] == "text/csv"
    assert "my-bucket/dir/a b+é/../x.txt" in s3.world.table("s3.objects")
    part = s3.send(s3.signed("GET", key, headers={"range": "bytes=1-3"}))
    assert part.status == 206 and part.raw == b"ell"
    assert s3.request("DELETE", "/my-bucket").status == 409
    assert code(s3.request("DELETE", "/my-bucket")) == "BucketNotEmpty"
    assert s3.request("DELETE", key).status == 204
    assert code(s3.request("GET", key)) == "NoSuchKey"
    assert s3.request("DELETE", "/my-bucket").status == 204
    assert code(s3.request("GET", "/my-bucket")) == "NoSuchBucket"


def test_signature_tampering(s3: S3Client) -> None:
    s3.request("PUT", "/b-one")
    req = s3.signed("PUT", "/b-one/k", b"data")
    assert s3.send(req, method="POST").status == 403
    assert code(s3.send(req, url=req.url.replace("/k", "/j"))) == "SignatureDoesNotMatch"
    assert code(s3.send(req, url=req.url + "?x=1")) == "SignatureDoesNotMatch"
    assert code(s3.send(req, body=b"datb")) == "XAmzContentSHA256Mismatch"
    bad = s3.send(s3.signed("PUT", "/b-one/k", b"data", secret="wrong"))
    assert code(bad) == "SignatureDoesNotMatch" and b"<CanonicalRequest>PUT\n/b-one/k" in bad.raw
    hdr = s3.signed("PUT", "/b-one/k", b"data", {"x-amz-meta-a": "1"})
    hdr.headers.replace_header("x-amz-meta-a", "2")
    assert code(s3.send(hdr)) == "SignatureDoesNotMatch"
    for offset in (-1000, 1000):
        assert code(s3.send(s3.signed("GET", "/b-one", offset=offset))) == "RequestTimeTooSkewed"
    unsigned = s3.signed("PUT", "/b-one/k", b"data", payload="UNSIGNED-PAYLOAD")
    assert s3.send(unsigned).status == 200
    assert s3.world.table("s3.objects")["b-one/k"]["size"] == 4


def test_presigned_get_and_expiry(s3: S3Client) -> None:
    s3.request("PUT", "/b-two")
    s3.request("PUT", "/b-two/f.txt", b"xyz")
    from tests.inprocess import call

    url = s3.presign("/b-two/f.txt", expires=60)
    assert call(s3.gateway, "GET", url).raw == b"xyz"
    s3.world.clock.advance(61)
    expired = call(s3.gateway, "GET", url)
    assert expired.status == 403 and b"Request has expired" in expired.raw


def test_sigv2_presigned_get(s3: S3Client) -> None:
    """SigV2 in a query string (boto3's default presigning in us-east-1): the path as sent and
    the signed subresources are signed; the expiry is read on the episode clock."""
    s3.request("PUT", "/b-v2")
    s3.request("PUT", "/b-v2/a%20b.txt", b"two")
    url = s3.presign_v2("/b-v2/a%20b.txt?response-content-type=text%2Fplain", expires=60)
    assert "AWSAccessKeyId=" in url and "X-Amz-" not in url
    assert call(s3.gateway, "GET", url).raw == b"two"
    for tampered in (url.replace("a%20b", "a%20c"), url.replace("text%2Fplain", "text%2Fhtml")):
        assert code(call(s3.gateway, "GET", tampered)) == "SignatureDoesNotMatch"
    assert code(call(s3.gateway, "DELETE", url)) == "SignatureDoesNotMatch"
    s3.world.clock.advance(61)
    expired = call(s3.gateway, "GET", url)
    assert expired.status == 403 and b"Request has expired" in expired.raw
    assert "b-v2/a b.txt" in s3.world.table("s3.objects")


def test_list_objects_v2_paging(s3: S3Client) -> None:
    s3.request("PUT", "/lister")
    keys = sorted([f"a/{i:02d}" for i in range(7)] + [f"b/{i}/x" for i in range(3)] + ["c"])
    for key in keys:
        s3.request("PUT", f"/lister/{key}", b"1")
    for size in (1, 2, 3, 1000):
        seen, token = [], None
        while True:
            url = f"/lister?list-type=2&max-keys={size}" + (
                f"&continuation-token={token}" if token else ""
            )
            page = s3.request("GET", url).raw.decode()
            got = re.findall(r"<Key>([^<]*)</Key>", page)
            assert int(re.search(r"<KeyCount>(\d+)</KeyCount>", page).group(1)) == len(got) <= size  # type: ignore[union-attr]
            seen += got
            m = re.search(r"<NextContinuationToken>([^<]*)</NextContinuationToken>", page)
            assert ("<IsTruncated>true</IsTruncated>" in page) == bool(m)
            if not m:
                break
            token = m.group(1)
        assert seen == keys
    page = s3.request("GET", "/lister?list-type=2&delimiter=%2F").raw.decode()
    assert re.findall(r"<Prefix>([^<]*)</Prefix>", page) == ["", "a/", "b/"]
    assert re.findall(r"<Key>([^<]*)</Key>", page) == ["c"]
    after = s3.request("GET", "/lister?list-type=2&start-after=b%2F").raw.decode()
    assert re.findall(r"<Key>([^<]*)</Key>", after) == keys[7:]
    assert code(s3.request("GET", "/lister?list-type=2&continuation-token=zz")) == (
        "InvalidArgument"
    )


def test_list_objects_version_1_location_and_sub_resources(s3: S3Client) -> None:
    """Without list-type=2, ListObjects version 1 (markers); ?location; and 501 for the
    sub-resources of operations not emulated, rather than the path's plain operation."""
    s3.request("PUT", "/v-one")
    keys = ["a/1", "a/2", "b", "c/1"]
    for key in keys:
        s3.request("PUT", f"/v-one/{key}", b"x")
    page = s3.request("GET", "/v-one?max-keys=2").raw.decode()
    assert re.findall(r"<Key>([^<]*)</Key>", page) == keys[:2] and "KeyCount" not in page
    assert "<IsTruncated>true</IsTruncated>" in page and "NextMarker" not in page
    rolled = s3.request("GET", "/v-one?delimiter=%2F&max-keys=1").raw.decode()
    assert "<NextMarker>a/</NextMarker>" in rolled
    rest = s3.request("GET", "/v-one?delimiter=%2F&marker=a%2F").raw.decode()
    assert re.findall(r"<Key>([^<]*)</Key>", rest) == ["b"] and "<Prefix>c/</Prefix>" in rest
    assert s3.request("GET", "/v-one?location").raw.endswith(
        b'<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>'
    )
    for method, url in [("PUT", "/v-one/b?tagging"), ("GET", "/v-one?versioning")]:
        assert code(s3.request(method, url, b"<Tagging/>")) == "NotImplemented"
    assert code(s3.request("GET", "/v-one?uploads")) == "NotImplemented"
    assert s3.world.table("s3.objects")["v-one/b"]["size"] == 1
    # /{bucket}/ is the bucket, as S3 reads it (not an object with an empty key)
    slash = s3.request("GET", "/v-one/?list-type=2&prefix=a%2F").raw.decode()
    assert re.findall(r"<Key>([^<]*)</Key>", slash) == keys[:2]
    assert s3.request("HEAD", "/v-one/").status == 200


def test_multipart(s3: S3Client) -> None:
    s3.request("PUT", "/mpu")
    start = s3.request("POST", "/mpu/big?uploads").raw.decode()
    upload = re.search(r"<UploadId>([^<]*)</UploadId>", start).group(1)  # type: ignore[union-attr]
    e1 = s3.request("PUT", f"/mpu/big?partNumber=1&uploadId={upload}", b"12345").headers["etag"]
    e2 = s3.request("PUT", f"/mpu/big?partNumber=2&uploadId={upload}", b"67").headers["etag"]
    assert code(s3.request("GET", "/mpu/big")) == "NoSuchKey"

    def complete(*parts: tuple[int, str]) -> bytes:
        body = "".join(
            f"<Part><PartNumber>{n}</PartNumber><ETag>{e}</ETag></Part>" for n, e in parts
        )
        return f"<CompleteMultipartUpload>{body}</CompleteMultipartUpload>".encode()

    done = f"/mpu/big?uploadId={upload}"
    assert code(s3.request("POST", done, complete((2, e2), (1, e1)))) == "InvalidPartOrder"
    assert code(s3.request("POST", done, complete((1, e2), (2, e2)))) == "InvalidPart"
    assert code(s3.request("POST", done, b"<nope")) == "MalformedXML"
    small = s3.request("PUT", f"/mpu/big?partNumber=1&uploadId={upload}", b"123").headers["etag"]
    assert code(s3.request("POST", done, complete((1, small), (2, e2)))) == "EntityTooSmall"
    e1 = s3.request("PUT", f"/mpu/big?partNumber=1&uploadId={upload}", b"12345").headers["etag"]
    ok = s3.request("POST", done, complete((1, e1), (2, e2)))
    assert ok.status == 200 and re.search(rb"-2(&quot;|\")</ETag>", ok.raw)
    assert s3.request("GET", "/mpu/big").raw == b"1234567"
    assert code(s3.request("POST", done, complete((1, e1)))) == "NoSuchUpload"
    again = re.search(
        r"<UploadId>([^<]*)</UploadId>", s3.request("POST", "/mpu/x?uploads").raw.decode()
    ).group(1)  # type: ignore[union-attr]
    assert s3.request("DELETE", f"/mpu/x?uploadId={again}").status == 204
    assert code(s3.request("GET", "/mpu/x")) == "NoSuchKey"
    assert not s3.world.table("s3.uploads")


def test_bad_input(s3: S3Client) -> None:
    from tests.inprocess import call

    assert code(call(s3.gateway, "GET", "https://s3.amazonaws.com/")) == "AccessDenied"
    assert code(s3.request("PUT", "/Bad_Name")) == "InvalidBucketName"
    s3.request("PUT", "/okb")
    bad_md5 = s3.signed("PUT", "/okb/k", b"x", {"content-md5": "AAAAAAAAAAAAAAAAAAAAAA=="})
    assert code(s3.send(bad_md5)) == "BadDigest"
    assert code(s3.request("PUT", "/okb/k?partNumber=0&uploadId=nope")) == "NoSuchUpload"
    assert code(s3.send(s3.signed("GET", "/okb/k", headers={"range": "bytes=9-"}))) in (
        "NoSuchKey",
    )
    assert code(s3.request("GET", "/okb?max-keys=x")) == "InvalidArgument"
    assert "okb/k" not in s3.world.table("s3.objects")


def test_more_refusals_write_nothing(s3: S3Client) -> None:
    from tests.inprocess import call

    s3.request("PUT", "/edge")
    assert code(s3.request("PUT", "/nobucket/k", b"x")) == "NoSuchBucket"
    streaming = s3.signed("PUT", "/edge/k", b"x", payload="STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
    assert code(s3.send(streaming)) == "InvalidArgument"
    unsized = s3.signed("PUT", "/edge/k", b"x")
    headers = [(k.lower(), v) for k, v in unsized.headers.items()]
    assert code(call(s3.gateway, "PUT", unsized.url, headers, b"x")) == "MissingContentLength"
    head = s3.request("HEAD", "/edge/missing")
    assert head.status == 404 and head.raw == b""
    future = s3.signed("GET", "/edge", offset=-3600)
    assert code(s3.send(future)) == "RequestTimeTooSkewed"
    unexpiring = call(
        s3.gateway, "GET", "https://s3.amazonaws.com/edge?AWSAccessKeyId=a&Signature=b"
    )
    assert unexpiring.status == 403 and code(unexpiring) == "AccessDenied"
    sigv2 = call(s3.gateway, "GET", "https://s3.amazonaws.com/edge", [("authorization", "AWS a:b")])
    assert sigv2.status == 400 and code(sigv2) == "InvalidRequest"
    bad = s3.signed("GET", "/edge", headers={})
    bad.headers.replace_header(
        "Authorization",
        "AWS4-HMAC-SHA256 Credential=AKIANOPE/20231114/us-east-1/s3/aws4_request, "
        "SignedHeaders=host, Signature=" + "0" * 64,
    )
    assert code(s3.send(bad)) == "InvalidAccessKeyId"
    assert [k for k in s3.world.table("s3.objects") if k.startswith("edge/")] == []


def test_encoded_slash_and_list_parts(s3: S3Client) -> None:
    s3.request("PUT", "/edge2")
    assert s3.request("PUT", "/edge2/a%2Fb", b"1").status == 200
    assert "edge2/a/b" in s3.world.table("s3.objects")
    start = s3.request("POST", "/edge2/m?uploads").raw.decode()
    upload = re.search(r"<UploadId>([^<]*)</UploadId>", start).group(1)  # type: ignore[union-attr]
    s3.request("PUT", f"/edge2/m?partNumber=3&uploadId={upload}", b"abc")
    listed = s3.request("GET", f"/edge2/m?uploadId={upload}").raw.decode()
    assert re.findall(r"<PartNumber>(\d+)</PartNumber>", listed) == ["3"]
    assert (
        code(s3.request("PUT", f"/edge2/m?partNumber=10001&uploadId={upload}", b"x"))
        == "InvalidArgument"
    )
    assert code(s3.request("DELETE", "/edge2")) == "BucketNotEmpty"


def test_presign_not_valid_yet_and_bad_expiry(s3: S3Client) -> None:
    from tests.inprocess import call

    s3.request("PUT", "/edge3")
    s3.request("PUT", "/edge3/f", b"z")
    url = s3.presign("/edge3/f", expires=604801)
    assert code(call(s3.gateway, "GET", url)) == "AuthorizationQueryParametersError"
    tampered = s3.presign("/edge3/f").replace("X-Amz-Expires=60", "X-Amz-Expires=600")
    assert code(call(s3.gateway, "GET", tampered)) == "SignatureDoesNotMatch"


def test_routing_errors_are_xml_too(s3: S3Client) -> None:
    bucket = next(iter(s3.world.table("s3.buckets")))
    wrong = s3.request("PATCH", f"/{bucket}")
    assert wrong.status == 405 and wrong.headers["content-type"].startswith("application/xml")
    assert b"<Code>MethodNotAllowed</Code>" in wrong.raw and "PUT" in wrong.headers["allow"]
    # Path style through the gateway's prefix: /s3 is the service root, as /s3/ is.
    listed = call(s3.gateway, "GET", "http://127.0.0.1:8000/s3")
    assert listed.status == 403 and b"<Code>AccessDenied</Code>" in listed.raw


def test_delete_objects(s3: S3Client) -> None:
    """POST ?delete: the listed keys go (a missing one counts as deleted), Quiet lists none;
    Content-MD5 is required and checked."""
    import base64

    s3.request("PUT", "/batch")
    for key in ("a", "b", "c"):
        s3.request("PUT", f"/batch/{key}", b"x")
    doc = b"<Delete><Object><Key>a</Key></Object><Object><Key>zz</Key></Object></Delete>"
    md5 = {"content-md5": base64.b64encode(hashlib.md5(doc).digest()).decode()}
    done = s3.request("POST", "/batch?delete", doc, headers=md5)
    assert done.status == 200 and re.findall(rb"<Key>([^<]*)</Key>", done.raw) == [b"a", b"zz"]
    assert sorted(s3.world.table("s3.objects").with_prefix("batch/")) == ["batch/b", "batch/c"]
    quiet = doc.replace(b"<Delete>", b"<Delete><Quiet>true</Quiet>").replace(b">a<", b">b<")
    md5q = {"content-md5": base64.b64encode(hashlib.md5(quiet).digest()).decode()}
    assert b"<Deleted>" not in s3.request("POST", "/batch?delete", quiet, headers=md5q).raw
    assert code(s3.request("POST", "/batch?delete", doc)) == "InvalidRequest"
    assert code(s3.request("POST", "/batch?delete", doc + b" ", headers=md5)) == "BadDigest"
    assert code(s3.request("POST", "/batch", doc, headers=md5)) == "MethodNotAllowed"
    assert list(s3.world.table("s3.objects").with_prefix("batch/")) == ["batch/c"]
