"""Relay connections: no repeats or skips, pageInfo, both directions, bounds, keyset cursors."""

from __future__ import annotations

from typing import Any

import pytest

from tests.mockapis.linear.conftest import LinearClient, error_of

PAGE = """query($first: Int, $after: String, $last: Int, $before: String,
             $order: PaginationOrderBy) {
  issues(first: $first, after: $after, last: $last, before: $before, orderBy: $order) {
    nodes { id }
    edges { cursor node { id } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}"""


def forward(client: LinearClient, size: int, order: str = "createdAt") -> list[list[str]]:
    pages: list[list[str]] = []
    after = None
    while True:
        conn = client.data(PAGE, {"first": size, "after": after, "order": order})["issues"]
        ids = [n["id"] for n in conn["nodes"]]
        assert ids == [e["node"]["id"] for e in conn["edges"]]
        info = conn["pageInfo"]
        assert info["hasPreviousPage"] == bool(pages)
        if ids:
            assert info["startCursor"] == conn["edges"][0]["cursor"]
            assert info["endCursor"] == conn["edges"][-1]["cursor"]
        pages.append(ids)
        if not info["hasNextPage"]:
            return pages
        after = info["endCursor"]


def expected_order(client: LinearClient, order: str = "createdAt") -> list[str]:
    rows = sorted(client.rows("issues"), key=lambda r: (r[order], r["id"]), reverse=True)
    return [r["id"] for r in rows]


@pytest.mark.parametrize("size", [1, 7, 50, 250])
def test_forward_pages_cover_every_issue_once_newest_first(client: LinearClient, size: int) -> None:
    if size == 1:
        client = LinearClient(3, {"issues": 12})
    pages = forward(client, size)
    flat = [i for page in pages for i in page]
    assert flat == expected_order(client)
    assert all(len(page) == size for page in pages[:-1]) and 0 < len(pages[-1]) <= size


def test_order_by_updated_at(client: LinearClient) -> None:
    flat = [i for page in forward(client, 100, "updatedAt") for i in page]
    assert flat == expected_order(client, "updatedAt")


def test_default_page_is_50(client: LinearClient) -> None:
    conn = client.data("{ issues { nodes { id } pageInfo { hasNextPage } } }")["issues"]
    assert len(conn["nodes"]) == 50 and conn["pageInfo"]["hasNextPage"]


def test_backward_pages_with_last_and_before(client: LinearClient) -> None:
    everything = expected_order(client)
    before, found = None, []
    while True:
        conn = client.data(PAGE, {"last": 40, "before": before})["issues"]
        found[:0] = [n["id"] for n in conn["nodes"]]
        if not conn["pageInfo"]["hasPreviousPage"]:
            break
        assert conn["pageInfo"]["hasNextPage"] == (before is not None)
        before = conn["pageInfo"]["startCursor"]
    assert found == everything


def test_after_and_before_bound_a_window(client: LinearClient) -> None:
    everything = expected_order(client)
    edges = client.data(PAGE, {"first": 30})["issues"]["edges"]
    conn = client.data(
        PAGE, {"first": 50, "after": edges[4]["cursor"], "before": edges[20]["cursor"]}
    )
    ids = [n["id"] for n in conn["issues"]["nodes"]]
    assert ids == everything[5:20]
    assert conn["issues"]["pageInfo"] == {
        "hasNextPage": True,
        "hasPreviousPage": True,
        "startCursor": edges[5]["cursor"],
        "endCursor": edges[19]["cursor"],
    }


def test_cursors_survive_inserts_between_pages(fresh: LinearClient) -> None:
    first = fresh.data(PAGE, {"first": 20})["issues"]
    team = fresh.rows("teams")[0]["id"]
    for n in range(3):
        reply = fresh.gql(
            "mutation($t: String!, $n: String!) "
            "{ issueCreate(input: {teamId: $t, title: $n}) { success } }",
            {"t": team, "n": f"new {n}"},
        )
        assert reply.json["data"]["issueCreate"]["success"]
    after = first["pageInfo"]["endCursor"]
    second = fresh.data(PAGE, {"first": 20, "after": after})["issues"]
    old = [
        i
        for i in expected_order(fresh)
        if not fresh.world.table("linear.issues")[i]["title"].startswith("new ")
    ]
    assert [n["id"] for n in first["nodes"] + second["nodes"]] == old[:40]


def test_nested_connections_page_too(client: LinearClient) -> None:
    team = max(client.rows("teams"), key=lambda t: len(t["memberIds"]))
    query = """query($id: String!, $after: String) { team(id: $id) {
        members(first: 2, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } } }"""
    found: list[str] = []
    after = None
    while True:
        conn = client.data(query, {"id": team["id"], "after": after})["team"]["members"]
        found += [n["id"] for n in conn["nodes"]]
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    users = client.world.table("linear.users")
    active = {m for m in team["memberIds"] if users[m]["active"]}
    assert sorted(found) == sorted(active) and len(found) == len(set(found))


@pytest.mark.parametrize(
    ("args", "constraint", "text"),
    [
        ({"first": 251}, "max", "first must not be greater than 250"),
        ({"first": 0}, "min", "first must not be less than 1"),
        ({"last": 1000}, "max", "last must not be greater than 250"),
    ],
)
def test_page_size_bounds_are_argument_validation_errors(
    client: LinearClient, args: dict[str, Any], constraint: str, text: str
) -> None:
    reply = client.gql(PAGE, args)
    assert reply.status == 200 and reply.json["data"] is None
    error = error_of(reply)
    assert error["message"] == "Argument Validation Error" and error["path"] == ["issues"]
    ext = error["extensions"]
    assert ext["type"] == "invalid input" and ext["code"] == "INVALID_INPUT"
    assert ext["validationErrors"][0]["constraints"] == {constraint: text}


@pytest.mark.parametrize("cursor", ["garbage!", "eyJ4IjoxfQ", ""])
def test_bad_cursors_are_input_errors_not_500s(client: LinearClient, cursor: str) -> None:
    reply = client.gql(PAGE, {"first": 5, "after": cursor})
    assert reply.status == 200
    if cursor:  # an empty cursor is no cursor
        assert error_of(reply)["extensions"]["type"] == "invalid input"
    else:
        assert len(reply.json["data"]["issues"]["nodes"]) == 5
