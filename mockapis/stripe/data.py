"""The seeded Stripe account: an API key, customers, products, prices, charges and their
balance transactions (amounts in minor units, with Stripe's 2.9% + 30c card fee)."""

from __future__ import annotations

import random
import string
from collections.abc import Mapping

from faker import Faker

from mockapis.service import resolve_sizes
from mockapis.stripe import objects
from mockapis.world import World, derive_seed

__all__ = ["DEFAULT_SIZES", "KEYS", "SEGMENTS", "seed"]

DEFAULT_SIZES: Mapping[str, int] = {
    "customers": 260,
    "products": 40,
    "charges": 600,
    "jitter_pct": 25,
}
"""Base counts; each actual count is drawn within ``jitter_pct`` percent of it, per seed."""
KEYS = "stripe._keys"
SEGMENTS = ("smb", "mid_market", "enterprise")
_SEGMENT_WEIGHTS = (55, 30, 15)
_FREE_MAIL = ("gmail.com", "yahoo.com", "outlook.com", "hotmail.com")
_ALPHABET = string.ascii_letters + string.digits
DAY = 86_400


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Fill ``world`` with an account of about the given sizes; the agent's secret key."""
    base = resolve_sizes("stripe", sizes, DEFAULT_SIZES)
    gen = _Generator(world, base["jitter_pct"])
    key = "sk_test_" + gen.token(gen.rng("key", 0), 24)
    world.table(KEYS).put(key, {"key": key, "livemode": False})
    customers = gen.customers(gen.count("customers", base["customers"]))
    prices = gen.catalog(gen.count("products", base["products"]))
    gen.charges(gen.count("charges", base["charges"]), customers, prices)
    return {"type": "bearer", "token": key}


