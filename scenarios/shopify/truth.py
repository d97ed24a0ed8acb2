"""Ground truth of the storefront scenarios, derived from the seeded world.

Each task is about one product type, drawn among the types whose answer the first page (of
the largest size, 250) does not already give, so that stopping early is always wrong. The
answers come from the catalogue's index (:class:`mockapis.shopify.data.Product`: type,
vendor, variant count and price extremes of every product), so a reset renders no product;
tests/mockapis/shopify/test_shopify_data.py checks the index against the products.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Any

from mockapis.shopify.data import Product
from mockapis.world import World

Truth = dict[str, dict[str, Any]]
PAGE = 250


def _products(world: World) -> list[Product]:
    index: Mapping[str, Product] = world.index("shopify.products")
    return [index[k] for k in sorted(index)]


def totals(products: list[Product]) -> dict[str, int]:
    """How many products and variants ``products`` hold."""
    return {"products": len(products), "variants": sum(p.variants for p in products)}


def vendors(products: list[Product]) -> list[str]:
    """The distinct vendors of ``products``, sorted."""
    return sorted({p.vendor for p in products})


def price_range(products: list[Product]) -> dict[str, float]:
    """The lowest and highest variant price of ``products``, in major units."""
    return {"min": min(p.min_price for p in products), "max": max(p.max_price for p in products)}


def _pick(world: World, rng: random.Random, answer: Callable[[list[Product]], Any]) -> Truth:
    products = _products(world)
    by_type: dict[str, list[Product]] = {}
    for product in products:
        by_type.setdefault(product.product_type, []).append(product)
    first = {p.id for p in products[:PAGE]}
    eligible = []
    for kind in sorted(by_type):
        on_first = [p for p in by_type[kind] if p.id in first]
        if on_first and answer(on_first) != answer(by_type[kind]):
            eligible.append(kind)
    kind = rng.choice(eligible)
    return {"inputs": {"product_type": kind}, "expected": answer(by_type[kind])}


def type_totals(world: World, rng: random.Random) -> Truth:
    """Products and variants of one product type."""
    return _pick(world, rng, totals)


def type_vendors(world: World, rng: random.Random) -> Truth:
    """The vendors of one product type."""
    return _pick(world, rng, lambda ps: {"vendors": vendors(ps)})


def type_price_range(world: World, rng: random.Random) -> Truth:
    """The variant price range of one product type."""
    return _pick(world, rng, price_range)
