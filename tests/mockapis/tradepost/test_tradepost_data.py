"""The seeded account: the orders' index agrees with the rendered rows, for several seeds."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mockapis.tradepost import SERVICE
from mockapis.tradepost.data import FILLS, MARKETS, ORDERS
from mockapis.world import World


@pytest.mark.parametrize("seed", [0, 9, 2**31 - 7])
def test_index_agrees_with_rows(seed: int) -> None:
    world = World(seed)
    SERVICE.seed(world, {**SERVICE.default_sizes, "open_orders": 40})
    orders, fills, markets = (world.table(t) for t in (ORDERS, FILLS, MARKETS))
    index = world.index(ORDERS)
    assert list(index) == list(orders) and len(orders) == 40 + SERVICE.default_sizes["history"]
    for key, entry in index.items():
        row = orders[key]
        assert (row["order_id"], row["symbol"], row["status"], row["price"]) == tuple(entry)
        market = markets[entry.symbol]
        if row["type"] == "limit":
            assert Decimal(row["price"]) % Decimal(market["tick_size"]) == 0
        assert Decimal(row["quantity"]) % Decimal(market["step_size"]) == 0
        assert (str(entry.order_id * 10 + 1) in fills) == (entry.status == "filled")
    assert sum(e.status == "open" for e in index.values()) == 40
    created = [row["created_at"] for row in orders.values()]
    assert created == sorted(created)


@pytest.mark.parametrize("seed", range(6))
def test_an_open_order_is_far_from_its_market(seed: int) -> None:
    world = World(seed)
    SERVICE.seed(world, {**SERVICE.default_sizes, "open_orders": 3})
    markets = world.table(MARKETS)
    far = [
        o
        for o in world.index(ORDERS).values()
        if o.status == "open"
        and abs(Decimal(o.price) - Decimal(markets[o.symbol]["last_price"]))
        > Decimal(markets[o.symbol]["last_price"]) * Decimal("0.13")
    ]
    assert far
