"""Ground truth of the storefront scenarios, derived from the seeded world.

Each task is about one product type, drawn among the types whose answer the first page (of
the largest size, 250) does not already give, so that stopping early is always wrong. The
answers come from the catalogue's columnar index (:class:`mockapis.shopify.data.Catalogue`:
type, vendor, variant count and price extremes of every product, as arrays), so a reset
renders no product; tests/mockapis/shopify/test_shopify_data.py checks the index against the
products.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from mockapis.shopify.data import TABLE, TYPES, VENDORS, Catalogue
from mockapis.world import World

Truth = dict[str, dict[str, Any]]
Selection = npt.NDArray[np.bool_]
"""Which products (by position in the catalogue's columns) an answer is about."""
PAGE = 250


def totals(catalogue: Catalogue, chosen: Selection) -> dict[str, int]:
    """How many products and variants the chosen products hold."""
    return {"products": int(chosen.sum()), "variants": int(catalogue.variants[chosen].sum())}


def vendors(catalogue: Catalogue, chosen: Selection) -> dict[str, list[str]]:
    """The distinct vendors of the chosen products, sorted."""
    return {"vendors": sorted({VENDORS[v] for v in catalogue.vendors[chosen].tolist()})}


def price_range(catalogue: Catalogue, chosen: Selection) -> dict[str, float]:
    """The lowest and highest variant price of the chosen products, in major units."""
    return {
        "min": int(catalogue.min_cents[chosen].min()) / 100,
        "max": int(catalogue.max_cents[chosen].max()) / 100,
    }


def _pick(world: World, rng: random.Random, answer: Callable[[Catalogue, Selection], Any]) -> Truth:
    catalogue = cast(Catalogue, world.index(TABLE))
    # The columns are in key order (ids grow with the position): the first page is a prefix.
    first = np.arange(len(catalogue.ids)) < PAGE
    eligible = []
    for code in range(len(TYPES)):  # by name
        of_type = catalogue.types == code
        on_first = of_type & first
        if on_first.any() and answer(catalogue, on_first) != answer(catalogue, of_type):
            eligible.append(code)
    code = rng.choice(eligible)
    return {
        "inputs": {"product_type": TYPES[code]},
        "expected": answer(catalogue, catalogue.types == code),
    }


def type_totals(world: World, rng: random.Random) -> Truth:
    """Products and variants of one product type."""
    return _pick(world, rng, totals)


def type_vendors(world: World, rng: random.Random) -> Truth:
    """The vendors of one product type."""
    return _pick(world, rng, vendors)


def type_price_range(world: World, rng: random.Random) -> Truth:
    """The variant price range of one product type."""
    return _pick(world, rng, price_range)
