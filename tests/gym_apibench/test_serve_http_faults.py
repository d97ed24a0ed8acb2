"""The HTTP-level fault kinds in served mode: one server, one rule per kind on its own route.

In-process behaviour is tested kind by kind under tests/mockapis/faults; here each kind must
show the same symptom to a real client over a real loopback socket, on the wall clock.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
import yaml

from gym_apibench.solving import auth_headers
from tests.served import Served, serving

pytestmark = pytest.mark.slow

RULES = [
    {
        "name": "down",
        "kind": "outage",
        "when": {"window": [0, 3600]},
        "where": {"path": "/v2/workspace_members"},
    },
    {
        "name": "quota",
        "kind": "rate_limit",
        "params": {"limit": 1, "window": 600},
        "where": {"method": "GET", "path": "/v2/objects"},
    },
    {
        "name": "expiry",
        "kind": "credential_expiry",
        "when": {"after": 1},
        "where": {"method": "GET", "path": "/v2/lists"},
    },
    {"name": "cursor", "kind": "cursor_expiry", "where": {"method": "GET", "path": "/v2/notes"}},
    {"name": "cut-json", "kind": "malformed", "where": {"path": "/v2/objects/companies"}},
    {
        "name": "drift",
        "kind": "schema_drift",
        "params": {"op": "rename", "field": "data.*.api_slug", "to": "slug"},
        "where": {"path": "/v2/objects/people/attributes"},
    },
    {"name": "stale", "kind": "stale_read", "params": {"lag": 60}, "where": {"path": "/v2/notes*"}},
    {
        "name": "drifting-pages",
        "kind": "pagination_drift",
        "params": {"table": "attio.deals", "inserts": 2},
        "where": {"path": "/v2/objects/deals/records/query"},
    },
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Served, httpx.Client]]:
    folder = tmp_path_factory.mktemp("serve-http-faults")
    profile = folder / "faults.yaml"
    profile.write_text(yaml.safe_dump({"faults": RULES}))
    with serving(folder / "info.json", "--faults", str(profile)) as served:
        headers = auth_headers(served.info["credentials"]["attio"])
        base = served.info["services"]["attio"]
        with httpx.Client(base_url=base, headers=headers, timeout=10) as client:
            yield served, client


def test_outage_answers_503_with_retry_after(server):
    _, client = server
    response = client.get("/v2/workspace_members")
    assert response.status_code == 503
    assert 0 < int(response.headers["retry-after"]) <= 3600


def test_rate_limit_answers_429_with_ietf_headers(server):
    _, client = server
    first, second = client.get("/v2/objects"), client.get("/v2/objects")
    assert first.status_code == 200 and "ratelimit-policy" in first.headers
    assert second.status_code == 429
    assert int(second.headers["retry-after"]) > 0
    assert second.json()["type"] == "rate_limit_error"


def test_credential_expiry_kills_the_token(server):
    _, client = server
    assert client.get("/v2/lists").status_code == 200
    expired = client.get("/v2/lists")
    assert expired.status_code == 401
    assert 'error="invalid_token"' in expired.headers["www-authenticate"]


def test_cursor_expiry_refuses_the_cursor(server):
    _, client = server
    assert client.get("/v2/notes").status_code == 200
    refused = client.get("/v2/notes", params={"cursor": "abc"})
    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid_cursor"


def test_malformed_body_is_not_json(server):
    _, client = server
    response = client.get("/v2/objects/companies")
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)


def test_schema_drift_renames_the_field(server):
    _, client = server
    data = client.get("/v2/objects/people/attributes").json()["data"]
    assert data and all("slug" in a and "api_slug" not in a for a in data)


def test_stale_read_serves_the_state_before_the_write(server):
    _, client = server
    company = client.post("/v2/objects/companies/records/query", json={"limit": 1}).json()["data"][
        0
    ]["id"]["record_id"]
    note = {
        "parent_object": "companies",
        "parent_record_id": company,
        "title": "t",
        "format": "plaintext",
        "content": "c",
    }
    created = client.post("/v2/notes", json={"data": note})
    assert created.status_code == 200
    note_id = created.json()["data"]["id"]["note_id"]
    assert (
        client.get(f"/v2/notes/{note_id}").status_code == 404
    )  # not there yet, as far as reads go


def test_pagination_drift_changes_the_table_between_pages(server):
    _, client = server
    counts = [
        len(client.post("/v2/objects/deals/records/query", json={}).json()["data"])
        for _ in range(2)
    ]
    assert counts[1] == counts[0] + 2


def test_the_server_keeps_serving(server):
    _, client = server
    assert client.get("/v2/self").status_code == 200
