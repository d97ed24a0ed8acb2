"""The file server: downloads with ranges and ETags, verified uploads, literal names."""

from __future__ import annotations

import hashlib

import pytest

from mockapis.files.endpoints import MAX_FILE_SIZE
from tests.inprocess import Reply
from tests.mockapis.files.conftest import FilesClient

SAMPLE = "/files/samples/64KiB.bin"


def test_the_key_is_required(client: FilesClient) -> None:
    reply = client.send("GET", "/files", auth=False)
    assert reply.status == 401 and reply.json["error"]["code"] == "unauthorized"
    assert client.send("GET", "/files", {"Authorization": "Bearer nope"}, auth=False).status == 401


def test_seeded_files_have_fixed_sizes(client: FilesClient) -> None:
    files = {f["name"]: f for f in client.send("GET", "/files?prefix=samples/").json["files"]}
    assert {n: f["size"] for n, f in files.items()} == {
        "samples/1KiB.bin": 1024,
        "samples/64KiB.bin": 65_536,
        "samples/1MiB.bin": 1_048_576,
    }
    reply = client.send("GET", "/files/samples/1MiB.bin")
    assert reply.status == 200 and len(reply.raw) == 1_048_576
    assert reply.headers["content-length"] == "1048576"
    assert reply.headers["content-type"] == "application/octet-stream"
    digest = hashlib.sha256(reply.raw).hexdigest()
    assert reply.headers["x-checksum-sha256"] == digest == files["samples/1MiB.bin"]["sha256"]
    assert reply.headers["etag"] == f'"{digest}"'
    assert reply.headers["accept-ranges"] == "bytes"


def test_the_samples_differ_by_seed() -> None:
    one, two = FilesClient(1), FilesClient(2)
    assert one.send("GET", SAMPLE).raw != two.send("GET", SAMPLE).raw
    assert one.send("GET", SAMPLE).raw == FilesClient(1).send("GET", SAMPLE).raw


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [("bytes=0-99", 0, 99), ("bytes=65500-", 65500, 65535), ("bytes=-10", 65526, 65535),
     ("bytes=65530-99999", 65530, 65535), ("BYTES = 5 - 5", 5, 5)],
)  # fmt: skip
def test_single_ranges(client: FilesClient, header: str, first: int, last: int) -> None:
    whole = client.send("GET", SAMPLE).raw
    reply = client.send("GET", SAMPLE, {"Range": header})
    assert reply.status == 206
    assert reply.raw == whole[first : last + 1]
    assert reply.headers["content-range"] == f"bytes {first}-{last}/65536"
    assert reply.headers["content-length"] == str(last - first + 1)


@pytest.mark.parametrize("header", ["bytes=5-1", "bytes=0-1,4-5", "items=0-1", "bytes=-", "x"])
def test_invalid_or_multiple_ranges_send_the_whole_file(client: FilesClient, header: str) -> None:
    reply = client.send("GET", SAMPLE, {"Range": header})
    assert reply.status == 200 and len(reply.raw) == 65_536


@pytest.mark.parametrize("header", ["bytes=65536-", "bytes=70000-70001", "bytes=-0"])
def test_unsatisfiable_ranges(client: FilesClient, header: str) -> None:
    reply = client.send("GET", SAMPLE, {"Range": header})
    assert reply.status == 416
    assert reply.headers["content-range"] == "bytes */65536"
    assert reply.json["error"]["code"] == "range_not_satisfiable"


def test_etags_if_none_match_and_if_range(client: FilesClient) -> None:
    etag = client.send("GET", SAMPLE).headers["etag"]
    cached = client.send("GET", SAMPLE, {"If-None-Match": etag})
    assert cached.status == 304 and cached.raw == b""
    assert client.send("GET", SAMPLE, {"If-None-Match": '"other"'}).status == 200
    ranged = client.send("GET", SAMPLE, {"Range": "bytes=0-9", "If-Range": etag})
    assert ranged.status == 206
    stale = client.send("GET", SAMPLE, {"Range": "bytes=0-9", "If-Range": '"old"'})
    assert stale.status == 200 and len(stale.raw) == 65_536


def test_head_gives_headers_without_the_body(client: FilesClient) -> None:
    reply = client.send("HEAD", SAMPLE)
    assert reply.status == 200 and reply.raw == b""
    assert reply.headers["content-length"] == "65536"
    assert "etag" in reply.headers


def test_upload_then_download_and_replace(client: FilesClient) -> None:
    data = bytes(range(256)) * 10
    created = client.upload("/files/out/blob.bin", data)
    assert created.status == 201, created.raw
    assert created.json["size"] == 2560
    assert created.json["sha256"] == hashlib.sha256(data).hexdigest()
    assert created.headers["location"] == "/files/out/blob.bin"
    assert client.send("GET", "/files/out/blob.bin").raw == data
    replaced = client.upload("/files/out/blob.bin", b"new")
    assert replaced.status == 200
    assert replaced.json["created_at"] == created.json["created_at"]
    assert client.send("GET", "/files/out/blob.bin").raw == b"new"


