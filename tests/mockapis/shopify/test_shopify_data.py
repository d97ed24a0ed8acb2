"""The seeded catalogue: its index agrees with every product, products are shaped like new
ones, and the flagship makes every type's answers reach past the first page."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest

from mockapis.shopify import SERVICE
from mockapis.shopify.data import TABLE, VENDORS, product
from mockapis.world import World

EPOCH_NS = 1_705_309_200 * 10**9


def seeded(seed: int, products: int = 420) -> World:
    world = World(seed, epoch_ns=EPOCH_NS)
    SERVICE.seed(world, {"products": products})
    return world


def shape(value: Any) -> Any:
    """The keys and types of ``value``, recursively (a list by its first item)."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return type(value).__name__


@pytest.mark.parametrize("seed", [0, 9, 2**31 - 1])
def test_the_index_agrees_with_every_product(seed: int) -> None:
    world = seeded(seed)
    index = world.index(TABLE)
    assert not world._rows_of(TABLE)  # the index alone builds no product
    table = world.table(TABLE)
    assert list(index) == sorted(table) == list(table)
    for key, entry in index.items():
        row = table[key]
        prices = [float(v["price"]) for v in row["variants"]]
        assert (entry.id, entry.product_type, entry.vendor, entry.variants) == (
            row["id"], row["product_type"], row["vendor"], len(row["variants"]),
        )  # fmt: skip
        assert (entry.min_price, entry.max_price) == (min(prices), max(prices))


@pytest.mark.parametrize("seed", [1, 2])
def test_seeded_products_have_the_shape_of_new_ones(seed: int) -> None:
    table = seeded(seed).table(TABLE)
    created = dt.datetime.fromtimestamp(EPOCH_NS // 10**9, dt.UTC)
    fresh = product(random.Random(seed), 7_400_000_000_000, 420, VENDORS, created)
    for row in table.values():
        assert set(row) == set(fresh)
        variant = shape(row["variants"])[0]
        assert variant == {
            **shape(fresh["variants"])[0],
            "compare_at_price": variant["compare_at_price"],
        }
        assert row["options"][0]["values"] == [v["option1"] for v in row["variants"]]
        assert row["handle"] == row["title"].lower().replace(" ", "-")
        assert row["created_at"] < fresh["created_at"]


@pytest.mark.parametrize("seed", [3, 4, 3001])
def test_the_flagship_reaches_past_the_first_page(seed: int) -> None:
    entries = list(seeded(seed).index(TABLE).values())
    flagship, first = entries[-1], entries[:250]
    assert flagship.product_type == entries[0].product_type
    assert flagship.vendor not in {p.vendor for p in first}
    others = [p for p in entries[:-1] if p.product_type == flagship.product_type]
    assert flagship.max_price > max(p.max_price for p in others)


def test_vendors_join_over_time_and_rows_depend_on_the_seed_and_row_alone() -> None:
    entries = list(seeded(5).index(TABLE).values())
    assert {p.vendor for p in entries[:50]} <= set(VENDORS[:8])
    assert len({p.vendor for p in entries}) > len({p.vendor for p in entries[:250]})
    small = list(seeded(5, 10).index(TABLE).values())
    same = [(p.id, p.product_type, p.variants, p.min_price) for p in small[:9]]
    assert same == [(p.id, p.product_type, p.variants, p.min_price) for p in entries[:9]]
