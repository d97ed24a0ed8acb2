"""Ground truth of the Stripe scenarios, derived from the seeded world (never literals).

Each function takes the generated world and a truth RNG and returns ``inputs`` (what the
task tells the agent) and ``expected`` (what the checks compare against, hidden from it).
Their inputs need no seeded object, so the expected values (lists and sums over the
seeded tables' indexes, :meth:`World.index`) are deferred to grading and a reset builds no
table. tests/mockapis/stripe/test_stripe_data.py checks that the indexes agree with the
objects.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Mapping
from typing import Any

from mockapis.stripe.data import BalanceTransaction, Customer, Product
from mockapis.world import World

Truth = dict[str, Any]
DAY = 86_400


def customers(world: World) -> list[Customer]:
    """Every seeded customer's index entry, in Stripe's list order (created, then id,
    descending)."""
    index: Mapping[str, Customer] = world.index("stripe.customers")
    return sorted(index.values(), key=lambda c: (c.created, c.id), reverse=True)


def all_customers(world: World, rng: random.Random) -> Truth:
    """Every customer id, in list order (newest first)."""
    return {"inputs": {}, "expected": _all_customers}


def _all_customers(world: World) -> dict[str, Any]:
    ids = [c.id for c in customers(world)]
    return {"ids": ids, "count": len(ids)}


def active_products(world: World, rng: random.Random) -> Truth:
    """The ids of the active products."""
    return {"inputs": {}, "expected": _active_products}


def _active_products(world: World) -> dict[str, Any]:
    index: Mapping[str, Product] = world.index("stripe.products")
    return {"ids": sorted(p.id for p in index.values() if p.active)}


def customers_in_segment(world: World, rng: random.Random) -> Truth:
    """The customers whose ``metadata.segment`` is a chosen segment."""
    segment = rng.choice(("smb", "mid_market"))
    return {"inputs": {"segment": segment}, "expected": functools.partial(_in_segment, segment)}


def _in_segment(segment: str, world: World) -> dict[str, Any]:
    return {"ids": sorted(c.id for c in customers(world) if c.segment == segment)}


def _date(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).strftime("%Y-%m-%d")


def net_revenue(world: World, rng: random.Random) -> Truth:
    """The net of the charge balance transactions in a 90-day window, in dollars (the sum is
    deferred: the window does not depend on the transactions)."""
    now = world.clock.now_ns // 1_000_000_000
    midnight = now - now % DAY
    end = midnight - rng.randint(10, 250) * DAY
    start = end - 90 * DAY
    return {
        "inputs": {
            "start": start,
            "end": end,
            "start_date": _date(start),
            "end_date": _date(end),
        },
        "expected": functools.partial(_net_dollars, start, end),
    }


def _net_dollars(start: int, end: int, world: World) -> dict[str, Any]:
    """The net of the ``charge`` transactions created in ``[start, end)``, in dollars."""
    index: Mapping[str, BalanceTransaction] = world.index("stripe.balance_transactions")
    cents = sum(t.net for t in index.values() if t.type == "charge" and start <= t.created < end)
    return {"dollars": round(cents / 100, 2)}
