"""Ledgerly's wire formats: XML by default, JSON with ``?format=json``; XML/JSON/form bodies."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response

from mockapis.kit.errors import ApiError
from mockapis.kit.responses import JSONResponse

__all__ = [
    "FORMATS",
    "error_response",
    "parse_body",
    "render",
    "response_format",
    "to_xml",
]

FORMATS = ("xml", "json")
XML_TYPE = "application/xml"
_SINGULAR = {
    "line_items": "line_item",
    "contacts": "contact",
    "invoices": "invoice",
    "payments": "payment",
    "ledger_entries": "ledger_entry",
    "accounts": "account",
}
_XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def response_format(request: Request) -> str:
    """``xml`` or ``json`` from ``?format=`` (XML when absent); 400 for anything else."""
    value = request.query_params.get("format", "xml").lower()
    if value not in FORMATS:
        raise ApiError(
            400, f"format must be xml or json; got {value[:40]!r}.", code="invalid_format"
        )
    return value


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            _fill(ET.SubElement(element, key), item)
    elif isinstance(value, list):
        child = _SINGULAR.get(element.tag, "item")
        for item in value:
            _fill(ET.SubElement(element, child), item)
    elif value is None:
        element.set("nil", "true")
    else:
        element.text = _text(value)


def to_xml(tag: str, value: Any, attributes: Mapping[str, Any] | None = None) -> bytes:
    """``value`` as an XML document rooted at ``tag``: mappings become child elements, lists
    repeat the singular of their tag, None is an empty element with ``nil="true"``."""
    root = ET.Element(tag, {k: _text(v) for k, v in (attributes or {}).items()})
    _fill(root, value)
    return _XML_DECLARATION + bytes(ET.tostring(root, encoding="utf-8", xml_declaration=False))


def render(
    request: Request,
    tag: str,
    value: Any,
    *,
    status: int = 200,
    attributes: Mapping[str, Any] | None = None,
) -> Response:
    """``value`` in the request's format. JSON: ``{tag: value, **attributes}``; XML: a ``tag``
    element with ``attributes`` as XML attributes."""
    if response_format(request) == "json":
        return JSONResponse({tag: value, **(attributes or {})}, status)
    return Response(to_xml(tag, value, attributes), status, media_type=XML_TYPE)


def error_response(exc: ApiError, fmt: str) -> Response:
    """An API error in ``fmt``: ``<error><status/><code/><message/></error>`` or its JSON."""
    body = error_body(exc)
    if fmt == "json":
        return JSONResponse({"error": body}, exc.status, headers=exc.headers)
    return Response(to_xml("error", body), exc.status, headers=exc.headers, media_type=XML_TYPE)


def error_body(exc: ApiError) -> dict[str, Any]:
    """``{"status", "code", "message"}``: the same fields in both formats."""
    message = exc.message.encode("utf-8", "replace").decode("utf-8")
    return {"status": exc.status, "code": exc.code, "message": message}


# -- request bodies --------------------------------------------------------------------------


def parse_body(body: bytes, content_type: str) -> dict[str, Any]:
    """A write's fields from an XML, JSON or form body (by ``Content-Type``); 400/415.

    Form bodies give ``{name: [values...]}`` (repeated names keep their order); XML gives
    the root element's children (an element with children becomes a list of mappings).
    """
    kind = content_type.split(";", 1)[0].strip().lower()
    if not body.strip():
        raise ApiError(400, "The request body is empty.", code="invalid_body")
    if kind == "application/x-www-form-urlencoded":
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise ApiError(400, "Form body is not UTF-8.", code="invalid_body") from None
        form: dict[str, Any] = {}
        for key, value in parse_qsl(text, keep_blank_values=True):
            if not key.startswith("oauth_"):
                form.setdefault(key, []).append(value)
        return form
    if kind in ("application/xml", "text/xml"):
        return _parse_xml(body)
    if kind == "application/json":
        return _parse_json(body)
    raise ApiError(
        415,
        f"Unsupported Content-Type {kind[:60]!r}: send application/xml, application/json "
        "or application/x-www-form-urlencoded.",
        code="unsupported_media_type",
    )


def _parse_json(body: bytes) -> dict[str, Any]:
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        raise ApiError(400, "Body is not valid JSON.", code="invalid_body") from None
    if not isinstance(value, dict):
        raise ApiError(400, "JSON body must be an object.", code="invalid_body")
    return value


def _parse_xml(body: bytes) -> dict[str, Any]:
    if b"<!DOCTYPE" in body.upper() or b"<!ENTITY" in body.upper():
        raise ApiError(400, "XML bodies may not declare a DOCTYPE.", code="invalid_body")
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise ApiError(400, f"Body is not well-formed XML: {exc}.", code="invalid_body") from None
    return {child.tag: _element_value(child) for child in root}


def _element_value(element: ET.Element) -> Any:
    children = list(element)
    if not children:
        return (element.text or "").strip()
    return [{c.tag: _element_value(c) for c in item} for item in children]
