"""The seeded books: company, chart of accounts, users, consumers, contacts, invoices,
payments and their ledger entries."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from decimal import Decimal

from faker import Faker

from mockapis.clock import NS_PER_SECOND, format_rfc3339_ns
from mockapis.ledgerly import books
from mockapis.ledgerly.keys import rsa_key_pair
from mockapis.ledgerly.oauth import CONSUMERS, HMAC_SHA256, USERS
from mockapis.service import resolve_sizes
from mockapis.world import Record, World, derive_seed

__all__ = ["APPS", "COUNTRIES", "DEFAULT_SIZES", "seed"]

DEFAULT_SIZES: Mapping[str, int] = {"contacts": 240, "invoices": 300}
DAY_S = 86_400
COUNTRIES = (("US", 30), ("GB", 16), ("DE", 12), ("CA", 10), ("FR", 9), ("NL", 8), ("AU", 8))
"""Contact countries (ISO 3166 alpha-2) and their weights."""
_LOCALES = {"US": "en_US", "GB": "en_GB", "DE": "de_DE", "CA": "en_CA", "FR": "fr_FR"}
_LOCALES |= {"NL": "nl_NL", "AU": "en_AU"}
APPS: tuple[tuple[str, str, bool], ...] = (
    ("invoicing", "HMAC-SHA1", False),
    ("reporting", HMAC_SHA256, True),
    ("sync", "RSA-SHA1", False),
    ("legacy", "PLAINTEXT", False),
)
"""The agent's registered consumers: (name, signature method, two-legged partner access)."""
_OTHER_APPS = (("acme-expenses", "HMAC-SHA1", True), ("payroll-bridge", "RSA-SHA1", False))
_PRODUCTS = (
    ("Implementation workshop", "4100", 400, 2500),
    ("Monthly bookkeeping retainer", "4100", 300, 1800),
    ("Annual subscription, Team plan", "4200", 600, 6000),
    ("Monthly subscription, Pro plan", "4200", 49, 499),
    ("Barcode scanner", "4000", 80, 450),
    ("Receipt printer", "4000", 120, 600),
    ("Thermal paper rolls (box)", "4000", 15, 60),
    ("On-site training day", "4100", 700, 1600),
    ("Data migration", "4100", 900, 5000),
    ("Late fee", "4900", 10, 75),
)
_TAX_RATES = ("0", "5", "10", "20")
_TERMS_DAYS = (14, 30, 30, 45, 60)


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Fill ``world`` with the books; the agent's consumers and resource-owner login."""
    counts = resolve_sizes("ledgerly", sizes, DEFAULT_SIZES)
    gen = _Generator(world)
    gen.company()
    credentials = {"type": "oauth1", **gen.users(), **gen.consumers()}
    contacts = gen.contacts(counts["contacts"])
    gen.invoices(counts["invoices"], [c for c in contacts if c["type"] != "supplier"])
    return credentials


