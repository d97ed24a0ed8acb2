"""Charges (list, retrieve, search) and balance transactions (list, retrieve); read-only."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.stripe.access import authorize
from mockapis.stripe.listing import list_page, retrieve
from mockapis.stripe.params import read_params
from mockapis.stripe.search import CHARGE_FIELDS, search_page
from mockapis.tables import Record

__all__ = ["ROUTES"]


async def list_charges(request: Request) -> Response:
    world = authorize(request)
    params = await read_params(request)
    customer = params.string("customer")
    return list_page(
        world,
        "charge",
        params,
        "/v1/charges",
        None if customer is None else lambda row: row["customer"] == customer,
    )


async def search_charges(request: Request) -> Response:
    world = authorize(request)
    params = await read_params(request)
    return search_page(world, "charge", params, "/v1/charges/search", CHARGE_FIELDS)


retrieve_charge = retrieve("charge", "charge")


async def list_balance_transactions(request: Request) -> Response:
    world = authorize(request)
    params = await read_params(request)
    kind = params.string("type")
    source = params.string("source")
    currency = params.string("currency")

    def keep(row: Record) -> bool:
        return (
            (kind is None or row["type"] == kind)
            and (source is None or row["source"] == source)
            and (currency is None or row["currency"] == currency.lower())
        )

    return list_page(world, "balance_transaction", params, "/v1/balance_transactions", keep)


retrieve_balance_transaction = retrieve("balance_transaction", "id")


ROUTES = [
    Route("/v1/charges", list_charges, methods=["GET"]),
    Route("/v1/charges/search", search_charges, methods=["GET"]),
    Route("/v1/charges/{charge}", retrieve_charge, methods=["GET"]),
    Route("/v1/balance_transactions", list_balance_transactions, methods=["GET"]),
    Route("/v1/balance_transactions/{id}", retrieve_balance_transaction, methods=["GET"]),
]
