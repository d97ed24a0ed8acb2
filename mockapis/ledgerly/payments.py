"""Payments received: list, and record one against an open invoice."""

from __future__ import annotations

from decimal import Decimal

from starlette.requests import Request
from starlette.responses import Response

from mockapis.kit.context import world_of
from mockapis.kit.errors import ApiError
from mockapis.ledgerly import books
from mockapis.ledgerly.access import api_route, paged
from mockapis.ledgerly.formats import render
from mockapis.ledgerly.invoices import field, parse_date, scalar, write_fields
from mockapis.ledgerly.oauth import Principal

__all__ = ["ROUTES"]

_FIELDS = {"invoice_id", "amount", "date", "reference"}


async def list_payments(request: Request, principal: Principal) -> Response:
    """Payments in id order; ``invoice_id`` filters."""
    invoice = request.query_params.get("invoice_id")
    rows = [
        r
        for r in world_of(request).table("ledgerly.payments").values()
        if invoice is None or r["invoice_id"] == invoice
    ]
    return paged(request, "payments", rows)


async def create_payment(request: Request, principal: Principal) -> Response:
    """Apply a payment to an open invoice (at most its amount due); posts to the ledger."""
    world = world_of(request)
    fields, form = await write_fields(request)
    unknown = sorted(set(fields) - _FIELDS)
    if unknown:
        raise ApiError(
            400,
            f"Unknown fields {unknown[:5]}; known: {', '.join(sorted(_FIELDS))}.",
            code="validation_error",
        )
    invoice_id = scalar(fields, "invoice_id", form=form, required=True) or ""
    invoice = world.table("ledgerly.invoices").get(invoice_id)
    if invoice is None:
        raise ApiError(
            400, f"invoice_id {invoice_id[:40]!r} is not an invoice.", code="validation_error"
        )
    if invoice["status"] != "open":
        raise ApiError(
            409,
            f"Invoice {invoice['number']} is {invoice['status']}: nothing is due.",
            code="invoice_not_open",
        )
    amount = field(scalar(fields, "amount", form=form, required=True), "amount", low="0.01")
    due = Decimal(invoice["amount_due"])
    if amount > due:
        raise ApiError(
            400,
            f"amount {books.fmt(amount)} exceeds the amount due {books.fmt(due)}.",
            code="validation_error",
        )
    date = parse_date(scalar(fields, "date", form=form), "date", world.clock.datetime().date())
    reference = scalar(fields, "reference", form=form) or ""
    if len(reference) > 100:
        raise ApiError(400, "reference takes at most 100 characters.", code="validation_error")
    at = world.clock.isoformat()
    payment = books.build_payment(
        payment_id=str(books.PAYMENT_BASE + books.next_number(world, "payment")),
        invoice=invoice,
        amount=amount,
        date=date.isoformat(),
        reference=reference,
        created_at=at,
        created_by=f"{principal.username}@{principal.consumer['name']}",
    )
    world.table("ledgerly.payments").put(payment["payment_id"], payment)
    world.table("ledgerly.invoices").put(invoice_id, books.apply_payment(invoice, amount, at))
    books.post(world, payment, "payment")
    return render(request, "payment", payment, status=201)


ROUTES = [api_route("/api/1.0/payments", {"GET": list_payments, "POST": create_payment})]
