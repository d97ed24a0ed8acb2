"""Turning an agent's request action into what a service receives, or saying what is wrong."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, NamedTuple

from mockapis.asgi import SplitURL, split_url

__all__ = ["MAX_ACTION_BODY", "METHODS", "InvalidAction", "RequestAction", "parse_request"]

MAX_ACTION_BODY = 16 * 1024 * 1024
"""Bodies larger than this (16 MiB) are refused before they reach a service."""
METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
_KEYS = frozenset({"method", "url", "headers", "json", "body"})


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
    has_json, has_body = "json" in action, "body" in action
    if not (has_json or has_body):
        return b""
    if has_json and has_body:
        raise InvalidAction("give json or body, not both")
    lowered = {k.lower() for k, _ in items}
    if has_json:
        try:
            body = json.dumps(action["json"], ensure_ascii=False, allow_nan=False).encode()
        except (TypeError, ValueError) as exc:
            raise InvalidAction(f"json is not serialisable as JSON: {exc}") from None
        if "content-type" not in lowered:
            items.append(("content-type", "application/json"))
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
