"""The tus 1.0 server in-process: capabilities, creation, chunks, resume, checksum,
termination, expiration, the protocol errors, and the JSON listing and download."""

from __future__ import annotations

import base64
import hashlib

import pytest

from mockapis.tus.store import EXPIRY_NS, UPLOADS
from tests.mockapis.tus.conftest import TusClient

STREAM = {"Content-Type": "application/offset+octet-stream"}


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_options_advertises_version_extensions_and_limits(tus: TusClient) -> None:
    reply = tus.send("OPTIONS", "/files/", auth=False, version=False)
    assert reply.status == 204
    assert reply.headers["tus-resumable"] == "1.0.0"
    assert reply.headers["tus-version"] == "1.0.0"
    assert reply.headers["tus-max-size"] == "1048576"
    assert reply.headers["tus-max-chunk-size"] == "4096"
    assert reply.headers["tus-extension"] == (
        "creation,creation-with-upload,termination,checksum,expiration"
    )
    assert reply.headers["tus-checksum-algorithm"] == "md5,sha1,sha256"


def test_create_head_patch_complete_then_listed_and_downloadable(tus: TusClient) -> None:
    meta = f"filename {b64(b'a.txt')},private"
    path = tus.create(10, **{"Upload-Metadata": meta})
    assert path.startswith("/files/") and len(path) == len("/files/") + 32
    head = tus.send("HEAD", path)
    assert head.status == 200
    assert head.headers["upload-offset"] == "0"
    assert head.headers["upload-length"] == "10"
    assert head.headers["cache-control"] == "no-store"
    assert head.headers["tus-resumable"] == "1.0.0"
    assert head.headers["upload-metadata"] == meta
    assert "upload-expires" in head.headers
    upload_id = path.rsplit("/", 1)[1]
    listed = [f["id"] for f in tus.send("GET", "/files/").json["files"]]
    assert upload_id not in listed and len(listed) == 3
    assert tus.send("GET", path).status == 404  # incomplete: no file yet
    first = tus.patch(path, 0, b"hello")
    assert first.status == 204 and first.headers["upload-offset"] == "5"
    assert tus.send("GET", path).json["error"]["code"] == "upload_incomplete"
    second = tus.patch(path, 5, b"world")
    assert second.status == 204 and second.headers["upload-offset"] == "10"
    assert "upload-expires" not in second.headers
    got = tus.send("GET", path)
    assert got.status == 200 and got.raw == b"helloworld"
    assert got.headers["content-disposition"] == 'attachment; filename="a.txt"'
    files = tus.send("GET", "/files/").json["files"]
    assert files[-1]["id"] == upload_id
    assert files[-1]["metadata"] == {"filename": "a.txt", "private": ""}
    assert tus.world.table(UPLOADS)[upload_id]["data"] == b64(b"helloworld")


def test_resume_after_a_partial_patch(tus: TusClient) -> None:
    data = bytes(range(256)) * 4
    path = tus.create(len(data))
    assert tus.patch(path, 0, data[:300]).status == 204
    # The client lost the response: it asks where to continue, then sends the rest.
    assert tus.patch(path, 0, data[:300]).status == 409
    offset = int(tus.send("HEAD", path).headers["upload-offset"])
    assert offset == 300
    assert tus.patch(path, offset, data[offset:]).status == 204
    assert tus.send("GET", path).raw == data


def test_creation_with_upload_and_deferred_length(tus: TusClient) -> None:
    reply = tus.send("POST", "/files/", {"Upload-Length": "6", **STREAM}, b"abc")
    assert reply.status == 201 and reply.headers["upload-offset"] == "3"
    deferred = tus.create(None)
    head = tus.send("HEAD", deferred)
    assert head.headers["upload-defer-length"] == "1" and "upload-length" not in head.headers
    assert tus.patch(deferred, 0, b"xy", **{"Upload-Length": "2"}).status == 204
    assert tus.send("GET", deferred).raw == b"xy"


@pytest.mark.parametrize("algorithm", ["md5", "sha1", "sha256"])
def test_checksum_accepted(tus: TusClient, algorithm: str) -> None:
    path = tus.create(4)
    digest = b64(hashlib.new(algorithm, b"data").digest())
    reply = tus.patch(path, 0, b"data", **{"Upload-Checksum": f"{algorithm} {digest}"})
    assert reply.status == 204 and reply.headers["upload-offset"] == "4"


def test_checksum_mismatch_discards_the_chunk(tus: TusClient) -> None:
    path = tus.create(4)
    wrong = b64(hashlib.sha1(b"other").digest())
    reply = tus.patch(path, 0, b"data", **{"Upload-Checksum": f"sha1 {wrong}"})
    assert reply.status == 460
    assert reply.json["error"]["code"] == "checksum_mismatch"
    assert reply.headers["tus-resumable"] == "1.0.0"
    assert tus.send("HEAD", path).headers["upload-offset"] == "0"
    row = tus.world.table(UPLOADS)[path.rsplit("/", 1)[1]]
    assert row["data"] == "" and row["offset"] == 0


