"""Ground truth of the Ledgerly scenarios, derived from the seeded world (never literals).

Each function takes the generated world and a truth RNG and returns ``inputs`` (what the
task tells the agent) and ``expected`` (what the checks compare against, hidden from it).
They read the seeded tables' indexes (:class:`Contact` entries, the :class:`Invoices`
columns) and render no row: a total over every invoice, and the amount due on the invoice
to settle, are deferred to grading.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections import Counter
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from mockapis.ledgerly.books import INVOICES
from mockapis.ledgerly.data import CONTACTS, Contact, Invoices
from mockapis.tables import Record
from mockapis.world import World

# "expected" may be deferred: computed from the initial world when grading asks for it.
Truth = dict[str, dict[str, Any] | Callable[[World], dict[str, Any]]]
CENT = Decimal("0.01")
COUNTRY_NAMES = {
    "US": "the United States",
    "GB": "the United Kingdom",
    "DE": "Germany",
    "CA": "Canada",
    "FR": "France",
    "NL": "the Netherlands",
    "AU": "Australia",
}
_LINES = (
    ("Quarterly close support", "4100", "850.00"),
    ("Payroll setup", "4100", "320.50"),
    ("Team plan seats", "4200", "39.99"),
    ("Card reader", "4000", "129.00"),
    ("Shipping and handling", "4900", "18.75"),
    ("Year-end workshop", "4100", "1450.00"),
)


def rows(world: World, table: str) -> list[Record]:
    """A table's rows in id order (a stable order for choosing with the RNG)."""
    found = world.table(table)
    return [found[k] for k in sorted(found)]


def contacts(world: World) -> list[Contact]:
    """Every seeded contact's index entry, in id order."""
    index: Mapping[str, Contact] = world.index(CONTACTS)
    return [index[k] for k in sorted(index)]


def _money(value: Decimal) -> str:
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):.2f}"


def _owner(world: World) -> Record:
    return next(u for u in rows(world, "ledgerly._users") if u["role"] == "owner")


def create_invoice(world: World, rng: random.Random) -> Truth:
    """A new invoice for a customer with a unique name, two or three given lines."""
    names = Counter(c.name for c in contacts(world))
    customers = [c for c in contacts(world) if c.type != "supplier" and names[c.name] == 1]
    contact = rng.choice(customers)
    lines = []
    for description, account, price in rng.sample(_LINES, rng.randint(2, 3)):
        quantity = Decimal(rng.choice(("1", "2", "3", "1.5", "12")))
        rate = Decimal(rng.choice(("0", "5", "10", "20")))
        amount = (quantity * Decimal(price)).quantize(CENT, rounding=ROUND_HALF_UP)
        tax = (amount * rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)
        lines.append(
            {
                "description": description,
                "quantity": _money(quantity),
                "unit_price": price,
                "tax_rate": _money(rate),
                "account_code": account,
                "line_amount": _money(amount),
                "tax_amount": _money(tax),
            }
        )
    # Two or three lines: a Decimal, never the empty sum's 0.
    subtotal = cast(Decimal, sum(Decimal(line["line_amount"]) for line in lines))
    tax_total = cast(Decimal, sum(Decimal(line["tax_amount"]) for line in lines))
    reference = f"APB-{rng.randrange(10000, 99999)}"
    text = "; ".join(
        f'"{line["description"]}", quantity {line["quantity"].removesuffix(".00")}, unit price '
        f"{line['unit_price']}, tax {line['tax_rate'].removesuffix('.00')}%, revenue account "
        f"{line['account_code']}"
        for line in lines
    )
    return {
        "inputs": {
            "contact_name": contact.name,
            "reference": reference,
            "lines": [
                {
                    k: line[k]
                    for k in ("description", "quantity", "unit_price", "tax_rate", "account_code")
                }
                for line in lines
            ],
            "lines_text": text,
            "owner": _owner(world)["name"],
        },
        "expected": {
            "contact_id": contact.contact_id,
            "reference": reference,
            "lines": lines,
            "subtotal": _money(subtotal),
            "total_tax": _money(tax_total),
            "total": _money(subtotal + tax_total),
        },
    }


def contacts_in_country(world: World, rng: random.Random) -> Truth:
    """Every contact of one country (spread over several pages of the contact list)."""
    found = contacts(world)
    counts = Counter(c.country for c in found)
    country = rng.choice(sorted(code for code, n in counts.items() if n >= 10))
    ids = [c.contact_id for c in found if c.country == country]
    return {
        "inputs": {"country": country, "country_name": COUNTRY_NAMES[country]},
        "expected": {"ids": sorted(ids)},
    }


def settle_invoice(world: World, rng: random.Random) -> Truth:
    """An open invoice to settle in full (found by its number; the amount due, read from
    the invoice, is deferred to grading: a reset renders no invoice)."""
    index = cast(Invoices, world.index(INVOICES))
    # In id order (the index's): the first half of the open ones, not the first page only.
    open_ = [k for k, paid in enumerate(index.paid) if not paid]
    chosen = rng.choice(open_[: max(1, len(open_) // 2)])
    invoice_id = index.ids[chosen]
    reference = f"WIRE-{rng.randrange(100000, 999999)}"
    return {
        "inputs": {
            "number": index.number(chosen),
            "reference": reference,
            "owner": _owner(world)["name"],
        },
        "expected": functools.partial(_settled, invoice_id, reference),
    }


def _settled(invoice_id: str, reference: str, world: World) -> dict[str, Any]:
    """The invoice to settle, the amount it has due and the payment's reference."""
    amount = world.table(INVOICES)[invoice_id]["amount_due"]
    return {"invoice_id": invoice_id, "amount": amount, "reference": reference}


def overdue_total(world: World, rng: random.Random) -> Truth:
    """The total amount due on open invoices past their due date (server's today)."""
    return {"inputs": {"owner": _owner(world)["name"]}, "expected": _overdue}


def _overdue(world: World) -> dict[str, Any]:
    """The overdue total and count, read from every invoice (deferred: grading needs it, the
    task does not)."""
    today = dt.datetime.fromtimestamp(world.clock.now_ns // 10**9, tz=dt.UTC).date().isoformat()
    overdue = [
        i
        for i in rows(world, "ledgerly.invoices")
        if i["status"] == "open" and i["due_date"] < today
    ]
    total = sum(Decimal(i["amount_due"]) for i in overdue)
    return {"total": float(total), "count": len(overdue)}
