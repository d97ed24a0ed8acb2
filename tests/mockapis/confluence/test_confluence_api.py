"""Confluence endpoints: spaces (key vs id, archived), content paging and expand, errors."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.mockapis.confluence.conftest import ConfluenceClient, basic


def big_space(client: ConfluenceClient) -> str:
    rows = client.world.table("confluence.content").values()
    return Counter(c["space_key"] for c in rows if c["type"] == "page").most_common(1)[0][0]


def test_space_listing_pages_through_next_links(client):
    first = client.get("/space").json
    assert first["limit"] == 25 and first["size"] == 25 and first["start"] == 0
    assert first["_links"]["base"] == "https://apibench.atlassian.net/wiki"
    assert first["_links"]["next"].startswith("/rest/api/space?")
    spaces = client.walk("/space", {"limit": 7})
    stored = client.world.table("confluence.spaces")
    assert sorted(s["key"] for s in spaces) == sorted(stored)
    assert {s["status"] for s in spaces} == {"current", "archived"}
    archived = client.walk("/space", {"status": "archived"})
    assert archived and all(s["status"] == "archived" for s in archived)
    assert all(isinstance(s["id"], int) for s in spaces)


def test_limit_is_cut_to_the_cap_silently(client):
    body = client.get("/content", {"spaceKey": big_space(client), "limit": 1000}).json
    assert body["limit"] == 100 and body["size"] == 100 and "next" in body["_links"]


def test_space_by_key_not_by_id(client):
    space = client.get("/space", {"limit": 1}).json["results"][0]
    assert client.get(f"/space/{space['key']}").json["id"] == space["id"]
    missing = client.get(f"/space/{space['id']}")
    assert missing.status == 404
    assert missing.json["message"] == f"No space with key : {space['id']}"
    assert missing.json["statusCode"] == 404 and missing.json["reason"] == "Not Found"
    assert client.get("/content", {"spaceKey": space["id"]}).json["results"] == []


def test_all_pages_of_a_space_and_child_pages(client):
    key = big_space(client)
    pages = client.walk("/content", {"spaceKey": key, "type": "page", "limit": 100})
    stored = [
        c
        for c in client.world.table("confluence.content").values()
        if c["space_key"] == key and c["type"] == "page"
    ]
    assert sorted(p["id"] for p in pages) == sorted(c["id"] for c in stored) and len(pages) > 100
    home = client.get(f"/space/{key}", {"expand": "homepage"}).json["homepage"]
    children = client.walk(f"/content/{home['id']}/child/page", {"limit": 10})
    assert {c["id"] for c in children} == {c["id"] for c in stored if c["parent_id"] == home["id"]}
    grouped = client.get(f"/space/{key}/content", {"limit": 5}).json
    assert grouped["page"]["size"] == 5 and "next" in grouped["page"]["_links"]


def test_expand_body_storage_and_version(client):
    key = big_space(client)
    plain = client.get("/content", {"spaceKey": key, "limit": 1}).json["results"][0]
    assert "body" not in plain and "body" in plain["_expandable"]
    page = client.get(
        f"/content/{plain['id']}", {"expand": "body.storage,version,space,ancestors"}
    ).json
    stored = client.world.table("confluence.content")[plain["id"]]
    assert page["body"]["storage"] == {
        "value": stored["body"],
        "representation": "storage",
        "embeddedContent": [],
        "_expandable": {"content": f"/rest/api/content/{plain['id']}"},
    }
    assert page["version"]["number"] == stored["version"] and page["space"]["key"] == key
    assert "body" not in page["_expandable"] and page["ancestors"] == []
    titled = client.get("/content", {"spaceKey": key, "title": stored["title"]}).json
    assert [r["id"] for r in titled["results"]] == [plain["id"]]


@pytest.mark.parametrize(
    "params",
    [
        {"limit": "0"},
        {"limit": "abc"},
        {"start": "-1"},
        {"start": "15001"},
        {"type": "comment"},
        {"limit": "9" * 30},
    ],
)
def test_bad_paging_values_are_400s(client, params):
    reply = client.get("/content", params)
    assert reply.status == 400 and reply.json["statusCode"] == 400


def test_unknown_content_and_auth_errors(client):
    missing = client.get("/content/123")
    assert missing.status == 404 and "ContentId{id=123}" in missing.json["message"]
    # Confluence documents 400 for an invalid content id, 404 for one naming no content.
    for path in ("/content/abc", "/content/abc/child/page", "/content/12a"):
        reply = client.get(path)
        assert reply.status == 400 and reply.json["statusCode"] == 400, path
    assert client.get("/content/123/child/page").status == 404
    anonymous = client.get("/space", auth=None)
    assert (
        anonymous.status == 401
        and anonymous.json["message"] == "Current user not permitted to use Confluence"
    )
    for auth in (basic(client.creds["username"], "wrong"), "Basic !!!", "Bearer x"):
        reply = client.get("/space", auth=auth)
        assert reply.status == 401 and reply.headers["content-type"].startswith("text/plain")
        assert reply.raw.startswith(b"Basic authentication with passwords is deprecated")


def test_space_description_in_the_representations_asked_for(client):
    key = client.get("/space", {"limit": 1}).json["results"][0]["key"]
    plain = client.get(f"/space/{key}", {"expand": "description.plain"}).json["description"]
    assert set(plain) == {"plain", "_expandable"} and plain["_expandable"] == {"view": ""}
    assert plain["plain"]["representation"] == "plain" and plain["plain"]["embeddedContent"] == []
    both = client.get(f"/space/{key}", {"expand": "description"}).json["description"]
    assert {both[k]["representation"] for k in ("plain", "view")} == {"plain", "view"}
    assert all(both[k]["embeddedContent"] == [] for k in ("plain", "view"))
    assert "description" not in client.get(f"/space/{key}").json


def test_a_blog_post_has_no_child_pages(client):
    posts = [
        c for c in client.world.table("confluence.content").values() if c["type"] == "blogpost"
    ]
    page = next(c for c in client.world.table("confluence.content").values() if c["type"] == "page")
    assert client.get(f"/content/{page['id']}/child/page").status == 200
    assert posts
    for post in posts[:2]:
        reply = client.get(f"/content/{post['id']}/child/page")
        assert reply.status == 400 and "blogpost" in reply.json["message"]


def test_content_status_takes_the_documented_values(client):
    for status in ("deleted", "historical"):
        reply = client.get("/content", {"status": status})
        assert reply.status == 200 and reply.json["results"] == [], status
    assert client.get("/content", {"status": "any"}).json["results"]
    assert client.get("/content", {"status": "gone"}).status == 400
