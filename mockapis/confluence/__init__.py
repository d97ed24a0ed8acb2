"""Confluence Cloud REST API v1 (``apibench.atlassian.net``, under ``/wiki/rest/api``).

Basic auth with an Atlassian account's email and API token (a wrong pair gets Cloud's
plain-text 401 about deprecated password auth; none at all a JSON 401). Emulated:
``GET /space`` (``start``, ``limit`` default 25, ``type``, ``status=current|archived``,
``spaceKey``; results with a numeric ``id`` and the ``key`` every other call takes),
``/space/{spaceKey}``, ``/space/{spaceKey}/content``, ``/content`` (``spaceKey``,
``type=page|blogpost``, ``title``, ``status``, ``start`` <= 15,000, ``limit`` default 25 cut
to 100, ``expand=body.storage,version,space,ancestors,history``), ``/content/{id}`` and
``/content/{id}/child/page``. Listings are ``{"results", "start", "limit", "size",
"_links"}`` with ``_links.next`` relative to ``_links.base``. Errors are
``{"statusCode", "data", "message", "reason"}``. Tables: :mod:`mockapis.confluence.data`.
"""

from mockapis.confluence import content, spaces
from mockapis.confluence.data import DEFAULT_SIZES, SITE, seed
from mockapis.confluence.errors import render_error
from mockapis.service import Service

__all__ = ["SERVICE"]

SERVICE = Service(
    name="confluence",
    hosts=(SITE,),
    routes=[*spaces.ROUTES, *content.ROUTES],
    spec="confluence.openapi.yaml",
    render_error=render_error,
    seed=seed,
    description="Confluence Cloud REST v1: spaces (key vs numeric id, archived), pages with "
    "start/limit paging and expand=body.storage.",
    default_sizes=DEFAULT_SIZES,
)
