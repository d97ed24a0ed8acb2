"""The seeded ERP: users, warehouses, suppliers, items with stock, a year of purchase orders.

Settings, users and warehouses are written eagerly; suppliers, items and purchase orders are
lazy sources (:meth:`World.lazy`) whose indexes (:class:`Supplier`, :class:`Item`,
:class:`Orders`) carry what truths need. The orders' lines and totals are drawn for the whole
table at once (numpy, integer cents) into a columnar index that truths aggregate over with
numpy; the rows (and the rendered items' stock) come when the table is first read
(:meth:`Partitions.whole <mockapis.tables.Partitions.whole>`), each order rendered when read.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from mockapis import seeding
from mockapis.clock import NS_PER_SECOND
from mockapis.erp.access import CONFIG, USERS
from mockapis.service import resolve_sizes
from mockapis.tables import BuiltTables, LazyRow, Partitions, Record, index_key
from mockapis.world import World

__all__ = [
    "DEFAULT_SIZES",
    "HOST",
    "ITEMS",
    "PO_STATUSES",
    "PURCHASE_ORDERS",
    "SUPPLIERS",
    "WAREHOUSES",
    "Item",
    "Order",
    "Orders",
    "Supplier",
    "cents_text",
    "money",
    "seed",
    "supplier_id",
]

HOST = "erp.millbrook.example"
WAREHOUSES = "erp.warehouses"
SUPPLIERS = "erp.suppliers"
ITEMS = "erp.items"
PURCHASE_ORDERS = "erp.purchase_orders"

DEFAULT_SIZES: Mapping[str, int] = {
    "suppliers": 20,
    "items": 60,
    "purchase_orders": 300,
    "session_idle_s": 900,
    "export_delay_s": 90,
}
"""Entity counts, plus two settings: the session idle timeout and how long an export takes."""

PO_STATUSES = ("draft", "pending_approval", "approved", "rejected", "received", "cancelled")
_STATUS_WEIGHTS = (6, 14, 25, 5, 40, 10)
_WAREHOUSES = (
    ("WH-DAL", "Dallas Distribution Center", "Dallas"),
    ("WH-COL", "Columbus Main Warehouse", "Columbus"),
    ("WH-RNO", "Reno Fulfilment", "Reno"),
    ("WH-SAV", "Savannah Port Depot", "Savannah"),
)
_PRODUCTS = (
    ("Hex bolt M8x40", "ea"), ("Hex nut M8", "ea"), ("Flat washer 8 mm", "ea"),
    ("Pallet wrap 500 mm", "roll"), ("Corrugated box 40x30", "ea"), ("Packing tape", "roll"),
    ("Hydraulic oil ISO 46", "l"), ("Nitrile gloves L", "box"), ("Safety glasses", "ea"),
    ("Cable tie 300 mm", "pack"), ("Steel sheet 2 mm", "sheet"), ("Aluminium bar 20 mm", "m"),
    ("Copper wire 2.5 mm2", "m"), ("Ball bearing 6204", "ea"), ("V-belt A42", "ea"),
    ("Grease cartridge", "ea"), ("Shop towel roll", "roll"), ("Label roll 100x150", "roll"),
    ("Forklift battery water", "l"), ("LED tube 1200 mm", "ea"), ("Hose clamp 32 mm", "ea"),
    ("Stretch hood", "ea"), ("Drum pump", "ea"), ("Floor marking tape", "roll"),
)  # fmt: skip
_SUPPLIER_SUFFIX = ("Supply Co.", "Industrial", "Components", "Distribution", "Materials", "Ltd.")


def money(value: Decimal) -> str:
    """A decimal amount with two places, as the ERP shows money (``"1234.50"``)."""
    return str(value.quantize(Decimal("0.01")))


def cents_text(cents: int) -> str:
    """Integer cents as the ERP shows money (``"1234.50"``)."""
    return f"{cents // 100}.{cents % 100:02d}"


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Fill ``world`` with the ERP's data; the agent's login (username and password)."""
    counts = resolve_sizes("erp", sizes, DEFAULT_SIZES)
    world.table(CONFIG).put(
        "settings",
        {
            "session_idle_s": max(1, counts["session_idle_s"]),
            "export_delay_s": counts["export_delay_s"],
        },
    )
    password, usernames = _users(world)
    for code, name, city in _WAREHOUSES:
        world.table(WAREHOUSES).put(code, {"id": code, "name": name, "city": city})
    world.lazy(SUPPLIERS, _suppliers, world.seed, counts["suppliers"])
    items = world.lazy(ITEMS, _items, world.seed, counts["items"])
    today = dt.datetime.fromtimestamp(world.clock.now_ns // NS_PER_SECOND, tz=dt.UTC).date()
    world.lazy(
        PURCHASE_ORDERS,
        _purchase_orders,
        world.seed,
        today.isoformat(),
        counts["purchase_orders"],
        counts["suppliers"],
        usernames,
        deps=(items,),
    )
    return {"type": "login", "username": "integration.bot", "password": password}


_PASSWORD = "abcdefghjkmnpqrstuvwxyz23456789"
_SECRET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#$%^&*()_+"


def _users(world: World) -> tuple[str, tuple[str, ...]]:
    """The agent's user and three colleagues; the agent's password and every username."""
    rng = seeding.stream(world.seed, "erp", "users")
    password = "mb-" + "".join(rng.choices(_PASSWORD, k=14))
    users = [("integration.bot", password, "Integration Bot", "buyer_approver")]
    for role in ("buyer", "approver", "warehouse_clerk"):
        first, last = seeding.pick(rng, "first_name"), seeding.pick(rng, "last_name")
        username = f"{first[0]}.{last}".lower()
        while any(username == u[0] for u in users):  # namesakes: usernames are keys
            username += "2"
        users.append((username, "".join(rng.choices(_SECRET, k=16)), f"{first} {last}", role))
    for username, secret, display, role in users:
        world.table(USERS).put(
            username,
            {"username": username, "password": secret, "display_name": display, "role": role},
        )
    return password, tuple(sorted(u[0] for u in users))


class Supplier(NamedTuple):
    """A supplier's index entry."""

    id: str
    name: str


def supplier_id(position: int) -> str:
    """The id of the supplier at ``position`` (from 0): ids number the suppliers in order, so
    that the orders draw theirs without building the suppliers."""
    return f"SUP-{position + 1:04d}"


def _suppliers(seed_value: int, count: int) -> BuiltTables:
    rng = seeding.stream(seed_value, "erp", "suppliers")
    rows: dict[str, Record] = {}
    index: dict[str, Supplier] = {}
    names: set[str] = set()
    for i in range(count):
        name = f"{seeding.pick(rng, 'last_name')} {rng.choice(_SUPPLIER_SUFFIX)}"
        while name in names:
            name = f"{seeding.pick(rng, 'last_name')} {rng.choice(_SUPPLIER_SUFFIX)}"
        names.add(name)
        slug = name.split()[0].lower()
        row: Record = {
            "id": supplier_id(i),
            "name": name,
            "email": f"orders@{slug}-supply.example",
            "phone": f"{rng.randrange(200, 1000)}-{rng.randrange(200, 1000)}-"
            f"{rng.randrange(10_000):04d}",
            "country": "US",
            "payment_terms_days": rng.choice((15, 30, 45, 60)),
        }
        rows[row["id"]] = row
        index[row["id"]] = Supplier(row["id"], name)
    return {SUPPLIERS: rows, index_key(SUPPLIERS): index}


class Item(NamedTuple):
    """An item's index entry (its price in cents)."""

    sku: str
    name: str
    unit: str
    price_cents: int


def _item(entry: Item, stock: tuple[int, ...]) -> Record:
    return {
        "sku": entry.sku,
        "name": entry.name,
        "unit": entry.unit,
        "unit_price": cents_text(entry.price_cents),
        "stock": dict(zip(_WAREHOUSE_CODES, stock, strict=True)),
    }


@functools.lru_cache(maxsize=4)
def _item_names(count: int) -> tuple[tuple[str, str, int], ...]:
    """Each item's name, unit and sku base: the catalogue's products in turn, graded from the
    second round on (a function of the count alone: cached)."""
    names = []
    for i in range(count):
        name, unit = _PRODUCTS[i % len(_PRODUCTS)]
        grade = "" if i < len(_PRODUCTS) else f" grade {chr(ord('A') + i // len(_PRODUCTS))}"
        names.append((name + grade, unit, 10000 + i * 7))
    return tuple(names)


def _items(seed_value: int, count: int) -> BuiltTables:
    d = seeding.RowDraws(count, 6, seed_value, "erp", "items")
    entries = [
        Item(f"MB-{base + offset}", name, unit, price)
        for (name, unit, base), offset, price in zip(
            _item_names(count), d.ints(0, 0, 6), d.ints(1, 50, 40000), strict=True
        )
    ]
    index = {entry.sku: entry for entry in entries}
    # The rows (their stock) only when the table is read: the orders and truths need the index.
    return {ITEMS: Partitions.whole(_item_rows, d, tuple(entries)), index_key(ITEMS): index}


def _item_rows(d: seeding.RowDraws, entries: tuple[Item, ...], _part: str) -> dict[str, LazyRow]:
    stocks = zip(*(d.ints(2 + k, 0, 900) for k in range(len(_WAREHOUSES))), strict=True)
    return {e.sku: LazyRow(_item, e, stock) for e, stock in zip(entries, stocks, strict=True)}


IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


class Order(NamedTuple):
    """A purchase order's facts: status, dates, supplier, lines and total."""

    id: str
    supplier_id: str
    status: str
    order_date: str
    lines: tuple[tuple[str, int, int], ...]
    """``(sku, quantity, unit price in cents)`` per line."""
    total_cents: int


@dataclass(frozen=True, eq=False)
class Orders(Mapping[str, Order]):
    """The purchase orders' index: one column per fact, order by order in id (date) order,
    the table's key order, for truths to aggregate over; as a mapping, each order's
    :class:`Order` by id (made on first use). The line columns have a row per order and a
    column per line slot, ``used`` saying which slots hold a line (an order's lines are its
    first slots)."""

    today: str
    ages: IntArray
    """Days from each order's date to ``today`` (not increasing: oldest first)."""
    statuses: IntArray
    """Positions in :data:`PO_STATUSES`."""
    suppliers: IntArray
    """Supplier positions (see :func:`supplier_id`)."""
    line_items: IntArray
    """Item positions in :attr:`skus`, distinct within an order."""
    quantities: IntArray
    unit_cents: IntArray
    used: BoolArray
    totals: IntArray
    """Each order's total in cents (its lines' quantity times unit price)."""
    skus: tuple[str, ...]
    """The items' skus, by position."""

    def dates(self) -> list[str]:
        """Each order's ISO date."""
        days = _recent_days(self.today)
        return [days[age] for age in self.ages.tolist()]

    def ids(self) -> list[str]:
        """Each order's id (``PO-<year>-<number>``, numbered in date order)."""
        return [f"PO-{date[:4]}-{i:05d}" for i, date in enumerate(self.dates(), 1)]

    def id_of(self, position: int) -> str:
        """The id of the order at ``position`` (what :meth:`ids` holds there)."""
        date = _recent_days(self.today)[int(self.ages[position])]
        return f"PO-{date[:4]}-{position + 1:05d}"

    @functools.cached_property
    def entries(self) -> dict[str, Order]:
        """Every order's :class:`Order`, by id, in id order."""
        used = self.used
        # Every line of every order in one flat list (order by order), sliced per order below.
        flat = list(
            zip(
                np.array(self.skus or ("",), dtype=object)[self.line_items][used].tolist(),
                self.quantities[used].tolist(),
                self.unit_cents[used].tolist(),
                strict=True,
            )
        )
        ends = np.cumsum(used.sum(axis=1)).tolist()
        line_sets = [tuple(flat[a:b]) for a, b in zip([0, *ends], ends, strict=False)]
        ids = self.ids()
        facts = zip(
            ids,
            map(supplier_id, self.suppliers.tolist()),
            [PO_STATUSES[s] for s in self.statuses.tolist()],
            self.dates(),
            line_sets,
            self.totals.tolist(),
            strict=True,
        )
        return dict(zip(ids, map(Order._make, facts), strict=True))

    def __getitem__(self, order_id: str) -> Order:
        return self.entries[order_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.ages)


def _order(entry: Order, names: Mapping[str, str], people: tuple[str, str, str]) -> Record:
    warehouse, created_by, approver = people
    approved = entry.status in ("approved", "received")
    return {
        "id": entry.id,
        "supplier_id": entry.supplier_id,
        "warehouse_id": warehouse,
        "status": entry.status,
        "order_date": entry.order_date,
        "currency": "USD",
        "total": cents_text(entry.total_cents),
        "created_by": created_by,
        "approved_by": approver if approved else None,
        "approved_at": f"{entry.order_date}T16:00:00Z" if approved else None,
        "rejection_reason": "Price above contract" if entry.status == "rejected" else None,
        "lines": [
            {
                "line": n,
                "sku": sku,
                "description": names[sku],
                "quantity": quantity,
                "unit_price": cents_text(cents),
                "amount": cents_text(cents * quantity),
            }
            for n, (sku, quantity, cents) in enumerate(entry.lines, 1)
        ],
    }


def _line_items(ranks: np.ndarray) -> np.ndarray:
    """Distinct item indexes per order from ``ranks`` (column ``j`` in ``[0, n - j)``): the
    ``ranks[:, j]``-th item not taken by the earlier columns (a partial Fisher-Yates shuffle,
    vectorised over the orders)."""
    picks = ranks.copy()
    for j in range(1, ranks.shape[1]):
        item = ranks[:, j].copy()
        for taken in np.sort(picks[:, :j], axis=1).T:  # ascending: each one skipped in turn
            item += taken <= item
        picks[:, j] = item
    return picks


@functools.lru_cache(maxsize=16)
def _recent_days(today: str) -> tuple[str, ...]:
    """ISO dates of ``today`` and the 365 days before it, by age (a scenario's epoch is the
    same for every seed: cached)."""
    base = dt.date.fromisoformat(today).toordinal()
    return tuple(dt.date.fromordinal(base - age).isoformat() for age in range(366))


def _chunks(words: list[int], k: int) -> np.ndarray:
    """The first ``k`` of the sixteen 16-bit values of each row of four 64-bit ``words``:
    small choices, four drawn from a word (``value * n >> 16`` maps one to ``[0, n)``)."""
    packed = np.array(words, dtype=np.uint64).reshape(-1, 4)
    shifts = np.arange(4, dtype=np.uint64) * np.uint64(16)
    return ((packed[:, :, None] >> shifts) & np.uint64(0xFFFF)).reshape(len(packed), 16)[:, :k]


def _purchase_orders(
    seed_value: int,
    today: str,
    count: int,
    n_suppliers: int,
    usernames: tuple[str, ...],
    items: BuiltTables,
) -> BuiltTables:
    catalogue: list[Item] = list(items[index_key(ITEMS)].values())
    if not n_suppliers or not catalogue:
        count = 0
    n_items = max(1, len(catalogue))
    d = seeding.RowDraws(count, 10, seed_value, "erp", "purchase_orders")
    # Dates first, sorted: ids number the orders in date order.
    ages = np.sort(np.array(d.ints(0, 1, 365), dtype=np.int64))[::-1]
    statuses = d.weighted(1, range(len(PO_STATUSES)), _STATUS_CUM)
    chosen = d.below(2, max(1, n_suppliers))
    # The line columns from four words a row, 16 bits a value: five item picks, five
    # quantities, five price factors and the number of lines.
    words = [w for row in zip(*(d.words(3 + k) for k in range(4)), strict=True) for w in row]
    small = _chunks(words, 16).astype(np.int64)
    width = min(5, n_items)
    ranges = [n_items - j for j in range(width)] + [1] * (5 - width)  # unused columns
    bounded = small * np.array(ranges + [len(_QUANTITIES)] * 5 + [16] * 5 + [5]) >> 16
    picks = _line_items(bounded[:, :width])
    quantities = np.array(_QUANTITIES)[bounded[:, 5:10]]
    factors = 90 + bounded[:, 10:15]
    n_lines = 1 + bounded[:, 15]
    quantities, factors = quantities[:, :width], factors[:, :width]
    base = np.array([c.price_cents for c in catalogue] or [0])[picks]
    # price * factor / 100, quantized to the cent half-even (as Decimal.quantize rounds).
    whole, rest = np.divmod(base * factors, 100)
    unit = whole + ((rest > 50) | ((rest == 50) & (whole % 2 == 1)))
    used = np.arange(width)[None, :] < np.minimum(n_lines, width)[:, None]
    index = Orders(
        today=today,
        ages=ages,
        statuses=np.array(statuses, dtype=np.int64),
        suppliers=np.array(chosen, dtype=np.int64),
        line_items=picks,
        quantities=quantities,
        unit_cents=unit,
        used=used,
        totals=(unit * quantities * used).sum(axis=1),
        skus=tuple(c.sku for c in catalogue),
    )
    # The rows only when the table is read: the truths aggregate over the index.
    rows = Partitions.whole(_order_rows, d, index, usernames, items[index_key(ITEMS)])
    return {PURCHASE_ORDERS: rows, index_key(PURCHASE_ORDERS): index}


def _order_rows(
    d: seeding.RowDraws,
    index: Orders,
    usernames: tuple[str, ...],
    items: Mapping[str, Item],
    _part: str,
) -> dict[str, LazyRow]:
    names = {sku: item.name for sku, item in items.items()}
    people = zip(
        d.pick(7, _WAREHOUSE_CODES), d.pick(8, usernames), d.pick(9, usernames), strict=True
    )
    return {
        key: LazyRow(_order, entry, names, who)
        for (key, entry), who in zip(index.items(), people, strict=True)
    }


_STATUS_CUM = tuple(itertools.accumulate(_STATUS_WEIGHTS))
_WAREHOUSE_CODES = tuple(code for code, _, _ in _WAREHOUSES)
_QUANTITIES = (5, 10, 12, 20, 24, 25, 50, 100, 200)