def test_names_are_literal(client: FilesClient) -> None:
    for name, path in [
        ("../../etc/passwd", "/files/%2E%2E/%2E%2E/etc/passwd"),
        ("a//b", "/files/a//b"),
        ("with space é.txt", "/files/with%20space%20%C3%A9.txt"),
        ("a%2Fb", "/files/a%252Fb"),
    ]:
        assert client.upload(path, name.encode()).status == 201, name
        assert client.send("GET", path).raw == name.encode()
        assert name in client.names()
    stored = {row["name"] for row in client.world.table("files.files").values()}
    assert "../../etc/passwd" in stored


def test_bad_names(client: FilesClient) -> None:
    assert client.upload("/files/", b"x").json["error"]["code"] == "invalid_name"
    assert client.upload("/files/a%00b", b"x").json["error"]["code"] == "invalid_name"
    assert client.upload("/files/" + "n" * 1025, b"x").json["error"]["code"] == "invalid_name"


def _refused(client: FilesClient, reply_status: int, code: str, reply: Reply) -> None:
    assert reply.status == reply_status, reply.raw
    assert reply.json["error"]["code"] == code
    assert "out/refused.bin" not in client.names()


def test_refused_uploads_store_nothing(client: FilesClient) -> None:
    path = "/files/out/refused.bin"
    data = b"payload bytes"
    right = hashlib.sha256(data).hexdigest()
    wrong = hashlib.sha256(b"other").hexdigest()
    before = client.world.state_hash()
    _refused(client, 422, "checksum_mismatch", client.upload(path, data, X_Checksum_Sha256=wrong))
    _refused(
        client,
        400,
        "checksum_required",
        client.send(
            "PUT", path, {"Content-Type": "application/octet-stream", "Content-Length": "13"}, data
        ),
    )
    _refused(client, 400, "invalid_checksum", client.upload(path, data, X_Checksum_Sha256="abc"))
    _refused(
        client, 415, "unsupported_media_type", client.upload(path, data, Content_Type="text/plain")
    )
    _refused(
        client,
        415,
        "unsupported_media_type",
        client.upload(path, data, Content_Type="multipart/form-data; boundary=x"),
    )
    _refused(client, 400, "size_mismatch", client.upload(path, data, Content_Length="5"))
    _refused(client, 400, "invalid_length", client.upload(path, data, Content_Length="-1"))
    assert client.upload(path, data, X_Checksum_Sha256=right.upper()).status == 201
    assert client.world.state_hash() != before  # the last one did store


def test_content_length_is_required() -> None:
    client = FilesClient()
    from mockapis.asgi import build_scope, drive

    headers = [
        ("authorization", f"Bearer {client.creds['token']}"),
        ("content-type", "application/octet-stream"),
        ("x-checksum-sha256", hashlib.sha256(b"x").hexdigest()),
        ("transfer-encoding", "chunked"),
    ]
    scope = build_scope("PUT", "https://files.apibench.example/files/c.bin", headers)
    reply = drive(client.gateway, scope, b"x")
    assert reply.status == 411


def test_oversized_uploads_are_413_with_the_limit(client: FilesClient) -> None:
    data = b"\0" * (MAX_FILE_SIZE + 1)
    reply = client.upload("/files/big.bin", data)
    assert reply.status == 413
    assert reply.json["error"]["limit"] == MAX_FILE_SIZE
    assert str(MAX_FILE_SIZE) in reply.json["error"]["message"]
    assert client.upload("/files/big.bin", data[:-1]).status == 201  # exactly the limit


def test_preconditions(client: FilesClient) -> None:
    created = client.upload("/files/p.txt", b"1", If_None_Match="*")
    assert created.status == 201
    assert client.upload("/files/p.txt", b"2", If_None_Match="*").status == 412
    etag = created.headers["etag"]
    assert client.upload("/files/p.txt", b"2", If_Match='"nope"').status == 412
    assert client.upload("/files/p.txt", b"2", If_Match=etag).status == 200
    assert client.send("GET", "/files/p.txt").raw == b"2"
    assert client.send("DELETE", "/files/p.txt", {"If-Match": etag}).status == 412


def test_delete(client: FilesClient) -> None:
    assert client.send("DELETE", SAMPLE).status == 204
    assert client.send("GET", SAMPLE).status == 404
    assert client.send("DELETE", SAMPLE).json["error"]["code"] == "file_not_found"


def test_listing_pages_by_name(client: FilesClient) -> None:
    names = client.names()
    assert names == sorted(names) and len(names) == 8
    seen: list[str] = []
    after = ""
    while True:
        page = client.send("GET", f"/files?limit=3&after={after}").json
        seen += [f["name"] for f in page["files"]]
        if not page["has_more"]:
            assert page["next_after"] is None
            break
        after = page["next_after"]
    assert seen == names
    assert client.send("GET", "/files?limit=0").status == 400
