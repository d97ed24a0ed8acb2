"""The seeded storefront: a few hundred products of an outdoor outfitter, with variants.

Vendors join the store over time (later products draw from a larger pool), so the last pages
hold vendors the first page never shows; prices are strings with two decimals, as Shopify
sends them. The newest product is a flagship: of its type (the oldest product's), from the
vendor who joined last, and priced above every other product of that type, so that each of a
type's totals, vendors and price range reaches past the first page.

The catalogue is a lazy source (:meth:`World.lazy`): its columns are drawn in one
:class:`~mockapis.seeding.RowDraws` pass, prices vectorised, into a columnar index
(:class:`Catalogue`: the types, vendors, variant counts and price extremes the truths
compare, as arrays, with :meth:`Catalogue.entries` giving them product by product); the rows
come when the table is first read (:meth:`Partitions.whole <mockapis.tables.Partitions.whole>`),
each product rendered when read, through the same :func:`render` as the products
``pagination_drift`` publishes.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from mockapis import seeding
from mockapis.service import resolve_sizes
from mockapis.tables import BuiltTables, LazyRow, Partitions, Record, index_key
from mockapis.world import World

__all__ = [
    "DEFAULT_SIZES",
    "PRODUCT_TYPES",
    "TABLE",
    "TYPES",
    "VENDORS",
    "Catalogue",
    "Product",
    "key",
    "product",
    "render",
    "seed",
]

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


TYPES = tuple(sorted(PRODUCT_TYPES))
"""The product types, sorted: :attr:`Catalogue.types` holds positions in it."""
_COLORED = frozenset({"Accessories", "Tents", "Backpacks"})
"""Types whose variants are colours (one to three); the others come in sizes (one to four)."""
_TAGS = ("new", "sale", "bestseller", "gift", "eco")
_EASTERN = dt.timezone(dt.timedelta(hours=-5))
DAY_S = 86_400
IntArray = npt.NDArray[np.int64]


class Product(NamedTuple):
    """A product's index entry: what the truths compare, without rendering it."""

    id: int
    product_type: str
    vendor: str
    variants: int
    min_price: float
    max_price: float
    """The lowest and highest variant price, as ``float(variant["price"])`` reads them."""


@dataclass(frozen=True, eq=False)
class Catalogue(Mapping[str, Product]):
    """The catalogue's index: one column per fact, product by product in id order (the
    table's key order), for truths to aggregate over; as a mapping, each product's facts as
    a :class:`Product` by table key (made on first use)."""

    ids: IntArray
    types: IntArray
    """Positions in :data:`TYPES`."""
    vendors: IntArray
    """Positions in :data:`VENDORS`."""
    variants: IntArray
    min_cents: IntArray
    max_cents: IntArray
    """The lowest and highest variant price, in cents."""

    @functools.cached_property
    def entries(self) -> dict[str, Product]:
        """Every product's facts by table key, in id order."""
        columns = zip(
            self.ids.tolist(),
            [TYPES[t] for t in self.types.tolist()],
            [VENDORS[v] for v in self.vendors.tolist()],
            self.variants.tolist(),
            (self.min_cents / 100).tolist(),
            (self.max_cents / 100).tolist(),
            strict=True,
        )
        return {key(p.id): p for p in map(Product._make, columns)}

    def __getitem__(self, product_key: str) -> Product:
        return self.entries[product_key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.ids)


class Variant(NamedTuple):
    """One variant as drawn: its option value, price in cents and the rest."""

    value: str
    cents: int
    sale: bool
    available: bool
    grams: int


class Drawn(NamedTuple):
    """Everything drawn for one product: what :func:`render` makes its record from."""

    product_type: str
    adjective: str
    noun: str
    number: int
    """The number ending its title (its position in the catalogue, from 1)."""
    option: str
    variants: tuple[Variant, ...]
    vendor: str
    tags: tuple[str, ...]


