"""The seeded storefront: a few hundred products of an outdoor outfitter, with variants.

Vendors join the store over time (later products draw from a larger pool), so the last pages
hold vendors the first page never shows; prices are strings with two decimals, as Shopify
sends them.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping

from mockapis.service import resolve_sizes
from mockapis.world import Record, World, derive_seed

__all__ = ["DEFAULT_SIZES", "PRODUCT_TYPES", "TABLE", "VENDORS", "key", "seed"]

DEFAULT_SIZES: Mapping[str, int] = {"products": 420}
TABLE = "shopify.products"
FIRST_PRODUCT_ID = 7_301_000_000_000
FIRST_VARIANT_ID = 42_100_000_000_000
VENDORS = (
    "Alpine Works",
    "Basecamp Supply",
    "Cascade Threads",
    "Driftwood Goods",
    "Ember Outdoors",
    "Fjell & Co",
    "Granite Gear Co",
    "Highline Packs",
    "Ironbark",
    "Juniper Trail",
    "Kestrel Optics",
    "Larch Lane",
    "Moraine Mfg",
    "Northwind",
    "Oxbow Outfitters",
    "Pika Provisions",
    "Quarry Road",
    "Ridgeback",
    "Sierra Thread",
    "Tundra Labs",
    "Upland Co",
    "Vista Peak",
    "Wayfarer Kit",
    "Yarrow & Pine",
)
PRODUCT_TYPES: Mapping[str, tuple[float, float, tuple[str, ...]]] = {
    "Jackets": (89.0, 420.0, ("Shell", "Parka", "Anorak", "Puffer")),
    "Backpacks": (39.0, 289.0, ("Daypack", "Pack", "Rucksack")),
    "Tents": (149.0, 899.0, ("Tent", "Shelter", "Bivy")),
    "Footwear": (59.0, 259.0, ("Boot", "Trail Runner", "Sandal")),
    "Headwear": (14.0, 49.0, ("Beanie", "Cap", "Sun Hat")),
    "Sleeping Bags": (79.0, 549.0, ("Sleeping Bag", "Quilt")),
    "Accessories": (4.5, 79.0, ("Bottle", "Headlamp", "Carabiner", "Mug")),
    "Base Layers": (29.0, 129.0, ("Crew", "Hoodie", "Tights")),
}
_ADJECTIVES = (
    "Summit",
    "Ridge",
    "Trailhead",
    "Alpenglow",
    "Canyon",
    "Timberline",
    "Glacier",
    "Meadow",
    "Switchback",
    "Basalt",
    "Coastal",
    "Backcountry",
)
_SIZES = ("XS", "S", "M", "L", "XL")
_COLORS = ("Black", "Forest", "Slate", "Rust", "Sand", "Navy")


def key(product_id: int) -> str:
    """The table key of a product (the id is fixed-width, so keys sort in id order)."""
    return str(product_id)


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Fill ``world`` with ``sizes["products"]`` products; the storefront needs no credentials."""
    sizes = resolve_sizes("shopify", sizes, DEFAULT_SIZES)
    count = sizes["products"]
    table = world.table(TABLE)
    epoch = dt.datetime.fromtimestamp(world.epoch_ns // 10**9, dt.UTC)
    for i in range(count):
        rng = random.Random(derive_seed(world.seed, "shopify", "product", i))
        pool = VENDORS[: 6 + (len(VENDORS) - 6) * i // max(1, count)]
        created = epoch - dt.timedelta(days=2 * (count - i) + 30, seconds=rng.randrange(86_400))
        record = product(rng, FIRST_PRODUCT_ID + i * 1000 + rng.randrange(1000), i, pool, created)
        table.put(key(record["id"]), record)
    return {"type": "none"}


def _stamp(moment: dt.datetime) -> str:
    """Shopify's timestamp: second precision with the shop's offset (US Eastern, standard)."""
    return moment.astimezone(dt.timezone(dt.timedelta(hours=-5))).isoformat()


def product(
    rng: random.Random, product_id: int, index: int, vendors: tuple[str, ...], created: dt.datetime
) -> Record:
    """One product as ``/products.json`` returns it."""
    kind = rng.choice(sorted(PRODUCT_TYPES))
    low, high, nouns = PRODUCT_TYPES[kind]
    title = f"{rng.choice(_ADJECTIVES)} {rng.choice(nouns)} {index + 1}"
    handle = title.lower().replace(" ", "-")
    base = rng.uniform(low, high)
    option, values = ("Size", rng.sample(_SIZES, rng.randint(1, 4)))
    if kind in ("Accessories", "Tents", "Backpacks"):
        option, values = ("Color", rng.sample(_COLORS, rng.randint(1, 3)))
    stamp = _stamp(created)
    variants = []
    for position, value in enumerate(values, start=1):
        price = round(base * rng.uniform(0.95, 1.08), 2)
        sale = rng.random() < 0.2
        variants.append(
            {
                "id": FIRST_VARIANT_ID + product_id % 10**9 * 10 + position,
                "title": value,
                "option1": value,
                "option2": None,
                "option3": None,
                "sku": f"{handle[:12].upper()}-{value[:3].upper()}",
                "requires_shipping": True,
                "taxable": True,
                "featured_image": None,
                "available": rng.random() < 0.85,
                "price": f"{price:.2f}",
                "grams": rng.randint(50, 4000),
                "compare_at_price": f"{price * 1.25:.2f}" if sale else None,
                "position": position,
                "product_id": product_id,
                "created_at": stamp,
                "updated_at": stamp,
            }
        )
    return {
        "id": product_id,
        "title": title,
        "handle": handle,
        "body_html": f"<p>The {title} for long days outside.</p>",
        "published_at": stamp,
        "created_at": stamp,
        "updated_at": stamp,
        "vendor": rng.choice(vendors),
        "product_type": kind,
        "tags": sorted(rng.sample(("new", "sale", "bestseller", "gift", "eco"), rng.randint(0, 2))),
        "variants": variants,
        "images": [],
        "options": [{"name": option, "position": 1, "values": list(values)}],
    }
