"""Authentication: ``Authorization: Bearer <api key>`` on every request."""

from __future__ import annotations

from starlette.requests import Request

from mockapis.kit.auth import bearer_record

__all__ = ["KEYS", "account"]

KEYS = "files._keys"
"""API key -> ``{"token", "account"}`` (bookkeeping, not collateral damage)."""


def account(request: Request) -> str:
    """The account of the request's API key; 401 for a missing, malformed or unknown key."""
    return str(bearer_record(request, KEYS, realm="files")["account"])
