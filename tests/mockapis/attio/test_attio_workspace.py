"""Identity, objects, attributes, members; auth, routing and method errors."""

from __future__ import annotations

import pytest


def test_self_identifies_token_and_workspace(client):
    reply = client.get("/v2/self")
    assert reply.status == 200
    body = reply.json
    assert body["active"] is True and body["token_type"] == "Bearer"
    admin = body["authorized_by_workspace_member_id"]
    assert client.world.table("attio.members")[admin]["access_level"] == "admin"
    assert body["workspace_slug"] == "apibench"
    assert "record_permission:read-write" in body["scope"].split()


@pytest.mark.parametrize(
    ("token", "headers"),
    [
        (None, ()),
        ("wrong-token", ()),
        (None, (("authorization", "Basic Zm9vOmJhcg=="),)),
        (None, (("authorization", "Bearer "),)),
    ],
)
def test_missing_or_wrong_token_is_401(client, expect_error, unchanged, token, headers):
    for path in ("/v2/self", "/v2/objects", "/v2/workspace_members", "/v2/notes"):
        reply = client.get(path, token=token, headers=headers)
        expect_error(reply, 401)
        assert "www-authenticate" in reply.headers
    body = {"data": {"values": {"name": {"first_name": "Ada", "last_name": "Lovelace"}}}}
    reply = unchanged(
        client,
        lambda: client.post("/v2/objects/people/records", body, token=token, headers=headers),
    )
    expect_error(reply, 401)


def test_objects_and_attributes(client):
    objects = client.get("/v2/objects").data
    assert [o["api_slug"] for o in objects] == ["people", "companies", "deals"]
    by_id = client.get(f"/v2/objects/{objects[1]['id']['object_id']}").data
    assert by_id["api_slug"] == "companies" and by_id["singular_noun"] == "Company"
    attributes = client.get("/v2/objects/people/attributes").data
    slugs = {a["api_slug"]: a for a in attributes}
    assert slugs["email_addresses"]["is_multiselect"] and slugs["email_addresses"]["is_unique"]
    assert slugs["email_addresses"]["type"] == "email-address"
    assert slugs["created_at"]["is_writable"] is False
    assert slugs["company"]["config"]["record_reference"]["allowed_object_ids"] == [
        objects[1]["id"]["object_id"]
    ]
    page = client.get("/v2/objects/people/attributes?limit=2&offset=1").data
    assert [a["api_slug"] for a in page] == [a["api_slug"] for a in attributes[1:3]]


def test_unknown_object_is_404(client, expect_error):
    expect_error(client.get("/v2/objects/widgets"), 404, "not_found")
    expect_error(client.get("/v2/objects/widgets/attributes"), 404, "not_found")
    expect_error(client.query("widgets", {}), 404, "not_found")


def test_guessed_paths_are_404(client, expect_error):
    for path in ("/v2/people", "/v2/companies", "/v2/records", "/v1/objects"):
        body = expect_error(client.get(path), 404, "not_found")
        assert "/openapi.yaml" in body["message"]


def test_wrong_method_is_405_with_allow(client, expect_error):
    reply = client.request("DELETE", "/v2/objects/people/records")
    expect_error(reply, 405, "method_not_allowed")
    assert set(reply.headers["allow"].split(", ")) == {"POST", "PUT"}
    reply = client.get("/v2/objects/people/records/query")
    expect_error(reply, 404)  # GET .../query is a record lookup of id "query"
    expect_error(client.request("PATCH", "/v2/self"), 405, "method_not_allowed")


def test_members(client, expect_error):
    members = client.get("/v2/workspace_members").data
    assert len(members) == 5
    assert sum(m["access_level"] == "admin" for m in members) == 1
    one = client.get(f"/v2/workspace_members/{members[2]['id']['workspace_member_id']}").data
    assert one == members[2]
    expect_error(client.get("/v2/workspace_members/nope"), 404, "not_found")


def test_spec_is_served(client):
    reply = client.get("/openapi.yaml", token=None)
    assert reply.status == 200 and b"/v2/objects/{object}/records/query" in reply.raw
