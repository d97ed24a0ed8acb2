"""The seeded account: its indexes agree with its objects, and the properties tasks rely on."""

from __future__ import annotations

from collections import Counter

import pytest

from mockapis.stripe import SERVICE
from mockapis.stripe.data import SEGMENTS
from mockapis.world import World
from tests.inprocess import seeded_world
from tests.mockapis.stripe.conftest import StripeClient

SEEDS = [0, 7, 2**31 - 3]


def _seeded(seed: int, sizes: dict[str, int] | None = None) -> World:
    return seeded_world(SERVICE, seed, sizes)


@pytest.mark.parametrize("seed", SEEDS)
def test_indexes_agree_with_the_objects(seed: int) -> None:
    world = _seeded(seed)
    customers = world.table("stripe.customers")
    index = world.index("stripe.customers")
    assert list(index) == list(customers)
    for key, entry in index.items():
        row = customers[key]
        assert (entry.id, entry.created) == (row["id"], row["created"])
        assert (entry.email, entry.name) == (row["email"], row["name"])
        assert entry.segment == row["metadata"]["segment"]
    products, prices = world.table("stripe.products"), world.table("stripe.prices")
    assert list(world.index("stripe.products")) == list(products)
    assert list(world.index("stripe.prices")) == list(prices)
    for key, entry in world.index("stripe.products").items():
        row = products[key]
        assert (entry.created, entry.active) == (row["created"], row["active"])
        assert row["default_price"] == entry.prices[0]
        assert all(prices[p]["product"] == key for p in entry.prices)
    for key, entry in world.index("stripe.prices").items():
        row = prices[key]
        assert (entry.product, entry.created) == (row["product"], row["created"])
        assert entry.unit_amount == row["unit_amount"]
        interval = row["recurring"]["interval"] if row["recurring"] else None
        assert entry.interval == interval and (row["type"] == "one_time") == (interval is None)
    txns = world.table("stripe.balance_transactions")
    assert list(world.index("stripe.balance_transactions")) == list(txns)
    for key, entry in world.index("stripe.balance_transactions").items():
        row = txns[key]
        assert (entry.created, entry.type, entry.source) == (
            row["created"],
            row["type"],
            row["source"],
        )
        assert (entry.amount, entry.fee, entry.net) == (row["amount"], row["fee"], row["net"])


@pytest.mark.parametrize("seed", SEEDS)
def test_seeded_properties(seed: int) -> None:
    world = _seeded(seed)
    now = world.clock.now_ns // 10**9
    customers = list(world.table("stripe.customers").values())
    for kind in ("customers", "products", "charges"):
        stamps = [r["created"] for r in world.table(f"stripe.{kind}").values()]
        assert len(set(stamps)) == len(stamps), f"{kind}: a list's order must not hinge on ids"
        assert max(stamps) <= now - 3600
    segments = Counter(c["metadata"]["segment"] for c in customers)
    assert set(segments) == set(SEGMENTS)
    assert segments["smb"] > segments["mid_market"] > segments["enterprise"]
    assert 0.4 < sum(bool(c["phone"]) for c in customers) / len(customers) < 0.8
    assert len({c["metadata"]["crm_id"] for c in customers}) == len(customers)
    by_id = {c["id"]: c for c in customers}
    charges = list(world.table("stripe.charges").values())
    txns = world.table("stripe.balance_transactions")
    assert 0.85 < sum(c["status"] == "succeeded" for c in charges) / len(charges) < 0.97
    for charge in charges:
        assert charge["receipt_email"] == by_id[charge["customer"]]["email"]
        if charge["status"] == "succeeded":
            txn = txns[charge["balance_transaction"]]
            assert (txn["source"], txn["amount"]) == (charge["id"], charge["amount"])
            assert txn["fee"] == round(charge["amount"] * 0.029) + 30
        else:
            assert charge["balance_transaction"] is None and charge["failure_code"]
    fees = [t for t in txns.values() if t["type"] == "stripe_fee"]
    assert len(fees) == 12 and all(t["source"] is None and t["net"] < 0 for t in fees)
    products = list(world.table("stripe.products").values())
    assert 0 < sum(p["active"] for p in products) < len(products)


def test_counts_follow_the_sizes_and_jitter() -> None:
    exact = _seeded(3, {"customers": 50, "products": 4, "charges": 30, "jitter_pct": 0})
    sizes = {name: len(exact.table(f"stripe.{name}")) for name in ("customers", "products")}
    assert sizes == {"customers": 50, "products": 4}
    assert len(exact.table("stripe.charges")) == 30
    empty = _seeded(3, {"customers": 0, "products": 0, "charges": 0})
    assert len(empty.table("stripe.customers")) == len(empty.table("stripe.charges")) == 0
    assert len(empty.table("stripe.balance_transactions")) == 12  # the monthly fees
    with pytest.raises(ValueError, match="customers"):
        _seeded(1, {"clients": 3})


def test_same_seed_same_account() -> None:
    a, b, c = _seeded(11), _seeded(11), _seeded(12)
    assert a.state_hash() == b.state_hash() != c.state_hash()


@pytest.mark.parametrize("seed", [1, 5])
def test_seeded_objects_are_what_the_write_path_makes(seed: int) -> None:
    """A customer, product and price created through the API with a seeded object's fields
    is that object, but for its id and times."""
    client = StripeClient(seed)
    seeded = next(iter(client.world.table("stripe.customers").values()))
    form = {"email": seeded["email"], "name": seeded["name"], "phone": seeded["phone"] or ""}
    form |= {f"metadata[{k}]": v for k, v in seeded["metadata"].items()}
    made = client.post("/v1/customers", form).json
    fresh = {"id", "created", "invoice_prefix"}
    assert made.keys() == seeded.keys()
    assert {k: v for k, v in made.items() if k not in fresh} == {
        k: v for k, v in seeded.items() if k not in fresh
    }
    product = next(iter(client.world.table("stripe.products").values()))
    created = client.post(
        "/v1/products",
        {"name": product["name"], "description": product["description"] or "",
         "active": str(product["active"]).lower()},
    ).json  # fmt: skip
    times = {"id", "created", "updated", "default_price"}
    assert {k: v for k, v in created.items() if k not in times} == {
        k: v for k, v in product.items() if k not in times
    }
    price = client.world.table("stripe.prices")[product["default_price"]]
    form = {"product": created["id"], "currency": "usd", "unit_amount": price["unit_amount"]}
    made_price = client.post("/v1/prices", form).json
    assert {k: v for k, v in made_price.items() if k not in ("id", "created", "product")} == {
        k: v for k, v in price.items() if k not in ("id", "created", "product")
    }
