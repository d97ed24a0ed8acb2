"""The seeded Stripe account: an API key, customers, products, prices, charges and their
balance transactions (amounts in minor units, with Stripe's 2.9% + 30c card fee).

The secret key is eager; every other table is a lazy source (:meth:`World.lazy`): its
skeleton (ids, times, links, the facts truths read) is drawn for the whole table in one pass
of :class:`~mockapis.seeding.RowDraws`, and each object is rendered when first read. Each
table draws from its own stream of the world seed, so it is the same whichever tables were
built before it. Counts vary with the seed (within ``jitter_pct`` percent of the sizes).
"""

from __future__ import annotations

import functools
import itertools
import string
from collections.abc import Mapping, Sequence
from typing import NamedTuple

import numpy as np

from mockapis import seeding
from mockapis.pools import pool
from mockapis.service import resolve_sizes
from mockapis.stripe import objects
from mockapis.tables import BuiltTables, LazyRow, Record, index_key
from mockapis.world import World, derive_seed

__all__ = [
    "DEFAULT_SIZES",
    "KEYS",
    "SEGMENTS",
    "BalanceTransaction",
    "Customer",
    "Price",
    "Product",
    "seed",
]

DEFAULT_SIZES: Mapping[str, int] = {
    "customers": 260,
    "products": 40,
    "charges": 600,
    "jitter_pct": 25,
}
"""Base counts; each actual count is drawn within ``jitter_pct`` percent of it, per seed."""
KEYS = "stripe._keys"
SEGMENTS = ("smb", "mid_market", "enterprise")
_SEGMENT_CUM = tuple(itertools.accumulate((55, 30, 15)))
_FREE_MAIL = ("gmail.com", "yahoo.com", "outlook.com", "hotmail.com")
_DOMAIN_KINDS = ("labs", "corp", "io", "works", "tech")
_AMOUNTS = (500, 900, 1500, 2900, 4900, 9900, 19900, 49900)
_ALPHABET = string.ascii_letters + string.digits
# Byte -> id character: 256 = 4 * 62 + 8, so the first 8 characters are a little likelier.
_CHARS = np.frombuffer((_ALPHABET * 5)[:256].encode("ascii"), dtype=np.uint8)
DAY = 86_400
CUSTOMERS, PRODUCTS, PRICES = "stripe.customers", "stripe.products", "stripe.prices"
CHARGES, TRANSACTIONS = "stripe.charges", "stripe.balance_transactions"


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Fill ``world`` with an account of about the given sizes; the agent's secret key."""
    base = resolve_sizes("stripe", sizes, DEFAULT_SIZES)
    counts = _counts(world.seed, base)
    key = "sk_test_" + "".join(seeding.stream(world.seed, "stripe", "key").choices(_ALPHABET, k=24))
    world.table(KEYS).put(key, {"key": key, "livemode": False})
    now = world.clock.now_ns // 1_000_000_000
    customers = world.lazy(CUSTOMERS, _customers, world.seed, now, counts[0])
    catalog = world.lazy((PRODUCTS, PRICES), _catalog, world.seed, now, counts[1])
    world.lazy(
        (CHARGES, TRANSACTIONS), _charges, world.seed, now, counts[2], deps=(customers, catalog)
    )
    return {"type": "bearer", "token": key}


def _counts(seed_value: int, base: Mapping[str, int]) -> tuple[int, int, int]:
    """Customers, products and charges: each within ``jitter_pct`` percent of its base."""
    rng = seeding.stream(seed_value, "stripe", "counts")
    jitter = min(base["jitter_pct"], 90)
    found = []
    for kind in ("customers", "products", "charges"):
        spread = base[kind] * jitter // 100
        found.append(max(0, rng.randint(base[kind] - spread, base[kind] + spread)))
    return found[0], found[1], found[2]


