"""Ground truth of the Millbrook ERP scenarios, derived from the seeded world (never literals)."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from mockapis.world import Record, World

Truth = dict[str, dict[str, Any]]


def _orders(world: World) -> list[Record]:
    return list(world.table("erp.purchase_orders").values())


def _epoch(world: World) -> dt.date:
    return dt.datetime.fromtimestamp(world.clock.now_ns // 10**9, tz=dt.UTC).date()


def units_ordered(world: World, rng: random.Random) -> Truth:
    """Units of one item on the non-cancelled purchase orders of a 90-day window."""
    items = world.table("erp.items")
    epoch = _epoch(world)
    for _ in range(100):
        end = epoch - dt.timedelta(days=rng.randint(20, 200))
        start = end - dt.timedelta(days=89)
        units: dict[str, int] = defaultdict(int)
        orders: dict[str, set[str]] = defaultdict(set)
        for order in _orders(world):
            if start.isoformat() <= order["order_date"] <= end.isoformat():
                for line in order["lines"]:
                    if order["status"] != "cancelled":
                        units[line["sku"]] += line["quantity"]
                    orders[line["sku"]].add(order["id"])
        candidates = sorted(s for s in units if len(orders[s]) >= 3)
        if candidates:
            break
    else:
        raise ValueError("no item is on three orders of any 90-day window; seed more orders")
    sku = rng.choice(candidates)
    return {
        "inputs": {
            "sku": sku,
            "item_name": items[sku]["name"],
            "start": start.isoformat(),
            "end": end.isoformat(),
        },
        "expected": {"units": units[sku]},
    }


def pending_with_item(world: World, rng: random.Random) -> Truth:
    """The purchase orders pending approval that have a line for one item."""
    by_sku: dict[str, list[str]] = defaultdict(list)
    for order in _orders(world):
        if order["status"] == "pending_approval":
            for sku in {line["sku"] for line in order["lines"]}:
                by_sku[sku].append(order["id"])
    for low in (2, 1):
        candidates = sorted(s for s, ids in by_sku.items() if low <= len(ids) <= 6)
        if candidates:
            break
    sku = rng.choice(candidates)
    return {
        "inputs": {"sku": sku, "item_name": world.table("erp.items")[sku]["name"]},
        "expected": {"ids": sorted(by_sku[sku]), "count": len(by_sku[sku])},
    }


def supplier_pending_under(world: World, rng: random.Random) -> Truth:
    """A supplier's pending purchase orders under a total, to approve."""
    pending: dict[str, list[Record]] = defaultdict(list)
    for order in _orders(world):
        if order["status"] == "pending_approval":
            pending[order["supplier_id"]].append(order)
    candidates = sorted(s for s, orders in pending.items() if len(orders) >= 2)
    supplier = rng.choice(candidates)
    totals = sorted(float(o["total"]) for o in pending[supplier])
    # A round limit between two of the totals when they differ, so some orders stay pending.
    high = totals[-1] if totals[-1] > totals[0] else totals[-1] + 1000
    limit = int((totals[0] + high) / 2 // 100 * 100) + 100
    ids = sorted(o["id"] for o in pending[supplier] if float(o["total"]) < limit)
    return {
        "inputs": {
            "supplier_id": supplier,
            "supplier_name": world.table("erp.suppliers")[supplier]["name"],
            "limit": limit,
        },
        "expected": {"ids": ids, "count": len(ids)},
    }
