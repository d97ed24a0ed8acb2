"""Products and prices: list, create, retrieve, update (amounts in minor units)."""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.kit.idempotency import idempotent
from mockapis.kit.responses import JSONResponse
from mockapis.stripe import objects
from mockapis.stripe.access import authorize, expand, fetch
from mockapis.stripe.customers import merged_metadata, new_id, now_s
from mockapis.stripe.errors import param_error
from mockapis.stripe.listing import list_page, retrieve
from mockapis.stripe.params import Params, read_params
from mockapis.tables import Record

__all__ = ["ROUTES"]

INTERVALS = ("day", "week", "month", "year")
_CURRENCY = re.compile(r"^[a-z]{3}$")


async def list_products(request: Request) -> Response:
    world = authorize(request)
    params = await read_params(request)
    active = params.boolean("active")
    shippable = params.boolean("shippable")
    ids = params.strings("ids")

    def keep(row: Record) -> bool:
        return (
            (active is None or row["active"] == active)
            and (shippable is None or row["shippable"] == shippable)
            and (ids is None or row["id"] in ids)
        )

    return list_page(world, "product", params, "/v1/products", keep)


def _product_fields(params: Params, *, creating: bool) -> dict[str, object]:
    found: dict[str, object] = {}
    name = params.string("name", required=creating)
    if name is not None:
        if not name.strip():
            raise param_error("name", "Invalid name: must not be empty.")
        found["name"] = name
    if "description" in params:
        found["description"] = params.string("description") or None
    active = params.boolean("active")
    if active is not None:
        found["active"] = active
    return found


async def create_product(request: Request) -> Response:
    world = authorize(request)
    params = await read_params(request)
    fields = _product_fields(params, creating=True)
    metadata = params.metadata() or {}
    paths = params.expand()
    params.done()
    product = objects.product(
        new_id(world, "prod_"),
        now_s(world),
        name=str(fields.pop("name")),
        description=None,
        active=True,
        default_price=None,
        metadata=metadata,
    )
    product = {**product, **fields}
    world.table(objects.TABLES["product"]).put(product["id"], product)
    return JSONResponse(expand(world, "product", product, paths))


retrieve_product = retrieve("product", "id")


async def update_product(request: Request) -> Response:
    world = authorize(request)
    params = await read_params(request)
    product = fetch(world, "product", request.path_params["id"])
    fields = _product_fields(params, creating=False)
    metadata = merged_metadata(product["metadata"], params.metadata())
    default_price = params.string("default_price")
    paths = params.expand()
    params.done()
    if default_price:
        price = fetch(world, "price", default_price, "default_price")
        if price["product"] != product["id"]:
            raise param_error(
                "default_price", f"The price {default_price} belongs to another product."
            )
        fields["default_price"] = default_price
    updated: Record = {**product, **fields, "metadata": metadata, "updated": now_s(world)}
    world.table(objects.TABLES["product"]).put(updated["id"], updated)
    return JSONResponse(expand(world, "product", updated, paths))


async def list_prices(request: Request) -> Response:
    world = authorize(request)
    params = await read_params(request)
    active = params.boolean("active")
    currency = params.string("currency")
    product = params.string("product")
    kind = params.string("type")
    if kind is not None and kind not in ("one_time", "recurring"):
        raise param_error("type", f"Invalid type: must be one of one_time or recurring; got {kind}")

    def keep(row: Record) -> bool:
        return (
            (active is None or row["active"] == active)
            and (currency is None or row["currency"] == currency.lower())
            and (product is None or row["product"] == product)
            and (kind is None or row["type"] == kind)
        )

    return list_page(world, "price", params, "/v1/prices", keep)


async def create_price(request: Request) -> Response:
    world = authorize(request)
    params = await read_params(request)
    product_id = params.string("product", required=True) or ""
    currency = (params.string("currency", required=True) or "").lower()
    amount = params.integer("unit_amount", minimum=0, maximum=99_999_999)
    interval = _interval(params)
    nickname = params.string("nickname")
    active = params.boolean("active")
    metadata = params.metadata() or {}
    paths = params.expand()
    params.done()
    if not _CURRENCY.match(currency):
        raise param_error("currency", f"Invalid currency: {currency}")
    if amount is None:
        raise param_error(
            "unit_amount", "Missing required param: unit_amount.", "parameter_missing"
        )
    fetch(world, "product", product_id, "product")
    price = objects.price(
        new_id(world, "price_", 24),
        now_s(world),
        product=product_id,
        unit_amount=amount,
        currency=currency,
        interval=interval,
        nickname=nickname or None,
        metadata=metadata,
        active=True if active is None else active,
    )
    world.table(objects.TABLES["price"]).put(price["id"], price)
    return JSONResponse(expand(world, "price", price, paths))


def _interval(params: Params) -> str | None:
    """``recurring[interval]`` (``None``: a one-time price)."""
    recurring = params.mapping("recurring")
    if recurring is None:
        return None
    if set(recurring) - {"interval", "interval_count"}:
        raise param_error("recurring", "Invalid recurring: expected recurring[interval].")
    interval = recurring.get("interval")
    if interval not in INTERVALS:
        raise param_error(
            "recurring[interval]",
            f"Invalid recurring[interval]: must be one of {', '.join(INTERVALS)}",
        )
    return str(interval)


retrieve_price = retrieve("price", "price")


async def update_price(request: Request) -> Response:
    world = authorize(request)
    params = await read_params(request)
    price = fetch(world, "price", request.path_params["price"])
    found: dict[str, object] = {}
    active = params.boolean("active")
    if active is not None:
        found["active"] = active
    if "nickname" in params:
        found["nickname"] = params.string("nickname") or None
    metadata = merged_metadata(price["metadata"], params.metadata())
    paths = params.expand()
    params.done()
    updated = {**price, **found, "metadata": metadata}
    world.table(objects.TABLES["price"]).put(updated["id"], updated)
    return JSONResponse(expand(world, "price", updated, paths))


ROUTES = [
    Route("/v1/products", list_products, methods=["GET"]),
    Route("/v1/products", idempotent(create_product), methods=["POST"]),
    Route("/v1/products/{id}", retrieve_product, methods=["GET"]),
    Route("/v1/products/{id}", idempotent(update_product), methods=["POST"]),
    Route("/v1/prices", list_prices, methods=["GET"]),
    Route("/v1/prices", idempotent(create_price), methods=["POST"]),
    Route("/v1/prices/{price}", retrieve_price, methods=["GET"]),
    Route("/v1/prices/{price}", idempotent(update_price), methods=["POST"]),
]
