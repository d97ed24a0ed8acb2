"""Every S3 response conforms to botocore's S3 service model (issue 18).

The model ships with botocore (a test dependency), so these tests never skip. See
:mod:`tests.conformance.s3_suite` for the exchanges and :mod:`tests.conformance.s3_model`
for the checks.
"""

from __future__ import annotations

import pytest

from mockapis.s3.common import NOT_EMULATED
from tests.conformance.s3_model import (
    check_response,
    operation_for,
    operations,
    path_style,
    query_of,
)
from tests.conformance.s3_suite import (
    EMULATED,
    allowances,
    check_s3,
    emulated_operations,
    summarise_s3,
)
from tests.conformance.suite import Outcome, describe


@pytest.fixture(scope="module")
def outcomes() -> list[Outcome]:
    return check_s3()


def test_s3_responses_conform_to_the_service_model(outcomes: list[Outcome]) -> None:
    summary = summarise_s3(outcomes)
    assert summary.validated > 0 and summary.valid == summary.validated
    failures = sorted({describe(f) for f in summary.failures})
    assert not failures, f"{len(failures)} nonconforming:\n" + "\n".join(failures[:40])
    assert not summary.unknown_paths, f"requests no operation matches: {summary.unknown_paths}"
    assert not summary.unexercised, f"emulated, never exercised: {sorted(summary.unexercised)}"
    unused = [
        f"{a.operation} {a.match}"
        for a in allowances()
        if not any(a.covers(o.check, e) for o in outcomes for e in o.allowed)
    ]
    assert not unused, f"allow-list entries that excuse nothing: {unused}"


def test_every_route_serves_an_emulated_operation_of_the_model() -> None:
    emulated, unmatched = emulated_operations()
    assert not unmatched, f"routes serving no operation of the model: {sorted(unmatched)}"
    assert emulated == EMULATED, f"emulated without a route: {sorted(EMULATED - emulated)}"


def test_sub_resources_of_operations_not_emulated_are_refused() -> None:
    """Every sub-resource (``?tagging``) that selects a model operation the service does not
    emulate, on a path it serves, answers 501 (the mock's list covers the model's)."""
    served = {(o.method, o.path) for o in operations() if o.name in EMULATED}
    emulated_keys = {k for o in operations() if o.name in EMULATED for k, _ in o.query}
    wanted = {
        key
        for o in operations()
        if o.name not in EMULATED and (o.method, o.path) in served
        for key, _ in o.query
    }
    # ?uploads is CreateMultipartUpload's on an object and refused on a bucket by the route
    assert wanted - emulated_keys <= NOT_EMULATED, sorted(wanted - emulated_keys - NOT_EMULATED)


@pytest.mark.parametrize(
    ("method", "host", "target", "headers", "expected"),
    [
        ("GET", "s3.amazonaws.com", "/", {}, "ListBuckets"),
        ("GET", "s3.amazonaws.com", "/b", {}, "ListObjects"),
        ("GET", "s3.amazonaws.com", "/b?list-type=2&prefix=a", {}, "ListObjectsV2"),
        ("GET", "b.s3.amazonaws.com", "/?list-type=2", {}, "ListObjectsV2"),
        ("GET", "s3.amazonaws.com", "/b?location", {}, "GetBucketLocation"),
        ("POST", "s3.amazonaws.com", "/b?delete", {}, "DeleteObjects"),
        ("GET", "b.s3.us-east-1.amazonaws.com", "/a/b.txt", {}, "GetObject"),
        ("PUT", "s3.amazonaws.com", "/b/k", {}, "PutObject"),
        ("PUT", "s3.amazonaws.com", "/b/k", {"X-Amz-Copy-Source": "b/j"}, "CopyObject"),
        ("PUT", "s3.amazonaws.com", "/b/k?partNumber=1&uploadId=u", {}, "UploadPart"),
        ("POST", "s3.amazonaws.com", "/b/k?uploads", {}, "CreateMultipartUpload"),
        ("POST", "s3.amazonaws.com", "/b/k?uploadId=u", {}, "CompleteMultipartUpload"),
        ("GET", "s3.amazonaws.com", "/b/k?uploadId=u", {}, "ListParts"),
        ("DELETE", "s3.amazonaws.com", "/b/k?uploadId=u", {}, "AbortMultipartUpload"),
        ("GET", "s3.amazonaws.com", "/b/k?tagging", {}, "GetObjectTagging"),
    ],
)
def test_requests_map_to_the_most_specific_operation(
    method: str, host: str, target: str, headers: dict[str, str], expected: str
) -> None:
    path, _, query = target.partition("?")
    found = operation_for(method, path_style(host, path), query_of(query), headers)
    assert found is not None and found.name == expected


