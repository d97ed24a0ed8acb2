"""Ground truth of the storefront scenarios, derived from the seeded world.

Each task is about one product type, drawn among the types whose answer the first page (of
the largest size, 250) does not already give, so that stopping early is always wrong.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from mockapis.world import Record, World

Truth = dict[str, dict[str, Any]]
PAGE = 250


def _products(world: World) -> list[Record]:
    table = world.table("shopify.products")
    return [table[k] for k in sorted(table)]


def totals(products: list[Record]) -> dict[str, int]:
    """How many products and variants ``products`` hold."""
    return {"products": len(products), "variants": sum(len(p["variants"]) for p in products)}


def vendors(products: list[Record]) -> list[str]:
    """The distinct vendors of ``products``, sorted."""
    return sorted({p["vendor"] for p in products})


def price_range(products: list[Record]) -> dict[str, float]:
    """The lowest and highest variant price of ``products``, in major units."""
    prices = [float(v["price"]) for p in products for v in p["variants"]]
    return {"min": min(prices), "max": max(prices)}


def _pick(world: World, rng: random.Random, answer: Callable[[list[Record]], Any]) -> Truth:
    products = _products(world)
    by_type: dict[str, list[Record]] = {}
    for product in products:
        by_type.setdefault(product["product_type"], []).append(product)
    first = {p["id"] for p in products[:PAGE]}
    eligible = []
    for kind in sorted(by_type):
        on_first = [p for p in by_type[kind] if p["id"] in first]
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
