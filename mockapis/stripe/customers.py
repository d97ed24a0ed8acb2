"""Customers: list (``email``, ``created``), create, retrieve, update, delete, search."""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapis.kit.idempotency import idempotent
from mockapis.kit.responses import JSONResponse
from mockapis.stripe import objects
from mockapis.stripe.access import authorize, expand, fetch
from mockapis.stripe.errors import param_error
from mockapis.stripe.listing import list_page, retrieve
from mockapis.stripe.params import Params, read_params
from mockapis.stripe.search import CUSTOMER_FIELDS, search_page
from mockapis.tables import Record
from mockapis.world import World

__all__ = ["ROUTES", "new_id", "now_s"]

TABLE = objects.TABLES["customer"]
DELETED = "stripe._deleted_customers"
"""Tombstones of deleted customers, id -> ``{"id", "object": "customer", "deleted": true}``:
retrieving a deleted customer answers its tombstone, as Stripe does (not a 404)."""
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def new_id(world: World, prefix: str, length: int = 14) -> str:
    """A fresh object id drawn from the episode's RNG (``cus_`` + 14 characters)."""
    return prefix + "".join(world.rng.choice(_ALPHABET) for _ in range(length))


def now_s(world: World) -> int:
    """The world's clock in whole seconds (Stripe's ``created``)."""
    return world.clock.now_ns // 1_000_000_000


async def list_customers(request: Request) -> Response:
    world = authorize(request)
    params = await read_params(request)
    email = params.string("email", max_length=512)
    return list_page(
        world,
        "customer",
        params,
        "/v1/customers",
        None if email is None else lambda row: row["email"] == email,
    )


async def search_customers(request: Request) -> Response:
    world = authorize(request)
    params = await read_params(request)
    return search_page(world, "customer", params, "/v1/customers/search", CUSTOMER_FIELDS)


def _fields(params: Params) -> dict[str, object]:
    """The writable fields present in the request."""
    found: dict[str, object] = {}
    for name in ("name", "phone", "description"):
        if name in params:
            found[name] = params.string(name) or None
    if "email" in params:
        email = params.string("email", max_length=512) or None
        if email is not None and not _EMAIL.match(email):
            raise param_error("email", f"Invalid email address: {email}", "email_invalid")
        found["email"] = email
    return found


async def create_customer(request: Request) -> Response:
    world = authorize(request)
    params = await read_params(request)
    fields = _fields(params)
    metadata = params.metadata() or {}
    paths = params.expand()
    params.done()
    customer = objects.customer(
        new_id(world, "cus_"),
        now_s(world),
        email=None,
        name=None,
        phone=None,
        description=None,
        metadata=metadata,
    )
    customer = {**customer, **fields}
    world.table(TABLE).put(customer["id"], customer)
    return JSONResponse(expand(world, "customer", customer, paths))


_retrieve_live_customer = retrieve("customer", "customer")


async def retrieve_customer(request: Request) -> Response:
    """A customer by id; a deleted one answers its tombstone (``deleted: true``) with a 200."""
    tombstone = authorize(request).table(DELETED).get(request.path_params["customer"])
    if tombstone is not None:
        params = await read_params(request)
        params.expand()
        params.done()
        return JSONResponse(tombstone)
    return await _retrieve_live_customer(request)


def merged_metadata(current: dict[str, str], update: dict[str, str] | None) -> dict[str, str]:
    """Stripe's metadata update: keys merge, an empty value unsets its key, ``{}`` clears."""
    if update is None:
        return current
    if not update:
        return {}
    merged = {**current, **update}
    return {k: v for k, v in merged.items() if v != ""}


async def update_customer(request: Request) -> Response:
    world = authorize(request)
    params = await read_params(request)
    customer: Record = fetch(world, "customer", request.path_params["customer"])
    fields = _fields(params)
    metadata = merged_metadata(customer["metadata"], params.metadata())
    paths = params.expand()
    params.done()
    updated = {**customer, **fields, "metadata": metadata}
    world.table(TABLE).put(updated["id"], updated)
    return JSONResponse(expand(world, "customer", updated, paths))


async def delete_customer(request: Request) -> Response:
    world = authorize(request)
    params = await read_params(request)
    params.done()
    customer = fetch(world, "customer", request.path_params["customer"])
    world.table(TABLE).delete(customer["id"])
    tombstone = {"id": customer["id"], "object": "customer", "deleted": True}
    world.table(DELETED).put(customer["id"], tombstone)
    return JSONResponse(tombstone)


ROUTES = [
    Route("/v1/customers", list_customers, methods=["GET"]),
    Route("/v1/customers", idempotent(create_customer), methods=["POST"]),
    Route("/v1/customers/search", search_customers, methods=["GET"]),
    Route("/v1/customers/{customer}", retrieve_customer, methods=["GET"]),
    Route("/v1/customers/{customer}", idempotent(update_customer), methods=["POST"]),
    Route("/v1/customers/{customer}", delete_customer, methods=["DELETE"]),
]