class _Generator:
    """One seeding run: the world, one reused Faker, per-entity derived randomness."""

    def __init__(self, world: World, jitter_pct: int) -> None:
        self.world = world
        self.fake = Faker("en_US")
        self.now = world.clock.now_ns // 1_000_000_000
        self.jitter = min(jitter_pct, 90)
        self._stamps: dict[str, set[int]] = {}

    def rng(self, kind: str, i: int) -> random.Random:
        value = derive_seed(self.world.seed, "stripe", kind, i)
        self.fake.seed_instance(value)
        return random.Random(value)

    def count(self, kind: str, base: int) -> int:
        rng = self.rng(f"count-{kind}", 0)
        spread = base * self.jitter // 100
        return max(0, rng.randint(base - spread, base + spread))

    @staticmethod
    def token(rng: random.Random, length: int) -> str:
        return "".join(rng.choice(_ALPHABET) for _ in range(length))

    def stamp(self, kind: str, rng: random.Random, max_days: int) -> int:
        """A moment within ``max_days`` before the epoch, distinct within ``kind``."""
        taken = self._stamps.setdefault(kind, set())
        moment = self.now - rng.randrange(3600, max_days * DAY)
        while moment in taken:
            moment -= 1
        taken.add(moment)
        return moment

    def customers(self, n: int) -> list[str]:
        domains = [self._company_domain(i) for i in range(max(3, n // 25))]
        table = self.world.table(objects.TABLES["customer"])
        ids = []
        for i in range(n):
            rng = self.rng("customer", i)
            first, last = self.fake.first_name(), self.fake.last_name()
            domain = rng.choice(domains) if rng.random() < 0.7 else rng.choice(_FREE_MAIL)
            local = f"{first}.{last}".lower().replace("'", "").replace(" ", "")
            email = f"{local}{rng.randint(1, 99) if rng.random() < 0.3 else ''}@{domain}"
            segment = rng.choices(SEGMENTS, weights=_SEGMENT_WEIGHTS)[0]
            customer = objects.customer(
                "cus_" + self.token(rng, 14),
                self.stamp("customer", rng, 720),
                email=email,
                name=f"{first} {last}",
                phone=self.fake.numerify("+1##########") if rng.random() < 0.6 else None,
                description=None,
                metadata={"segment": segment, "crm_id": str(10_000 + i)},
            )
            table.put(customer["id"], customer)
            ids.append(customer["id"])
        return ids

    def _company_domain(self, i: int) -> str:
        self.rng("domain", i)
        word = self.fake.last_name().lower().replace("'", "")
        return f"{word}{self.fake.random_element(('labs', 'corp', 'io', 'works', 'tech'))}.com"

    def catalog(self, n: int) -> list[tuple[str, int]]:
        """Products, each with 1-3 prices; the one-time ``(price id, amount)`` pairs."""
        products = self.world.table(objects.TABLES["product"])
        prices = self.world.table(objects.TABLES["price"])
        one_time: list[tuple[str, int]] = []
        for i in range(n):
            rng = self.rng("product", i)
            created = self.stamp("product", rng, 900)
            product_id = "prod_" + self.token(rng, 14)
            price_ids = []
            for k in range(rng.randint(1, 3)):
                recurring = k > 0 and rng.random() < 0.7
                amount = rng.choice((500, 900, 1500, 2900, 4900, 9900, 19900, 49900))
                price = objects.price(
                    "price_" + self.token(rng, 24),
                    created + k * 60,
                    product=product_id,
                    unit_amount=amount,
                    currency="usd",
                    interval=rng.choice(("month", "year")) if recurring else None,
                    nickname=None,
                    metadata={},
                )
                prices.put(price["id"], price)
                price_ids.append(price["id"])
                if not recurring:
                    one_time.append((price["id"], amount))
            product = objects.product(
                product_id,
                created,
                name=self.fake.catch_phrase().title(),
                description=self.fake.sentence(nb_words=10) if rng.random() < 0.8 else None,
                active=rng.random() < 0.8,
                default_price=price_ids[0],
                metadata={},
            )
            products.put(product_id, product)
        return one_time

    def charges(self, n: int, customers: list[str], prices: list[tuple[str, int]]) -> None:
        charges = self.world.table(objects.TABLES["charge"])
        txns = self.world.table(objects.TABLES["balance_transaction"])
        for i in range(n):
            rng = self.rng("charge", i)
            created = self.stamp("charge", rng, 365)
            amount = (
                rng.choice(prices)[1] * rng.randint(1, 3) if prices else rng.randint(500, 50_000)
            )
            customer = rng.choice(customers) if customers else None
            succeeded = rng.random() < 0.92
            charge_id = "ch_" + self.token(rng, 24)
            txn_id = "txn_" + self.token(rng, 24) if succeeded else None
            email = (
                self.world.table(objects.TABLES["customer"])[customer]["email"]
                if customer
                else None
            )
            charge = objects.charge(
                charge_id,
                created,
                amount=amount,
                currency="usd",
                customer=customer,
                balance_transaction=txn_id,
                succeeded=succeeded,
                description=f"Order #{100_000 + i}",
                receipt_email=email,
                metadata={"order_id": str(100_000 + i)},
            )
            charges.put(charge_id, charge)
            if txn_id is not None:
                fee = round(amount * 0.029) + 30
                txn = objects.balance_transaction(
                    txn_id, created, amount=amount, fee=fee, kind="charge", source=charge_id
                )
                txns.put(txn_id, txn)
        self._monthly_fees()

    def _monthly_fees(self) -> None:
        """A ``stripe_fee`` debit on the 1st of each of the last 12 months (no source)."""
        table = self.world.table(objects.TABLES["balance_transaction"])
        for month in range(12):
            rng = self.rng("fee", month)
            created = self.now - (month * 30 + 3) * DAY - rng.randrange(DAY)
            txn = objects.balance_transaction(
                "txn_" + self.token(rng, 24),
                created,
                amount=-rng.choice((500, 1000, 2000)),
                fee=0,
                kind="stripe_fee",
                source=None,
            )
            table.put(txn["id"], txn)
