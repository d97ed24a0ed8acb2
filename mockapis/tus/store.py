"""Upload rows: ids, lookup with expiry, and the JSON a finished upload is listed as."""

from __future__ import annotations

from typing import Any

from mockapis.kit.ratelimit import http_date
from mockapis.tables import Record
from mockapis.tus.errors import tus_error
from mockapis.world import World

__all__ = [
    "EXPIRY_NS",
    "UPLOADS",
    "complete",
    "expires_header",
    "find_upload",
    "listing",
    "new_upload_id",
]

UPLOADS = "tus.uploads"
"""Upload id -> ``{"id", "account", "length" (None while deferred), "offset", "metadata",
"data" (base64 of the bytes received so far), "created_ns", "expires_ns" (None once complete)}``."""

EXPIRY_NS = 24 * 3600 * 10**9
"""An unfinished upload expires 24 hours after it was created or last written to."""


def new_upload_id(world: World) -> str:
    """A 32-hex-digit upload id drawn from the episode's RNG (tusd style)."""
    return f"{world.rng.getrandbits(128):032x}"


def complete(row: Record) -> bool:
    """Whether every declared byte has arrived."""
    return row["length"] is not None and row["offset"] == row["length"]


def expires_header(row: Record) -> dict[str, str]:
    """``Upload-Expires`` for an unfinished upload (none once complete)."""
    return {} if row["expires_ns"] is None else {"Upload-Expires": http_date(row["expires_ns"])}


def find_upload(world: World, account: str, upload_id: str) -> Record:
    """The account's upload ``upload_id``: 404 if unknown, 410 Gone once expired."""
    row = world.table(UPLOADS).get(upload_id)
    if row is None or row["account"] != account:
        raise tus_error(404, f"No upload {upload_id!r}.", "not_found")
    if row["expires_ns"] is not None and world.clock.now_ns >= row["expires_ns"]:
        raise tus_error(
            410,
            f"Upload {upload_id!r} expired at {http_date(row['expires_ns'])} and was removed; "
            "create a new upload.",
            "gone",
        )
    return row


def listing(row: Record, root: str) -> dict[str, Any]:
    """How ``GET /files/`` lists a finished upload."""
    return {
        "id": row["id"],
        "url": f"{root}/files/{row['id']}",
        "length": row["length"],
        "metadata": dict(row["metadata"]),
        "created_at": http_date(row["created_ns"]),
    }
