"""Authentication: ``Authorization: Bearer <api key>`` on every request but OPTIONS."""

from __future__ import annotations

from starlette.requests import Request

from mockapis.kit.auth import header_value
from mockapis.tus.data import KEYS
from mockapis.tus.errors import tus_error

__all__ = ["account"]

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="uploads"'}


def account(request: Request) -> str:
    """The account of the request's API key; 401 for a missing, malformed or unknown key."""
    header = header_value(request, b"authorization")
    scheme, _, token = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise tus_error(
            401,
            "Missing or malformed Authorization header; expected 'Authorization: Bearer <key>'.",
            "unauthorized",
            _CHALLENGE,
        )
    row = request.scope["world"].table(KEYS).get(token.strip())
    if row is None:
        raise tus_error(401, "Unknown API key.", "unauthorized", _CHALLENGE)
    return str(row["account"])
