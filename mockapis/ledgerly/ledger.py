"""The organisation, its chart of accounts (both two-legged) and the ledger entries."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from mockapis.kit.context import world_of
from mockapis.kit.errors import ApiError
from mockapis.ledgerly.access import api_route, paged
from mockapis.ledgerly.formats import render
from mockapis.ledgerly.oauth import Principal

__all__ = ["ROUTES"]

SOURCE_TYPES = ("invoice", "payment")


async def get_company(request: Request, principal: Principal) -> Response:
    """The organisation whose books these are."""
    return render(request, "company", world_of(request).table("ledgerly.company")["company"])


async def list_accounts(request: Request, principal: Principal) -> Response:
    """The chart of accounts (not paged: it is short)."""
    accounts = list(world_of(request).table("ledgerly.accounts").values())
    return render(request, "accounts", accounts, attributes={"total": len(accounts)})


async def list_entries(request: Request, principal: Principal) -> Response:
    """Ledger entries in posting order; ``account_code`` and ``source_type`` filter."""
    account = request.query_params.get("account_code")
    source = request.query_params.get("source_type")
    if source is not None and source not in SOURCE_TYPES:
        raise ApiError(
            400,
            f"source_type must be invoice or payment; got {source[:40]!r}.",
            code="validation_error",
        )
    rows = [
        r
        for r in world_of(request).table("ledgerly.ledger_entries").values()
        if (account is None or r["account_code"] == account)
        and (source is None or r["source_type"] == source)
    ]
    return paged(request, "ledger_entries", rows)


ROUTES = [
    api_route("/api/1.0/company", {"GET": get_company}, two_legged=True),
    api_route("/api/1.0/accounts", {"GET": list_accounts}, two_legged=True),
    api_route("/api/1.0/ledger_entries", {"GET": list_entries}),
]