def _tokens(d: seeding.RowDraws, col: int, length: int) -> list[str]:
    """``length`` id characters per row from columns ``col``... (8 characters a column),
    mapped in one vectorised pass."""
    width = -(-length // 8)
    # Little-endian whatever the machine, so that ids are the same on every platform.
    words = np.array([d.words(col + k) for k in range(width)], dtype=np.uint64).T.astype(
        "<u8", order="C"
    )
    chars = np.ascontiguousarray(_CHARS[words.view(np.uint8).reshape(d.n, 8 * width)[:, :length]])
    return chars.view(f"S{length}").ravel().astype(f"U{length}").tolist()


# -- customers -------------------------------------------------------------------------------


class Customer(NamedTuple):
    """A customer's index entry: what charges and truths need, without rendering it."""

    id: str
    created: int
    segment: str
    email: str
    name: str


class _CustomerDraws(NamedTuple):
    """A customers table's drawn columns that only rendering needs."""

    phoned: list[bool]
    phones: list[int]


def _customer(cols: _CustomerDraws, i: int, entry: Customer) -> Record:
    return objects.customer(
        entry.id,
        entry.created,
        email=entry.email,
        name=entry.name,
        phone=f"+1{cols.phones[i]:010d}" if cols.phoned[i] else None,
        description=None,
        metadata={"segment": entry.segment, "crm_id": str(10_000 + i)},
    )


@functools.cache
def _slugs(pool_name: str) -> dict[str, str]:
    """A name pool's values as an email's local part takes them (lower case, no quote or
    space): computed once per process."""
    return {v: v.lower().replace("'", "").replace(" ", "") for v in pool(pool_name)}


def _customers(seed_value: int, now: int, n: int) -> BuiltTables:
    d = seeding.RowDraws(n, 14, seed_value, "stripe", "customers")
    rng = seeding.stream(seed_value, "stripe", "customers", "domains")
    first_slug, last_slug = _slugs("first_name"), _slugs("last_name")
    # Customers cluster on a few dozen company domains; the rest use free mail.
    domains = [
        f"{last_slug[seeding.pick(rng, 'last_name')]}{rng.choice(_DOMAIN_KINDS)}.com"
        for _ in range(max(3, n // 25))
    ]
    cols = _CustomerDraws(phoned=d.chance(0, 0.6), phones=d.spans(1, 0, 10**10))
    firsts, lasts = d.pick(2, pool("first_name")), d.pick(3, pool("last_name"))
    corporate, corp, free = d.chance(4, 0.7), d.pick(5, domains), d.pick(6, _FREE_MAIL)
    numbered, numbers = d.chance(7, 0.3), d.ints(8, 1, 99)
    segments = d.weighted(9, SEGMENTS, _SEGMENT_CUM)
    ids = _tokens(d, 10, 14)  # columns 10 and 11
    # Distinct seconds: a list's order (newest first, then by id) must not hinge on ids.
    stamps = seeding.distinct(d.spans(12, now - 720 * DAY + 1, now - 3600 + 1))
    rows: dict[str, LazyRow] = {}
    index: dict[str, Customer] = {}
    for i, suffix in enumerate(ids):
        first, last = firsts[i], lasts[i]
        number = numbers[i] if numbered[i] else ""
        domain = corp[i] if corporate[i] else free[i]
        entry = Customer(
            "cus_" + suffix,
            stamps[i],
            segments[i],
            f"{first_slug[first]}.{last_slug[last]}{number}@{domain}",
            f"{first} {last}",
        )
        rows[entry.id] = LazyRow(_customer, cols, i, entry)
        index[entry.id] = entry
    return {CUSTOMERS: rows, index_key(CUSTOMERS): index}


# -- products and prices ---------------------------------------------------------------------


class Product(NamedTuple):
    """A product's index entry."""

    id: str
    created: int
    active: bool
    prices: tuple[str, ...]
    """Its price ids, the default first."""


class Price(NamedTuple):
    """A price's index entry."""

    id: str
    product: str
    created: int
    unit_amount: int
    interval: str | None
    """``month`` or ``year`` for a recurring price; None for a one-time price."""


class _ProductDraws(NamedTuple):
    """A products table's drawn columns that only rendering needs."""

    text_seed: int
    names: list[str]
    described: list[bool]


def _product(cols: _ProductDraws, i: int, entry: Product) -> Record:
    # Variable-length text comes from the row's own stream (rendered rows are independent).
    description = (
        seeding.sentence(seeding.stream(cols.text_seed, i), 10) if cols.described[i] else None
    )
    return objects.product(
        entry.id,
        entry.created,
        name=cols.names[i].title(),
        description=description,
        active=entry.active,
        default_price=entry.prices[0],
        metadata={},
    )


def _price(entry: Price) -> Record:
    return objects.price(
        entry.id,
        entry.created,
        product=entry.product,
        unit_amount=entry.unit_amount,
        currency="usd",
        interval=entry.interval,
        nickname=None,
        metadata={},
    )


_PRICE_COLS = 6
"""Columns per price slot: recurring, amount, interval, and three for the id."""


def _catalog(seed_value: int, now: int, n: int) -> BuiltTables:
    """Products, each with 1 to 3 prices (the first one-time, later ones 70% recurring)."""
    d = seeding.RowDraws(n, 7 + 3 * _PRICE_COLS, seed_value, "stripe", "products")
    cols = _ProductDraws(
        text_seed=derive_seed(seed_value, "stripe", "products", "text"),
        names=d.pick(0, pool("catch_phrase")),
        described=d.chance(1, 0.8),
    )
    active = d.chance(2, 0.8)
    n_prices = d.ints(3, 1, 3)
    ids = _tokens(d, 4, 14)  # columns 4 and 5
    stamps = seeding.distinct(d.spans(6, now - 900 * DAY + 1, now - 3600 + 1))
    slots = [
        (
            d.chance(c, 0.7),
            d.pick(c + 1, _AMOUNTS),
            d.pick(c + 2, ("month", "year")),
            _tokens(d, c + 3, 24),
        )
        for c in range(7, 7 + 3 * _PRICE_COLS, _PRICE_COLS)
    ]
    products: dict[str, LazyRow] = {}
    prices: dict[str, LazyRow] = {}
    product_index: dict[str, Product] = {}
    price_index: dict[str, Price] = {}
    for i, suffix in enumerate(ids):
        product_id = "prod_" + suffix
        created = stamps[i]
        price_ids = []
        for k in range(n_prices[i]):
            recurring, amounts, intervals, price_ids_k = slots[k]
            price = Price(
                "price_" + price_ids_k[i],
                product_id,
                created + k * 60,
                amounts[i],
                intervals[i] if k > 0 and recurring[i] else None,
            )
            prices[price.id] = LazyRow(_price, price)
            price_index[price.id] = price
            price_ids.append(price.id)
        entry = Product(product_id, created, active[i], tuple(price_ids))
        products[product_id] = LazyRow(_product, cols, i, entry)
        product_index[product_id] = entry
    return {
        PRODUCTS: products,
        index_key(PRODUCTS): product_index,
        PRICES: prices,
        index_key(PRICES): price_index,
    }


# -- charges and balance transactions --------------------------------------------------------


class BalanceTransaction(NamedTuple):
    """A balance transaction's index entry (what revenue truths sum)."""

    id: str
    created: int
    type: str
    """``charge`` or ``stripe_fee``."""
    amount: int
    fee: int
    source: str | None

    @property
    def net(self) -> int:
        """``amount - fee``, as the object's ``net``."""
        return self.amount - self.fee


def _charge(
    i: int, charge_id: str, created: int, amount: int, txn_id: str | None, customer: Customer | None
) -> Record:
    return objects.charge(
        charge_id,
        created,
        amount=amount,
        currency="usd",
        customer=customer.id if customer else None,
        balance_transaction=txn_id,
        succeeded=txn_id is not None,
        description=f"Order #{100_000 + i}",
        receipt_email=customer.email if customer else None,
        metadata={"order_id": str(100_000 + i)},
    )


def _transaction(entry: BalanceTransaction) -> Record:
    return objects.balance_transaction(
        entry.id,
        entry.created,
        amount=entry.amount,
        fee=entry.fee,
        kind=entry.type,
        source=entry.source,
    )


def _charges(
    seed_value: int, now: int, n: int, customers: BuiltTables, catalog: BuiltTables
) -> BuiltTables:
    """Card charges (92% succeeded, each with its balance transaction) of one-time prices,
    and a ``stripe_fee`` debit on about the 1st of each of the last 12 months."""
    d = seeding.RowDraws(n, 11, seed_value, "stripe", "charges")
    buyers: Sequence[Customer | None] = list(customers[index_key(CUSTOMERS)].values()) or [None]
    prices: Mapping[str, Price] = catalog[index_key(PRICES)]
    one_time = [p.unit_amount for p in prices.values() if p.interval is None]
    amounts = (
        [a * q for a, q in zip(d.pick(0, one_time), d.ints(1, 1, 3), strict=True)]
        if one_time
        else d.ints(0, 500, 50_000)
    )
    payers = d.pick(2, buyers)
    succeeded = d.chance(3, 0.92)
    charge_ids, txn_ids = _tokens(d, 4, 24), _tokens(d, 7, 24)  # columns 4-6 and 7-9
    stamps = seeding.distinct(d.spans(10, now - 365 * DAY + 1, now - 3600 + 1))
    charges: dict[str, LazyRow] = {}
    txns: dict[str, LazyRow] = {}
    index: dict[str, BalanceTransaction] = {}
    for i, suffix in enumerate(charge_ids):
        charge_id, amount = "ch_" + suffix, amounts[i]
        txn_id = "txn_" + txn_ids[i] if succeeded[i] else None
        if txn_id is not None:
            fee = round(amount * 0.029) + 30
            txn = BalanceTransaction(txn_id, stamps[i], "charge", amount, fee, charge_id)
            txns[txn_id] = LazyRow(_transaction, txn)
            index[txn_id] = txn
        charges[charge_id] = LazyRow(_charge, i, charge_id, stamps[i], amount, txn_id, payers[i])
    fees = seeding.RowDraws(12, 5, seed_value, "stripe", "fees")
    fee_ids, offsets = _tokens(fees, 0, 24), fees.below(4, DAY)  # ids in columns 0-2
    for month, (suffix, amount) in enumerate(
        zip(fee_ids, fees.pick(3, (500, 1000, 2000)), strict=True)
    ):
        created = now - (month * 30 + 3) * DAY - offsets[month]
        txn = BalanceTransaction("txn_" + suffix, created, "stripe_fee", -amount, 0, None)
        txns[txn.id] = LazyRow(_transaction, txn)
        index[txn.id] = txn
    return {CHARGES: charges, TRANSACTIONS: txns, index_key(TRANSACTIONS): index}
