"""The seeded ERP: users, warehouses, suppliers, items with stock, a year of purchase orders."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from decimal import Decimal

from faker import Faker

from mockapis.clock import NS_PER_SECOND
from mockapis.erp.access import CONFIG, USERS
from mockapis.service import resolve_sizes
from mockapis.world import Record, World, derive_seed

__all__ = [
    "DEFAULT_SIZES",
    "HOST",
    "ITEMS",
    "PO_STATUSES",
    "PURCHASE_ORDERS",
    "SUPPLIERS",
    "WAREHOUSES",
    "money",
    "seed",
]

HOST = "erp.millbrook.example"
WAREHOUSES = "erp.warehouses"
SUPPLIERS = "erp.suppliers"
ITEMS = "erp.items"
PURCHASE_ORDERS = "erp.purchase_orders"

DEFAULT_SIZES: Mapping[str, int] = {
    "suppliers": 20,
    "items": 60,
    "purchase_orders": 300,
    "session_idle_s": 900,
    "export_delay_s": 90,
}
"""Entity counts, plus two settings: the session idle timeout and how long an export takes."""

PO_STATUSES = ("draft", "pending_approval", "approved", "rejected", "received", "cancelled")
_STATUS_WEIGHTS = (6, 14, 25, 5, 40, 10)
_WAREHOUSES = (
    ("WH-DAL", "Dallas Distribution Center", "Dallas"),
    ("WH-COL", "Columbus Main Warehouse", "Columbus"),
    ("WH-RNO", "Reno Fulfilment", "Reno"),
    ("WH-SAV", "Savannah Port Depot", "Savannah"),
)
_PRODUCTS = (
    ("Hex bolt M8x40", "ea"), ("Hex nut M8", "ea"), ("Flat washer 8 mm", "ea"),
    ("Pallet wrap 500 mm", "roll"), ("Corrugated box 40x30", "ea"), ("Packing tape", "roll"),
    ("Hydraulic oil ISO 46", "l"), ("Nitrile gloves L", "box"), ("Safety glasses", "ea"),
    ("Cable tie 300 mm", "pack"), ("Steel sheet 2 mm", "sheet"), ("Aluminium bar 20 mm", "m"),
    ("Copper wire 2.5 mm2", "m"), ("Ball bearing 6204", "ea"), ("V-belt A42", "ea"),
    ("Grease cartridge", "ea"), ("Shop towel roll", "roll"), ("Label roll 100x150", "roll"),
    ("Forklift battery water", "l"), ("LED tube 1200 mm", "ea"), ("Hose clamp 32 mm", "ea"),
    ("Stretch hood", "ea"), ("Drum pump", "ea"), ("Floor marking tape", "roll"),
)  # fmt: skip
_SUPPLIER_SUFFIX = ("Supply Co.", "Industrial", "Components", "Distribution", "Materials", "Ltd.")


def money(value: Decimal) -> str:
    """A decimal amount with two places, as the ERP shows money (``"1234.50"``)."""
    return str(value.quantize(Decimal("0.01")))


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Fill ``world`` with the ERP's data; the agent's login (username and password)."""
    counts = resolve_sizes("erp", sizes, DEFAULT_SIZES)
    world.table(CONFIG).put(
        "settings",
        {
            "session_idle_s": max(1, counts["session_idle_s"]),
            "export_delay_s": counts["export_delay_s"],
        },
    )
    fake = Faker("en_US")
    password = _users(world, fake)
    for code, name, city in _WAREHOUSES:
        world.table(WAREHOUSES).put(code, {"id": code, "name": name, "city": city})
    suppliers = _suppliers(world, fake, counts["suppliers"])
    items = _items(world, counts["items"])
    _purchase_orders(world, counts["purchase_orders"], suppliers, items)
    return {"type": "login", "username": "integration.bot", "password": password}


def _rng(world: World, kind: str, i: int, fake: Faker | None = None) -> random.Random:
    derived = derive_seed(world.seed, "erp", kind, i)
    if fake is not None:
        fake.seed_instance(derived)
    return random.Random(derived)


