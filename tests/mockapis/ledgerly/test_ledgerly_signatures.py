"""Signatures from two independent client libraries (authlib and requests-oauthlib), every
method and parameter location; tampering; and the auth matrix over every protected route."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any, ClassVar

import pytest
import requests
from authlib.integrations.httpx_client import OAuth1Auth, OAuth1Client
from authlib.oauth1.rfc5849.signature import generate_signature_base_string
from authlib.oauth1.rfc5849.util import escape
from requests_oauthlib import OAuth1
from starlette.routing import Route

from mockapis.ledgerly import SERVICE
from mockapis.ledgerly.oauth import ACCESS_TOKENS
from tests.mockapis.ledgerly.conftest import BASE, Books, problem

APPS = ("invoicing", "reporting", "sync", "legacy")
LOCATIONS = ("header", "query", "body")
QUERY = {"format": "json", "tag": "résumé & co/+ ~*'!", "x": ["1", "2"]}
FORM = [
    ("contact_id", "10001"),
    ("reference", "sig test = 100%"),
    ("description", "Widget, blue"),
    ("description", "Gadget & co"),
    ("quantity", "2"),
    ("quantity", "1.5"),
    ("unit_price", "10.00"),
    ("unit_price", "3.33"),
]


def _sign_hmac_sha256(client: Any, request: Any) -> str:
    base = generate_signature_base_string(request)
    key = escape(client.client_secret or "") + "&" + escape(client.token_secret or "")
    return base64.b64encode(hmac.new(key.encode(), base.encode(), hashlib.sha256).digest()).decode()


class Sha256Auth(OAuth1Auth):  # type: ignore[misc]
    """authlib's client, taught HMAC-SHA256 (it ships HMAC-SHA1, RSA-SHA1 and PLAINTEXT)."""

    SIGNATURE_METHODS: ClassVar[dict[str, Any]] = {
        **OAuth1Auth.SIGNATURE_METHODS,
        "HMAC-SHA256": _sign_hmac_sha256,
    }


class Client(OAuth1Client):  # type: ignore[misc]
    auth_class = Sha256Auth


@pytest.fixture(scope="module")
def tokens(books: Books) -> dict[str, tuple[str, str]]:
    return {app: books.access_token(app) for app in APPS}


def _secrets(books: Books, app: str) -> dict[str, Any]:
    return {
        "secret": books.creds.get(f"{app}_consumer_secret"),
        "rsa_key": books.creds.get(f"{app}_rsa_private_key"),
        "method": books.creds[f"{app}_signature_method"],
    }


def authlib_client(books: Books, app: str, token: tuple[str, str] | None, location: str) -> Any:
    keys = _secrets(books, app)
    return Client(
        books.creds[f"{app}_consumer_key"],
        keys["secret"],
        token=token[0] if token else None,
        token_secret=token[1] if token else None,
        signature_method=keys["method"],
        signature_type=location.upper(),
        rsa_key=keys["rsa_key"],
        transport=books.transport(),
    )


def requests_auth(books: Books, app: str, token: tuple[str, str] | None, location: str) -> OAuth1:
    keys = _secrets(books, app)
    return OAuth1(
        books.creds[f"{app}_consumer_key"],
        client_secret=keys["secret"],
        resource_owner_key=token[0] if token else None,
        resource_owner_secret=token[1] if token else None,
        signature_method=keys["method"],
        signature_type={"header": "AUTH_HEADER", "query": "QUERY", "body": "BODY"}[location],
        rsa_key=keys["rsa_key"],
    )


@pytest.mark.parametrize("location", LOCATIONS)
@pytest.mark.parametrize("app", APPS)
def test_authlib_client_signatures_are_accepted(
    books: Books, tokens: dict[str, tuple[str, str]], app: str, location: str
) -> None:
    client = authlib_client(books, app, tokens[app], location)
    data: dict[str, list[str]] = {}
    for key, value in FORM:
        data.setdefault(key, []).append(value)
    created = client.post(BASE + "/api/1.0/invoices", params=QUERY, data=data)
    assert created.status_code == 201, created.text
    invoice = created.json()["invoice"]
    assert invoice["total"] == "25.00" and invoice["reference"] == "sig test = 100%"
    if location != "body":  # a body needs a form: a GET has none
        listed = client.get(BASE + "/api/1.0/payments", params={**QUERY, "pagesize": "3"})
        assert listed.status_code == 200, listed.text


@pytest.mark.parametrize("location", LOCATIONS)
@pytest.mark.parametrize("app", APPS)
def test_requests_oauthlib_signatures_are_accepted(
    books: Books, tokens: dict[str, tuple[str, str]], app: str, location: str
) -> None:
    auth = requests_auth(books, app, tokens[app], location)
    prepared = requests.Request(
        "POST", BASE + "/api/1.0/invoices", params=QUERY, data=FORM, auth=auth
    ).prepare()
    reply = books.send_prepared(prepared)
    assert reply.status == 201, reply.raw
    assert reply.json["invoice"]["line_items"][1]["line_amount"] == "5.00"  # 1.5 * 3.33 = 4.995


@pytest.mark.parametrize("library", ["authlib", "requests-oauthlib"])
def test_two_legged_and_default_port_with_both_libraries(books: Books, library: str) -> None:
    url = "https://api.ledgerly.example:443/api/1.0/contacts"
    params = {"format": "json", "type": "supplier", "pagesize": "7"}
    if library == "authlib":
        response = authlib_client(books, "reporting", None, "header").get(url, params=params)
        status, body = response.status_code, response.json()
    else:
        auth = requests_auth(books, "reporting", None, "query")
        reply = books.send_prepared(
            requests.Request("GET", url, params=params, auth=auth).prepare()
        )
        status, body = reply.status, reply.json
    assert status == 200
    assert {c["type"] for c in body["contacts"]} == {"supplier"} and body["pagesize"] == 7


