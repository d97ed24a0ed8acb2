"""Request parsing: every 4xx path, and messages that say what was expected."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.requests import Request

from mockapis.kit import query_bool, query_int, read_body, read_json, require_object
from mockapis.kit.errors import ApiError
from tests.mockapis.kit.kit_driver import run

JSON = {"content-type": "application/json"}


# -- read_body -------------------------------------------------------------------------------


def test_read_body_returns_the_bytes(call) -> None:
    async def handler(request: Request) -> str:
        return (await read_body(request, max_bytes=5)).decode()

    assert call(handler, method="POST", body=b"12345").value == "12345"


def test_read_body_refuses_a_body_over_the_limit_and_states_both_sizes(call) -> None:
    async def handler(request: Request) -> str:
        return (await read_body(request, max_bytes=5)).decode()

    out = call(handler, method="POST", body=b"123456")
    assert out.status == 413
    assert out.error["code"] == "payload_too_large"
    assert out.error["message"] == "Request body is 6 bytes; the limit is 5 bytes."


def test_read_body_trusts_a_declared_length_over_the_limit(call) -> None:
    async def handler(request: Request) -> str:
        return (await read_body(request, max_bytes=5)).decode()

    out = call(handler, method="POST", headers={"content-length": "1000"}, body=b"1")
    assert out.status == 413
    assert "1000 bytes; the limit is 5 bytes" in out.error["message"]


# -- read_json -------------------------------------------------------------------------------


def _json_handler(**kwargs: Any):
    async def handler(request: Request) -> Any:
        return await read_json(request, **kwargs)

    return handler


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "application/json; charset=utf-8", "application/vnd.x+json"],
)
def test_read_json_accepts_json_media_types(call, content_type: str) -> None:
    out = call(
        _json_handler(), method="POST", headers={"content-type": content_type}, body=b'{"a": [1]}'
    )
    assert out.value == {"a": [1]}


def test_read_json_empty_body_is_400_when_required(call) -> None:
    out = call(_json_handler(), method="POST", headers=JSON, body=b"  ")
    assert out.status == 400
    assert out.error["code"] == "invalid_json"
    assert "expected a JSON document" in out.error["message"]


def test_read_json_empty_body_is_none_when_optional(call) -> None:
    out = call(_json_handler(required=False), method="POST")
    assert out.status == 200
    assert out.value is None


@pytest.mark.parametrize(
    ("headers", "shown"),
    [({"content-type": "text/plain"}, "got text/plain"), ({}, "got none")],
)
def test_read_json_other_media_type_is_415_naming_it(call, headers, shown) -> None:
    out = call(_json_handler(), method="POST", headers=headers, body=b"{}")
    assert out.status == 415
    assert out.error["code"] == "unsupported_media_type"
    assert out.error["message"] == f"Content-Type must be application/json; {shown}."


def test_read_json_malformed_is_400_with_position(call) -> None:
    out = call(_json_handler(), method="POST", headers=JSON, body=b'{\n  "a": 1,\n}')
    assert out.status == 400
    assert out.error["code"] == "invalid_json"
    assert out.error["message"].startswith("Malformed JSON body:")
    assert "line 3 column 1" in out.error["message"]


def test_read_json_invalid_utf8_is_400(call) -> None:
    out = call(_json_handler(), method="POST", headers=JSON, body=b'"\xff\xfe"')
    assert out.status == 400
    assert "not valid UTF-8" in out.error["message"]


def test_read_json_respects_its_size_limit(call) -> None:
    out = call(_json_handler(max_bytes=4), method="POST", headers=JSON, body=b'"12345"')
    assert out.status == 413


@given(st.binary(max_size=64))
def test_read_json_never_raises_anything_but_api_error(body: bytes) -> None:
    out = run(_json_handler(required=False), method="POST", headers=JSON, body=body)
    assert out.status in (200, 400)


# -- require_object --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "described"),
    [
        (None, "null"),
        (True, "a boolean"),
        (3, "a number"),
        (2.5, "a number"),
        ("x", "a string"),
        ([1], "an array"),
    ],
)
def test_require_object_names_what_it_got(value: Any, described: str) -> None:
    with pytest.raises(ApiError) as info:
        require_object(value, "The request body")
    assert info.value.status == 400
    assert info.value.code == "validation_type"
    assert info.value.message == f"The request body must be a JSON object; got {described}."


def test_require_object_returns_objects() -> None:
    value = {"a": 1}
    assert require_object(value, "body") is value


# -- query parameters ------------------------------------------------------------------------


def _int_handler(**kwargs: Any):
    def handler(request: Request) -> int:
        return query_int(request, "limit", 10, **kwargs)

    return handler


@pytest.mark.parametrize(("query", "expected"), [("", 10), ("?limit=", 10), ("?limit=7", 7)])
def test_query_int_default_and_value(call, query: str, expected: int) -> None:
    assert call(_int_handler(minimum=1, maximum=100), f"https://api.test/{query}").value == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("abc", "limit must be an integer between 1 and 100; got 'abc'."),
        ("1.5", "limit must be an integer between 1 and 100; got '1.5'."),
        ("0", "limit must be an integer between 1 and 100; got 0."),
        ("250", "limit must be an integer between 1 and 100; got 250."),
    ],
)
def test_query_int_errors_state_the_bounds(call, query: str, message: str) -> None:
    out = call(_int_handler(minimum=1, maximum=100), f"https://api.test/?limit={query}")
    assert out.status == 400
    assert out.error == {"message": message, "code": "validation_type", "extra": {}}


def test_query_int_without_maximum_states_the_minimum(call) -> None:
    out = call(_int_handler(), "https://api.test/?limit=-1")
    assert out.error["message"] == "limit must be an integer >= 0; got -1."


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("TRUE", True), ("1", True), ("false", False), ("0", False), ("", True)],
)
def test_query_bool_values(call, raw: str, expected: bool) -> None:
    out = call(lambda r: query_bool(r, "archived", True), f"https://api.test/?archived={raw}")
    assert out.value is expected


def test_query_bool_absent_gives_default(call) -> None:
    assert call(lambda r: query_bool(r, "archived", False)).value is False


def test_query_bool_error_says_true_or_false(call) -> None:
    out = call(lambda r: query_bool(r, "archived", False), "https://api.test/?archived=yes")
    assert out.status == 400
    assert out.error["message"] == "archived must be true or false; got 'yes'."
