"""Stored files: the table (keyed by account and the literal name), metadata and bytes."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from typing import Any

from mockapis.tables import Record

__all__ = ["FILES", "content", "etag", "file_key", "iso", "metadata", "new_row"]

FILES = "files.files"
"""``<account>/<name>`` -> ``{"account", "name", "size", "sha256", "data" (base64),
"created_at", "updated_at"}``; names are stored literally (``../x`` is just a name)."""


def file_key(account: str, name: str) -> str:
    """The row key of ``name`` in ``account``."""
    return f"{account}/{name}"


def iso(ns: int) -> str:
    """``ns`` since the epoch as RFC 3339 in whole seconds."""
    return dt.datetime.fromtimestamp(ns // 1_000_000_000, tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_row(account: str, name: str, data: bytes, now: str, created: str | None = None) -> Record:
    """A stored file holding ``data``."""
    return {
        "account": account,
        "name": name,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "data": base64.b64encode(data).decode("ascii"),
        "created_at": created or now,
        "updated_at": now,
    }


def content(row: Record) -> bytes:
    """The file's bytes."""
    return base64.b64decode(row["data"])


def etag(row: Record) -> str:
    """The strong entity tag: the quoted SHA-256 of the bytes."""
    return f'"{row["sha256"]}"'


def metadata(row: Record) -> dict[str, Any]:
    """The file as listings and uploads describe it."""
    return {
        "name": row["name"],
        "size": row["size"],
        "sha256": row["sha256"],
        "etag": etag(row),
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }
