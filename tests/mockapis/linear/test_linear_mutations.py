"""issueCreate, issueUpdate, commentCreate: payloads, numbering, defaults, and refusals
that write nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.mockapis.linear.conftest import LinearClient, error_of

CREATE = """mutation($input: IssueCreateInput!) { issueCreate(input: $input) {
  success lastSyncId
  issue { id identifier number title description priority priorityLabel url
          state { name type } team { key } assignee { email } creator { id } project { id } }
} }"""
UPDATE = """mutation($id: String!, $input: IssueUpdateInput!) {
 issueUpdate(id: $id, input: $input) {
  success issue { id title priority completedAt state { name } assignee { id } updatedAt }
} }"""


def team_of(client: LinearClient) -> dict[str, Any]:
    return client.rows("teams")[0]


def test_issue_create_numbers_and_defaults(fresh: LinearClient) -> None:
    team = team_of(fresh)
    last = max(i["number"] for i in fresh.rows("issues") if i["teamId"] == team["id"])
    member = fresh.world.table("linear.users")[team["memberIds"][-1]]
    reply = fresh.gql(
        CREATE,
        {
            "input": {
                "teamId": team["id"],
                "title": "Fix login",
                "priority": 2,
                "description": "Steps",
                "assigneeId": member["id"],
            }
        },
    )
    assert reply.status == 200, reply.raw
    payload = reply.json["data"]["issueCreate"]
    issue = payload["issue"]
    assert payload["success"] is True and payload["lastSyncId"] > 0
    assert issue["number"] == last + 1 and issue["identifier"] == f"{team['key']}-{last + 1}"
    assert issue["state"] == {"name": "Backlog", "type": "backlog"}
    assert issue["priorityLabel"] == "High" and issue["assignee"]["email"] == member["email"]
    assert issue["creator"]["id"] == fresh.rows("users")[0]["id"]
    assert issue["url"].endswith(f"/issue/{issue['identifier']}/fix-login")
    again = fresh.data(
        "query($id: String!) { issue(id: $id) { id title } }", {"id": issue["identifier"]}
    )
    assert again["issue"] == {"id": issue["id"], "title": "Fix login"}


def test_issue_create_with_state_and_project(fresh: LinearClient) -> None:
    team = team_of(fresh)
    done = next(
        s for s in fresh.rows("states") if s["teamId"] == team["id"] and s["name"] == "Done"
    )
    project = next(p for p in fresh.rows("projects") if team["id"] in p["teamIds"])
    reply = fresh.gql(
        CREATE,
        {
            "input": {
                "teamId": team["id"],
                "title": "Shipped",
                "stateId": done["id"],
                "projectId": project["id"],
            }
        },
    )
    issue = reply.json["data"]["issueCreate"]["issue"]
    assert issue["state"]["type"] == "completed" and issue["project"]["id"] == project["id"]
    assert fresh.world.table("linear.issues")[issue["id"]]["completedAt"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"teamId": "no-such-team"}, "Entity not found: Team"),
        ({"priority": 7}, "Argument Validation Error"),
        ({"title": ""}, "Argument Validation Error"),
        ({"assigneeId": "nobody"}, "Entity not found: User"),
        ({"stateId": "nowhere"}, "Entity not found: WorkflowState"),
        ({"projectId": "nothing"}, "Entity not found: Project"),
        ({"id": "not-a-uuid"}, "Argument Validation Error"),
    ],
)
def test_refused_creates_write_nothing(
    fresh: LinearClient, change: dict[str, Any], message: str
) -> None:
    before = dict(fresh.world.table("linear.issues"))
    reply = fresh.gql(CREATE, {"input": {"teamId": team_of(fresh)["id"], "title": "x", **change}})
    assert reply.status == 200 and reply.json["data"] is None
    error = error_of(reply)
    assert error["message"] == message and error["path"] == ["issueCreate"]
    assert error["extensions"]["type"] == "invalid input"
    assert dict(fresh.world.table("linear.issues")) == before


def test_state_of_another_team_is_refused(fresh: LinearClient) -> None:
    teams = fresh.rows("teams")
    other = next(s for s in fresh.rows("states") if s["teamId"] == teams[1]["id"])
    reply = fresh.gql(
        CREATE, {"input": {"teamId": teams[0]["id"], "title": "x", "stateId": other["id"]}}
    )
    assert reply.json["data"] is None and "team" in error_of(reply)["message"]


def test_issue_update_by_identifier(fresh: LinearClient) -> None:
    row = next(i for i in fresh.rows("issues") if i["completedAt"] is None and i["assigneeId"])
    ident = fresh.identifier(row)
    done = next(
        s for s in fresh.rows("states") if s["teamId"] == row["teamId"] and s["type"] == "completed"
    )
    reply = fresh.gql(
        UPDATE, {"id": ident, "input": {"stateId": done["id"], "priority": 1, "assigneeId": None}}
    )
    issue = reply.json["data"]["issueUpdate"]["issue"]
    assert issue["state"]["name"] == "Done" and issue["priority"] == 1 and issue["assignee"] is None
    assert (
        issue["completedAt"]
        and issue["updatedAt"] > row["updatedAt"]
        and issue["title"] == row["title"]
    )
    stored = fresh.world.table("linear.issues")[row["id"]]
    assert stored["number"] == row["number"] and stored["createdAt"] == row["createdAt"]


def test_issue_update_unknown_issue(fresh: LinearClient) -> None:
    reply = fresh.gql(UPDATE, {"id": "ZZZ-1", "input": {"title": "t"}})
    assert reply.status == 200 and error_of(reply)["message"] == "Entity not found: Issue"


def test_comment_create(fresh: LinearClient) -> None:
    row = fresh.rows("issues")[0]
    reply = fresh.gql(
        'mutation($i: String!) { commentCreate(input: {issueId: $i, body: "Looks good"}) '
        "{ success comment { id body user { id } issue { id } url } } }",
        {"i": fresh.identifier(row)},
    )
    comment = reply.json["data"]["commentCreate"]["comment"]
    assert comment["issue"]["id"] == row["id"] and comment["body"] == "Looks good"
    assert comment["user"]["id"] == fresh.rows("users")[0]["id"]
    listed = fresh.data(
        "query($id: String!) { issue(id: $id) { comments(first: 250) { nodes { id } } } }",
        {"id": row["id"]},
    )
    assert comment["id"] in {c["id"] for c in listed["issue"]["comments"]["nodes"]}
    empty = fresh.gql(
        'mutation { commentCreate(input: {issueId: "ENG-1", body: " "}) { success } }'
    )
    assert error_of(empty)["message"] == "Argument Validation Error"


def test_a_failing_mutation_does_not_undo_an_earlier_one(fresh: LinearClient) -> None:
    team = team_of(fresh)
    reply = fresh.gql(
        """mutation($t: String!) {
          a: issueCreate(input: {teamId: $t, title: "first"}) { success }
          b: issueCreate(input: {teamId: $t, title: "second", priority: 9}) { success } }""",
        {"t": team["id"]},
    )
    assert reply.status == 200 and reply.json["data"] is None  # b is non-null: data nulls
    titles = {i["title"] for i in fresh.rows("issues")}
    assert "first" in titles and "second" not in titles


def test_parent_by_identifier_and_not_itself(fresh: LinearClient) -> None:
    child, parent = fresh.rows("issues")[:2]
    reply = fresh.gql(UPDATE, {"id": child["id"], "input": {"parentId": fresh.identifier(parent)}})
    assert reply.json["data"]["issueUpdate"]["success"]
    children = fresh.data(
        "query($id: String!) { issue(id: $id) { children { nodes { id } } } }", {"id": parent["id"]}
    )
    assert [n["id"] for n in children["issue"]["children"]["nodes"]] == [child["id"]]
    itself = fresh.gql(UPDATE, {"id": child["id"], "input": {"parentId": child["id"]}})
    assert itself.json["data"] is None and "own parent" in error_of(itself)["message"]