def test_the_allow_list_is_reasoned_and_names_real_operations() -> None:
    names = {o.name for o in operations()}
    for entry in allowances():
        assert entry.operation in names and len(entry.reason) > 20, entry


def test_the_checker_can_fail() -> None:
    """Crafted responses that break the model are reported, each for what it breaks."""
    listing = operation_for("GET", "/b", {"list-type": "2"}, {})
    assert listing is not None and listing.name == "ListObjectsV2"
    ns = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"'
    good = (
        f"<ListBucketResult {ns}><Name>b</Name><KeyCount>1</KeyCount>"
        "<IsTruncated>false</IsTruncated><Contents><Key>k</Key>"
        "<LastModified>2024-01-15T09:00:00.000Z</LastModified><Size>3</Size>"
        "<StorageClass>STANDARD</StorageClass></Contents></ListBucketResult>"
    )
    xml = {"content-type": "application/xml"}
    assert check_response(listing, "GET", 200, xml, good.encode()) == []
    for broken, expected in [
        (good.replace("<KeyCount>1<", "<KeyCount>one<"), "KeyCount: 'one' is not an integer"),
        (good.replace("false", "no"), "IsTruncated: 'no' is not true/false"),
        (good.replace("<Name>b</Name>", "<Nmae>b</Nmae>"), "Nmae: not a member"),
        (good.replace(".000Z", ""), "is not an ISO 8601 timestamp"),
        (good.replace("STANDARD", "CHEAP"), "'CHEAP' is not one of"),
        (good.replace(f" {ns}", ""), "not S3's"),
        (good.replace("ListBucketResult", "ListResult"), "where S3 answers <ListBucketResult>"),
        (good[:-5], "the body is not XML"),
        ("", "no body, where S3 answers <ListBucketResult>"),
        (good.replace("<Size>", "<ETag>abc</ETag><Size>"), "'abc' is not a quoted entity tag"),
    ]:
        errors = check_response(listing, "GET", 200, xml, broken.encode())
        assert any(expected in e for e in errors), (expected, errors)
    get = operation_for("GET", "/b/k", {}, {})
    assert get is not None and get.name == "GetObject"
    dated = {"last-modified": "2024-01-15T09:00:00Z", "etag": "abc", "x-amz-flavour": "1"}
    errors = check_response(get, "GET", 200, dated, b"data")
    assert any("not an RFC 7231 date" in e for e in errors)
    assert any("not a quoted entity tag" in e for e in errors)
    assert any("x-amz-flavour: not in the operation's output" in e for e in errors)
    error = b"<Error><Code>NoSuchKey</Code><Message>gone</Message></Error>"
    assert check_response(get, "GET", 404, xml, error) == []
    assert check_response(get, "GET", 400, xml, error) != []  # NoSuchKey is a 404
    invented = error.replace(b"NoSuchKey", b"KeyMissing")
    assert any("not the operation's" in e for e in check_response(get, "GET", 404, xml, invented))
    assert check_response(get, "GET", 201, {}, b"") != []  # not the operation's status
