"""The template service and the file server over real sockets (``apibench serve``), with
plain httpx and requests: streamed downloads, ranges, verified uploads, refusals that store
nothing (an interrupted upload included), and sandboxed renders."""

from __future__ import annotations

import hashlib
import random
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import requests

from tests.served import Served, serving

SCENARIO = "reports.stripe-segment-report"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    info = tmp_path_factory.mktemp("templates") / "info.json"
    with serving(Path(info), "--scenario", SCENARIO) as server:
        yield server


def _auth(served: Served, service: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {served.info['credentials'][service]['token']}"}


def _files(served: Served) -> str:
    return str(served.info["services"]["files"]) + "/files"


def _names(served: Served) -> list[str]:
    reply = httpx.get(_files(served), params={"limit": 1000}, headers=_auth(served, "files"))
    assert reply.status_code == 200
    return [f["name"] for f in reply.json()["files"]]


def _put(served: Served, name: str, data: Any, **headers: str) -> requests.Response:
    sent = {**_auth(served, "files"), "Content-Type": "application/octet-stream", **headers}
    return requests.put(f"{_files(served)}/{name}", data=data, headers=sent, timeout=30)


def test_upload_then_stream_the_download(served: Served) -> None:
    data = random.Random(7).randbytes(3 * 1024 * 1024 + 17)
    digest = hashlib.sha256(data).hexdigest()
    created = _put(served, "big/stream.bin", data, **{"X-Checksum-Sha256": digest})
    assert created.status_code == 201, created.text
    assert created.json()["sha256"] == digest
    received = hashlib.sha256()
    chunks = 0
    with httpx.stream(
        "GET", f"{_files(served)}/big/stream.bin", headers=_auth(served, "files")
    ) as r:
        assert r.status_code == 200
        assert r.headers["content-length"] == str(len(data))
        assert r.headers["x-checksum-sha256"] == digest
        for chunk in r.iter_bytes(chunk_size=65_536):
            received.update(chunk)
            chunks += 1
    assert received.hexdigest() == digest and chunks > 1


def test_ranges_and_conditional_requests(served: Served) -> None:
    url = f"{_files(served)}/samples/1KiB.bin"
    whole = requests.get(url, headers=_auth(served, "files"), timeout=10)
    assert whole.status_code == 200 and len(whole.content) == 1024
    part = requests.get(url, headers={**_auth(served, "files"), "Range": "bytes=-100"}, timeout=10)
    assert part.status_code == 206 and part.content == whole.content[-100:]
    assert part.headers["content-range"] == "bytes 924-1023/1024"
    cached = requests.get(
        url, headers={**_auth(served, "files"), "If-None-Match": whole.headers["etag"]}, timeout=10
    )
    assert cached.status_code == 304
    head = requests.head(url, headers=_auth(served, "files"), timeout=10)
    assert head.status_code == 200 and head.headers["content-length"] == "1024"


def test_a_checksum_mismatch_is_refused_and_stores_nothing(served: Served) -> None:
    wrong = hashlib.sha256(b"something else").hexdigest()
    reply = _put(served, "refused/mismatch.txt", b"hello", **{"X-Checksum-Sha256": wrong})
    assert reply.status_code == 422
    assert reply.json()["error"]["code"] == "checksum_mismatch"
    assert "refused/mismatch.txt" not in _names(served)


def test_a_chunked_upload_is_411(served: Served) -> None:
    def body() -> Iterator[bytes]:
        yield b"part one, "
        yield b"part two"

    digest = hashlib.sha256(b"part one, part two").hexdigest()
    reply = _put(served, "refused/chunked.txt", body(), **{"X-Checksum-Sha256": digest})
    assert reply.status_code == 411
    assert "refused/chunked.txt" not in _names(served)


def _raw(served: Served, head: str, body: bytes = b"") -> bytes:
    """Send a raw request (no body or a partial one), then read what comes back."""
    parts = urlsplit(served.info["services"]["files"])
    with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 80), 10) as s:
        s.sendall(head.encode() + body)
        s.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := s.recv(65_536):
            received += chunk
    return received


def _head(served: Served, name: str, length: int) -> str:
    parts = urlsplit(served.info["services"]["files"])
    token = served.info["credentials"]["files"]["token"]
    return (
        f"PUT {parts.path}/files/{name} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        f"Authorization: Bearer {token}\r\nContent-Type: application/octet-stream\r\n"
        f"X-Checksum-Sha256: {'0' * 64}\r\nContent-Length: {length}\r\n\r\n"
    )


def test_an_interrupted_upload_leaves_nothing(served: Served) -> None:
    _raw(served, _head(served, "refused/interrupted.bin", 100_000), b"x" * 1000)
    assert "refused/interrupted.bin" not in _names(served)  # and the server still answers


def test_an_oversized_upload_is_413_with_the_limit(served: Served) -> None:
    data = bytes(5 * 1024 * 1024)
    digest = hashlib.sha256(data).hexdigest()
    reply = _put(served, "refused/huge.bin", data, **{"X-Checksum-Sha256": digest})
    assert reply.status_code == 413
    assert reply.json()["error"]["limit"] == 4 * 1024 * 1024
    assert "refused/huge.bin" not in _names(served)


def test_templates_render_over_http(served: Served) -> None:
    base = served.info["services"]["templates"]
    headers = _auth(served, "templates")
    found = httpx.get(f"{base}/v1/templates", params={"name": "receipt"}, headers=headers)
    (template,) = found.json()["data"]
    data = {"number": "R-7", "customer": "A & B", "currency": "usd",
            "lines": [{"description": "Widget", "amount": 2500}]}  # fmt: skip
    rendered = httpx.post(
        f"{base}/v1/templates/{template['id']}/render", json={"data": data}, headers=headers
    )
    assert rendered.status_code == 200
    assert "A &amp; B" in rendered.json()["output"]
    assert rendered.json()["content_type"] == "text/html; charset=utf-8"
    escape = httpx.post(
        f"{base}/v1/render",
        json={"template": "{{ ''.__class__.__mro__[1].__subclasses__() }}"},
        headers=headers,
    )
    assert escape.status_code == 422
    assert escape.json()["error"]["type"] == "sandbox_violation"