def _users(world: World, fake: Faker) -> str:
    """The agent's user and three colleagues; the agent's password."""
    rng = _rng(world, "users", 0, fake)
    password = "mb-" + "".join(rng.choices("abcdefghjkmnpqrstuvwxyz23456789", k=14))
    users = [("integration.bot", password, "Integration Bot", "buyer_approver")]
    for i, role in enumerate(("buyer", "approver", "warehouse_clerk")):
        _rng(world, "user", i, fake)
        first, last = fake.first_name(), fake.last_name()
        users.append(
            (f"{first[0]}.{last}".lower(), fake.password(length=16), f"{first} {last}", role)
        )
    for username, secret, display, role in users:
        world.table(USERS).put(
            username,
            {"username": username, "password": secret, "display_name": display, "role": role},
        )
    return password


def _suppliers(world: World, fake: Faker, count: int) -> list[Record]:
    rows = []
    names: set[str] = set()
    for i in range(count):
        rng = _rng(world, "supplier", i, fake)
        name = f"{fake.last_name()} {rng.choice(_SUPPLIER_SUFFIX)}"
        while name in names:
            name = f"{fake.last_name()} {rng.choice(_SUPPLIER_SUFFIX)}"
        names.add(name)
        slug = name.split()[0].lower()
        row: Record = {
            "id": f"SUP-{i + 1:04d}",
            "name": name,
            "email": f"orders@{slug}-supply.example",
            "phone": fake.numerify("###-###-####"),
            "country": "US",
            "payment_terms_days": rng.choice((15, 30, 45, 60)),
        }
        world.table(SUPPLIERS).put(row["id"], row)
        rows.append(row)
    return rows


def _items(world: World, count: int) -> list[Record]:
    rows = []
    for i in range(count):
        rng = _rng(world, "item", i)
        name, unit = _PRODUCTS[i % len(_PRODUCTS)]
        grade = "" if i < len(_PRODUCTS) else f" grade {chr(ord('A') + i // len(_PRODUCTS))}"
        row: Record = {
            "sku": f"MB-{10000 + i * 7 + rng.randint(0, 6)}",
            "name": name + grade,
            "unit": unit,
            "unit_price": money(Decimal(rng.randint(50, 40000)) / 100),
            "stock": {code: rng.randint(0, 900) for code, _, _ in _WAREHOUSES},
        }
        world.table(ITEMS).put(row["sku"], row)
        rows.append(row)
    return rows


def _purchase_orders(
    world: World, count: int, suppliers: list[Record], items: list[Record]
) -> None:
    epoch = dt.datetime.fromtimestamp(world.clock.now_ns // NS_PER_SECOND, tz=dt.UTC).date()
    users = sorted(world.table(USERS))
    dates = []
    for i in range(count):
        rng = _rng(world, "po-date", i)
        dates.append(epoch - dt.timedelta(days=rng.randint(1, 365)))
    dates.sort()
    for i, order_date in enumerate(dates):
        rng = _rng(world, "po", i)
        status = rng.choices(PO_STATUSES, weights=_STATUS_WEIGHTS)[0]
        if not suppliers or not items:
            break
        supplier = rng.choice(suppliers)
        lines = []
        for n, item in enumerate(rng.sample(items, min(len(items), rng.randint(1, 5))), 1):
            quantity = rng.choice((5, 10, 12, 20, 24, 25, 50, 100, 200))
            price = Decimal(item["unit_price"]) * Decimal(rng.randint(90, 105)) / 100
            unit_price = price.quantize(Decimal("0.01"))
            lines.append(
                {
                    "line": n,
                    "sku": item["sku"],
                    "description": item["name"],
                    "quantity": quantity,
                    "unit_price": money(unit_price),
                    "amount": money(unit_price * quantity),
                }
            )
        total = sum((Decimal(line["amount"]) for line in lines), Decimal(0))
        approved = status in ("approved", "received")
        row = {
            "id": f"PO-{order_date.year}-{i + 1:05d}",
            "supplier_id": supplier["id"],
            "warehouse_id": rng.choice(_WAREHOUSES)[0],
            "status": status,
            "order_date": order_date.isoformat(),
            "currency": "USD",
            "total": money(total),
            "created_by": rng.choice(users),
            "approved_by": rng.choice(users) if approved else None,
            "approved_at": f"{order_date.isoformat()}T16:00:00Z" if approved else None,
            "rejection_reason": "Price above contract" if status == "rejected" else None,
            "lines": lines,
        }
        world.table(PURCHASE_ORDERS).put(row["id"], row)
