"""The ``tuspy`` client (tusclient) against ``apibench serve``: chunked upload with
checksums, and resuming an interrupted upload from the server's offset."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from tusclient.client import TusClient
from tusclient.exceptions import TusCommunicationError

from tests.served import Served, serving

SCENARIO = "tus.upload-file"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    info = tmp_path_factory.mktemp("tus") / "info.json"
    with serving(Path(info), "--scenario", SCENARIO) as server:
        yield server


def _auth(served: Served) -> dict[str, str]:
    return {"Authorization": f"Bearer {served.info['credentials']['tus']['token']}"}


@pytest.fixture(scope="module")
def client(served: Served) -> TusClient:
    return TusClient(served.info["services"]["tus"] + "/files/", headers=_auth(served))


def _download(served: Served, url: str) -> httpx.Response:
    headers = {**_auth(served), "Tus-Resumable": "1.0.0"}
    return httpx.get(url, headers=headers)


def _listed(served: Served) -> list[dict[str, Any]]:
    base = served.info["services"]["tus"]
    reply = httpx.get(base + "/files/", headers={**_auth(served), "Tus-Resumable": "1.0.0"})
    files: list[dict[str, Any]] = reply.json()["files"]
    return files


def test_chunked_upload_with_checksums(served: Served, client: TusClient) -> None:
    data = b"".join(f"line {i}\n".encode() for i in range(1500))
    uploader = client.uploader(
        file_stream=io.BytesIO(data),
        chunk_size=4000,
        metadata={"filename": "lines.txt"},
        upload_checksum=True,
    )
    uploader.upload()
    assert uploader.offset == len(data) > 8000
    assert uploader.url is not None
    assert _download(served, uploader.url).content == data
    assert [f["metadata"] for f in _listed(served) if f["url"].endswith(uploader.url[-32:])] == [
        {"filename": "lines.txt"}
    ]


def test_resume_an_interrupted_upload(served: Served, client: TusClient) -> None:
    data = bytes(range(256)) * 40
    first = client.uploader(file_stream=io.BytesIO(data), chunk_size=2048)
    first.upload(stop_at=4096)
    assert first.offset == 4096 and first.url is not None
    assert _download(served, first.url).status_code == 404  # not a file yet
    resumed = client.uploader(file_stream=io.BytesIO(data), url=first.url, chunk_size=4096)
    assert resumed.offset == 4096  # asked the server with HEAD
    resumed.upload()
    assert _download(served, first.url).content == data


def test_a_chunk_over_the_limit_is_refused(client: TusClient) -> None:
    uploader = client.uploader(file_stream=io.BytesIO(b"x" * 5000), chunk_size=5000)
    with pytest.raises(TusCommunicationError, match="413"):
        uploader.upload()
