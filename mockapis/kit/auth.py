"""Credential extraction for the common schemes: API-key header, bearer and basic."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request

from mockapis.kit.errors import ApiError

__all__ = [
    "api_key",
    "basic_credentials",
    "bearer_record",
    "bearer_token",
    "header_value",
    "raw_authorization",
]


def header_value(request: Request, name: bytes) -> str | None:
    """The first value of the lowercase header ``name``, read straight from the scope.

    Cheaper than ``request.headers``, which builds a multi-dict; auth runs on every request.
    """
    for key, value in request.scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def bearer_token(request: Request, *, realm: str = "api") -> str:
    """The token of ``Authorization: Bearer <token>``, else 401 with ``WWW-Authenticate``."""
    header = header_value(request, b"authorization")
    challenge = {"WWW-Authenticate": f'Bearer realm="{realm}"'}
    if not header:
        raise ApiError(
            401,
            "Missing Authorization header; expected 'Authorization: Bearer <token>'.",
            code="unauthorized",
            headers=challenge,
        )
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(
            401,
            "Malformed Authorization header; expected 'Authorization: Bearer <token>'.",
            code="unauthorized",
            headers=challenge,
        )
    return token.strip()


def bearer_record(
    request: Request, table: str, *, realm: str = "api", message: str = "Unknown API key."
) -> Mapping[str, Any]:
    """The row of ``table`` keyed by the request's bearer token, else 401 (``message`` for a
    well-formed but unknown token) with ``WWW-Authenticate``."""
    token = bearer_token(request, realm=realm)
    row: Mapping[str, Any] | None = request.scope["world"].table(table).get(token)
    if row is None:
        challenge = {"WWW-Authenticate": f'Bearer realm="{realm}"'}
        raise ApiError(401, message, code="unauthorized", headers=challenge)
    return row


def raw_authorization(request: Request) -> str:
    """The whole ``Authorization`` header as a raw token (ClickUp and Linear style), else 401."""
    header = request.headers.get("authorization", "").strip()
    if not header:
        raise ApiError(
            401, "Missing Authorization header; expected the API token.", code="unauthorized"
        )
    return header


def api_key(request: Request, header: str = "X-Api-Key") -> str:
    """The value of the API-key ``header``, else 401 naming the header."""
    value = request.headers.get(header, "").strip()
    if not value:
        raise ApiError(
            401, f"Missing API key; expected it in the {header} header.", code="unauthorized"
        )
    return value


def basic_credentials(request: Request, *, realm: str = "api") -> tuple[str, str]:
    """``(user, password)`` of ``Authorization: Basic``, else 401 with ``WWW-Authenticate``."""
    header = request.headers.get("authorization", "")
    challenge = {"WWW-Authenticate": f'Basic realm="{realm}"'}
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        raise ApiError(
            401,
            "Missing or malformed Authorization header; expected 'Authorization: Basic "
            "<base64(user:password)>'.",
            code="unauthorized",
            headers=challenge,
        )
    try:
        raw = base64.b64decode(encoded.strip(), validate=True)
    except binascii.Error:
        raise ApiError(
            401, "Basic credentials are not valid base64.", code="unauthorized", headers=challenge
        ) from None
    try:
        decoded = raw.decode()
    except UnicodeDecodeError:
        raise ApiError(
            401, "Basic credentials are not UTF-8 text.", code="unauthorized", headers=challenge
        ) from None
    user, sep, password = decoded.partition(":")
    if not sep:
        raise ApiError(
            401,
            "Basic credentials must be 'user:password' before encoding.",
            code="unauthorized",
            headers=challenge,
        )
    return user, password
