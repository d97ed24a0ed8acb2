"""PunkAPI v2 (``api.punkapi.com``): the BrewDog DIY Dog beer catalogue, public, no auth.

Stored table (every row is exactly what the API returns for it):

- ``punk.beers``: zero-padded id (``"000042"``) -> ``{"id", "name", "tagline",
  "first_brewed" ("MM/YYYY"), "description", "image_url", "abv", "ibu", "target_fg",
  "target_og", "ebc", "srm", "ph", "attenuation_level", "volume", "boil_volume", "method",
  "ingredients" {"malt", "hops", "yeast"}, "food_pairing", "brewers_tips", "contributed_by"}``.

Emulated: ``GET /v2/beers`` (``page``, ``per_page`` default 25 and at most 80, ``abv_gt``,
``abv_lt``, ``ibu_gt``, ``ibu_lt``, ``ebc_gt``, ``ebc_lt``, ``beer_name``, ``yeast``,
``hops``, ``malt``, ``food``, ``brewed_before``, ``brewed_after``, ``ids``), ``/v2/beers/random``
and ``/v2/beers/{id}`` (a one-element list). Refused parameters give the real 400
``{"statusCode", "error", "message": "Invalid query params", "data": [...]}``.
"""

from mockapis.punk import beers, drift
from mockapis.punk.data import DEFAULT_SIZES, seed
from mockapis.punk.errors import render_error
from mockapis.service import Service

__all__ = ["SERVICE"]

SERVICE = Service(
    name="punk",
    hosts=("api.punkapi.com",),
    routes=beers.ROUTES,
    spec="punk.openapi.yaml",
    render_error=render_error,
    seed=seed,
    description="PunkAPI v2: a paged beer catalogue (per_page <= 80).",
    default_sizes=DEFAULT_SIZES,
    clone=drift.clone,
)
