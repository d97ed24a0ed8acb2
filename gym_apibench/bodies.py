"""Bodies that are bytes, in actions and observations that are JSON-friendly text.

An observation's ``body`` is a string. A response body that is valid UTF-8 is given as that
text; any other (a PDF, an image, gzip) is given as its base64, and the observation's headers
say so with ``x-apibench-body-encoding: base64``, so nothing is lost or silently replaced.
An action sends bytes the same way, as ``body_base64`` instead of ``body``.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any

__all__ = [
    "BODY_ENCODING_HEADER",
    "body_bytes",
    "decode_base64",
    "header",
    "is_base64",
    "observed_body",
]

BODY_ENCODING_HEADER = "x-apibench-body-encoding"
"""Observation header marking a body given as base64 (its value is ``base64``)."""


def header(message: Mapping[str, Any], name: str) -> str | None:
    """The value of header ``name`` (any case) of an action or observation, if it has one."""
    wanted = name.lower()
    for key, value in (message.get("headers") or {}).items():
        if key.lower() == wanted:
            return str(value)
    return None


def observed_body(raw: bytes) -> tuple[str, bool]:
    """``raw`` as an observation's body: ``(text, False)``, or ``(base64, True)`` when it is
    not UTF-8."""
    try:
        return raw.decode("utf-8"), False
    except UnicodeDecodeError:
        return base64.b64encode(raw).decode("ascii"), True


def is_base64(observation: Mapping[str, Any]) -> bool:
    """Whether the observation's body is base64 (the response was not UTF-8 text)."""
    return header(observation, BODY_ENCODING_HEADER) == "base64"


def body_bytes(observation: Mapping[str, Any]) -> bytes:
    """The exact bytes of an observation's body (decoding base64 when its headers say so)."""
    body = str(observation.get("body", ""))
    return base64.b64decode(body) if is_base64(observation) else body.encode("utf-8")


def decode_base64(text: str) -> bytes:
    """Strict base64 (standard alphabet, padded); ``ValueError`` naming the problem."""
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"body_base64 is not valid base64: {exc}") from None
