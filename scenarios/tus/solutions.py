"""Reference (and one-big-PATCH) solutions of the tus scenarios: HTTP only."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urljoin

from gym_apibench.solving import (
    Exchange,
    Solution,
    SolutionError,
    Unachievable,
    auth_headers,
    request,
    send,
)

CHUNK = 4096
"""The documented per-request body limit."""


def _headers(task: dict[str, Any], **extra: str) -> dict[str, str]:
    return {**auth_headers(task["credentials"]["tus"]), "Tus-Resumable": "1.0.0", **extra}


def _create(task: dict[str, Any], data: bytes) -> Exchange:
    """POST /files/ with the length and filename; returns the upload's absolute URL."""
    base = task["services"]["tus"] + "/files/"
    name = base64.b64encode(task["inputs"]["filename"].encode()).decode()
    headers = _headers(
        task, **{"Upload-Length": str(len(data)), "Upload-Metadata": f"filename {name}"}
    )
    obs = yield from send(request("POST", base, headers=headers))
    if obs["status"] == 0:
        raise Unachievable(
            "lost-write: the new upload's URL was only in the lost creation response; the "
            "server lists finished uploads only, and a second creation adds a second upload"
        )
    if obs["status"] != 201:
        raise SolutionError(f"creation failed: {obs['status']} {obs['body'][:300]}")
    location = {k.lower(): v for k, v in obs["headers"].items()}["location"]
    return {"url": urljoin(base, location)}


def _patch(task: dict[str, Any], url: str, offset: int, chunk: bytes) -> Exchange:
    headers = _headers(
        task,
        **{"Content-Type": "application/offset+octet-stream", "Upload-Offset": str(offset)},
    )
    action = request("PATCH", url, headers=headers)
    action["body"] = chunk.decode("utf-8")
    return (yield from send(action))


def _offset(task: dict[str, Any], url: str) -> Exchange:
    obs = yield from send(request("HEAD", url, headers=_headers(task)))
    return {"offset": int({k.lower(): v for k, v in obs["headers"].items()}["upload-offset"])}


def upload_file(task: dict[str, Any]) -> Solution:
    """Create the upload, PATCH 4096-byte chunks (asking HEAD after a failure), submit the id."""
    data = task["inputs"]["content"].encode()
    created = yield from _create(task, data)
    url = created["url"]
    offset = 0
    while offset < len(data):
        obs = yield from _patch(task, url, offset, data[offset : offset + CHUNK])
        if obs["status"] == 204:
            offset = int({k.lower(): v for k, v in obs["headers"].items()}["upload-offset"])
        else:
            found = yield from _offset(task, url)
            offset = found["offset"]
    yield {"submit": url.rstrip("/").rsplit("/", 1)[1]}


def upload_file_one_patch(task: dict[str, Any]) -> Solution:
    """Naive: the whole file in one PATCH (refused: over the per-request limit)."""
    data = task["inputs"]["content"].encode()
    created = yield from _create(task, data)
    url = created["url"]
    yield from _patch(task, url, 0, data)
    yield {"submit": url.rstrip("/").rsplit("/", 1)[1]}
