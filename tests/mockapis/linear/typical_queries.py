"""Typical real Linear queries, the kinds agents and client libraries send: each with the
variables it takes from a seeded world and a check of its answer against the world's rows.

``test_real_schema`` validates each against Linear's published schema (so that they stay
real queries) and against ours, and runs it here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.mockapis.linear.conftest import LinearClient

Variables = Callable[[LinearClient], dict[str, Any] | None]
Check = Callable[[LinearClient, Any], None]


@dataclass(frozen=True)
class Typical:
    """A query, its variables in a world, and what its answer must hold."""

    query: str
    variables: Variables
    check: Check


def _none(_: LinearClient) -> None:
    return None


def _now(client: LinearClient) -> str:
    from mockapis.linear.lookups import now_iso

    return now_iso(client.world)


def _viewer_id(client: LinearClient) -> str:
    return str(client.world.table("linear._keys")[client.key]["userId"])


def _label_named(client: LinearClient, name: str) -> dict[str, Any]:
    return next(row for row in client.rows("labels") if row["name"] == name)


def _check_viewer(client: LinearClient, data: Any) -> None:
    org = client.rows("organization")[0]
    assert data["viewer"]["id"] == _viewer_id(client)
    assert data["viewer"]["organization"] == {
        "id": org["id"],
        "name": org["name"],
        "urlKey": org["urlKey"],
    }


def _check_my_issues(client: LinearClient, data: Any) -> None:
    states = client.world.table("linear.states")
    expected = {
        row["id"]
        for row in client.rows("issues")
        if row["assigneeId"] == _viewer_id(client)
        and not row["archivedAt"]
        and states[row["stateId"]]["type"] not in ("completed", "canceled")
    }
    nodes = data["viewer"]["assignedIssues"]["nodes"]
    assert {n["id"] for n in nodes} == expected and expected
    assert all(n["state"]["type"] not in ("completed", "canceled") for n in nodes)


def _rich_issue(client: LinearClient) -> dict[str, Any]:
    """An issue with labels and comments."""
    commented = {row["issueId"] for row in client.rows("comments")}
    return next(r for r in client.rows("issues") if r["labelIds"] and r["id"] in commented)


def _check_issue(client: LinearClient, data: Any) -> None:
    row = _rich_issue(client)
    issue = data["issue"]
    labels = client.world.table("linear.labels")
    assert issue["id"] == row["id"] and issue["identifier"] == client.identifier(row)
    assert {n["name"] for n in issue["labels"]["nodes"]} == {
        labels[i]["name"] for i in row["labelIds"]
    }
    comments = [c for c in client.rows("comments") if c["issueId"] == row["id"]]
    assert sorted(n["body"] for n in issue["comments"]["nodes"]) == sorted(
        c["body"] for c in comments
    )


def _search_term(client: LinearClient) -> dict[str, Any]:
    words = [w for r in client.rows("issues") for w in r["title"].split() if len(w) > 4]
    return {"term": words[len(words) // 2].upper()}


def _check_search(client: LinearClient, data: Any) -> None:
    term = _search_term(client)["term"].casefold()
    expected = {
        r["id"]
        for r in client.rows("issues")
        if term in f"{client.identifier(r)} {r['title']} {r['description'] or ''}".casefold()
    }
    found = data["searchIssues"]
    assert found["totalCount"] == len(expected) > 0
    assert {n["id"] for n in found["nodes"]} <= expected
    assert len(found["nodes"]) == min(10, len(expected))


def _check_teams(client: LinearClient, data: Any) -> None:
    teams = data["teams"]["nodes"]
    assert {t["key"] for t in teams} == {r["key"] for r in client.rows("teams")}
    for team in teams:
        types = {s["type"] for s in team["states"]["nodes"]}
        assert {"backlog", "unstarted", "started", "completed", "canceled"} <= types


def _first_team(client: LinearClient) -> dict[str, Any]:
    return {"teamId": client.rows("teams")[0]["id"]}


def _check_states(client: LinearClient, data: Any) -> None:
    team_id = client.rows("teams")[0]["id"]
    expected = {s["id"] for s in client.rows("states") if s["teamId"] == team_id}
    assert {n["id"] for n in data["workflowStates"]["nodes"]} == expected


def _check_active_cycle(client: LinearClient, data: Any) -> None:
    cycle = data["team"]["activeCycle"]
    assert cycle["startsAt"] <= _now(client) < cycle["endsAt"]
    expected = {
        client.identifier(r)
        for r in client.rows("issues")
        if r["cycleId"] == cycle["id"] and not r["archivedAt"]
    }
    assert {n["identifier"] for n in cycle["issues"]["nodes"]} == expected
    assert 0 <= cycle["progress"] <= 1


def _check_active_cycles(client: LinearClient, data: Any) -> None:
    nodes = data["cycles"]["nodes"]
    assert sorted(n["team"]["key"] for n in nodes) == sorted(r["key"] for r in client.rows("teams"))
    assert all(n["startsAt"] <= _now(client) < n["endsAt"] for n in nodes)


def _by_label(_: LinearClient) -> dict[str, Any]:
    return {"filter": {"labels": {"some": {"name": {"eqIgnoreCase": "bug"}}}}}


def _check_by_label(client: LinearClient, data: Any) -> None:
    bug = _label_named(client, "Bug")["id"]
    expected = {r["id"] for r in client.rows("issues") if bug in r["labelIds"]}
    nodes = data["issues"]["nodes"]
    assert {n["id"] for n in nodes} == expected and expected
    assert all("Bug" in {lb["name"] for lb in n["labels"]["nodes"]} for n in nodes)


def _check_labels(client: LinearClient, data: Any) -> None:
    nodes = data["issueLabels"]["nodes"]
    assert {n["id"] for n in nodes} == {r["id"] for r in client.rows("labels")}
    assert any(n["team"] is None for n in nodes) and any(n["team"] for n in nodes)


def _check_users(client: LinearClient, data: Any) -> None:
    active = {r["id"] for r in client.rows("users") if r["active"]}
    assert {n["id"] for n in data["users"]["nodes"]} == active
    for node in data["users"]["nodes"]:
        for issue in node["assignedIssues"]["nodes"]:
            assert issue["assignee"]["id"] == node["id"]


def _create_input(client: LinearClient) -> dict[str, Any]:
    team = client.rows("teams")[0]
    cycle = next(c for c in client.rows("cycles") if c["teamId"] == team["id"])
    own = next(lb for lb in client.rows("labels") if lb["teamId"] == team["id"])
    return {
        "input": {
            "teamId": team["id"],
            "title": "Checkout fails on Safari",
            "assigneeId": _viewer_id(client),
            "cycleId": cycle["id"],
            "labelIds": [_label_named(client, "Bug")["id"], own["id"]],
            "priority": 2,
        }
    }


def _check_create(client: LinearClient, data: Any) -> None:
    wanted = _create_input(client)["input"]
    payload = data["issueCreate"]
    assert payload["success"]
    row = client.world.table("linear.issues")[payload["issue"]["id"]]
    assert row["labelIds"] == wanted["labelIds"] and row["cycleId"] == wanted["cycleId"]
    assert payload["issue"]["cycle"]["id"] == wanted["cycleId"]
    assert {n["id"] for n in payload["issue"]["labels"]["nodes"]} == set(wanted["labelIds"])


def _unlabelled(client: LinearClient) -> dict[str, Any]:
    row = next(r for r in client.rows("issues") if not r["labelIds"])
    return {"id": client.identifier(row), "labels": [_label_named(client, "Feature")["id"]]}


def _check_update(client: LinearClient, data: Any) -> None:
    issue = data["issueUpdate"]["issue"]
    feature = _label_named(client, "Feature")["id"]
    assert client.world.table("linear.issues")[issue["id"]]["labelIds"] == [feature]
    assert issue["labelIds"] == [feature]


def _comment_input(client: LinearClient) -> dict[str, Any]:
    return {"input": {"issueId": client.identifier(client.rows("issues")[0]), "body": "On it."}}


def _check_comment(client: LinearClient, data: Any) -> None:
    comment = data["commentCreate"]["comment"]
    assert comment["issue"]["identifier"] == _comment_input(client)["input"]["issueId"]
    assert client.world.table("linear.comments")[comment["id"]]["body"] == "On it."


def _real_types(client: LinearClient) -> dict[str, Any]:
    ids = [r["id"] for r in client.rows("issues")[:20]]
    return {
        "id": {"in": ids},
        "estimate": {"or": [{"null": True}, {"lte": 2}]},
        "due": {"null": False},
    }


def _check_real_types(client: LinearClient, data: Any) -> None:
    rows = client.world.table("linear.issues")
    ids = set(_real_types(client)["id"]["in"])
    expected = {
        i
        for i in ids
        if rows[i]["dueDate"] and (rows[i]["estimate"] is None or rows[i]["estimate"] <= 2)
    }
    assert {n["id"] for n in data["issues"]["nodes"]} == expected


TYPICAL: dict[str, Typical] = {
    "viewer and organization": Typical(
        "query Me { viewer { id name email organization { id name urlKey } } }",
        _none,
        _check_viewer,
    ),
    "my open issues": Typical(
        """query MyIssues {
          viewer {
            assignedIssues(first: 250, filter: {state: {type: {nin: ["completed", "canceled"]}}}) {
              nodes { id identifier title priority state { name type } }
            }
          }
        }""",
        _none,
        _check_my_issues,
    ),
    "issue with labels and comments": Typical(
        """query Issue($id: String!) {
          issue(id: $id) {
            id identifier title description priorityLabel url
            state { name type } assignee { id name } team { key } cycle { number }
            labels { nodes { id name color } }
            comments { nodes { body createdAt user { name } } }
          }
        }""",
        lambda c: {"id": _rich_issue(c)["id"]},
        _check_issue,
    ),
    "searchIssues": Typical(
        """query Search($term: String!) {
          searchIssues(term: $term, first: 10) {
            totalCount nodes { id identifier title state { name } }
          }
        }""",
        _search_term,
        _check_search,
    ),
    "teams and their states": Typical(
        "{ teams { nodes { id key name states { nodes { id name type position } } } } }",
        _none,
        _check_teams,
    ),
    "workflow states of a team": Typical(
        """query States($teamId: ID) {
          workflowStates(filter: {team: {id: {eq: $teamId}}}) { nodes { id name type } }
        }""",
        _first_team,
        _check_states,
    ),
    "a team's active cycle": Typical(
        """query ActiveCycle($teamId: String!) {
          team(id: $teamId) {
            activeCycle { id number startsAt endsAt progress issues { nodes { identifier } } }
          }
        }""",
        _first_team,
        _check_active_cycle,
    ),
    "active cycles": Typical(
        """{ cycles(filter: {isActive: {eq: true}}) {
            nodes { id number startsAt endsAt team { key } } } }""",
        _none,
        _check_active_cycles,
    ),
    "issues by label": Typical(
        """query ByLabel($filter: IssueFilter) {
          issues(filter: $filter, first: 100) { nodes { id labels { nodes { name } } } }
        }""",
        _by_label,
        _check_by_label,
    ),
    "issue labels": Typical(
        "{ issueLabels(first: 100) { nodes { id name color team { key } } } }",
        _none,
        _check_labels,
    ),
    "users and their assignees": Typical(
        """{ users { nodes { id name email active
            assignedIssues(first: 5) { nodes { identifier assignee { id } } } } } }""",
        _none,
        _check_users,
    ),
    "issueCreate with labels and a cycle": Typical(
        """mutation Create($input: IssueCreateInput!) {
          issueCreate(input: $input) {
            success issue { id identifier cycle { id } labels { nodes { id name } } }
          }
        }""",
        _create_input,
        _check_create,
    ),
    "issueUpdate adding a label": Typical(
        """mutation Label($id: String!, $labels: [String!]) {
          issueUpdate(id: $id, input: {addedLabelIds: $labels}) { success issue { id labelIds } }
        }""",
        _unlabelled,
        _check_update,
    ),
    "commentCreate": Typical(
        """mutation Comment($input: CommentCreateInput!) {
          commentCreate(input: $input) { success comment { id body issue { identifier } } }
        }""",
        _comment_input,
        _check_comment,
    ),
    "variables of the real filter types": Typical(
        """query Filtered($id: IssueIDComparator, $estimate: EstimateComparator,
                         $due: NullableTimelessDateComparator) {
          issues(filter: {id: $id, estimate: $estimate, dueDate: $due}) { nodes { id } }
        }""",
        _real_types,
        _check_real_types,
    ),
}
"""The typical queries by kind."""
