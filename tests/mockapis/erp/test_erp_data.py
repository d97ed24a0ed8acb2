"""The seeded ERP: indexes agree with the rendered rows, for several seeds."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mockapis.erp import SERVICE
from mockapis.erp.data import ITEMS, PURCHASE_ORDERS, SUPPLIERS
from mockapis.world import World


def _world(seed: int) -> World:
    world = World(seed)
    SERVICE.seed(world, dict(SERVICE.default_sizes))
    world.commit()
    return world


@pytest.mark.parametrize("seed", [0, 5, 2**31 - 3])
def test_indexes_agree_with_rows(seed: int) -> None:
    world = _world(seed)
    suppliers = world.table(SUPPLIERS)
    for supplier_id, entry in world.index(SUPPLIERS).items():
        assert suppliers[supplier_id]["name"] == entry.name
    items = world.table(ITEMS)
    for sku, item in world.index(ITEMS).items():
        row = items[sku]
        assert (row["sku"], row["name"], row["unit"]) == (item.sku, item.name, item.unit)
        assert Decimal(row["unit_price"]) * 100 == item.price_cents
    orders = world.table(PURCHASE_ORDERS)
    index = world.index(PURCHASE_ORDERS)
    assert list(index) == list(orders) == index.ids()
    assert [index.id_of(k) for k in range(len(index))] == index.ids()
    for order_id, entry in index.items():
        row = orders[order_id]
        assert (row["id"], row["supplier_id"], row["status"]) == (
            entry.id,
            entry.supplier_id,
            entry.status,
        )
        assert row["order_date"] == entry.order_date and row["supplier_id"] in suppliers
        lines = [
            (x["sku"], x["quantity"], int(Decimal(x["unit_price"]) * 100)) for x in row["lines"]
        ]
        assert lines == list(entry.lines)
        assert len({x["sku"] for x in row["lines"]}) == len(lines)  # no item twice
        amounts = sum(Decimal(x["amount"]) for x in row["lines"])
        assert Decimal(row["total"]) == amounts == Decimal(entry.total_cents) / 100
        for line in row["lines"]:
            item = world.index(ITEMS)[line["sku"]]
            price = Decimal(item.price_cents) / 100
            assert price * Decimal("0.9") - Decimal("0.01") <= Decimal(line["unit_price"])
            assert Decimal(line["unit_price"]) <= price * Decimal("1.05") + Decimal("0.01")
            assert line["description"] == item.name
    dates = [o.order_date for o in index.values()]
    assert dates == sorted(dates)
