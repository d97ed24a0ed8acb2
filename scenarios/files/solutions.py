"""Reference (and checksum-less) solutions of the file-server scenarios: HTTP only."""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import quote

from gym_apibench.solving import Exchange, Solution, SolutionError, auth_headers, request, send


def file_url(task: dict[str, Any], name: str) -> str:
    """The URL of the file ``name`` (percent-encoded, slashes kept)."""
    return f"{task['services']['files']}/files/{quote(name, safe='/')}"


def upload(task: dict[str, Any], name: str, data: bytes, *, checksum: bool = True) -> Exchange:
    """PUT ``data`` as ``name`` with its length and (unless naive) its SHA-256."""
    headers = {
        **auth_headers(task["credentials"]["files"]),
        "Content-Type": "application/octet-stream",
    }
    if checksum:
        headers["X-Checksum-Sha256"] = hashlib.sha256(data).hexdigest()
    action = request("PUT", file_url(task, name), headers=headers)
    action["body"] = data.decode("utf-8")
    return (yield from send(action))


def _copy(task: dict[str, Any], *, checksum: bool) -> Solution:
    inputs = task["inputs"]
    headers = auth_headers(task["credentials"]["files"])
    obs = yield from send(request("GET", file_url(task, inputs["source"]), headers=headers))
    if obs["status"] != 200:
        raise SolutionError(f"download: {obs['status']} {obs['body'][:200]}")
    data = obs["body"].encode("utf-8")
    yield from upload(task, inputs["target"], data, checksum=checksum)
    yield {"submit": hashlib.sha256(data).hexdigest()}


def copy_file(task: dict[str, Any]) -> Solution:
    """Download the source, upload it under the target name with its SHA-256."""
    yield from _copy(task, checksum=True)


def copy_file_without_checksum(task: dict[str, Any]) -> Solution:
    """Naive: the upload without X-Checksum-Sha256 (refused with 400)."""
    yield from _copy(task, checksum=False)
