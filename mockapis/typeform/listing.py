"""Typeform's page-numbered listings: ``{"total_items", "page_count", "items"}``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.requests import Request

from mockapis.typeform.access import page_number

__all__ = ["page_of"]


def page_of(
    request: Request, rows: Sequence[Any], *, default_size: int = 10, max_size: int = 200
) -> dict[str, Any]:
    """The ``page``-th page of ``rows`` (``page_size`` at most ``max_size``; past the last page
    the items are empty)."""
    page = page_number(request, "page", 1)
    size = page_number(request, "page_size", default_size, max_size)
    start = (page - 1) * size
    return {
        "total_items": len(rows),
        "page_count": -(-len(rows) // size),
        "items": list(rows[start : start + size]),
    }
