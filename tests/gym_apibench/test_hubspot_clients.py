"""Standard clients against ``apibench serve``: authlib's OAuth 2.0 client (authorization
code with PKCE S256 through the consent page, refresh rotation, reuse detection, client
credentials) and the official ``hubspot-api-client`` SDK (paging, batch create)."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx
import pytest
from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError
from hubspot import HubSpot
from hubspot.crm.contacts import (
    BatchInputSimplePublicObjectBatchInputForCreate,
    SimplePublicObjectBatchInputForCreate,
)
from hubspot.crm.contacts.exceptions import ApiException

from tests.served import Served, serving

with warnings.catch_warnings():
    # authlib's httpx integration announces its future httpx2 module on import.
    warnings.simplefilter("ignore", DeprecationWarning)
    from authlib.integrations.httpx_client import OAuth2Client

SCENARIO = "hubspot.batch-create-contacts"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    info = tmp_path_factory.mktemp("hubspot") / "info.json"
    with serving(Path(info), "--scenario", SCENARIO) as server:
        yield server


@pytest.fixture(autouse=True)
def _loopback_http(monkeypatch: pytest.MonkeyPatch) -> None:
    # authlib refuses plain http unless told: the served simulation is on loopback.
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")


def _creds(served: Served) -> dict[str, str]:
    return dict(served.info["credentials"]["hubspot"])


def _oauth_client(creds: dict[str, str], scope: str) -> OAuth2Client:
    return OAuth2Client(
        creds["client_id"],
        creds["client_secret"],
        scope=scope,
        redirect_uri=creds["redirect_uri"],
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_post",
    )


def _consent(creds: dict[str, str], authorization_url: str) -> str:
    """Open the consent page as a browser would, log in, approve; the redirect location."""
    with httpx.Client() as browser:
        page = browser.get(authorization_url)
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        form = re.search(r'<form method="post" action="([^"]+)"', page.text)
        assert form is not None
        fields = set(re.findall(r'name="(\w+)"', page.text))
        assert {"username", "password", "decision"} <= fields
        action = urljoin(str(page.url), unescape(form.group(1)))
        login = {
            "username": creds["username"],
            "password": creds["password"],
            "decision": "approve",
        }
        answer = browser.post(action, data=login, follow_redirects=False)
    assert answer.status_code == 302, answer.text
    location: str = answer.headers["location"]
    assert location.startswith(creds["redirect_uri"])
    return location


def _authorize(served: Served, scope: str) -> tuple[OAuth2Client, dict[str, Any]]:
    creds = _creds(served)
    client = _oauth_client(creds, scope)
    verifier = generate_token(64)
    url, state = client.create_authorization_url(creds["authorize_url"], code_verifier=verifier)
    assert "code_challenge_method=S256" in url
    location = _consent(creds, url)
    token = client.fetch_token(
        creds["token_url"], authorization_response=location, code_verifier=verifier
    )
    assert f"state={state}" in location
    return client, dict(token)


def test_authorization_code_with_pkce_then_api_calls(served: Served) -> None:
    base = served.info["services"]["hubspot"]
    client, token = _authorize(served, "crm.objects.contacts.read crm.objects.contacts.write")
    assert token["token_type"].lower() == "bearer" and token["expires_in"] == 1800
    page = client.get(base + "/crm/v3/objects/contacts", params={"limit": 5})
    assert page.status_code == 200 and len(page.json()["results"]) == 5
    denied = client.get(base + "/crm/v3/objects/companies")
    assert denied.status_code == 403 and denied.json()["category"] == "MISSING_SCOPES"
    info = httpx.get(f"{base}/oauth/v1/access-tokens/{token['access_token']}").json()
    assert info["user"] == _creds(served)["username"]


def test_refresh_rotation_and_reuse_detection(served: Served) -> None:
    base = served.info["services"]["hubspot"]
    creds = _creds(served)
    client, first = _authorize(served, "crm.objects.contacts.read")
    second = client.refresh_token(creds["token_url"], refresh_token=first["refresh_token"])
    assert second["refresh_token"] != first["refresh_token"]
    assert client.get(base + "/crm/v3/objects/contacts").status_code == 200
    thief = _oauth_client(creds, "crm.objects.contacts.read")
    with pytest.raises(OAuthError) as caught:
        thief.refresh_token(creds["token_url"], refresh_token=first["refresh_token"])
    assert caught.value.error == "invalid_grant"
    revoked = client.get(base + "/crm/v3/objects/contacts")
    assert revoked.status_code == 401
    assert 'error="invalid_token"' in revoked.headers["www-authenticate"]
    with pytest.raises(OAuthError):
        client.refresh_token(creds["token_url"], refresh_token=second["refresh_token"])


def test_client_credentials(served: Served) -> None:
    base = served.info["services"]["hubspot"]
    creds = _creds(served)
    client = _oauth_client(creds, "crm.objects.companies.read")
    token = client.fetch_token(creds["token_url"], grant_type="client_credentials")
    assert "refresh_token" not in token
    assert client.get(base + "/crm/v3/objects/companies").status_code == 200
    greedy = _oauth_client(creds, "crm.objects.deals.write")
    with pytest.raises(OAuthError) as caught:
        greedy.fetch_token(creds["token_url"], grant_type="client_credentials")
    assert caught.value.error == "invalid_scope"


def test_sdk_pages_through_contacts_and_batch_creates(served: Served) -> None:
    base = served.info["services"]["hubspot"]
    api = HubSpot(access_token=_creds(served)["token"], host=base)
    first = api.crm.contacts.basic_api.get_page(limit=100)
    assert len(first.results) == 100 and first.paging.next.after
    everyone = api.crm.contacts.get_all()
    ids = [c.id for c in everyone]
    assert len(ids) == len(set(ids)) == 200
    inputs = [
        SimplePublicObjectBatchInputForCreate(
            properties={"email": f"sdk{i}@sdk-test.io", "firstname": "Sdk"}, associations=[]
        )
        for i in range(3)
    ]
    created = api.crm.contacts.batch_api.create(
        BatchInputSimplePublicObjectBatchInputForCreate(inputs=inputs)
    )
    assert created.status == "COMPLETE" and len(created.results) == 3
    assert {c.properties["email"] for c in created.results} == {
        f"sdk{i}@sdk-test.io" for i in range(3)
    }
    with pytest.raises(ApiException) as caught:
        api.crm.contacts.basic_api.get_by_id("1")
    assert caught.value.status == 404
