"""Invoices: list, read, and create (from an XML, JSON or form body), posting to the ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from mockapis.kit.context import world_of
from mockapis.kit.errors import ApiError
from mockapis.kit.parsing import read_body
from mockapis.ledgerly import books
from mockapis.ledgerly.access import api_route, one, paged
from mockapis.ledgerly.formats import parse_body, render
from mockapis.ledgerly.oauth import Principal

__all__ = ["ROUTES", "field", "parse_date", "scalar", "write_fields"]

STATUSES = ("open", "paid")
MAX_LINES = 50
_INVOICE_FIELDS = {"contact_id", "date", "due_date", "reference", "line_items"}
_LINE_FIELDS = ("description", "quantity", "unit_price", "tax_rate", "account_code")


def _bad(message: str) -> ApiError:
    return ApiError(400, message, code="validation_error")


async def list_invoices(request: Request, principal: Principal) -> Response:
    """Invoices in id order; ``status`` and ``contact_id`` filter."""
    status = request.query_params.get("status")
    contact = request.query_params.get("contact_id")
    if status is not None and status not in STATUSES:
        raise _bad(f"status must be open or paid; got {status[:40]!r}.")
    rows = [
        r
        for r in world_of(request).table("ledgerly.invoices").values()
        if (status is None or r["status"] == status)
        and (contact is None or r["contact_id"] == contact)
    ]
    return paged(request, "invoices", rows)


async def get_invoice(request: Request, principal: Principal) -> Response:
    """One invoice with its line items."""
    invoice = one(request, "ledgerly.invoices", request.path_params["invoice_id"], "invoice")
    return render(request, "invoice", invoice)


# -- writes -------------------------------------------------------------------------------------


async def write_fields(request: Request) -> tuple[dict[str, Any], bool]:
    """The body's fields and whether it was a form (form values are lists)."""
    content_type = request.headers.get("content-type", "")
    fields = parse_body(await read_body(request), content_type)
    return fields, content_type.lower().startswith("application/x-www-form-urlencoded")


def scalar(fields: dict[str, Any], name: str, *, form: bool, required: bool = False) -> str | None:
    """One text field (a form's single value), else 400."""
    value = fields.get(name)
    if form and isinstance(value, list):
        if len(value) != 1:
            raise _bad(f"{name} must be given once; got {len(value)} values.")
        value = value[0]
    if value is None or value == "":
        if required:
            raise _bad(f"{name} is required.")
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _bad(f"{name} must be a string.")
    return str(value)


def field(value: Any, name: str, *, places: int = 2, low: str = "0", high: str = "1e9") -> Decimal:
    """A decimal within [low, high] with at most ``places`` decimals, else 400."""
    found = books.decimal(value)
    if found is None or not Decimal(low) <= found <= Decimal(high):
        raise _bad(f"{name} must be a number from {low} to {Decimal(high):f}; got {value!r:.40}.")
    if found != found.quantize(Decimal(1).scaleb(-places)):
        raise _bad(f"{name} takes at most {places} decimal places; got {value!r:.40}.")
    return found


def parse_date(value: str | None, name: str, default: dt.date) -> dt.date:
    """A ``YYYY-MM-DD`` date, ``default`` when absent, else 400."""
    if value is None:
        return default
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else dt.date.fromisoformat("x")
    except ValueError:
        raise _bad(f"{name} must be a date YYYY-MM-DD; got {value[:40]!r}.") from None


def _lines(fields: dict[str, Any], *, form: bool) -> list[dict[str, Any]]:
    if form:
        columns = {name: fields.get(name) or [] for name in _LINE_FIELDS}
        count = len(columns["description"])
        for name, values in columns.items():
            if values and len(values) != count:
                raise _bad(
                    f"Form line items are repeated fields in step: {count} description values "
                    f"but {len(values)} {name} values."
                )
        return [
            {name: values[i] for name, values in columns.items() if values} for i in range(count)
        ]
    raw = fields.get("line_items")
    if raw is None or raw == "":
        return []
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        raise _bad("line_items must be a list of line items.")
    return raw


def _line(item: dict[str, Any], n: int) -> dict[str, Any]:
    unknown = sorted(set(item) - set(_LINE_FIELDS))
    if unknown:
        raise _bad(f"line {n}: unknown fields {unknown}; known: {', '.join(_LINE_FIELDS)}.")
    description = item.get("description")
    if not isinstance(description, str) or not description.strip() or len(description) > 200:
        raise _bad(f"line {n}: description is required (at most 200 characters).")
    if item.get("quantity") in (None, "") or item.get("unit_price") in (None, ""):
        raise _bad(f"line {n}: quantity and unit_price are required.")
    account = str(item.get("account_code") or "4000")
    if account not in books.REVENUE_ACCOUNTS:
        raise _bad(
            f"line {n}: account_code must be a revenue account "
            f"({', '.join(books.REVENUE_ACCOUNTS)}); got {account[:20]!r}."
        )
    return books.build_line(
        n,
        description.strip(),
        field(item["quantity"], f"line {n}: quantity", low="0.01", high="1000000"),
        field(item["unit_price"], f"line {n}: unit_price"),
        field(item.get("tax_rate") or "0", f"line {n}: tax_rate", high="100"),
        account,
    )


async def create_invoice(request: Request, principal: Principal) -> Response:
    """Create an open invoice for a contact; it posts its ledger entries."""
    world = world_of(request)
    fields, form = await write_fields(request)
    known = _INVOICE_FIELDS | (set(_LINE_FIELDS) if form else set())
    unknown = sorted(set(fields) - known)
    if unknown:
        raise _bad(f"Unknown fields {unknown[:5]}; known: {', '.join(sorted(known))}.")
    contact_id = scalar(fields, "contact_id", form=form, required=True) or ""
    contact = world.table("ledgerly.contacts").get(contact_id)
    if contact is None:
        raise _bad(f"contact_id {contact_id[:40]!r} is not a contact.")
    today = world.clock.datetime().date()
    date = parse_date(scalar(fields, "date", form=form), "date", today)
    due = parse_date(scalar(fields, "due_date", form=form), "due_date", date + dt.timedelta(30))
    if due < date:
        raise _bad("due_date must not be before date.")
    reference = scalar(fields, "reference", form=form) or ""
    if len(reference) > 100:
        raise _bad("reference takes at most 100 characters.")
    items = _lines(fields, form=form)
    if not 1 <= len(items) <= MAX_LINES:
        raise _bad(f"An invoice has 1 to {MAX_LINES} line items; got {len(items)}.")
    lines = [_line(item, n) for n, item in enumerate(items, 1)]
    number = books.next_number(world, "invoice")
    at = world.clock.isoformat()
    invoice = books.build_invoice(
        invoice_id=str(books.INVOICE_BASE + number),
        number=f"INV-{number:05d}",
        contact=contact,
        date=date.isoformat(),
        due_date=due.isoformat(),
        reference=reference,
        lines=lines,
        created_at=at,
        created_by=f"{principal.username}@{principal.consumer['name']}",
    )
    world.table("ledgerly.invoices").put(invoice["invoice_id"], invoice)
    books.post(world, invoice, "invoice")
    response = render(request, "invoice", invoice, status=201)
    response.headers["Location"] = f"/api/1.0/invoices/{invoice['invoice_id']}"
    return response


ROUTES = [
    api_route("/api/1.0/invoices", {"GET": list_invoices, "POST": create_invoice}),
    api_route("/api/1.0/invoices/{invoice_id}", {"GET": get_invoice}),
]