# -- tampering ----------------------------------------------------------------------------------


def _signed_post(books: Books, token: tuple[str, str]) -> requests.PreparedRequest:
    auth = requests_auth(books, "invoicing", token, "header")
    return requests.Request(
        "POST", BASE + "/api/1.0/invoices", params={"format": "json"}, data=FORM, auth=auth
    ).prepare()


@pytest.mark.parametrize("change", ["param", "body", "method", "path", "host", "token_secret"])
def test_tampered_requests_are_refused(
    books: Books, tokens: dict[str, tuple[str, str]], change: str
) -> None:
    prepared = _signed_post(books, tokens["invoicing"])
    if change == "param":
        prepared.url = (prepared.url or "").replace("format=json", "format=xml")
    elif change == "body":
        prepared.body = str(prepared.body).replace("unit_price=10.00", "unit_price=1.00")
    elif change == "method":
        prepared.method = "GET"
    elif change == "path":
        prepared.url = (prepared.url or "").replace("/invoices", "/payments")
    elif change == "host":
        # The same service under a path prefix on another host: the signed URI differs.
        prepared.headers["Host"] = "gateway.example"
        prepared.url = (prepared.url or "").replace(BASE, "https://gateway.example/ledgerly")
    else:
        auth = requests_auth(books, "invoicing", (tokens["invoicing"][0], "wrong"), "header")
        prepared = requests.Request(
            "POST", BASE + "/api/1.0/invoices", data=FORM, auth=auth
        ).prepare()
    before = books.world.snapshot()
    reply = books.send_prepared(prepared)
    assert reply.status == 401
    assert problem(reply)["oauth_problem"] == "signature_invalid"
    assert books.world.diff(before) == {}


def test_the_untampered_request_is_accepted(
    books: Books, tokens: dict[str, tuple[str, str]]
) -> None:
    assert books.send_prepared(_signed_post(books, tokens["invoicing"])).status == 201
    auth = requests_auth(books, "invoicing", tokens["invoicing"], "header")
    prefixed = "https://gateway.example/ledgerly/api/1.0/contacts"  # signed as sent: prefix too
    prepared = requests.Request("GET", prefixed, auth=auth).prepare()
    assert books.send_prepared(prepared).status == 200


# -- the auth matrix ----------------------------------------------------------------------------

_OPEN = {"/oauth/request_token", "/oauth/access_token", "/oauth/authorize"}
ROUTES = sorted(
    (method, route.path)
    for route in SERVICE.routes
    if isinstance(route, Route) and route.path not in _OPEN
    for method in route.methods or ()
    if method != "HEAD"
)
_IDS = {"contact_id": "10001", "invoice_id": "20001"}


@pytest.fixture(scope="module")
def matrix() -> tuple[Books, dict[str, tuple[str, str]]]:
    books = Books(2)
    good = books.access_token("invoicing")
    revoked = books.access_token("invoicing")
    reply = books.signed(
        books.signer("invoicing", token=revoked), "POST", "/oauth/invalidate_token"
    )
    assert reply.status == 200
    expired = books.access_token("invoicing")
    row = books.world.table(ACCESS_TOKENS)[expired[0]]
    books.world.table(ACCESS_TOKENS).put(expired[0], {**row, "expires_at": books.now - 1})
    books.world.commit()
    return books, {"good": good, "revoked": revoked, "expired": expired}


CASES = {
    "no_credentials": (401, "parameter_absent"),
    "unknown_consumer": (401, "consumer_key_unknown"),
    "other_consumer": (401, "token_rejected"),
    "wrong_token": (401, "token_rejected"),
    "expired_token": (401, "token_expired"),
    "revoked_token": (401, "token_revoked"),
    "bad_signature": (401, "signature_invalid"),
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_every_protected_route_refuses_bad_credentials(
    matrix: tuple[Books, dict[str, tuple[str, str]]], method: str, path: str, case: str
) -> None:
    books, tokens = matrix
    url = BASE + path.format(**_IDS)
    app, token = "invoicing", tokens["good"]
    if case == "other_consumer":
        app = "reporting"
    elif case == "wrong_token":
        token = ("at_0000", "secret")
    elif case == "expired_token":
        token = tokens["expired"]
    elif case == "revoked_token":
        token = tokens["revoked"]
    signer = books.signer(app, token=token)
    if case == "unknown_consumer":
        signer.key = "ck_nobody"
    form = [("contact_id", "10001")] if method == "POST" else None
    action = signer.request(method, url, form=form)
    if case == "no_credentials":
        del action["headers"]["Authorization"]
    elif case == "bad_signature":
        action["headers"]["Authorization"] = action["headers"]["Authorization"].replace(
            'oauth_signature="', 'oauth_signature="AA'
        )
    before = books.world.snapshot()
    reply = books.act(action)
    status, name = CASES[case]
    assert reply.status == status, reply.raw
    assert problem(reply)["oauth_problem"] == name
    assert books.world.diff(before) == {}
    assert reply.headers["www-authenticate"] == 'OAuth realm="ledgerly"'


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_every_protected_route_answers_the_good_token(
    matrix: tuple[Books, dict[str, tuple[str, str]]], method: str, path: str
) -> None:
    books, tokens = matrix
    if path == "/oauth/invalidate_token":
        return  # would revoke the shared token; covered by the fixture
    signer = books.signer("invoicing", token=tokens["good"])
    reply = books.signed(signer, method, path.format(**_IDS), form=[] if method == "POST" else None)
    assert reply.status in (200, 400), reply.raw  # a POST with an empty form is a 400 (not 401)
