"""OpenAlex (``api.openalex.org``): scholarly works, public, no auth.

Stored table (every row is exactly what the API returns for it):

- ``openalex.works``: ``"W%012d"`` of the work's number -> ``{"id"
  ("https://openalex.org/W..."), "doi", "title", "display_name", "publication_year",
  "publication_date", "language", "type", "open_access" {"is_oa", "oa_status", "oa_url",
  "any_repository_has_fulltext"}, "authorships", "primary_location", "cited_by_count",
  "created_date", "updated_date"}``.

Emulated: ``GET /works`` with the ``filter`` grammar subset of :mod:`mockapis.openalex.filters`,
``sort``, ``select``, ``per-page`` (or ``per_page``, 1-200, default 25), basic paging with
``page`` (only the first 10,000 results: OpenAlex's 400 past them) and cursor paging
(``cursor=*``, then ``meta.next_cursor`` until it is null); ``meta.count``; ``GET
/works/{id}``. Errors are ``{"error", "message"}``.
"""

from mockapis.openalex import drift, works
from mockapis.openalex.data import DEFAULT_SIZES, seed
from mockapis.openalex.errors import render_error
from mockapis.service import Service

__all__ = ["SERVICE"]

SERVICE = Service(
    name="openalex",
    hosts=("api.openalex.org",),
    routes=works.ROUTES,
    spec="openalex.openapi.yaml",
    render_error=render_error,
    seed=seed,
    description="OpenAlex works: filter grammar, per-page <= 200, 10,000 cap, cursor paging.",
    default_sizes=DEFAULT_SIZES,
    clone=drift.clone,
)
