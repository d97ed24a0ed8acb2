"""Turning an agent's request action into what a service receives, or saying what is wrong."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, NamedTuple

from gym_apibench.bodies import decode_base64
from mockapis.asgi import SplitURL, split_url

__all__ = ["MAX_ACTION_BODY", "METHODS", "InvalidAction", "RequestAction", "parse_request"]

MAX_ACTION_BODY = 16 * 1024 * 1024
"""Bodies larger than this (16 MiB) are refused before they reach a service."""
METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
_KEYS = frozenset({"method", "url", "headers", "json", "body", "body_base64"})
_BODY_KEYS = ("json", "body", "body_base64")


class InvalidAction(ValueError):
    """An action no HTTP client could send; the message says what was wrong."""


class RequestAction(NamedTuple):
    """A validated request: method, split URL, headers and encoded body."""

    method: str
    url: SplitURL
    headers: list[tuple[str, str]]
    body: bytes


def parse_request(action: Mapping[str, Any], base_urls: Mapping[str, str]) -> RequestAction:
    """Validate a request action; a relative URL resolves against the only service, if one."""
    if not _KEYS.issuperset(action):
        extra = sorted(set(action) - _KEYS)
        raise InvalidAction(
            f"unknown action keys {extra}; a request has method, url, and optionally headers "
            "and json or body; the other actions are {'submit': value} and {'wait': seconds}"
        )
    method = action.get("method")
    if type(method) is not str or method.upper() not in METHODS:
        raise InvalidAction(f"method must be one of {sorted(METHODS)}; got {method!r}")
    url = action.get("url")
    if type(url) is not str or not url:
        raise InvalidAction(f"url must be a non-empty string; got {url!r}")
    if url.startswith("/"):
        if len(base_urls) != 1:
            raise InvalidAction(
                f"relative url {url!r}: use an absolute URL; base URLs: {dict(base_urls)}"
            )
        url = next(iter(base_urls.values())) + url
    try:
        parts = split_url(url)
    except ValueError as exc:
        raise InvalidAction(f"{exc}; URLs look like https://host/path") from None
    headers = action.get("headers") or {}
    if type(headers) is not dict and not isinstance(headers, Mapping):
        raise InvalidAction("headers must be an object of string to string")
    items = list(headers.items())
    for key, value in items:
        if type(key) is not str or type(value) is not str:
            raise InvalidAction(f"headers must map strings to strings; got {key!r}: {value!r}")
    body = _body(action, items)
    return RequestAction(method.upper(), parts, items, body)


def _body(action: Mapping[str, Any], items: list[tuple[str, str]]) -> bytes:
    given = [key for key in _BODY_KEYS if key in action]
    if not given:
        return b""
    if len(given) > 1:
        raise InvalidAction(f"give one of json, body or body_base64, not {' and '.join(given)}")
    lowered = {k.lower() for k, _ in items}
    if given[0] == "json":
        try:
            body = json.dumps(action["json"], ensure_ascii=False, allow_nan=False).encode()
        except (TypeError, ValueError) as exc:
            raise InvalidAction(f"json is not serialisable as JSON: {exc}") from None
        if "content-type" not in lowered:
            items.append(("content-type", "application/json"))
    elif given[0] == "body_base64":
        if not isinstance(action["body_base64"], str):
            raise InvalidAction("body_base64 must be a string of base64")
        try:
            body = decode_base64(action["body_base64"])
        except ValueError as exc:
            raise InvalidAction(str(exc)) from None
    else:
        raw = action["body"]
        if isinstance(raw, str):
            body = raw.encode("utf-8")
        elif isinstance(raw, bytes):
            body = raw
        else:
            raise InvalidAction(f"body must be a string; got {type(raw).__name__}")
    if len(body) > MAX_ACTION_BODY:
        raise InvalidAction(f"body is {len(body)} bytes; the limit is {MAX_ACTION_BODY} bytes")
    if "content-length" not in lowered:
        items.append(("content-length", str(len(body))))
    return body
