"""OpenAI's cursor lists: ``limit``, ``after``, ``order`` and ``{"object": "list", "data",
"first_id", "last_id", "has_more"}``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.requests import Request

from mockapis.openai.errors import invalid_value, oai_error

__all__ = ["list_params", "page"]


def list_params(request: Request, *, default_limit: int, max_limit: int) -> tuple[int, str, str]:
    """``(limit, order, after)`` from the query: 400 for a limit out of range or a bad order."""
    raw = request.query_params.get("limit")
    limit = default_limit
    if raw not in (None, ""):
        try:
            limit = int(str(raw))
        except ValueError:
            raise oai_error(
                400,
                f"Invalid 'limit': expected an integer, but got '{raw}' instead.",
                param="limit",
                code="invalid_type",
            ) from None
        if not 1 <= limit <= max_limit:
            raise oai_error(
                400,
                f"Invalid 'limit': integer must be between 1 and {max_limit}; got {limit}.",
                param="limit",
                code="integer_out_of_range",
            )
    order = request.query_params.get("order") or "desc"
    if order not in ("asc", "desc"):
        raise invalid_value(
            "order", f"Invalid value: '{order}'. Supported values are: 'asc' and 'desc'."
        )
    return limit, order, request.query_params.get("after") or ""


def page(
    items: Sequence[dict[str, Any]], *, limit: int, order: str, after: str, what: str
) -> dict[str, Any]:
    """One page of ``items`` (oldest first as given) in ``order``, after the id ``after``."""
    ordered = list(items) if order == "asc" else list(reversed(items))
    if after:
        ids = [item["id"] for item in ordered]
        if after not in ids:
            raise invalid_value("after", f"No {what} with id '{after}' to list after.")
        ordered = ordered[ids.index(after) + 1 :]
    data = ordered[:limit]
    return {
        "object": "list",
        "data": data,
        "first_id": data[0]["id"] if data else None,
        "last_id": data[-1]["id"] if data else None,
        "has_more": len(ordered) > limit,
    }
