"""Custom checks of the Ledgerly scenarios: state assertions over the final world and its diff."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gym_apibench.checks import CheckContext
from mockapis.tables import Record

Result = tuple[bool, str]
_LINE_KEYS = (
    "description",
    "quantity",
    "unit_price",
    "tax_rate",
    "account_code",
    "line_amount",
    "tax_amount",
)


def invoice_created(ctx: CheckContext) -> Result:
    """One new invoice with the reference, for the contact, with exactly the given lines."""
    diff = ctx.diff.get("ledgerly.invoices")
    added = [
        i
        for i in (diff.added.values() if diff else ())
        if i["reference"] == ctx.expected["reference"]
    ]
    if len(added) != 1:
        return False, f"{len(added)} new invoices carry the reference {ctx.expected['reference']}"
    invoice = added[0]
    if invoice["contact_id"] != ctx.expected["contact_id"]:
        return (
            False,
            f"invoice is for contact {invoice['contact_id']}, "
            f"expected {ctx.expected['contact_id']}",
        )
    got = [{k: line[k] for k in _LINE_KEYS} for line in invoice["line_items"]]
    if got != ctx.expected["lines"]:
        return False, f"line items {got} differ from {ctx.expected['lines']}"
    totals = tuple(invoice[k] for k in ("subtotal", "total_tax", "total"))
    want = tuple(ctx.expected[k] for k in ("subtotal", "total_tax", "total"))
    if totals != want:
        return False, f"totals {totals}, expected {want}"
    today = dt.date.fromisoformat(invoice["created_at"][:10])
    due = (today + dt.timedelta(days=30)).isoformat()
    if (invoice["date"], invoice["due_date"]) != (today.isoformat(), due):
        return (
            False,
            f"dated {invoice['date']} due {invoice['due_date']}; expected today, due {due}",
        )
    return (
        True,
        f"invoice {invoice['number']} created with {len(got)} lines, total {invoice['total']}",
    )


def invoice_settled(ctx: CheckContext) -> Result:
    """One payment of the whole amount due, with the reference; the invoice is paid."""
    diff = ctx.diff.get("ledgerly.payments")
    added = list(diff.added.values()) if diff else []
    mine = [p for p in added if p["invoice_id"] == ctx.expected["invoice_id"]]
    if len(mine) != 1:
        return False, f"{len(mine)} new payments on invoice {ctx.expected['invoice_id']}"
    payment = mine[0]
    if Decimal(payment["amount"]) != Decimal(ctx.expected["amount"]):
        return False, f"paid {payment['amount']}, expected {ctx.expected['amount']}"
    if payment["reference"] != ctx.expected["reference"]:
        return False, f"reference {payment['reference']!r}, expected {ctx.expected['reference']!r}"
    invoice = ctx.world.table("ledgerly.invoices")[ctx.expected["invoice_id"]]
    if invoice["status"] != "paid":
        return False, f"invoice is {invoice['status']}"
    return True, f"payment {payment['payment_id']} settles the invoice"


def entry_of_new_record(
    ctx: CheckContext, key: str, before: Record | None, after: Record | None
) -> bool:
    """A ledger entry posted for an invoice or payment the task created, whose new entries
    balance (debits equal credits: a duplicated entry unbalances them)."""
    if after is None:
        return False
    source = (after.get("source_type"), after.get("source_id"))
    table = {"invoice": "ledgerly.invoices", "payment": "ledgerly.payments"}.get(str(source[0]))
    diff = ctx.diff.get(table or "")
    if diff is None or str(source[1]) not in diff.added:
        return False
    entries = ctx.diff["ledgerly.ledger_entries"].added.values()
    posted = [e for e in entries if (e.get("source_type"), e.get("source_id")) == source]
    return sum(Decimal(e["debit"]) for e in posted) == sum(Decimal(e["credit"]) for e in posted)
