"""The bookkeeping rules: money, invoice totals, payments and the ledger entries they post.

Amounts are decimal strings with two places (``"1234.50"``). A line's amount is
``quantity * unit_price`` and its tax ``line_amount * tax_rate / 100``, each rounded half up
to the cent; an invoice's ``subtotal``, ``total_tax`` and ``total`` are the sums of its lines,
and ``amount_due = total - amount_paid``. Every invoice posts a debit to Accounts
Receivable (1100) and credits to its lines' revenue accounts and Sales Tax Payable (2200);
every payment debits the Bank (1000) and credits Accounts Receivable.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from mockapis.tables import Record
from mockapis.world import World

__all__ = [
    "ACCOUNTS",
    "AR",
    "BANK",
    "CENT",
    "ENTRIES",
    "ENTRY_BASE",
    "INVOICES",
    "INVOICE_BASE",
    "PAYMENTS",
    "PAYMENT_BASE",
    "REVENUE_ACCOUNTS",
    "SEQUENCE",
    "TAX",
    "apply_payment",
    "build_invoice",
    "build_line",
    "build_payment",
    "entry_rows",
    "fmt",
    "legs",
    "money",
    "next_number",
    "post",
]

CENT = Decimal("0.01")
BANK, AR, TAX = "1000", "1100", "2200"
INVOICES, PAYMENTS, ENTRIES = "ledgerly.invoices", "ledgerly.payments", "ledgerly.ledger_entries"
SEQUENCE = "ledgerly._sequence"
"""Series name -> ``{"last"}``: the last number given to a new invoice, payment or entry."""
INVOICE_BASE, PAYMENT_BASE, ENTRY_BASE = 20000, 30000, 40000
"""Ids are these plus the record's number in its series."""
_SERIES = {"invoice": INVOICES, "payment": PAYMENTS, "entry": ENTRIES}
ACCOUNTS: tuple[tuple[str, str, str], ...] = (
    (BANK, "Business Checking", "asset"),
    (AR, "Accounts Receivable", "asset"),
    ("1500", "Office Equipment", "asset"),
    ("2000", "Accounts Payable", "liability"),
    (TAX, "Sales Tax Payable", "liability"),
    ("3000", "Owner's Equity", "equity"),
    ("4000", "Product Sales", "revenue"),
    ("4100", "Consulting Services", "revenue"),
    ("4200", "Subscription Revenue", "revenue"),
    ("4900", "Other Income", "revenue"),
    ("6000", "Rent", "expense"),
    ("6100", "Software", "expense"),
)
"""The chart of accounts: (code, name, type)."""
REVENUE_ACCOUNTS = tuple(code for code, _, kind in ACCOUNTS if kind == "revenue")


def money(value: Any) -> Decimal:
    """``value`` as a Decimal rounded half up to the cent."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def fmt(value: Decimal) -> str:
    """Two decimal places, no exponent: ``"1234.50"``."""
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):.2f}"


def decimal(value: Any) -> Decimal | None:
    """A finite Decimal from a string or number, else None."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    try:
        found = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return found if found.is_finite() else None


def build_line(
    line_no: int,
    description: str,
    quantity: Decimal,
    unit_price: Decimal,
    tax_rate: Decimal,
    account_code: str,
) -> Record:
    """One line item with its computed ``line_amount`` and ``tax_amount``."""
    amount = money(quantity * unit_price)
    tax = money(amount * tax_rate / 100)
    return {
        "line_no": line_no,
        "description": description,
        "quantity": fmt(quantity),
        "unit_price": fmt(unit_price),
        "tax_rate": fmt(tax_rate),
        "account_code": account_code,
        "line_amount": fmt(amount),
        "tax_amount": fmt(tax),
    }


