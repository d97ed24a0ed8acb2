"""Standard OAuth 1.0a clients against ``apibench serve`` for Ledgerly: the three-legged flow
through the HTML authorize pages with requests-oauthlib (callback redirect) and authlib's
httpx client (``oob`` verifier), two-legged calls, and a scenario solved with a library."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx
import pytest
import requests
from authlib.integrations.httpx_client import OAuth1Client
from requests_oauthlib import OAuth1, OAuth1Session

from gym_apibench.episode import Episode
from tests.served import SEED, Served, serving

SCENARIO = "ledgerly.create-invoice"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    info = tmp_path_factory.mktemp("ledgerly") / "info.json"
    with serving(Path(info), "--scenario", SCENARIO) as server:
        yield server


@pytest.fixture(scope="module")
def base(served: Served) -> str:
    return str(served.info["services"]["ledgerly"])


@pytest.fixture(scope="module")
def creds(served: Served) -> dict[str, str]:
    return dict(served.info["credentials"]["ledgerly"])


def _form_action(page_url: str, html: str, form_id: str) -> str:
    found = re.search(rf'<form id="{form_id}" method="post" action="([^"]+)"', html)
    assert found is not None, html
    return urljoin(page_url, found.group(1))


def _hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]+)"', html)
    assert found is not None, html
    return found.group(1)


def test_requests_oauthlib_three_legged_with_a_callback(
    served: Served, base: str, creds: dict[str, str]
) -> None:
    session = OAuth1Session(
        creds["invoicing_consumer_key"],
        client_secret=creds["invoicing_consumer_secret"],
        callback_uri="https://client.example/ledgerly/callback",
    )
    session.fetch_request_token(base + "/oauth/request_token")
    authorize_url = session.authorization_url(base + "/oauth/authorize")
    browser = requests.Session()
    login = browser.get(authorize_url, timeout=10)
    assert login.status_code == 200 and "text/html" in login.headers["content-type"]
    action = _form_action(authorize_url, login.text, "login")
    consent = browser.post(
        action,
        data={
            "oauth_token": _hidden(login.text, "oauth_token"),
            "username": creds["username"],
            "password": creds["password"],
        },
        timeout=10,
    )
    assert consent.status_code == 200, consent.text
    approved = browser.post(
        _form_action(action, consent.text, "consent"),
        data={
            "oauth_token": _hidden(consent.text, "oauth_token"),
            "ticket": _hidden(consent.text, "ticket"),
            "decision": "approve",
        },
        allow_redirects=False,
        timeout=10,
    )
    assert approved.status_code == 302
    redirect = approved.headers["location"]
    assert redirect.startswith("https://client.example/ledgerly/callback?")
    session.parse_authorization_response(redirect)
    pending = dict(session.token)  # request token, its secret and the verifier
    session.fetch_access_token(base + "/oauth/access_token")

    # Solve the scenario with the library: find the contact, create the invoice as a form.
    inputs = Episode(SCENARIO, SEED).built.inputs
    contacts: list[dict[str, Any]] = []
    page = 1
    while True:
        reply = session.get(
            base + "/api/1.0/contacts",
            params={"format": "json", "pagesize": 100, "page": page},
            timeout=10,
        )
        assert reply.status_code == 200, reply.text
        contacts += reply.json()["contacts"]
        if page >= reply.json()["pages"]:
            break
        page += 1
    contact = next(c for c in contacts if c["name"] == inputs["contact_name"])
    form: list[tuple[str, str]] = [
        ("contact_id", contact["contact_id"]),
        ("reference", inputs["reference"]),
    ]
    for field in ("description", "quantity", "unit_price", "tax_rate", "account_code"):
        form += [(field, line[field]) for line in inputs["lines"]]
    created = session.post(base + "/api/1.0/invoices?format=json", data=form, timeout=10)
    assert created.status_code == 201, created.text
    score = served.control("GET", "/score")
    assert score.status_code == 200 and score.json()["success"], score.json()
    # The request token and its verifier were single-use.
    replay = OAuth1(
        creds["invoicing_consumer_key"],
        client_secret=creds["invoicing_consumer_secret"],
        resource_owner_key=pending["oauth_token"],
        resource_owner_secret=pending["oauth_token_secret"],
        verifier=pending["oauth_verifier"],
    )
    again = requests.post(base + "/oauth/access_token", auth=replay, timeout=10)
    assert again.status_code == 401 and "oauth_problem=token_used" in again.text


def test_authlib_three_legged_with_oob_and_rsa(base: str, creds: dict[str, str]) -> None:
    client = OAuth1Client(
        creds["sync_consumer_key"],
        signature_method="RSA-SHA1",
        rsa_key=creds["sync_rsa_private_key"],
        redirect_uri="oob",
        timeout=10,
    )
    temporary = client.fetch_request_token(base + "/oauth/request_token")
    assert temporary["oauth_callback_confirmed"] == "true"
    authorize_url = client.create_authorization_url(base + "/oauth/authorize")
    with httpx.Client(timeout=10) as browser:
        login = browser.get(authorize_url)
        action = _form_action(authorize_url, login.text, "login")
        consent = browser.post(
            action,
            data={
                "oauth_token": temporary["oauth_token"],
                "username": creds["username"],
                "password": creds["password"],
            },
        )
        page = browser.post(
            _form_action(action, consent.text, "consent"),
            data={
                "oauth_token": temporary["oauth_token"],
                "ticket": _hidden(consent.text, "ticket"),
                "decision": "approve",
            },
        )
    verifier = re.search(r'id="oauth_verifier">([^<]+)<', page.text)
    assert verifier is not None, page.text
    token = client.fetch_access_token(base + "/oauth/access_token", verifier=verifier.group(1))
    assert token["oauth_expires_in"] == "1800"
    invoices = client.get(base + "/api/1.0/invoices", params={"status": "open"})
    assert invoices.status_code == 200 and invoices.text.startswith("<?xml")
    bad = OAuth1Client(
        creds["sync_consumer_key"], "not-a-secret", token=token["oauth_token"], timeout=10
    )
    refused = bad.get(base + "/api/1.0/invoices")
    assert refused.status_code == 400 and "signature_method_rejected" in refused.text
    client.close()
    bad.close()


def test_two_legged_with_both_libraries(base: str, creds: dict[str, str]) -> None:
    auth = OAuth1(
        creds["reporting_consumer_key"],
        client_secret=creds["reporting_consumer_secret"],
        signature_method="HMAC-SHA256",
        signature_type="QUERY",
    )
    reply = requests.get(
        base + "/api/1.0/company", params={"format": "json"}, auth=auth, timeout=10
    )
    assert reply.status_code == 200, reply.text
    assert "name" in reply.json()["company"]
    nothing = requests.get(base + "/api/1.0/invoices", auth=auth, timeout=10)
    assert nothing.status_code == 401
    assert "oauth_parameters_absent=oauth_token" in nothing.text
    assert nothing.headers["www-authenticate"] == 'OAuth realm="ledgerly"'
    legacy = OAuth1(
        creds["legacy_consumer_key"],
        client_secret=creds["legacy_consumer_secret"],
        signature_method="PLAINTEXT",
        callback_uri="oob",
    )
    reply = requests.post(base + "/oauth/request_token", auth=legacy, timeout=10)
    assert reply.status_code == 200 and "oauth_token=" in reply.text


def test_replay_over_the_wire_is_refused(base: str, creds: dict[str, str]) -> None:
    auth = OAuth1(
        creds["reporting_consumer_key"],
        client_secret=creds["reporting_consumer_secret"],
        signature_method="HMAC-SHA256",
    )
    prepared = requests.Request("GET", base + "/api/1.0/accounts", auth=auth).prepare()
    with requests.Session() as http:
        assert http.send(prepared, timeout=10).status_code == 200
        replay = http.send(prepared, timeout=10)
    assert replay.status_code == 401 and "nonce_used" in replay.text
    assert json.dumps(replay.headers.get("date"))  # the server's clock, for clients to sync
