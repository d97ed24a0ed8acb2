"""Ground truth of the Millbrook ERP scenarios, derived from the seeded world (never literals).

They read the seeded tables' indexes: the purchase orders' columns (:class:`Orders`, counted
with numpy), the items' and suppliers' entries (:class:`Item`, :class:`Supplier`), so that a
reset renders no purchase order.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from mockapis.erp.data import (
    ITEMS,
    PO_STATUSES,
    PURCHASE_ORDERS,
    SUPPLIERS,
    Item,
    Orders,
    Supplier,
    supplier_id,
)
from mockapis.world import World

Truth = dict[str, dict[str, Any]]
PENDING = PO_STATUSES.index("pending_approval")
CANCELLED = PO_STATUSES.index("cancelled")


def _orders(world: World) -> Orders:
    """The seeded purchase orders' columns."""
    index = cast(Orders, world.index(PURCHASE_ORDERS))
    return index


def _item_name(world: World, sku: str) -> str:
    items: Mapping[str, Item] = world.index(ITEMS)
    return items[sku].name


def _epoch(world: World) -> dt.date:
    return dt.datetime.fromtimestamp(world.clock.now_ns // 10**9, tz=dt.UTC).date()


def _skus(orders: Orders, chosen: npt.NDArray[np.bool_]) -> list[str]:
    """The skus of the chosen item positions, sorted."""
    return sorted(orders.skus[k] for k in np.flatnonzero(chosen).tolist())


def units_ordered(world: World, rng: random.Random) -> Truth:
    """Units of one item on the non-cancelled purchase orders of a 90-day window: an item on
    three orders of the window or more (else one of the items on the most orders)."""
    epoch = _epoch(world)
    end = epoch - dt.timedelta(days=rng.randint(20, 200))
    start = end - dt.timedelta(days=89)
    orders = _orders(world)
    today = dt.date.fromisoformat(orders.today)
    window = (orders.ages >= (today - end).days) & (orders.ages <= (today - start).days)
    lines = orders.used & window[:, None]
    kept = lines & (orders.statuses != CANCELLED)[:, None]
    n = len(orders.skus)
    # An order holds an item once at most: its lines of the item count its orders.
    on_orders = np.bincount(orders.line_items[lines], minlength=n)
    units = np.bincount(orders.line_items[kept], weights=orders.quantities[kept], minlength=n)
    if not on_orders.any():
        raise ValueError(f"no purchase order from {start} to {end}; seed more orders")
    most = int(on_orders.max())
    sku = rng.choice(_skus(orders, on_orders >= min(3, most)))
    return {
        "inputs": {
            "sku": sku,
            "item_name": _item_name(world, sku),
            "start": start.isoformat(),
            "end": end.isoformat(),
        },
        "expected": {"units": int(units[orders.skus.index(sku)])},
    }


def pending_with_item(world: World, rng: random.Random) -> Truth:
    """The purchase orders pending approval that have a line for one item."""
    orders = _orders(world)
    lines = orders.used & (orders.statuses == PENDING)[:, None]
    on_orders = np.bincount(orders.line_items[lines], minlength=len(orders.skus))
    present = on_orders > 0
    # Items on 2 to 6 pending orders, else on one; else those on the fewest.
    fewest = int(on_orders[present].min()) if present.any() else 0
    for low, high in ((2, 6), (1, 6), (fewest, fewest)):
        candidates = _skus(orders, present & (on_orders >= low) & (on_orders <= high))
        if candidates:
            break
    else:
        raise ValueError("no purchase order is pending approval; seed more orders")
    sku = rng.choice(candidates)
    having = (lines & (orders.line_items == orders.skus.index(sku))).any(axis=1)
    ids = sorted(orders.id_of(k) for k in np.flatnonzero(having).tolist())
    return {
        "inputs": {"sku": sku, "item_name": _item_name(world, sku)},
        "expected": {"ids": ids, "count": len(ids)},
    }


def supplier_pending_under(world: World, rng: random.Random) -> Truth:
    """A supplier's pending purchase orders under a total, to approve."""
    orders = _orders(world)
    pending = orders.statuses == PENDING
    if not pending.any():
        raise ValueError("no purchase order is pending approval; seed more orders")
    per_supplier = np.bincount(orders.suppliers[pending])
    # Suppliers with two pending orders or more (else the one with one).
    most = int(per_supplier.max())
    chosen = np.flatnonzero(per_supplier >= min(2, most)).tolist()
    positions = {supplier_id(k): k for k in chosen}
    supplier = rng.choice(sorted(positions))
    theirs = np.flatnonzero(pending & (orders.suppliers == positions[supplier])).tolist()
    cents = orders.totals.tolist()
    totals = sorted(cents[k] / 100 for k in theirs)
    # A round limit between two of the totals when they differ, so some orders stay pending.
    high = totals[-1] if totals[-1] > totals[0] else totals[-1] + 1000
    limit = int((totals[0] + high) / 2 // 100 * 100) + 100
    ids = sorted(orders.id_of(k) for k in theirs if cents[k] / 100 < limit)
    return {
        "inputs": {
            "supplier_id": supplier,
            "supplier_name": _supplier_name(world, supplier),
            "limit": limit,
        },
        "expected": {"ids": ids, "count": len(ids)},
    }


def _supplier_name(world: World, supplier: str) -> str:
    suppliers: Mapping[str, Supplier] = world.index(SUPPLIERS)
    return suppliers[supplier].name
