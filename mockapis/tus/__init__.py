"""A tus 1.0 resumable-upload server (``uploads.apibench.example``), tusd style.

Stored tables:

- ``tus.uploads``: upload id (32 hex digits) -> ``{"id", "account", "length" (None while
  deferred), "offset", "metadata" {key: text}, "data" (base64 of the bytes received),
  "created_ns", "expires_ns" (None once complete)}``.
- ``tus._keys``: API key -> ``{"token", "account"}``.

Emulated: ``OPTIONS /files/`` (capabilities), ``POST /files/`` (creation, with
``Upload-Length`` or ``Upload-Defer-Length``, ``Upload-Metadata`` and creation-with-upload),
``HEAD``/``PATCH``/``DELETE /files/{id}`` (core, termination), ``Upload-Checksum`` (md5, sha1,
sha256; 460 on mismatch), expiration (24 h after the last write, on the virtual clock),
``X-HTTP-Method-Override``; beyond tus, ``GET /files/`` lists finished uploads as JSON and
``GET /files/{id}`` downloads one. A request body may carry at most 4096 bytes
(``Tus-Max-Chunk-Size``): bigger ones are refused with 413.
"""

from mockapis.service import Service
from mockapis.tus import uploads
from mockapis.tus.data import DEFAULT_SIZES, seed
from mockapis.tus.errors import render_error

__all__ = ["SERVICE"]

SERVICE = Service(
    name="tus",
    hosts=("uploads.apibench.example",),
    routes=uploads.ROUTES,
    spec="tus.openapi.yaml",
    render_error=render_error,
    seed=seed,
    description="A tus 1.0 resumable-upload server: creation, PATCH chunks of at most 4 KiB, "
    "checksums, termination, expiration.",
    default_sizes=DEFAULT_SIZES,
)