def test_checksum_unsupported_algorithm_is_400(tus: TusClient) -> None:
    path = tus.create(4)
    reply = tus.patch(path, 0, b"data", **{"Upload-Checksum": "crc32 AAAA"})
    assert reply.status == 400
    assert reply.json["error"]["code"] == "unsupported_checksum_algorithm"
    assert tus.send("HEAD", path).headers["upload-offset"] == "0"


def test_missing_or_unsupported_tus_resumable_is_412(tus: TusClient) -> None:
    path = tus.create(4)
    missing = tus.send("HEAD", path, version=False)
    assert missing.status == 412 and missing.headers["tus-version"] == "1.0.0"
    old = tus.send("PATCH", path, {"Tus-Resumable": "0.2.2", **STREAM, "Upload-Offset": "0"})
    assert old.status == 412 and old.headers["tus-version"] == "1.0.0"
    assert tus.send("POST", "/files/", {"Upload-Length": "1"}, version=False).status == 412


def test_wrong_content_type_is_415(tus: TusClient) -> None:
    path = tus.create(4)
    reply = tus.send(
        "PATCH", path, {"Content-Type": "application/json", "Upload-Offset": "0"}, b"data"
    )
    assert reply.status == 415
    body = tus.send("POST", "/files/", {"Upload-Length": "4", "Content-Type": "text/plain"}, b"x")
    assert body.status == 415


def test_beyond_length_or_limits_is_413(tus: TusClient) -> None:
    path = tus.create(4)
    assert tus.patch(path, 0, b"12345").status == 413
    assert tus.send("HEAD", path).headers["upload-offset"] == "0"
    big = tus.create(10_000)
    over = tus.patch(big, 0, b"x" * 4097)
    assert over.status == 413 and over.json["error"]["code"] == "chunk_too_large"
    assert tus.patch(big, 0, b"x" * 4096).status == 204
    too_long = tus.send("POST", "/files/", {"Upload-Length": str(1_048_577)})
    assert too_long.status == 413


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Upload-Length": "-1"},
        {"Upload-Length": "abc"},
        {"Upload-Length": "3", "Upload-Defer-Length": "1"},
        {"Upload-Defer-Length": "2"},
        {"Upload-Length": "3", "Upload-Metadata": "filename not*base64"},
        {"Upload-Length": "3", "Upload-Metadata": "a YQ==,a YQ=="},
        {"Upload-Length": "3", "Upload-Metadata": "a YQ== extra"},
    ],
)
def test_bad_creation_headers_are_400(tus: TusClient, headers: dict[str, str]) -> None:
    before = len(tus.world.table(UPLOADS))
    reply = tus.send("POST", "/files/", headers)
    assert reply.status == 400, reply.raw
    assert reply.headers["tus-resumable"] == "1.0.0"
    assert len(tus.world.table(UPLOADS)) == before


@pytest.mark.parametrize("offset", [None, "", "x", "-3", "1.5"])
def test_bad_upload_offset_is_400(tus: TusClient, offset: str | None) -> None:
    path = tus.create(4)
    headers = dict(STREAM)
    if offset is not None:
        headers["Upload-Offset"] = offset
    assert tus.send("PATCH", path, headers, b"data").status == 400


def test_auth_is_required(tus: TusClient) -> None:
    assert tus.send("GET", "/files/", auth=False).status == 401
    bad = tus.send("GET", "/files/", {"Authorization": "Bearer nope"}, auth=False)
    assert bad.status == 401 and "www-authenticate" in bad.headers


def test_termination(tus: TusClient) -> None:
    path = tus.create(4)
    assert tus.send("DELETE", path).status == 204
    assert tus.send("HEAD", path).status == 404
    assert tus.patch(path, 0, b"data").status == 404


def test_expiration_on_the_virtual_clock(tus: TusClient) -> None:
    path = tus.create(8)
    assert tus.patch(path, 0, b"1234").status == 204
    tus.world.clock.advance(EXPIRY_NS / 1e9 - 3600)
    head = tus.send("HEAD", path)
    assert head.status == 200 and head.headers["upload-expires"].endswith("GMT")
    tus.world.clock.advance(2 * 3600)
    assert tus.patch(path, 4, b"5678").status == 410
    assert tus.send("HEAD", path).status == 410


def test_method_override(tus: TusClient) -> None:
    path = tus.create(4)
    over = {"X-HTTP-Method-Override": "PATCH", "Upload-Offset": "0", **STREAM}
    assert tus.send("POST", path, over, b"data").status == 204
    assert tus.send("POST", path, {"X-HTTP-Method-Override": "GET"}).raw == b"data"
    assert tus.send("POST", path).status == 405
    assert tus.send("POST", path, {"X-HTTP-Method-Override": "DELETE"}).status == 204
    assert tus.send("GET", path).status == 404


def test_ids_are_deterministic() -> None:
    first, second = TusClient(3), TusClient(3)
    assert first.create(1) == second.create(1)
    assert sorted(first.world.table(UPLOADS)) == sorted(second.world.table(UPLOADS))
