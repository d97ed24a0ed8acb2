"""Filters: comparators, relation filters, null, isMe, durations, and/or, against the world."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from tests.mockapis.linear.conftest import LinearClient

QUERY = """query($filter: IssueFilter, $after: String) {
  issues(filter: $filter, first: 250, after: $after) {
    nodes { id } pageInfo { hasNextPage endCursor }
  }
}"""


def matching(client: LinearClient, flt: dict[str, Any]) -> set[str]:
    found: list[str] = []
    after = None
    while True:
        conn = client.data(QUERY, {"filter": flt, "after": after})["issues"]
        found += [n["id"] for n in conn["nodes"]]
        if not conn["pageInfo"]["hasNextPage"]:
            assert len(found) == len(set(found))
            return set(found)
        after = conn["pageInfo"]["endCursor"]


def ids(client: LinearClient, keep: Callable[[dict[str, Any]], bool]) -> set[str]:
    return {row["id"] for row in client.rows("issues") if keep(row)}


def _state(client: LinearClient, row: dict[str, Any]) -> dict[str, Any]:
    return dict(client.world.table("linear.states")[row["stateId"]])


def _moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


CASES: list[tuple[str, Callable[[LinearClient], tuple[dict[str, Any], Callable[..., bool]]]]] = [
    (
        "team key",
        lambda c: (
            {"team": {"key": {"eq": c.rows("teams")[0]["key"]}}},
            lambda r: r["teamId"] == c.rows("teams")[0]["id"],
        ),
    ),
    (
        "state type in",
        lambda c: (
            {"state": {"type": {"in": ["started", "unstarted"]}}},
            lambda r: _state(c, r)["type"] in ("started", "unstarted"),
        ),
    ),
    ("unassigned", lambda c: ({"assignee": {"null": True}}, lambda r: r["assigneeId"] is None)),
    (
        "mine",
        lambda c: (
            {"assignee": {"isMe": {"eq": True}}},
            lambda r: r["assigneeId"] == c.rows("users")[0]["id"],
        ),
    ),
    (
        "priority range",
        lambda c: ({"priority": {"gte": 1, "lte": 2}}, lambda r: 1 <= r["priority"] <= 2),
    ),
    (
        "title contains, any case",
        lambda c: (
            {"title": {"containsIgnoreCase": "THE"}},
            lambda r: "the" in r["title"].lower(),
        ),
    ),
    (
        "created in the last 30 days (duration)",
        lambda c: (
            {"createdAt": {"gt": "-P30D"}},
            lambda r: _moment(r["createdAt"]) > c.world.clock.datetime() - dt.timedelta(days=30),
        ),
    ),
    (
        "created before a date",
        lambda c: (
            {"createdAt": {"lt": "2023-09-01"}},
            lambda r: r["createdAt"] < "2023-09-01",
        ),
    ),
    (
        "or of and",
        lambda c: (
            {
                "or": [
                    {"priority": {"eq": 1}},
                    {"and": [{"estimate": {"null": False}}, {"project": {"null": True}}]},
                ]
            },
            lambda r: r["priority"] == 1 or (r["estimate"] is not None and r["projectId"] is None),
        ),
    ),
    (
        "assignee email, nin",
        lambda c: (
            {"assignee": {"email": {"nin": [c.rows("users")[1]["email"]]}}},
            lambda r: r["assigneeId"] is not None and r["assigneeId"] != c.rows("users")[1]["id"],
        ),
    ),
]


@pytest.mark.parametrize(("name", "case"), CASES, ids=[name for name, _ in CASES])
def test_filter_matches_the_world(client: LinearClient, name: str, case: Any) -> None:
    flt, keep = case(client)
    want = ids(client, keep)
    assert want, f"{name}: the seeded world should have matches"
    assert matching(client, flt) == want


def test_nested_filters_on_team_issues_and_states(client: LinearClient) -> None:
    team = client.rows("teams")[0]
    data = client.data(
        """query($id: String!) { team(id: $id) {
            states(filter: {type: {eq: "completed"}}) { nodes { name } }
            issues(first: 250, filter: {priority: {eq: 1}}) { nodes { id } } } }""",
        {"id": team["key"]},
    )["team"]
    assert [s["name"] for s in data["states"]["nodes"]] == ["Done"]
    want = ids(client, lambda r: r["teamId"] == team["id"] and r["priority"] == 1)
    assert {n["id"] for n in data["issues"]["nodes"]} == want


def test_bad_filter_values_are_validation_errors(client: LinearClient) -> None:
    reply = client.gql(QUERY, {"filter": {"createdAt": {"gt": "last tuesday"}}})
    assert reply.status == 400
    assert reply.json["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    reply = client.gql('{ issues(filter: {priority: {eq: "high"}}) { nodes { id } } }')
    assert reply.status == 400
