"""Authentication: ``Authorization: Bearer <api key>`` on every request."""

from __future__ import annotations

from starlette.requests import Request

from mockapis.kit.auth import bearer_token
from mockapis.kit.errors import ApiError

__all__ = ["KEYS", "account"]

KEYS = "files._keys"
"""API key -> ``{"token", "account"}`` (bookkeeping, not collateral damage)."""


def account(request: Request) -> str:
    """The account of the request's API key; 401 for a missing, malformed or unknown key."""
    token = bearer_token(request, realm="files")
    row = request.scope["world"].table(KEYS).get(token)
    if row is None:
        raise ApiError(
            401,
            "Unknown API key.",
            code="unauthorized",
            headers={"WWW-Authenticate": 'Bearer realm="files"'},
        )
    return str(row["account"])
