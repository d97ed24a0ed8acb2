"""Ground truth of the Stripe scenarios, derived from the seeded world (never literals).

Each function takes the generated world and a truth RNG and returns ``inputs`` (what the
task tells the agent) and ``expected`` (what the checks compare against, hidden from it).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from mockapis.world import Record, World

Truth = dict[str, dict[str, Any]]
DAY = 86_400


def newest_first(world: World, table: str) -> list[Record]:
    """A table's objects in Stripe's list order (created, then id, descending)."""
    rows = list(world.table(table).values())
    return sorted(rows, key=lambda r: (r["created"], r["id"]), reverse=True)


def all_customers(world: World, rng: random.Random) -> Truth:
    """Every customer id, in list order (newest first)."""
    ids = [c["id"] for c in newest_first(world, "stripe.customers")]
    return {"inputs": {}, "expected": {"ids": ids, "count": len(ids)}}


def active_products(world: World, rng: random.Random) -> Truth:
    """The ids of the active products."""
    ids = [p["id"] for p in newest_first(world, "stripe.products") if p["active"]]
    return {"inputs": {}, "expected": {"ids": sorted(ids)}}


def customers_in_segment(world: World, rng: random.Random) -> Truth:
    """The customers whose ``metadata.segment`` is a chosen segment."""
    segment = rng.choice(("smb", "mid_market"))
    ids = [
        c["id"]
        for c in newest_first(world, "stripe.customers")
        if c["metadata"].get("segment") == segment
    ]
    return {"inputs": {"segment": segment}, "expected": {"ids": sorted(ids)}}


def _date(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).strftime("%Y-%m-%d")


def net_revenue(world: World, rng: random.Random) -> Truth:
    """The net of the charge balance transactions in a 90-day window, in dollars."""
    now = world.clock.now_ns // 1_000_000_000
    midnight = now - now % DAY
    end = midnight - rng.randint(10, 250) * DAY
    start = end - 90 * DAY
    cents = sum(
        t["net"]
        for t in world.table("stripe.balance_transactions").values()
        if t["type"] == "charge" and start <= t["created"] < end
    )
    return {
        "inputs": {
            "start": start,
            "end": end,
            "start_date": _date(start),
            "end_date": _date(end),
        },
        "expected": {"dollars": round(cents / 100, 2)},
    }
