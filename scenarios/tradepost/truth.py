"""Ground truth of the Tradepost scenarios, derived from the seeded world (never literals).

The orders are read from their index (:class:`mockapis.tradepost.data.Order`), not rendered;
a list over every order that the task's inputs do not need is deferred to grading.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Mapping
from decimal import ROUND_DOWN, Decimal
from typing import Any

from mockapis.tradepost.data import ORDERS, Order
from mockapis.world import World

# "expected" may be deferred: computed from the initial world when grading asks for it.
Truth = dict[str, dict[str, Any] | Callable[[World], dict[str, Any]]]


def _places(step: str) -> Decimal:
    return Decimal(step).normalize() if Decimal(step) < 1 else Decimal(1)


def limit_buy(world: World, rng: random.Random) -> Truth:
    """A limit buy a few percent under the last price, for a few hundred dollars' worth."""
    market = rng.choice(
        sorted(world.table("tradepost.markets").values(), key=lambda m: m["symbol"])
    )
    tick, step = Decimal(market["tick_size"]), Decimal(market["step_size"])
    last = Decimal(market["last_price"])
    price = (last * Decimal(rng.randint(940, 980)) / 1000 / tick).to_integral_value(
        ROUND_DOWN
    ) * tick
    budget = Decimal(rng.randint(300, 3000))
    quantity = max(step, (budget / price / step).to_integral_value(ROUND_DOWN) * step)
    price_text = str(price.quantize(_places(market["tick_size"])))
    quantity_text = str(quantity.quantize(_places(market["step_size"])))
    client_id = f"rebal-{rng.getrandbits(32):08x}"
    return {
        "inputs": {
            "symbol": market["symbol"],
            "base": market["base_asset"],
            "quote": market["quote_asset"],
            "price": price_text,
            "quantity": quantity_text,
            "client_order_id": client_id,
        },
        "expected": {
            "symbol": market["symbol"],
            "price": price_text,
            "quantity": quantity_text,
            "client_order_id": client_id,
        },
    }


def far_orders(world: World, rng: random.Random) -> Truth:
    """The open orders priced more than some percent away from their market's last price
    (deferred: the task names the percentage alone, and a reset builds no order)."""
    pct = rng.choice((10, 11, 12, 13))
    return {"inputs": {"pct": pct}, "expected": functools.partial(_far_ids, pct)}


def _far_ids(pct: int, world: World) -> dict[str, Any]:
    """The ids of the open limit orders more than ``pct`` percent from their market's last
    price, and their count (the seeder makes one at least)."""
    markets = world.table("tradepost.markets")
    far = []
    index: Mapping[str, Order] = world.index(ORDERS)
    for order in index.values():
        if order.status != "open" or order.price is None:
            continue
        last = Decimal(markets[order.symbol]["last_price"])
        if abs(Decimal(order.price) - last) > last * pct / 100:
            far.append(order.order_id)
    return {"ids": sorted(far), "count": len(far)}
