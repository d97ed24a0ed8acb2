"""The seeded books: company, chart of accounts, users, consumers, contacts, invoices,
payments and their ledger entries.

The credentials and settings (company, accounts, users, consumers) are written eagerly; the
contacts, the invoices with their payments, and the ledger entries are lazy sources
(:meth:`World.lazy`) drawn in one vectorised pass each (:class:`mockapis.seeding.RowDraws`)
and rendered row by row when read. The indexes are columnar (:class:`Contacts`,
:class:`Invoices`: what every row says, as lists, and as a mapping of :class:`Contact` and
:class:`Invoice` entries made on first use); the rows are built when their table is first
read (:meth:`Partitions.whole <mockapis.tables.Partitions.whole>`), and a contact's name when
a name is first needed, so that a truth choosing an invoice builds no row and names no one.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple, cast

from mockapis import seeding
from mockapis.clock import NS_PER_SECOND, format_rfc3339_ns
from mockapis.ledgerly import books
from mockapis.ledgerly.catalog import LOCAL
from mockapis.ledgerly.keys import POOL_SIZE, pooled_key_pair
from mockapis.ledgerly.oauth import CONSUMERS, HMAC_SHA256, USERS
from mockapis.pools import pool
from mockapis.service import resolve_sizes
from mockapis.tables import BuiltTables, LazyRow, Partitions, Record, index_key, plain
from mockapis.world import World, derive_seed

__all__ = [
    "APPS",
    "CONTACTS",
    "COUNTRIES",
    "DEFAULT_SIZES",
    "Contact",
    "Contacts",
    "Invoice",
    "Invoices",
    "seed",
]

DEFAULT_SIZES: Mapping[str, int] = {"contacts": 240, "invoices": 300}
DAY_S = 86_400
CONTACTS = "ledgerly.contacts"
COUNTRIES = (("US", 30), ("GB", 16), ("DE", 12), ("CA", 10), ("FR", 9), ("NL", 8), ("AU", 8))
"""Contact countries (ISO 3166 alpha-2) and their weights."""
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
_QUANTITIES = (1, 1, 2, 3, 5, 10)
_HALVES = (Decimal(0), Decimal(0), Decimal("0.5"))
_TYPES = ("customer", "supplier", "both")
_TYPE_CUM = (55, 85, 100)
_CODES = tuple(code for code, _ in COUNTRIES)
_COUNTRY_CUM = tuple(itertools.accumulate(w for _, w in COUNTRIES))
MAX_LINES = 4
"""Line items of a seeded invoice: 1 to 4."""


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Fill ``world`` with the books; the agent's consumers and resource-owner login."""
    counts = resolve_sizes("ledgerly", sizes, DEFAULT_SIZES)
    epoch_s = world.clock.now_ns // NS_PER_SECOND
    _company(world, epoch_s)
    credentials = {"type": "oauth1", **_users(world), **_consumers(world, epoch_s)}
    contacts = world.lazy(CONTACTS, _contacts, world.seed, epoch_s, counts["contacts"])
    invoices = world.lazy(
        (books.INVOICES, books.PAYMENTS),
        _invoices,
        world.seed,
        epoch_s,
        counts["invoices"],
        deps=(contacts,),
    )
    world.lazy(books.ENTRIES, _entries, deps=(invoices,))
    return credentials


