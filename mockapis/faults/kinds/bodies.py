"""Broken response bodies: malformed JSON or labels, and schema drift (fields renamed, removed,
retyped or nulled). The service runs and its writes stand; only what the client reads changes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import orjson

from mockapis.faults.layer import FaultCall
from mockapis.faults.model import Kind, Param, Proceed, Reply
from mockapis.kit.responses import dumps

__all__ = ["KINDS", "is_json", "with_body"]

HTML_PAGE = (
    b"<!DOCTYPE html>\n<html>\n<head><title>Something went wrong</title></head>\n<body>\n"
    b"<h1>We'll be right back</h1>\n"
    b"<p>The service is temporarily unable to handle your request. Please try again later.</p>\n"
    b"</body>\n</html>\n"
)
"""What a misconfigured proxy or CDN answers with, status 200, in place of the JSON."""


def is_json(reply: Reply) -> bool:
    """Whether ``reply`` is labelled JSON (``application/json`` or a ``+json`` type)."""
    media = (reply.header(b"content-type") or b"").split(b";")[0].strip().lower()
    return media == b"application/json" or media.endswith(b"+json")


def with_body(
    reply: Reply, body: bytes, *, status: int | None = None, content_type: bytes | None = None
) -> Reply:
    """``reply`` with a new body (Content-Length to match) and optionally status and type."""
    dropped = {b"content-length"} | ({b"content-type"} if content_type is not None else set())
    headers = [(k, v) for k, v in reply.headers if k not in dropped]
    if content_type is not None:
        headers.append((b"content-type", content_type))
    headers.append((b"content-length", str(len(body)).encode()))
    return Reply(reply.status if status is None else status, headers, body)


# -- malformed -------------------------------------------------------------------------------


async def _malformed(call: FaultCall, proceed: Proceed) -> Reply:
    reply = await proceed()
    if not is_json(reply):
        return reply
    p = call.params
    call.inject()
    if p["mode"] == "wrong_content_type":
        return with_body(reply, reply.body, content_type=p["content_type"].encode("latin-1"))
    if p["mode"] == "html":
        return with_body(reply, HTML_PAGE, status=200, content_type=b"text/html; charset=utf-8")
    # truncate: keep at least one byte and drop at least one, so the JSON never parses
    cut = min(max(1, int(len(reply.body) * p["fraction"])), max(1, len(reply.body) - 1))
    return with_body(reply, reply.body[:cut])


def _check_malformed(params: Mapping[str, Any]) -> tuple[str, str] | None:
    if not 0 < params["fraction"] < 1:
        return "fraction", f"must be between 0 and 1 (exclusive); got {params['fraction']!r}"
    return None


# -- schema drift ----------------------------------------------------------------------------

WILDCARD = "*"


def _targets(doc: Any, segments: list[str]) -> list[tuple[Any, Any]]:
    """Every ``(container, key)`` the path reaches: ``*`` is every list item or every key, a
    number indexes a list."""
    found: list[tuple[Any, Any]] = []
    head, rest = segments[0], segments[1:]
    if isinstance(doc, dict):
        keys: list[Any] = list(doc) if head == WILDCARD else [head] if head in doc else []
    elif isinstance(doc, list):
        if head == WILDCARD:
            keys = list(range(len(doc)))
        else:
            keys = [int(head)] if head.isdigit() and int(head) < len(doc) else []
    else:
        keys = []
    for key in keys:
        if rest:
            found.extend(_targets(doc[key], rest))
        else:
            found.append((doc, key))
    return found


def retype(value: Any, to: str) -> Any:
    """``value`` as the JSON type ``to``; null and values with no sensible conversion stay.

    string: the value's compact JSON text; number: numeric strings and booleans; array: the
    value wrapped in a list; object: the value wrapped as ``{"value": ...}``.
    """
    if value is None:
        return None
    if to == "string":
        return value if isinstance(value, str) else orjson.dumps(value).decode()
    if to == "number":
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, str):
            try:
                number = float(value)
            except ValueError:
                return value
            if not math.isfinite(number):
                return value
            return int(number) if number.is_integer() and "." not in value else number
        return value
    if to == "array":
        return value if isinstance(value, list) else [value]
    return value if isinstance(value, dict) else {"value": value}


def _drift(doc: Any, params: Mapping[str, Any]) -> bool:
    """Apply the drift to ``doc`` in place (a freshly parsed copy); whether anything changed."""
    targets = _targets(doc, params["field"].split("."))
    op = params["op"]
    changed = False
    # Backwards, so removing list items leaves the indices still to visit valid.
    for container, key in reversed(targets):
        if op == "remove":
            del container[key]
        elif op == "null":
            changed |= container[key] is not None
            container[key] = None
            continue
        elif op == "retype":
            new = retype(container[key], params["type"])
            changed |= new != container[key] or type(new) is not type(container[key])
            container[key] = new
            continue
        elif isinstance(container, dict):  # rename, keeping the key's position
            items = [(params["to"] if k == key else k, v) for k, v in container.items()]
            container.clear()
            container.update(items)
        else:
            continue  # a list item has no name to change
        changed = True
    return changed


async def _schema_drift(call: FaultCall, proceed: Proceed) -> Reply:
    reply = await proceed()
    if not is_json(reply):
        return reply
    try:
        doc = orjson.loads(reply.body)
    except orjson.JSONDecodeError:
        return reply
    if not _drift(doc, call.params):
        return reply
    call.inject()
    return with_body(reply, dumps(doc))


def _check_drift(params: Mapping[str, Any]) -> tuple[str, str] | None:
    path: str = params["field"]
    if not path or "" in path.split("."):
        return "field", f"a dot-separated path of keys with no empty segment; got {path!r}"
    if params["op"] == "rename":
        if not params["to"]:
            return "to", "required by op 'rename' (the field's new name)"
        if path.split(".")[-1] == WILDCARD:
            return "field", f"op 'rename' needs a key as the last segment, not '*'; got {path!r}"
    return None


KINDS = (
    Kind(
        "malformed",
        "The service runs (its writes stand), then its JSON response is cut mid-document "
        "(Content-Length matches the cut body), labelled with the wrong content type, or "
        "replaced by an HTML page with status 200. Non-JSON responses pass through.",
        (
            Param(
                "mode",
                (str,),
                "truncate",
                "truncate, wrong_content_type or html",
                choices=("truncate", "wrong_content_type", "html"),
            ),
            Param("fraction", (int, float), 0.5, "truncate: the share of the body kept, in (0, 1)"),
            Param("content_type", (str,), "text/plain", "wrong_content_type: the label to give"),
        ),
        _malformed,
        check=_check_malformed,
    ),
    Kind(
        "schema_drift",
        "The service runs, then a field of its JSON response is renamed, removed, retyped or "
        "nulled. `field` is a dot-separated path; `*` is every list item or every key "
        "(`data.*.values.email_addresses.*.email_address`). Injected only when the path matches.",
        (
            Param(
                "op",
                (str,),
                doc="rename, remove, retype or null",
                choices=("rename", "remove", "retype", "null"),
            ),
            Param("field", (str,), doc="the path of the field in the response JSON"),
            Param("to", (str, type(None)), None, "rename: the field's new name"),
            Param(
                "type",
                (str,),
                "string",
                "retype: string, number, array or object",
                choices=("string", "number", "array", "object"),
            ),
        ),
        _schema_drift,
        check=_check_drift,
    ),
)
