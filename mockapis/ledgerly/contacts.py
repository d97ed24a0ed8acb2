"""Contacts (customers and suppliers): list and read; partner consumers may call two-legged."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from mockapis.kit.context import world_of
from mockapis.kit.errors import ApiError
from mockapis.ledgerly.access import api_route, one, paged
from mockapis.ledgerly.formats import render
from mockapis.ledgerly.oauth import Principal

__all__ = ["CONTACT_TYPES", "ROUTES"]

CONTACT_TYPES = ("customer", "supplier", "both")


async def list_contacts(request: Request, principal: Principal) -> Response:
    """Contacts in id order, a page at a time; ``type`` filters exactly."""
    kind = request.query_params.get("type")
    if kind is not None and kind not in CONTACT_TYPES:
        raise ApiError(
            400,
            f"type must be one of {', '.join(CONTACT_TYPES)}; got {kind[:40]!r}.",
            code="validation_error",
        )
    rows = list(world_of(request).table("ledgerly.contacts").values())
    if kind is not None:
        rows = [r for r in rows if r["type"] == kind]
    return paged(request, "contacts", rows)


async def get_contact(request: Request, principal: Principal) -> Response:
    """One contact."""
    contact = one(request, "ledgerly.contacts", request.path_params["contact_id"], "contact")
    return render(request, "contact", contact)


ROUTES = [
    api_route("/api/1.0/contacts", {"GET": list_contacts}, two_legged=True),
    api_route("/api/1.0/contacts/{contact_id}", {"GET": get_contact}, two_legged=True),
]
