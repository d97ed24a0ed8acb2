"""The auth matrix over every protected route, and the OAuth 2.0 flows in process."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.routing import Route

from mockapis.clock import NS_PER_SECOND
from mockapis.faults.kinds.auth import dead_tokens
from mockapis.hubspot import SERVICE
from mockapis.hubspot.tokens import ACCESS_TOKEN_TTL_S, TOKENS
from tests.mockapis.hubspot.conftest import APP, HubSpotClient, challenge

_PUBLIC = ("/oauth/",)
_SAMPLE = {
    "objectType": "contacts",
    "fromObjectType": "contacts",
    "toObjectType": "companies",
    "associationType": "contact_to_company",
}


def _protected() -> list[tuple[str, str]]:
    found = []
    for route in SERVICE.routes:
        assert isinstance(route, Route)
        if route.path.startswith(_PUBLIC):
            continue
        for method in sorted(route.methods or ()):
            if method != "HEAD":
                found.append((method, route.path))
    return found


PROTECTED = _protected()


def _concrete(client: HubSpotClient, path: str) -> str:
    contact = next(iter(client.world.table("hubspot.contacts")))
    company = next(iter(client.world.table("hubspot.companies")))
    ids = {"objectId": contact, "toObjectId": company}
    return re.sub(r"\{(\w+)\}", lambda m: _SAMPLE.get(m[1]) or ids[m[1]], path)


def _send(client: HubSpotClient, method: str, path: str, token: str | None):  # type: ignore[no-untyped-def]
    body = [] if "/associations/companies/" in path and path.count("/") == 8 else {"inputs": []}
    if method in ("GET", "DELETE"):
        return client.request(method, _concrete(client, path), token=token)
    return client.request(method, _concrete(client, path), body, token=token)


def _user_token(client: HubSpotClient, scope: str) -> dict[str, str]:
    reply = client.exchange(client.code(scope=scope))
    assert reply.status == 200, reply.raw
    return dict(reply.json)


@pytest.fixture(scope="module")
def matrix() -> HubSpotClient:
    return HubSpotClient(2)


def test_every_protected_route_is_in_the_matrix() -> None:
    assert len(PROTECTED) == 19  # every /crm operation of the spec


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_no_credentials(matrix: HubSpotClient, method: str, path: str) -> None:
    reply = _send(matrix, method, path, None)
    assert reply.status == 401
    assert reply.json["category"] == "INVALID_AUTHENTICATION"
    assert reply.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_wrong_token(matrix: HubSpotClient, method: str, path: str) -> None:
    reply = _send(matrix, method, path, "pat-na1-00000000-0000-0000-0000-000000000000")
    assert reply.status == 401
    assert 'error="invalid_token"' in reply.headers["www-authenticate"]


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_expired_token(matrix: HubSpotClient, method: str, path: str) -> None:
    token = matrix.creds["access_token"]
    saved = matrix.world.clock.now_ns
    matrix.world.clock.now_ns += (ACCESS_TOKEN_TTL_S + 5) * NS_PER_SECOND
    try:
        reply = _send(matrix, method, path, token)
    finally:
        matrix.world.clock.now_ns = saved
    assert reply.status == 401
    assert reply.json["category"] == "EXPIRED_AUTHENTICATION"
    assert "expired" in reply.json["message"]
    assert 'error="invalid_token"' in reply.headers["www-authenticate"]


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_revoked_token(matrix: HubSpotClient, method: str, path: str) -> None:
    table = matrix.world.table(TOKENS)
    token = matrix.creds["access_token"]
    row = table[token]
    table.put(token, {**row, "revoked": True})
    try:
        reply = _send(matrix, method, path, token)
    finally:
        table.put(token, row)
    assert reply.status == 401 and "revoked" in reply.json["message"]


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_under_scoped_token(matrix: HubSpotClient, method: str, path: str) -> None:
    table = matrix.world.table(TOKENS)
    token = matrix.creds["access_token"]
    row = table[token]
    table.put(token, {**row, "scopes": ["oauth"]})
    try:
        reply = _send(matrix, method, path, token)
    finally:
        table.put(token, row)
    assert reply.status == 403
    assert reply.json["category"] == "MISSING_SCOPES"
    required = reply.json["errors"][0]["context"]["requiredGranularScopes"]
    assert required and all(s.startswith("crm.objects.contacts.") for s in required)


def test_read_scope_does_not_write(fresh: HubSpotClient) -> None:
    token = _user_token(fresh, "crm.objects.contacts.read")["access_token"]
    assert fresh.get("/crm/v3/objects/contacts", token=token).status == 200
    reply = fresh.post("/crm/v3/objects/contacts", {"properties": {}}, token=token)
    assert reply.status == 403
    assert reply.json["errors"][0]["context"]["requiredGranularScopes"] == [
        "crm.objects.contacts.write"
    ]
    assert fresh.get("/crm/v3/objects/companies", token=token).status == 403


def test_fault_killed_token_stays_expired_in_the_service(fresh: HubSpotClient) -> None:
    token = fresh.creds["access_token"]
    dead_tokens(fresh.world)[token] = "expire"
    reply = fresh.get("/crm/v3/objects/contacts", token=token)
    assert reply.status == 401 and reply.json["category"] == "EXPIRED_AUTHENTICATION"
    assert fresh.get(f"/oauth/v1/access-tokens/{token}", token=None).status == 404


def test_code_flow_with_pkce(fresh: HubSpotClient) -> None:
    page = fresh.get("/oauth/authorize?" + fresh.authorize_query(), token=None, base=APP)
    assert page.status == 200 and b"crm.objects.contacts.write" in page.raw
    assert b'name="password"' in page.raw
    grant = _user_token(fresh, "crm.objects.contacts.read crm.objects.contacts.write")
    assert grant["token_type"] == "bearer" and grant["expires_in"] == 1800
    assert grant["token_use"] == "access_token" and grant["scopes"] == grant["scope"].split()
    info = fresh.get(f"/oauth/v1/access-tokens/{grant['access_token']}", token=None).json
    assert info["user"] == fresh.creds["username"] and info["token_type"] == "access"
    assert isinstance(info["app_id"], int) and grant["user_id"] == info["user_id"]
    assert sorted(info["scopes"]) == ["crm.objects.contacts.read", "crm.objects.contacts.write"]
    created = fresh.post(
        "/crm/v3/objects/contacts", {"properties": {"email": "u@x.io"}}, token=grant["access_token"]
    )
    assert created.status == 201
    assert created.json["properties"]["hs_created_by_user_id"] == str(info["user_id"])


def test_code_is_single_use_and_bound_to_verifier_and_redirect(fresh: HubSpotClient) -> None:
    code = fresh.code()
    wrong = fresh.exchange(code, verifier="x" * 50)
    assert wrong.status == 400 and wrong.json["error"] == "invalid_grant"
    code = fresh.code()
    assert fresh.exchange(code).status == 200
    replay = fresh.exchange(code)
    assert replay.status == 400 and replay.json["error"] == "invalid_grant"
    assert replay.json["status"] == "BAD_GRANT" and replay.json["message"]
    code = fresh.code()
    other = fresh.form(
        "/oauth/v1/token",
        {
            "grant_type": "authorization_code",
            "client_id": fresh.creds["client_id"],
            "client_secret": fresh.creds["client_secret"],
            "code": code,
            "redirect_uri": fresh.creds["redirect_uri"] + "/other",
            "code_verifier": "v" * 43 + "-verifier_0123456789",
        },
    )
    assert other.status == 400 and other.json["error"] == "invalid_grant"


def test_code_expires_after_ten_minutes(fresh: HubSpotClient) -> None:
    code = fresh.code()
    fresh.world.clock.advance(601)
    assert fresh.exchange(code).json["error"] == "invalid_grant"


def test_authorize_page_refusals(fresh: HubSpotClient) -> None:
    bad_redirect = fresh.get(
        "/oauth/authorize?" + fresh.authorize_query(redirect_uri="https://evil.example/cb"),
        token=None,
        base=APP,
    )
    assert bad_redirect.status == 400 and "location" not in bad_redirect.headers
    no_pkce = fresh.get(
        "/oauth/authorize?" + fresh.authorize_query(code_challenge=""), token=None, base=APP
    )
    assert no_pkce.status == 302
    assert "error=invalid_request" in no_pkce.headers["location"]
    plain = fresh.get(
        "/oauth/authorize?" + fresh.authorize_query(code_challenge_method="plain"),
        token=None,
        base=APP,
    )
    assert "error=invalid_request" in plain.headers["location"]
    scope = fresh.get(
        "/oauth/authorize?" + fresh.authorize_query(scope="crm.objects.deals.write"),
        token=None,
        base=APP,
    )
    assert "error=invalid_scope" in scope.headers["location"]
    login = fresh.form(
        "/oauth/authorize?" + fresh.authorize_query(),
        {"username": fresh.creds["username"], "password": "nope", "decision": "approve"},
        base=APP,
    )
    assert login.status == 401 and b"incorrect" in login.raw
    denied = fresh.form(
        "/oauth/authorize?" + fresh.authorize_query(), {"decision": "deny"}, base=APP
    )
    params = parse_qs(urlsplit(denied.headers["location"]).query)
    assert params["error"] == ["access_denied"] and params["state"] == ["xyz"]
    assert len(fresh.world.table("hubspot._codes")) == 0


def test_refresh_rotates_and_reuse_revokes_the_family(fresh: HubSpotClient) -> None:
    first = _user_token(fresh, "crm.objects.contacts.read")
    second = fresh.refresh(first["refresh_token"]).json
    assert second["refresh_token"] != first["refresh_token"]
    assert fresh.get("/crm/v3/objects/contacts", token=second["access_token"]).status == 200
    third = fresh.refresh(second["refresh_token"]).json
    reuse = fresh.refresh(first["refresh_token"])
    assert reuse.status == 400 and reuse.json["error"] == "invalid_grant"
    # The whole family died with the reuse, although the request failed.
    dead = fresh.get("/crm/v3/objects/contacts", token=third["access_token"])
    assert dead.status == 401 and "revoked" in dead.json["message"]
    assert fresh.refresh(third["refresh_token"]).json["error"] == "invalid_grant"
    # Other authorizations are untouched.
    assert fresh.get("/crm/v3/objects/contacts", token=fresh.creds["access_token"]).status == 200


def test_refresh_with_narrower_scope_and_wrong_client(fresh: HubSpotClient) -> None:
    grant = _user_token(fresh, "crm.objects.contacts.read crm.objects.contacts.write")
    narrow = fresh.form(
        "/oauth/v1/token",
        {
            "grant_type": "refresh_token",
            "refresh_token": grant["refresh_token"],
            "client_id": fresh.creds["client_id"],
            "client_secret": fresh.creds["client_secret"],
            "scope": "crm.objects.contacts.read",
        },
    )
    assert narrow.status == 200 and narrow.json["scope"] == "crm.objects.contacts.read"
    bad_secret = fresh.form(
        "/oauth/v1/token",
        {
            "grant_type": "refresh_token",
            "refresh_token": narrow.json["refresh_token"],
            "client_id": fresh.creds["client_id"],
            "client_secret": "wrong",
        },
    )
    assert bad_secret.status in (400, 401) and bad_secret.json["error"] == "invalid_client"


def test_revoking_a_refresh_token_kills_its_access_tokens(fresh: HubSpotClient) -> None:
    grant = _user_token(fresh, "crm.objects.contacts.read")
    info = fresh.get(f"/oauth/v1/refresh-tokens/{grant['refresh_token']}", token=None)
    assert info.status == 200 and info.json["token_type"] == "refresh"
    assert (
        fresh.request(
            "DELETE", f"/oauth/v1/refresh-tokens/{grant['refresh_token']}", token=None
        ).status
        == 204
    )
    assert fresh.get("/crm/v3/objects/contacts", token=grant["access_token"]).status == 401
    assert fresh.refresh(grant["refresh_token"]).json["error"] == "invalid_grant"
    assert (
        fresh.request(
            "DELETE", f"/oauth/v1/refresh-tokens/{grant['refresh_token']}", token=None
        ).status
        == 404
    )


def test_client_credentials_scopes(fresh: HubSpotClient) -> None:
    base = {
        "grant_type": "client_credentials",
        "client_id": fresh.creds["client_id"],
        "client_secret": fresh.creds["client_secret"],
    }
    default = fresh.form("/oauth/v1/token", base).json
    assert default["scope"] == "crm.objects.contacts.read" and "refresh_token" not in default
    assert default["token_use"] == "client_credentials" and "user_id" not in default
    info = fresh.get(f"/oauth/v1/access-tokens/{default['access_token']}", token=None).json
    assert "user_id" not in info and "user" not in info and info["token_type"] == "access"
    lacking = fresh.form("/oauth/v1/token", {**base, "scope": "crm.objects.deals.write"})
    assert lacking.status == 400 and lacking.json["error"] == "invalid_scope"
    assert "crm.objects.deals.write" in lacking.json["error_description"]
    write = fresh.form("/oauth/v1/token", {**base, "scope": "crm.objects.contacts.write"}).json
    created = fresh.post(
        "/crm/v3/objects/contacts", {"properties": {"email": "m@x.io"}}, token=write["access_token"]
    )
    assert created.status == 201 and "hs_created_by_user_id" not in created.json["properties"]


def test_token_endpoint_bad_input(fresh: HubSpotClient) -> None:
    unsupported = fresh.form("/oauth/v1/token", {}).json
    assert unsupported["error"] == "unsupported_grant_type"
    assert unsupported["category"] == "VALIDATION_ERROR" and unsupported["correlationId"]
    assert fresh.form("/oauth/v1/token", {"grant_type": "password"}).status == 400
    as_json = fresh.post("/oauth/v1/token", {"grant_type": "client_credentials"}, token=None)
    assert as_json.status == 400 and as_json.json["error"] == "invalid_request"
    unknown = fresh.form(
        "/oauth/v1/token",
        {"grant_type": "client_credentials", "client_id": "nope", "client_secret": "x"},
    )
    assert unknown.json["error"] == "invalid_client"


def test_token_generation_is_deterministic() -> None:
    a, b = HubSpotClient(3), HubSpotClient(3)
    assert a.creds == b.creds
    assert a.exchange(a.code()).json == b.exchange(b.code()).json
    assert challenge() == challenge()


def test_token_endpoint_reads_the_body_only_and_once(fresh: HubSpotClient) -> None:
    query = "grant_type=client_credentials&client_id=" + fresh.creds["client_id"]
    in_query = fresh.form(
        f"/oauth/v1/token?{query}", {"client_secret": fresh.creds["client_secret"]}
    )
    assert in_query.status == 400
    twice = fresh.request(
        "POST",
        "/oauth/v1/token",
        token=None,
        raw=(
            f"grant_type=client_credentials&{query.split('&')[1]}&client_secret="
            f"{fresh.creds['client_secret']}&grant_type=client_credentials"
        ).encode(),
        content_type="application/x-www-form-urlencoded",
    )
    assert twice.status == 400 and twice.json["error"] == "invalid_request"
    assert "repeated" in twice.json["error_description"]


def test_non_ascii_oauth_parameters_are_refused_cleanly(fresh: HubSpotClient) -> None:
    reply = fresh.form(
        "/oauth/v1/token",
        {
            "grant_type": "client_credentials",
            "client_id": fresh.creds["client_id"],
            "client_secret": fresh.creds["client_secret"],
            "scope": 'crm\u00ae"x',
        },
    )
    assert reply.status == 400 and reply.json["error"] == "invalid_request"
    page = fresh.get(
        "/oauth/authorize?" + fresh.authorize_query(state="caf\u00e9"), token=None, base=APP
    )
    assert page.status == 400 and page.headers["content-type"].startswith("text/html")
    # The user's password may hold any text: only OAuth parameters are restricted.
    login = fresh.form(
        "/oauth/authorize?" + fresh.authorize_query(),
        {"username": "caf\u00e9", "password": "\u00ae\\", "decision": "approve"},
        base=APP,
    )
    assert login.status == 401