def build_invoice(
    *,
    invoice_id: str,
    number: str,
    contact: Record,
    date: str,
    due_date: str,
    reference: str,
    lines: Sequence[Record],
    created_at: str,
    created_by: str,
) -> Record:
    """An open invoice with its totals (nothing paid yet)."""
    subtotal = sum((Decimal(line["line_amount"]) for line in lines), Decimal(0))
    tax = sum((Decimal(line["tax_amount"]) for line in lines), Decimal(0))
    total = subtotal + tax
    return {
        "invoice_id": invoice_id,
        "number": number,
        "contact_id": contact["contact_id"],
        "contact_name": contact["name"],
        "date": date,
        "due_date": due_date,
        "reference": reference,
        "currency": "USD",
        "status": "open" if total > 0 else "paid",
        "line_items": list(lines),
        "subtotal": fmt(subtotal),
        "total_tax": fmt(tax),
        "total": fmt(total),
        "amount_paid": "0.00",
        "amount_due": fmt(total),
        "created_at": created_at,
        "updated_at": created_at,
        "created_by": created_by,
    }


def build_payment(
    *,
    payment_id: str,
    invoice: Record,
    amount: Decimal,
    date: str,
    reference: str,
    created_at: str,
    created_by: str,
) -> Record:
    """A payment received against ``invoice`` into the bank account."""
    return {
        "payment_id": payment_id,
        "invoice_id": invoice["invoice_id"],
        "contact_id": invoice["contact_id"],
        "date": date,
        "amount": fmt(amount),
        "reference": reference,
        "account_code": BANK,
        "created_at": created_at,
        "created_by": created_by,
    }


def apply_payment(invoice: Record, amount: Decimal, at: str) -> Record:
    """``invoice`` with ``amount`` more paid (``paid`` once nothing is due)."""
    paid = Decimal(invoice["amount_paid"]) + amount
    due = Decimal(invoice["total"]) - paid
    return {
        **invoice,
        "amount_paid": fmt(paid),
        "amount_due": fmt(due),
        "status": "paid" if due <= 0 else invoice["status"],
        "updated_at": at,
    }


def legs(source: Mapping[str, Any], kind: str) -> list[tuple[str, Decimal, Decimal]]:
    """The ledger legs ``(account, debit, credit)`` an invoice or a payment posts."""
    if kind == "invoice":
        revenue: dict[str, Decimal] = defaultdict(Decimal)
        for line in source["line_items"]:
            revenue[line["account_code"]] += Decimal(line["line_amount"])
        found = [(AR, Decimal(source["total"]), Decimal(0))]
        found += [(code, Decimal(0), amount) for code, amount in sorted(revenue.items())]
        if Decimal(source["total_tax"]):
            found.append((TAX, Decimal(0), Decimal(source["total_tax"])))
        return found
    amount = Decimal(source["amount"])
    return [(BANK, amount, Decimal(0)), (AR, Decimal(0), amount)]


def entry_rows(first: int, source: Mapping[str, Any], kind: str) -> list[Record]:
    """The ledger entries of an invoice or a payment, numbered from ``first``."""
    if kind == "invoice":
        source_id, text = source["invoice_id"], f"Invoice {source['number']}"
    else:
        source_id, text = source["payment_id"], f"Payment for invoice {source['invoice_id']}"
    return [
        {
            "entry_id": str(ENTRY_BASE + first + k),
            "date": source["date"],
            "account_code": account,
            "description": text,
            "debit": fmt(debit),
            "credit": fmt(credit),
            "source_type": kind,
            "source_id": source_id,
        }
        for k, (account, debit, credit) in enumerate(legs(source, kind))
    ]


def next_number(world: World, series: str, count: int = 1) -> int:
    """The first of ``count`` new numbers of ``series`` (``invoice``, ``payment``, ``entry``).

    Seeded rows are numbered 1 to n in their table, which is built lazily: the series starts
    after them, counted when the first new number is asked for (no row is ever deleted), and
    goes on in the ``ledgerly._sequence`` row (a write: it rolls back with a failed request).
    """
    sequence = world.table(SEQUENCE)
    row = sequence.get(series)
    last = int(row["last"]) if row else len(world.table(_SERIES[series]))
    sequence.put(series, {"last": last + count})
    return last + 1


def post(world: World, source: Mapping[str, Any], kind: str) -> list[Record]:
    """Write the ledger entries of an invoice or a payment; the entries."""
    table = world.table(ENTRIES)
    entries = entry_rows(next_number(world, "entry", len(legs(source, kind))), source, kind)
    for entry in entries:
        table.put(entry["entry_id"], entry)
    return entries
