"""Credential extraction: every 401 path, with the challenge and the expected form."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockapis.kit import api_key, basic_credentials, bearer_record, bearer_token, raw_authorization
from mockapis.world import World
from tests.mockapis.kit.kit_driver import run


def _basic(raw: bytes) -> dict[str, str]:
    return {"authorization": "Basic " + base64.b64encode(raw).decode()}


# -- bearer ----------------------------------------------------------------------------------


@pytest.mark.parametrize("header", ["Bearer tok_123", "bearer tok_123", "Bearer   tok_123  "])
def test_bearer_token_returns_the_token(call, header: str) -> None:
    assert call(bearer_token, headers={"authorization": header}).value == "tok_123"


def test_bearer_missing_is_401_with_challenge(call) -> None:
    out = call(lambda r: bearer_token(r, realm="attio"))
    assert out.status == 401
    assert out.error["code"] == "unauthorized"
    assert "Missing Authorization header" in out.error["message"]
    assert "'Authorization: Bearer <token>'" in out.error["message"]
    assert out.headers["www-authenticate"] == 'Bearer realm="attio"'


def test_bearer_record_is_the_tokens_row_or_a_401(call) -> None:
    world = World(seed=1)
    world.table("svc._keys").put("tok_123", {"account": "acct_1"})

    def lookup(request):  # type: ignore[no-untyped-def]
        request.scope["world"] = world
        return dict(bearer_record(request, "svc._keys", realm="svc"))

    found = call(lookup, headers={"authorization": "Bearer tok_123"})
    assert found.value == {"account": "acct_1"}
    unknown = call(lookup, headers={"authorization": "Bearer tok_999"})
    assert unknown.status == 401 and unknown.error["message"] == "Unknown API key."
    assert unknown.headers["www-authenticate"] == 'Bearer realm="svc"'
    assert call(lookup).status == 401  # no header at all


@pytest.mark.parametrize("header", ["Basic abc", "Bearer", "Bearer    ", "tok_123", "Token tok"])
def test_bearer_malformed_is_401_saying_what_was_expected(call, header: str) -> None:
    out = call(bearer_token, headers={"authorization": header})
    assert out.status == 401
    assert out.error["message"] == (
        "Malformed Authorization header; expected 'Authorization: Bearer <token>'."
    )
    assert out.headers["www-authenticate"] == 'Bearer realm="api"'


# -- raw header ------------------------------------------------------------------------------


def test_raw_authorization_returns_the_whole_header(call) -> None:
    out = call(raw_authorization, headers={"authorization": " pk_123 "})
    assert out.value == "pk_123"


@pytest.mark.parametrize("headers", [{}, {"authorization": "   "}])
def test_raw_authorization_missing_is_401(call, headers) -> None:
    out = call(raw_authorization, headers=headers)
    assert out.status == 401
    assert out.error["message"] == "Missing Authorization header; expected the API token."


# -- API key ---------------------------------------------------------------------------------


def test_api_key_reads_the_default_header_case_insensitively(call) -> None:
    assert call(api_key, headers={"x-api-key": "k1"}).value == "k1"


def test_api_key_reads_a_custom_header(call) -> None:
    out = call(lambda r: api_key(r, "X-Auth-Token"), headers={"X-Auth-Token": "k2"})
    assert out.value == "k2"


@pytest.mark.parametrize("headers", [{}, {"X-Auth-Token": " "}, {"X-Api-Key": "wrong-header"}])
def test_api_key_missing_is_401_naming_the_header(call, headers) -> None:
    out = call(lambda r: api_key(r, "X-Auth-Token"), headers=headers)
    assert out.status == 401
    assert out.error["message"] == "Missing API key; expected it in the X-Auth-Token header."


# -- basic -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"ada:secret", ["ada", "secret"]),
        (b"ada:", ["ada", ""]),
        (b"ada:pa:ss", ["ada", "pa:ss"]),  # only the first colon separates
        ("zoë:pässword".encode(), ["zoë", "pässword"]),
    ],
)
def test_basic_credentials_decoded(call, raw: bytes, expected: list[str]) -> None:
    assert call(basic_credentials, headers=_basic(raw)).value == expected


@pytest.mark.parametrize("header", [None, "Bearer abc", "Basic", "Basic "])
def test_basic_missing_or_other_scheme_is_401_with_challenge(call, header) -> None:
    headers = {"authorization": header} if header is not None else {}
    out = call(lambda r: basic_credentials(r, realm="legacy"), headers=headers)
    assert out.status == 401
    assert "expected 'Authorization: Basic <base64(user:password)>'" in out.error["message"]
    assert out.headers["www-authenticate"] == 'Basic realm="legacy"'


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Basic !!!notbase64", "Basic credentials are not valid base64."),
        (
            "Basic " + base64.b64encode(b"\xff\xfe:x").decode(),
            "Basic credentials are not UTF-8 text.",
        ),
        (
            _basic(b"no-colon")["authorization"],
            "Basic credentials must be 'user:password' before encoding.",
        ),
    ],
)
def test_basic_bad_payload_is_401(call, header: str, message: str) -> None:
    out = call(basic_credentials, headers={"authorization": header})
    assert out.status == 401
    assert out.error["message"] == message
    assert out.headers["www-authenticate"] == 'Basic realm="api"'


@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40))
def test_auth_helpers_answer_any_header_with_a_value_or_401(header: str) -> None:
    for helper in (bearer_token, basic_credentials, raw_authorization):
        out = run(helper, headers={"authorization": header})
        assert out.status in (200, 401)