class _Generator:
    """One seeding run: the world, a Faker per locale, derived per-entity randomness."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.fakers = {code: Faker(locale) for code, locale in _LOCALES.items()}
        self.epoch_s = world.clock.now_ns // NS_PER_SECOND
        self.today = dt.datetime.fromtimestamp(self.epoch_s, tz=dt.UTC).date()

    def rng(self, kind: str, i: int) -> random.Random:
        return random.Random(derive_seed(self.world.seed, "ledgerly", kind, i))

    def secret(self, kind: str, nbytes: int = 16) -> str:
        return f"{derive_seed(self.world.seed, 'ledgerly', kind) % (1 << 64):016x}" + "".join(
            f"{derive_seed(self.world.seed, 'ledgerly', kind, k):016x}"
            for k in range(1, nbytes // 8)
        )

    def stamp(self, days_ago: float) -> str:
        return format_rfc3339_ns((self.epoch_s - int(days_ago * DAY_S)) * NS_PER_SECOND)

    def day(self, days_ago: int) -> str:
        return (self.today - dt.timedelta(days=days_ago)).isoformat()

    def company(self) -> None:
        fake = self.fakers["US"]
        fake.seed_instance(derive_seed(self.world.seed, "ledgerly", "company"))
        name = fake.company()
        self.world.table("ledgerly.company").put(
            "company",
            {
                "name": name,
                "legal_name": f"{name} LLC",
                "base_currency": "USD",
                "country": "US",
                "tax_number": f"{fake.random_int(10, 99)}-{fake.random_int(1000000, 9999999)}",
                "financial_year_end": "12-31",
                "created_at": self.stamp(2000),
            },
        )
        for code, name, kind in books.ACCOUNTS:
            self.world.table("ledgerly.accounts").put(
                code, {"code": code, "name": name, "type": kind, "status": "active"}
            )

    def users(self) -> dict[str, str]:
        fake = self.fakers["US"]
        owner = ""
        password = ""
        for i, role in enumerate(("owner", "bookkeeper", "auditor")):
            fake.seed_instance(derive_seed(self.world.seed, "ledgerly", "user", i))
            first, last = fake.first_name(), fake.last_name()
            username = f"{first}.{last}".lower().replace("'", "").replace(" ", "")
            secret = self.secret(f"password-{i}")[:14]
            self.world.table(USERS).put(
                username,
                {"username": username, "password": secret, "name": f"{first} {last}", "role": role},
            )
            if i == 0:
                owner, password = username, secret
        return {"username": owner, "password": password}

    def consumers(self) -> dict[str, str]:
        given: dict[str, str] = {}
        for name, method, partner in (*APPS, *_OTHER_APPS):
            key = f"ck_{self.secret(f'consumer-{name}', 8)}"
            row: Record = {
                "consumer_key": key,
                "name": name,
                "signature_method": method,
                "consumer_secret": None,
                "rsa_public_key": None,
                "two_legged": partner,
                "created_at": self.stamp(400),
            }
            mine = (name, method, partner) in APPS
            if method == "RSA-SHA1":
                private, public = rsa_key_pair(derive_seed(self.world.seed, "ledgerly", name))
                row["rsa_public_key"] = public
                if mine:
                    given[f"{name}_rsa_private_key"] = private
            else:
                row["consumer_secret"] = self.secret(f"consumer-secret-{name}")
                if mine:
                    given[f"{name}_consumer_secret"] = row["consumer_secret"]
            if mine:
                given[f"{name}_consumer_key"] = key
                given[f"{name}_signature_method"] = method
            self.world.table(CONSUMERS).put(key, row)
        return given

    def contacts(self, n: int) -> list[Record]:
        codes = [c for c, _ in COUNTRIES]
        weights = [w for _, w in COUNTRIES]
        found = []
        table = self.world.table("ledgerly.contacts")
        for i in range(n):
            rng = self.rng("contact", i)
            country = rng.choices(codes, weights)[0]
            fake = self.fakers[country]
            fake.seed_instance(derive_seed(self.world.seed, "ledgerly", "contact-faker", i))
            name = fake.company()
            person = f"{fake.first_name()} {fake.last_name()}"
            contact_id = str(10000 + self.world.next_id("ledgerly.contact"))
            domain = "".join(ch for ch in name.lower() if ch.isascii() and ch.isalnum())[:20]
            contact = {
                "contact_id": contact_id,
                "name": name,
                "contact_person": person,
                "email": f"accounts{i}@{domain or 'example'}.example",
                "phone": fake.phone_number(),
                "city": fake.city(),
                "country": country,
                "type": rng.choices(("customer", "supplier", "both"), (55, 30, 15))[0],
                "tax_number": f"{country}{rng.randrange(10**8, 10**9)}",
                "status": "active",
                "created_at": self.stamp(900 - i * 3),
            }
            table.put(contact_id, contact)
            found.append(contact)
        return found

    def invoices(self, n: int, customers: list[Record]) -> None:
        if not customers:
            return
        table = self.world.table("ledgerly.invoices")
        for i in range(n):
            rng = self.rng("invoice", i)
            contact = rng.choice(customers)
            days_ago = 360 - (i * 359) // max(1, n)
            date = self.day(days_ago)
            lines = []
            for line_no in range(1, rng.randint(1, 4) + 1):
                text, account, low, high = rng.choice(_PRODUCTS)
                quantity = Decimal(rng.choice((1, 1, 2, 3, 5, 10))) + rng.choice(
                    (Decimal(0), Decimal(0), Decimal("0.5"))
                )
                price = Decimal(rng.randrange(low * 100, high * 100)) / 100
                lines.append(
                    books.build_line(
                        line_no, text, quantity, price, Decimal(rng.choice(_TAX_RATES)), account
                    )
                )
            number = self.world.next_id("ledgerly.invoice")
            invoice = books.build_invoice(
                invoice_id=str(20000 + number),
                number=f"INV-{number:05d}",
                contact=contact,
                date=date,
                due_date=self.day(days_ago - rng.choice(_TERMS_DAYS)),
                reference=f"PO-{rng.randrange(1000, 9999)}" if rng.random() < 0.6 else "",
                lines=lines,
                created_at=self.stamp(days_ago),
                created_by="seed",
            )
            table.put(invoice["invoice_id"], invoice)
            books.post(self.world, invoice, "invoice")
            self.payments(rng, invoice, days_ago)

    def payments(self, rng: random.Random, invoice: Record, days_ago: int) -> None:
        """Older invoices are mostly paid, some in two parts; recent ones mostly open."""
        chance = 0.85 if days_ago > 60 else 0.3
        if rng.random() > chance:
            return
        total = Decimal(invoice["total"])
        parts = [total]
        if rng.random() < 0.3 and total > 10:
            first = books.money(total * Decimal(rng.randint(20, 80)) / 100)
            parts = [first, total - first] if rng.random() < 0.6 else [first]
        for k, amount in enumerate(parts):
            paid_ago = max(0, days_ago - rng.randint(3, 40) - k * 10)
            number = self.world.next_id("ledgerly.payment")
            payment = books.build_payment(
                payment_id=str(30000 + number),
                invoice=invoice,
                amount=amount,
                date=self.day(paid_ago),
                reference=f"TRX-{rng.randrange(10**6, 10**7)}",
                created_at=self.stamp(paid_ago),
                created_by="seed",
            )
            self.world.table("ledgerly.payments").put(payment["payment_id"], payment)
            books.post(self.world, payment, "payment")
            invoice = books.apply_payment(invoice, amount, payment["created_at"])
        self.world.table("ledgerly.invoices").put(invoice["invoice_id"], invoice)