def key(product_id: int) -> str:
    """The table key of a product (the id is fixed-width, so keys sort in id order)."""
    return str(product_id)


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Declare ``sizes["products"]`` products; the storefront needs no credentials."""
    sizes = resolve_sizes("shopify", sizes, DEFAULT_SIZES)
    world.lazy(TABLE, _products, world.seed, world.epoch_ns // 10**9, sizes["products"])
    return {"type": "none"}


def _stamp(moment: dt.datetime) -> str:
    """Shopify's timestamp: second precision with the shop's offset (US Eastern, standard)."""
    return moment.astimezone(_EASTERN).isoformat()


def _price(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def render(product_id: int, drawn: Drawn, created: dt.datetime) -> Record:
    """One product as ``/products.json`` returns it."""
    title = f"{drawn.adjective} {drawn.noun} {drawn.number}"
    handle = title.lower().replace(" ", "-")
    stamp = _stamp(created)
    variants = []
    for position, v in enumerate(drawn.variants, start=1):
        price = v.cents / 100
        variants.append(
            {
                "id": FIRST_VARIANT_ID + product_id % 10**9 * 10 + position,
                "title": v.value,
                "option1": v.value,
                "option2": None,
                "option3": None,
                "sku": f"{handle[:12].upper()}-{v.value[:3].upper()}",
                "requires_shipping": True,
                "taxable": True,
                "featured_image": None,
                "available": v.available,
                "price": _price(v.cents),
                "grams": v.grams,
                "compare_at_price": f"{price * 1.25:.2f}" if v.sale else None,
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
        "vendor": drawn.vendor,
        "product_type": drawn.product_type,
        "tags": sorted(drawn.tags),
        "variants": variants,
        "images": [],
        "options": [
            {"name": drawn.option, "position": 1, "values": [v.value for v in drawn.variants]}
        ],
    }


def product(
    rng: random.Random, product_id: int, index: int, vendors: Sequence[str], created: dt.datetime
) -> Record:
    """One product drawn from ``rng`` (a newly published one's), the ``index + 1``-th."""
    kind = rng.choice(TYPES)
    low, high, nouns = PRODUCT_TYPES[kind]
    option, pool = ("Color", _COLORS) if kind in _COLORED else ("Size", _SIZES)
    values = rng.sample(pool, rng.randint(1, 3 if kind in _COLORED else 4))
    base = rng.uniform(low, high)
    variants = tuple(
        Variant(
            value,
            _cents(base * rng.uniform(0.95, 1.08)),
            rng.random() < 0.2,
            rng.random() < 0.85,
            rng.randint(50, 4000),
        )
        for value in values
    )
    drawn = Drawn(
        kind,
        rng.choice(_ADJECTIVES),
        rng.choice(nouns),
        index + 1,
        option,
        variants,
        rng.choice(vendors),
        tuple(rng.sample(_TAGS, rng.randint(0, 2))),
    )
    return render(product_id, drawn, created)


def _cents(price: float) -> int:
    """A price in whole cents (half a cent up)."""
    return int(price * 100 + 0.5)


class _Drawn:
    """The catalogue's drawn columns: product ``i`` renders from row ``i`` of each.

    What the index needs (types, vendors, prices) is drawn with the table; the rest on the
    first render (a reset that reads only the index never pays for it).
    """

    def __init__(
        self, draws: seeding.RowDraws, epoch_s: int, index: Catalogue, cents: list[list[int]]
    ) -> None:
        self.draws, self.epoch_s, self.index, self.cents = draws, epoch_s, index, cents

    @functools.cached_property
    def keys(self) -> list[str]:
        """The table's keys, in id order."""
        return list(map(key, self.index.ids.tolist()))

    @functools.cached_property
    def kinds(self) -> list[str]:
        """Each product's type."""
        return [TYPES[t] for t in self.index.types.tolist()]

    @functools.cached_property
    def details(self) -> _Details:
        """The columns only a rendered product needs."""
        d = self.draws
        return _Details(
            ids=self.index.ids.tolist(),
            vendors=[VENDORS[v] for v in self.index.vendors.tolist()],
            counts=self.index.variants.tolist(),
            adjectives=d.pick(3, _ADJECTIVES),
            nouns=[
                PRODUCT_TYPES[k][2][int(f * len(PRODUCT_TYPES[k][2]))]
                for k, f in zip(self.kinds, d.floats(4), strict=True)
            ],
            sales=list(zip(*(d.chance(c, 0.2) for c in range(15, 19)), strict=True)),
            available=list(zip(*(d.chance(c, 0.85) for c in range(19, 23)), strict=True)),
            grams=list(zip(*(d.ints(c, 50, 4000) for c in range(23, 27)), strict=True)),
            tags=d.ints(28, 0, 2),
            seconds=d.below(1, DAY_S),
        )


class _Details(NamedTuple):
    ids: list[int]
    vendors: list[str]
    counts: list[int]
    adjectives: list[str]
    nouns: list[str]
    sales: list[tuple[bool, ...]]
    available: list[tuple[bool, ...]]
    grams: list[tuple[int, ...]]
    tags: list[int]
    seconds: list[int]


def _products(seed_value: int, epoch_s: int, n: int) -> BuiltTables:
    d = seeding.RowDraws(n, 31, seed_value, "shopify", "products")
    types = np.array(d.below(2, len(TYPES)), dtype=np.int64)
    # Vendors join over time: product i draws from the first 6 + 18 i / n of them.
    pools = 6 + (len(VENDORS) - 6) * np.arange(n) // max(1, n)
    chosen = (np.array(d.floats(27)) * pools).astype(np.int64)
    if n > 1:
        # The flagship: the oldest product's type (so on the first page of any size), from
        # the vendor who joined last.
        types[-1], chosen[-1] = types[0], pools[-1] - 1
    counts, cents, lowest, highest = _prices(d, types)
    ids = FIRST_PRODUCT_ID + np.arange(n, dtype=np.int64) * 1000 + d.below(0, 1000)
    index = Catalogue(ids, types, chosen, counts, lowest, highest)
    # The rows themselves only when the table is read: the truths need the index alone.
    drawn = _Drawn(d, epoch_s, index, cents)
    return {TABLE: Partitions.whole(_rows, drawn), index_key(TABLE): index}


def _rows(drawn: _Drawn, _part: str) -> dict[str, LazyRow]:
    return {k: LazyRow(_seeded, drawn, i) for i, k in enumerate(drawn.keys)}


_LOW = np.array([PRODUCT_TYPES[k][0] for k in TYPES])
_HIGH = np.array([PRODUCT_TYPES[k][1] for k in TYPES])
_OPTIONS = np.array([3 if k in _COLORED else 4 for k in TYPES])
"""Per type (in :data:`TYPES` order): the price range and the most variants it has."""


def _prices(
    d: seeding.RowDraws, types: IntArray
) -> tuple[IntArray, list[list[int]], IntArray, IntArray]:
    """Each product's variant count, its variants' prices in cents (four drawn: the first
    ``count`` are its variants'), and its lowest and highest price in cents:
    ``rng.uniform``'s scaling, vectorised (a base price per product in its type's range, a
    factor of 0.95-1.08 per variant). The last product is the flagship, priced above every
    other product of its type."""
    uniform = np.array([d.floats(c) for c in (5, 6, 11, 12, 13, 14)]).reshape(6, -1)
    low = _LOW[types]
    base = low + (_HIGH[types] - low) * uniform[0]
    counts = 1 + (uniform[1] * _OPTIONS[types]).astype(np.int64)
    cents = np.floor(base * (0.95 + 0.13 * uniform[2:]) * 100 + 0.5).astype(np.int64).T
    held = np.arange(4) < counts[:, None]
    top = np.where(held, cents, -1)
    highest = top.max(axis=1)
    same = np.flatnonzero(types[:-1] == types[-1]) if len(types) else types
    if len(same) and highest[-1] <= highest[same].max():
        cents[-1, int(np.argmax(top[-1]))] = highest[-1] = highest[same].max() + 1
    lowest = np.where(held, cents, np.iinfo(np.int64).max).min(axis=1)
    return counts, cents.tolist(), lowest, highest


def _seeded(c: _Drawn, i: int) -> Record:
    """Product ``i`` from row ``i`` of the drawn columns."""
    kind, more = c.kinds[i], c.details
    option, pool = ("Color", _COLORS) if kind in _COLORED else ("Size", _SIZES)
    cents = c.cents[i][: more.counts[i]]
    values = c.draws.sample(7, pool, len(cents), i)
    drawn = Drawn(
        kind,
        more.adjectives[i],
        more.nouns[i],
        i + 1,
        option,
        tuple(map(Variant, values, cents, more.sales[i], more.available[i], more.grams[i])),
        more.vendors[i],
        tuple(c.draws.sample(29, _TAGS, more.tags[i], i)),
    )
    created = c.epoch_s - (2 * (len(more.ids) - i) + 30) * DAY_S - more.seconds[i]
    return render(more.ids[i], drawn, dt.datetime.fromtimestamp(created, dt.UTC))
