"""Open Brewery DB (``api.openbrewerydb.org``, v1): a public directory of breweries, no auth.

Stored table (every row is exactly what the API returns for it):

- ``brewery.breweries``: id -> ``{"id", "name", "brewery_type", "address_1", "address_2",
  "address_3", "city", "state_province", "postal_code", "country", "longitude", "latitude",
  "phone", "website_url", "state", "street"}`` (``state`` repeats ``state_province``;
  ``planning`` breweries have no street address nor coordinates).

Emulated: ``GET /v1/breweries`` (``by_state``, ``by_city``, ``by_type``, ``by_name``,
``by_country``, ``by_postal``, ``by_ids``, ``sort``, ``page``, ``per_page`` default 50, capped
at 200), ``/v1/breweries/meta`` (``total``, ``page``, ``per_page``, ``by_state``, ``by_type``; same
filters),
``/v1/breweries/random`` (``size`` <= 50) and ``/v1/breweries/{id}``. An unknown ``by_type``
is a 400 ``{"errors": [...]}``; an unknown id a 404 ``{"message": "Couldn't find Brewery"}``.
"""

from mockapis.brewery import breweries, drift
from mockapis.brewery.data import DEFAULT_SIZES, seed
from mockapis.brewery.errors import render_error
from mockapis.service import Service

__all__ = ["SERVICE"]

SERVICE = Service(
    name="brewery",
    hosts=("api.openbrewerydb.org",),
    routes=breweries.ROUTES,
    spec="brewery.openapi.yaml",
    render_error=render_error,
    seed=seed,
    description="Open Brewery DB v1: breweries by state, city and type, with page counts.",
    default_sizes=DEFAULT_SIZES,
    clone=drift.clone,
)
