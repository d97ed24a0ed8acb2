"""OpenAI's responses against OpenAI's own models: the ``openai`` package's response types
(always) and OpenAI's published description (where ``../shared/vendor-specs`` is present).

The conformance suite plays each request in a fresh episode, so it reaches a stored
response's retrieve, delete and input items with a 404 only; here they are chained in one
world. Every exchange of the suite is parsed into the SDK's own types, which is what code
written against the real API reads.
"""

from __future__ import annotations

import functools
from typing import Any

import pytest
from openai.types import FileDeleted, FileObject, Model
from openai.types.chat import ChatCompletion
from openai.types.responses import Response, ResponseItemList
from pydantic import BaseModel

from tests.conformance.exchanges import Exchange
from tests.conformance.suite import exchanges_of
from tests.conformance.vendor import VENDORS, validate, vendor_specs_dir
from tests.mockapis.openai.conftest import OpenAIClient

SDK_TYPES: dict[tuple[str, str], type[BaseModel]] = {
    ("POST", "/v1/files"): FileObject,
    ("GET", "/v1/files/{id}"): FileObject,
    ("DELETE", "/v1/files/{id}"): FileDeleted,
    ("GET", "/v1/models/{id}"): Model,
    ("POST", "/v1/responses"): Response,
    ("GET", "/v1/responses/{id}"): Response,
    ("GET", "/v1/responses/{id}/input_items"): ResponseItemList,
    ("POST", "/v1/chat/completions"): ChatCompletion,
}
"""Operation (path with ``{id}``) -> the SDK's type of its 200 body."""
LISTS: dict[tuple[str, str], type[BaseModel]] = {
    ("GET", "/v1/files"): FileObject,
    ("GET", "/v1/models"): Model,
}
"""Operations answering ``{"object": "list", "data": [...]}`` -> the SDK's item type."""

needs_specs = pytest.mark.skipif(
    vendor_specs_dir() is None,
    reason="no vendor descriptions (../shared/vendor-specs, or $APIBENCH_VENDOR_SPECS)",
)


def _operation(method: str, path: str) -> tuple[str, str]:
    parts = path.split("/")
    if len(parts) > 3 and parts[2] in ("files", "models", "responses"):
        parts[3] = "{id}"
    return method, "/".join(parts)


@functools.cache
def _suite() -> tuple[Exchange, ...]:
    return tuple(exchanges_of("openai"))


def test_every_response_of_the_suite_parses_into_the_sdk_types() -> None:
    """Each 200 of the suite's OpenAI exchanges validates as the ``openai`` package's type
    (pydantic validation, not the SDK's lenient ``construct``); each error as its error body."""
    parsed: set[tuple[str, str]] = set()
    for exchange in _suite():
        operation = _operation(exchange.method, exchange.path)
        if exchange.status >= 400:
            error = exchange.body["error"]
            assert isinstance(error["message"], str) and isinstance(error["type"], str)
            assert {"param", "code"} <= set(error), exchange
            continue
        if operation in LISTS:
            assert exchange.body["object"] == "list"
            for item in exchange.body["data"]:
                LISTS[operation].model_validate(item)
        elif operation in SDK_TYPES:
            SDK_TYPES[operation].model_validate(exchange.body)
        else:
            assert operation == ("GET", "/v1/files/{id}/content"), operation
        parsed.add(operation)
    assert {*SDK_TYPES, *LISTS} - parsed <= {
        ("GET", "/v1/responses/{id}"),
        ("GET", "/v1/responses/{id}/input_items"),
    }, "the suite should reach every other operation with a 200"


def test_a_wrong_shape_fails_to_parse() -> None:
    """The SDK types do refuse what breaks them (the test above could fail)."""
    with pytest.raises(ValueError):
        FileObject.model_validate({"id": "file-1", "object": "file", "bytes": "many"})


def _stored_response(api: OpenAIClient) -> dict[str, Any]:
    made = api.post(
        "/v1/responses",
        {"model": "gpt-4.1-mini", "input": [{"role": "user", "content": "Say hello."}]},
    )
    assert made.status == 200
    body: dict[str, Any] = made.json
    return body


def test_stored_response_operations_parse_into_the_sdk_types(api: OpenAIClient) -> None:
    """Retrieve, input items and delete of a stored response, chained in one world."""
    made = _stored_response(api)
    got = api.send("GET", f"/v1/responses/{made['id']}")
    parsed = Response.model_validate(got.json)
    assert parsed.id == made["id"] and parsed.status == "completed"
    assert parsed.completed_at is not None and parsed.completed_at >= parsed.created_at
    items = api.send("GET", f"/v1/responses/{made['id']}/input_items")
    assert ResponseItemList.model_validate(items.json).data
    gone = api.send("DELETE", f"/v1/responses/{made['id']}")
    assert gone.json == {"id": made["id"], "object": "response.deleted", "deleted": True}
    assert api.send("GET", f"/v1/responses/{made['id']}").status == 404


@needs_specs
def test_stored_response_operations_conform_to_the_description(api: OpenAIClient) -> None:
    """The same chain validated against OpenAI's description, and a 404's inner error object
    against its ``Error`` schema (the description's 404 body, which the API wraps)."""
    vendor = VENDORS["openai"]
    made = _stored_response(api)
    for path in (f"/v1/responses/{made['id']}", f"/v1/responses/{made['id']}/input_items"):
        reply = api.send("GET", path)
        check = vendor.check("GET", path, reply.status, reply.json)
        assert check.outcome == "valid", check.errors
    path = f"/v1/responses/{made['id']}"
    assert vendor.check("DELETE", path, 200, api.send("DELETE", path).json).outcome == "no-schema"
    missing = api.send("DELETE", path)
    assert missing.status == 404
    document = vendor.documents[0]
    error_schema = document["components"]["schemas"]["Error"]
    assert validate(document, error_schema, missing.json["error"]) == ()
    assert validate(document, error_schema, {"message": "no type"}) != ()


@needs_specs
def test_every_error_of_the_suite_is_openai_error_response() -> None:
    """The description documents few error statuses per operation, so the suite cannot
    validate most error bodies; each is checked here against its ``ErrorResponse``."""
    document = VENDORS["openai"].documents[0]
    schema = document["components"]["schemas"]["ErrorResponse"]
    errors = [e for e in _suite() if e.status >= 400]
    assert {e.status for e in errors} >= {400, 401, 404}
    for exchange in errors:
        assert validate(document, schema, exchange.body) == (), exchange
    assert validate(document, schema, {"error": {"message": "m", "type": "t"}}) != ()
