"""A binary file server (``files.apibench.example``), fictional: named files in an account,
downloads with ranges and ETags, uploads verified against a declared size and SHA-256.

Stored tables:

- ``files.files``: ``<account>/<name>`` -> ``{"account", "name", "size", "sha256", "data"
  (base64 of the bytes), "created_at", "updated_at"}``. Names are stored literally (``../x``
  or ``a//b`` are just names): nothing ever touches a disk.
- ``files._keys``: API key -> ``{"token", "account"}``.

Emulated: ``GET /files`` (prefix, ``after`` pages), ``GET``/``HEAD /files/{name}`` (one
``Range``, ``If-Range``, ``If-None-Match``/304), ``PUT /files/{name}`` (``application/
octet-stream``, ``Content-Length`` required, ``X-Checksum-Sha256`` required, 4 MiB at most,
``If-Match``/``If-None-Match``), ``DELETE /files/{name}``. A refused or interrupted upload
stores nothing: the file is written only after its whole body has been checked.
"""

from mockapis.files import endpoints
from mockapis.files.data import DEFAULT_SIZES, seed
from mockapis.files.errors import render_error
from mockapis.service import Service

__all__ = ["SERVICE"]

SERVICE = Service(
    name="files",
    hosts=("files.apibench.example",),
    routes=endpoints.ROUTES,
    spec="files.openapi.yaml",
    render_error=render_error,
    seed=seed,
    description="A binary file server: ranged downloads with ETags, uploads verified by "
    "size and SHA-256, 4 MiB per file.",
    default_sizes=DEFAULT_SIZES,
)