def _secret(seed_value: int, kind: str, nbytes: int = 16) -> str:
    """``2 * nbytes`` hex digits derived from the seed (stable whatever else is drawn)."""
    return "".join(
        f"{derive_seed(seed_value, 'ledgerly', kind, k):016x}" for k in range(nbytes // 8)
    )


def _stamp(epoch_s: int, days_ago: float) -> str:
    return format_rfc3339_ns((epoch_s - int(days_ago * DAY_S)) * NS_PER_SECOND)


def _day(epoch_s: int, days_ago: int) -> str:
    return dt.date.fromordinal(_ordinal(epoch_s) - days_ago).isoformat()


def _ordinal(epoch_s: int) -> int:
    """The proleptic ordinal of the server's today (UTC)."""
    return dt.date(1970, 1, 1).toordinal() + epoch_s // DAY_S


# -- settings and credentials (eager: a few rows) ---------------------------------------------


def _company(world: World, epoch_s: int) -> None:
    rng = seeding.stream(world.seed, "ledgerly", "company")
    name = seeding.pick(rng, "company")
    world.table("ledgerly.company").put(
        "company",
        {
            "name": name,
            "legal_name": f"{name} LLC",
            "base_currency": "USD",
            "country": "US",
            "tax_number": f"{rng.randint(10, 99)}-{rng.randint(1000000, 9999999)}",
            "financial_year_end": "12-31",
            "created_at": _stamp(epoch_s, 2000),
        },
    )
    accounts = world.table("ledgerly.accounts")
    for code, name, kind in books.ACCOUNTS:
        accounts.put(code, {"code": code, "name": name, "type": kind, "status": "active"})


def _users(world: World) -> dict[str, str]:
    rng = seeding.stream(world.seed, "ledgerly", "users")
    table = world.table(USERS)
    given: dict[str, str] = {}
    for i, role in enumerate(("owner", "bookkeeper", "auditor")):
        first, last = seeding.pick(rng, "first_name"), seeding.pick(rng, "last_name")
        username = f"{first}.{last}".lower().replace("'", "").replace(" ", "")
        while username in table:  # a namesake: usernames are keys
            username += str(i)
        secret = _secret(world.seed, f"password-{i}")[:14]
        table.put(
            username,
            {"username": username, "password": secret, "name": f"{first} {last}", "role": role},
        )
        if i == 0:
            given = {"username": username, "password": secret}
    return given


def _consumers(world: World, epoch_s: int) -> dict[str, str]:
    given: dict[str, str] = {}
    # RSA consumers take distinct key pairs of the shipped pool (see mockapis.ledgerly.keys).
    first_key = derive_seed(world.seed, "ledgerly", "rsa") % POOL_SIZE
    rsa_keys = (pooled_key_pair(first_key + k) for k in itertools.count())
    for name, method, partner in (*APPS, *_OTHER_APPS):
        key = f"ck_{_secret(world.seed, f'consumer-{name}', 8)}"
        row: Record = {
            "consumer_key": key,
            "name": name,
            "signature_method": method,
            "consumer_secret": None,
            "rsa_public_key": None,
            "two_legged": partner,
            "created_at": _stamp(epoch_s, 400),
        }
        mine = (name, method, partner) in APPS
        if method == "RSA-SHA1":
            private, public = next(rsa_keys)
            row["rsa_public_key"] = public
            if mine:
                given[f"{name}_rsa_private_key"] = private
        else:
            row["consumer_secret"] = _secret(world.seed, f"consumer-secret-{name}")
            if mine:
                given[f"{name}_consumer_secret"] = row["consumer_secret"]
        if mine:
            given[f"{name}_consumer_key"] = key
            given[f"{name}_signature_method"] = method
        world.table(CONSUMERS).put(key, row)
    return given


# -- contacts (lazy) -------------------------------------------------------------------------


class Contact(NamedTuple):
    """A contact's index entry: what invoices and truths need, without rendering it."""

    contact_id: str
    name: str
    type: str
    country: str


def _contact(seed_value: int, epoch_s: int, i: int, entry: Contact) -> Record:
    # The rest of a row comes from its own stream: rendered rows are independent.
    rng = seeding.stream(seed_value, "ledgerly", "contact", i)
    local = LOCAL.get(entry.country)
    given = local.first_names if local and local.first_names else pool("first_name")
    family = local.last_names if local and local.last_names else pool("last_name")
    towns = local.cities if local else pool("city")
    if local is None:  # the US: Faker's own phone formats
        phone = seeding.pick(rng, "phone_number")
    else:
        phone = "".join(str(rng.randrange(10)) if ch == "#" else ch for ch in local.phone)
    domain = "".join(ch for ch in entry.name.lower() if ch.isascii() and ch.isalnum())[:20]
    return {
        "contact_id": entry.contact_id,
        "name": entry.name,
        "contact_person": f"{rng.choice(given)} {rng.choice(family)}",
        "email": f"accounts{i}@{domain or 'example'}.example",
        "phone": phone,
        "city": rng.choice(towns),
        "country": entry.country,
        "type": entry.type,
        "tax_number": f"{entry.country}{rng.randrange(10**8, 10**9)}",
        "status": "active",
        "created_at": _stamp(epoch_s, 900 - i * 3),
    }


@dataclass(frozen=True, eq=False)
class Contacts(Mapping[str, Contact]):
    """The contacts' index: one column per fact, contact by contact in id order, for truths
    and the invoices to filter; as a mapping, each one's :class:`Contact` by id (made on
    first use). The names are drawn when first needed (a name is a Python loop over every
    contact: the invoices' index needs the types alone)."""

    draws: seeding.RowDraws
    ids: list[str]
    types: list[str]
    countries: list[str]

    @functools.cached_property
    def names(self) -> list[str]:
        """Each contact's company name: two in three local ones are "<surname> <legal
        form>", as Faker's are."""
        d = self.draws
        names = d.pick(3, pool("company"))
        for i, (country, styled, word) in enumerate(
            zip(self.countries, d.chance(2, 2 / 3), d.words(4), strict=True)
        ):
            local = LOCAL.get(country)
            if local is not None and local.legal_forms and styled:
                family = local.last_names or pool("last_name")
                forms = local.legal_forms
                names[i] = f"{family[word % len(family)]} {forms[(word >> 32) % len(forms)]}"
        return names

    @functools.cached_property
    def entries(self) -> dict[str, Contact]:
        """Every contact's :class:`Contact`, by id, in id order."""
        facts = zip(self.ids, self.names, self.types, self.countries, strict=True)
        return dict(zip(self.ids, map(Contact._make, facts), strict=True))

    def __getitem__(self, contact_id: str) -> Contact:
        return self.entries[contact_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)


def _contacts(seed_value: int, epoch_s: int, n: int) -> BuiltTables:
    d = seeding.RowDraws(n, 5, seed_value, "ledgerly", "contacts")
    ids = [str(10001 + i) for i in range(n)]
    types = d.weighted(1, _TYPES, _TYPE_CUM)
    index = Contacts(d, ids, types, d.weighted(0, _CODES, _COUNTRY_CUM))
    rows = Partitions.whole(_contact_rows, seed_value, epoch_s, index)
    return {CONTACTS: rows, index_key(CONTACTS): index}


def _contact_rows(seed_value: int, epoch_s: int, index: Contacts, _part: str) -> dict[str, LazyRow]:
    return {
        entry.contact_id: LazyRow(_contact, seed_value, epoch_s, i, entry)
        for i, entry in enumerate(index.values())
    }


# -- invoices and payments (lazy) ------------------------------------------------------------


class Invoice(NamedTuple):
    """An invoice's index entry: its links, dates and whether anything is still due."""

    invoice_id: str
    number: str
    contact_id: str
    days_ago: int
    """Issued this many days before the server's today (its ``date``)."""
    terms_days: int
    """Due this many days after it was issued."""
    status: str
    payment_ids: tuple[str, ...]


class _InvoiceDraws(NamedTuple):
    """What an invoice row renders from besides its index entry, drawn from its own stream."""

    lines: list[Record]
    reference: str
    share: int
    """Percent of the total a payment in two parts pays first."""
    delays: tuple[int, int]
    transactions: tuple[int, int]


def _draws(seed_value: int, i: int) -> _InvoiceDraws:
    """Invoice ``i``'s lines and payment details (its invoice and payment rows share them)."""
    rng = seeding.stream(seed_value, "ledgerly", "invoice", i)
    lines = []
    for k in range(rng.randint(1, MAX_LINES)):
        text, account, low, high = rng.choice(_PRODUCTS)
        quantity = Decimal(rng.choice(_QUANTITIES)) + rng.choice(_HALVES)
        price = Decimal(rng.randrange(low * 100, high * 100)) / 100
        rate = Decimal(rng.choice(_TAX_RATES))
        lines.append(books.build_line(k + 1, text, quantity, price, rate, account))
    reference = f"PO-{rng.randrange(1000, 9999)}" if rng.random() < 0.6 else ""
    return _InvoiceDraws(
        lines,
        reference,
        rng.randint(20, 80),
        (rng.randint(3, 40), rng.randint(3, 40)),
        (rng.randrange(10**6, 10**7), rng.randrange(10**6, 10**7)),
    )


def _parts(draws: _InvoiceDraws, entry: Invoice, total: Decimal) -> list[Decimal]:
    """The amounts of the invoice's payments: all of it, or a first share (and the rest)."""
    if entry.status == "paid" and len(entry.payment_ids) == 1:
        return [total]
    first = books.money(total * draws.share / 100)
    return [first, total - first][: len(entry.payment_ids)]


def _open_invoice(draws: _InvoiceDraws, epoch_s: int, entry: Invoice, contact_name: str) -> Record:
    return books.build_invoice(
        invoice_id=entry.invoice_id,
        number=entry.number,
        contact={"contact_id": entry.contact_id, "name": contact_name},
        date=_day(epoch_s, entry.days_ago),
        due_date=_day(epoch_s, entry.days_ago - entry.terms_days),
        reference=draws.reference,
        lines=draws.lines,
        created_at=_stamp(epoch_s, entry.days_ago),
        created_by="seed",
    )


def _paid_ago(draws: _InvoiceDraws, entry: Invoice, k: int) -> int:
    return max(0, entry.days_ago - draws.delays[k] - k * 10)


def _invoice(seed_value: int, epoch_s: int, i: int, entry: Invoice, contact_name: str) -> Record:
    draws = _draws(seed_value, i)
    invoice = _open_invoice(draws, epoch_s, entry, contact_name)
    for k, amount in enumerate(_parts(draws, entry, Decimal(invoice["total"]))):
        at = _stamp(epoch_s, _paid_ago(draws, entry, k))
        invoice = books.apply_payment(invoice, amount, at)
    return invoice


def _payment(seed_value: int, epoch_s: int, i: int, entry: Invoice, k: int) -> Record:
    draws = _draws(seed_value, i)
    invoice = _open_invoice(draws, epoch_s, entry, "")
    paid_ago = _paid_ago(draws, entry, k)
    return books.build_payment(
        payment_id=entry.payment_ids[k],
        invoice=invoice,
        amount=_parts(draws, entry, Decimal(invoice["total"]))[k],
        date=_day(epoch_s, paid_ago),
        reference=f"TRX-{draws.transactions[k]}",
        created_at=_stamp(epoch_s, paid_ago),
        created_by="seed",
    )


@dataclass(frozen=True, eq=False)
class Invoices(Mapping[str, Invoice]):
    """The invoices' index: one column per fact, invoice by invoice in id order (ids grow
    with the position), for truths to filter; as a mapping, each one's :class:`Invoice` by
    id (made on first use)."""

    ids: list[str]
    contact_ids: list[str]
    days_ago: list[int]
    """Issued this many days before the server's today."""
    terms: list[int]
    """Due this many days after it was issued."""
    parts: list[int]
    """How it was paid: 0 not at all, 1 in full at once, 2 in two parts, -1 the first of two
    parts only (it is open)."""

    @property
    def paid(self) -> list[bool]:
        """Whether each invoice is paid in full (else it is open)."""
        return [p > 0 for p in self.parts]

    def number(self, position: int) -> str:
        """The number of the invoice at ``position`` (``INV-00001`` the first)."""
        return f"INV-{position + 1:05d}"

    @functools.cached_property
    def entries(self) -> dict[str, Invoice]:
        """Every invoice's :class:`Invoice`, by id, in id order."""
        # Payments are numbered in invoice order, one or two per paid invoice.
        counts = [(0, 1, 2, 1)[p] for p in self.parts]
        firsts = itertools.accumulate(counts, initial=books.PAYMENT_BASE)
        payment_ids = [
            tuple(str(first + k) for k in range(1, count + 1))
            for first, count in zip(firsts, counts, strict=False)
        ]
        facts = zip(
            self.ids,
            map(self.number, range(len(self.ids))),
            self.contact_ids,
            self.days_ago,
            self.terms,
            ["paid" if p > 0 else "open" for p in self.parts],
            payment_ids,
            strict=True,
        )
        return dict(zip(self.ids, map(Invoice._make, facts), strict=True))

    def __getitem__(self, invoice_id: str) -> Invoice:
        return self.entries[invoice_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)


def _invoices(seed_value: int, epoch_s: int, n: int, contacts: BuiltTables) -> BuiltTables:
    known = cast(Contacts, contacts[index_key(CONTACTS)])
    customers = [c for c, kind in zip(known.ids, known.types, strict=True) if kind != "supplier"]
    if not customers:
        n = 0
    d = seeding.RowDraws(n, 5, seed_value, "ledgerly", "invoices")
    days_ago = [360 - (i * 359) // n for i in range(n)]
    # Older invoices are mostly paid, some in two parts; recent ones mostly open.
    parts = [
        0 if paid > (0.85 if age > 60 else 0.3) else (2 if both else -1) if split else 1
        for age, paid, split, both in zip(
            days_ago, d.floats(2), d.chance(3, 0.3), d.chance(4, 0.6), strict=True
        )
    ]
    index = Invoices(
        ids=[str(books.INVOICE_BASE + i) for i in range(1, n + 1)],
        contact_ids=[customers[k] for k in d.below(0, max(1, len(customers)))],
        days_ago=days_ago,
        terms=d.pick(1, _TERMS_DAYS),
        parts=parts,
    )
    # The rows only when a table is read: truths read the index.
    invoices = Partitions.whole(_invoice_rows, seed_value, epoch_s, index, known)
    payments = Partitions.whole(_payment_rows, seed_value, epoch_s, index)
    return {
        books.INVOICES: invoices,
        index_key(books.INVOICES): index,
        books.PAYMENTS: payments,
    }


def _invoice_rows(
    seed_value: int, epoch_s: int, index: Invoices, contacts: Contacts, _part: str
) -> dict[str, LazyRow]:
    names = dict(zip(contacts.ids, contacts.names, strict=True))
    return {
        entry.invoice_id: LazyRow(_invoice, seed_value, epoch_s, i, entry, names[entry.contact_id])
        for i, entry in enumerate(index.values())
    }


def _payment_rows(seed_value: int, epoch_s: int, index: Invoices, _part: str) -> dict[str, LazyRow]:
    return {
        payment_id: LazyRow(_payment, seed_value, epoch_s, i, entry, k)
        for i, entry in enumerate(index.values())
        for k, payment_id in enumerate(entry.payment_ids)
    }


# -- ledger entries (lazy, from the rendered invoices) ---------------------------------------


def _entries(invoices: BuiltTables) -> BuiltTables:
    """Every seeded invoice's entries, then its payments', in posting order."""
    rows: dict[str, Record] = {}
    payments = invoices[books.PAYMENTS]
    index: Mapping[str, Invoice] = invoices[index_key(books.INVOICES)]
    for invoice_id, row in invoices[books.INVOICES].items():
        sources = [(plain(row), "invoice")]
        sources += [(plain(payments[p]), "payment") for p in index[invoice_id].payment_ids]
        for source, kind in sources:
            for entry in books.entry_rows(len(rows) + 1, source, kind):
                rows[entry["entry_id"]] = entry
    return {books.ENTRIES: rows}
