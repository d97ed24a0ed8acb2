"""New products as the merchant would publish them now (for ``pagination_drift``).

A new product gets an id above every existing one (Shopify's ids grow with time), any of the
store's vendors, and ``created_at``/``published_at`` of now; ``/products.json`` lists by id,
so it lands after every existing product.
"""

from __future__ import annotations

import random

from mockapis.shopify.data import TABLE, VENDORS, key, product
from mockapis.tables import Record
from mockapis.world import World

__all__ = ["clone"]


def clone(world: World, table: str, rng: random.Random) -> tuple[str, Record] | None:
    """A new ``shopify.products`` row, published now (else None)."""
    if table != TABLE:
        return None
    rows = world.table(table)
    product_id = max((int(k) for k in rows), default=0) + 1000 + rng.randrange(1000)
    handles = {p["handle"] for p in rows.values()}
    index, now = len(rows), world.clock.datetime().replace(microsecond=0)
    made = product(rng, product_id, index, VENDORS, now)
    while made["handle"] in handles:  # titles end with a number: move it on until unique
        index += 1
        made = product(rng, product_id, index, VENDORS, now)
    return key(product_id), made
