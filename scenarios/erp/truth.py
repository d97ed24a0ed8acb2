"""Ground truth of the Millbrook ERP scenarios, derived from the seeded world (never literals).

They read the seeded tables' indexes (:class:`Order`, :class:`Item`, :class:`Supplier`):
what every purchase order says, without rendering the orders.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from mockapis.erp.data import ITEMS, PURCHASE_ORDERS, SUPPLIERS, Item, Order, Supplier
from mockapis.world import World

Truth = dict[str, dict[str, Any]]


def _orders(world: World) -> list[Order]:
    """Every seeded purchase order's index entry, in id (date) order."""
    index: Mapping[str, Order] = world.index(PURCHASE_ORDERS)
    return list(index.values())


def _item_name(world: World, sku: str) -> str:
    items: Mapping[str, Item] = world.index(ITEMS)
    return items[sku].name


def _epoch(world: World) -> dt.date:
    return dt.datetime.fromtimestamp(world.clock.now_ns // 10**9, tz=dt.UTC).date()


def units_ordered(world: World, rng: random.Random) -> Truth:
    """Units of one item on the non-cancelled purchase orders of a 90-day window: an item on
    three orders of the window or more (else one of the items on the most orders)."""
    epoch = _epoch(world)
    end = epoch - dt.timedelta(days=rng.randint(20, 200))
    start = end - dt.timedelta(days=89)
    units: dict[str, int] = defaultdict(int)
    orders: dict[str, set[str]] = defaultdict(set)
    first, last = start.isoformat(), end.isoformat()
    for order in _orders(world):
        if first <= order.order_date <= last:
            for sku, quantity, _ in order.lines:
                if order.status != "cancelled":
                    units[sku] += quantity
                orders[sku].add(order.id)
    if not orders:
        raise ValueError(f"no purchase order from {start} to {end}; seed more orders")
    most = max(len(ids) for ids in orders.values())
    sku = rng.choice(sorted(s for s in orders if len(orders[s]) >= min(3, most)))
    return {
        "inputs": {
            "sku": sku,
            "item_name": _item_name(world, sku),
            "start": start.isoformat(),
            "end": end.isoformat(),
        },
        "expected": {"units": units[sku]},
    }


def pending_with_item(world: World, rng: random.Random) -> Truth:
    """The purchase orders pending approval that have a line for one item."""
    by_sku: dict[str, list[str]] = defaultdict(list)
    for order in _orders(world):
        if order.status == "pending_approval":
            for sku in {line[0] for line in order.lines}:
                by_sku[sku].append(order.id)
    # Items on 2 to 6 pending orders, else on one; else those on the fewest.
    fewest = min((len(ids) for ids in by_sku.values()), default=0)
    for low, high in ((2, 6), (1, 6), (fewest, fewest)):
        candidates = sorted(s for s, ids in by_sku.items() if low <= len(ids) <= high)
        if candidates:
            break
    else:
        raise ValueError("no purchase order is pending approval; seed more orders")
    sku = rng.choice(candidates)
    return {
        "inputs": {"sku": sku, "item_name": _item_name(world, sku)},
        "expected": {"ids": sorted(by_sku[sku]), "count": len(by_sku[sku])},
    }


def supplier_pending_under(world: World, rng: random.Random) -> Truth:
    """A supplier's pending purchase orders under a total, to approve."""
    pending: dict[str, list[Order]] = defaultdict(list)
    for order in _orders(world):
        if order.status == "pending_approval":
            pending[order.supplier_id].append(order)
    if not pending:
        raise ValueError("no purchase order is pending approval; seed more orders")
    # Suppliers with two pending orders or more (else the one with one).
    most = max(len(orders) for orders in pending.values())
    candidates = sorted(s for s, orders in pending.items() if len(orders) >= min(2, most))
    supplier = rng.choice(candidates)
    totals = sorted(o.total_cents / 100 for o in pending[supplier])
    # A round limit between two of the totals when they differ, so some orders stay pending.
    high = totals[-1] if totals[-1] > totals[0] else totals[-1] + 1000
    limit = int((totals[0] + high) / 2 // 100 * 100) + 100
    ids = sorted(o.id for o in pending[supplier] if o.total_cents / 100 < limit)
    return {
        "inputs": {
            "supplier_id": supplier,
            "supplier_name": _supplier_name(world, supplier),
            "limit": limit,
        },
        "expected": {"ids": ids, "count": len(ids)},
    }


def _supplier_name(world: World, supplier_id: str) -> str:
    suppliers: Mapping[str, Supplier] = world.index(SUPPLIERS)
    return suppliers[supplier_id].name
