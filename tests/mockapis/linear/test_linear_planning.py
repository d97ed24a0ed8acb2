"""Labels, cycles and search: seeded deterministically, filtered, searched and set by
mutations as Linear does."""

from __future__ import annotations

from typing import Any

import pytest

from mockapis.linear.lookups import now_iso
from tests.mockapis.linear.conftest import LinearClient, error_of
from tests.mockapis.linear.test_linear_filters import matching


def _planning(client: LinearClient) -> tuple[list[Any], list[Any], list[Any]]:
    return (
        client.rows("labels"),
        client.rows("cycles"),
        [(r["labelIds"], r["cycleId"]) for r in client.rows("issues")],
    )


def test_labels_and_cycles_are_seeded_deterministically() -> None:
    assert _planning(LinearClient(5)) == _planning(LinearClient(5))
    assert _planning(LinearClient(5)) != _planning(LinearClient(6))


def test_seeded_labels_and_cycles_belong_to_the_issues_team(client: LinearClient) -> None:
    labels = client.world.table("linear.labels")
    cycles = client.world.table("linear.cycles")
    issues = client.rows("issues")
    for row in issues:
        assert all(labels[i]["teamId"] in (None, row["teamId"]) for i in row["labelIds"])
        assert len(set(row["labelIds"])) == len(row["labelIds"])
        if row["cycleId"]:
            assert cycles[row["cycleId"]]["teamId"] == row["teamId"]
            assert cycles[row["cycleId"]]["endsAt"] > row["createdAt"]
    assert any(r["labelIds"] for r in issues) and any(not r["labelIds"] for r in issues)
    assert any(r["cycleId"] for r in issues) and any(not r["cycleId"] for r in issues)


def test_each_team_has_one_active_cycle_and_the_flags_agree(client: LinearClient) -> None:
    data = client.data(
        "{ teams { nodes { id activeCycle { id } cycles { nodes { id number startsAt endsAt "
        "completedAt isActive isPast isFuture isNext isPrevious } } } } }"
    )
    now = now_iso(client.world)
    for team in data["teams"]["nodes"]:
        cycles = sorted(team["cycles"]["nodes"], key=lambda c: c["number"])
        active = [c for c in cycles if c["isActive"]]
        assert [c["id"] for c in active] == [team["activeCycle"]["id"]]
        assert active[0]["startsAt"] <= now < active[0]["endsAt"]
        for c in cycles:
            assert [c["isPast"], c["isActive"], c["isFuture"]].count(True) == 1
            assert c["isPast"] == (c["completedAt"] is not None) == (c["endsAt"] <= now)
        nexts = [c["number"] for c in cycles if c["isNext"]]
        previous = [c["number"] for c in cycles if c["isPrevious"]]
        assert nexts == [min(c["number"] for c in cycles if c["isFuture"])]
        assert previous == [max(c["number"] for c in cycles if c["isPast"])]


@pytest.mark.parametrize(
    ("flt", "keep"),
    [
        ({"labels": {"null": True}}, lambda r, names: not r["labelIds"]),
        ({"labels": {"length": {"gte": 2}}}, lambda r, names: len(r["labelIds"]) >= 2),
        ({"labels": {"name": {"eq": "Feature"}}}, lambda r, names: "Feature" in names),
        (
            {"labels": {"every": {"team": {"null": True}}}},
            lambda r, names: all(n in _WORKSPACE for n in names),
        ),
        (
            {"labels": {"or": [{"some": {"name": {"eq": "Bug"}}}, {"null": True}]}},
            lambda r, names: "Bug" in names or not names,
        ),
        ({"cycle": {"null": True}}, lambda r, names: r["cycleId"] is None),
    ],
)
def test_label_and_cycle_filters(client: LinearClient, flt: dict[str, Any], keep: Any) -> None:
    labels = client.world.table("linear.labels")
    expected = {
        r["id"]
        for r in client.rows("issues")
        if not r["archivedAt"] and keep(r, [labels[i]["name"] for i in r["labelIds"]])
    }
    assert expected
    assert matching(client, flt) == expected


_WORKSPACE = {"Bug", "Feature", "Improvement", "Documentation", "Performance", "Security"}


def test_issues_of_the_active_cycles(client: LinearClient) -> None:
    active = {
        c["id"]
        for c in client.data("{ cycles(filter: {isActive: {eq: true}}) { nodes { id } } }")[
            "cycles"
        ]["nodes"]
    }
    expected = {r["id"] for r in client.rows("issues") if r["cycleId"] in active}
    assert matching(client, {"cycle": {"isActive": {"eq": True}}}) == expected != set()


SEARCH = """query($term: String!, $teamId: String, $comments: Boolean) {
  searchIssues(term: $term, teamId: $teamId, includeComments: $comments, first: 250) {
    totalCount nodes { id }
  }
}"""


def test_search_by_comment_and_team(client: LinearClient) -> None:
    comment = client.rows("comments")[0]
    word = max(comment["body"].split(), key=len).strip(".,")
    issue_ids = {c["issueId"] for c in client.rows("comments") if word in c["body"]}
    without = client.data(SEARCH, {"term": word})["searchIssues"]
    with_comments = client.data(SEARCH, {"term": word, "comments": True})["searchIssues"]
    found = {n["id"] for n in with_comments["nodes"]}
    assert issue_ids <= found and {n["id"] for n in without["nodes"]} <= found
    assert with_comments["totalCount"] == len(found)
    team = client.rows("teams")[0]
    by_key = client.data(SEARCH, {"term": word, "comments": True, "teamId": team["key"]})
    teams = client.world.table("linear.issues")
    assert {n["id"] for n in by_key["searchIssues"]["nodes"]} == {
        i for i in found if teams[i]["teamId"] == team["id"]
    }


def test_an_empty_search_term_is_an_argument_error(client: LinearClient) -> None:
    reply = client.gql('{ searchIssues(term: "  ") { totalCount } }')
    assert error_of(reply)["message"] == "Argument Validation Error"


UPDATE = """mutation($id: String!, $input: IssueUpdateInput!) {
  issueUpdate(id: $id, input: $input) { success issue { labelIds cycle { id } } }
}"""


def test_labels_are_added_removed_and_checked(fresh: LinearClient) -> None:
    teams = fresh.rows("teams")
    issue = next(r for r in fresh.rows("issues") if r["teamId"] == teams[0]["id"])
    labels = fresh.rows("labels")
    workspace = [lb["id"] for lb in labels if lb["teamId"] is None]
    foreign = next(lb["id"] for lb in labels if lb["teamId"] == teams[1]["id"])
    ident = fresh.identifier(issue)
    set_two = fresh.data(UPDATE, {"id": ident, "input": {"labelIds": workspace[:2]}})
    assert set_two["issueUpdate"]["issue"]["labelIds"] == workspace[:2]
    changed = fresh.data(
        UPDATE,
        {
            "id": ident,
            "input": {"addedLabelIds": [workspace[2]], "removedLabelIds": [workspace[0]]},
        },
    )
    assert changed["issueUpdate"]["issue"]["labelIds"] == [workspace[1], workspace[2]]
    refused = fresh.gql(UPDATE, {"id": ident, "input": {"addedLabelIds": [foreign]}})
    assert error_of(refused)["message"] == "LabelIds for incorrect team"
    assert fresh.world.table("linear.issues")[issue["id"]]["labelIds"] == workspace[1:3]


def test_a_cycle_of_another_team_is_refused(fresh: LinearClient) -> None:
    teams = fresh.rows("teams")
    issue = next(r for r in fresh.rows("issues") if r["teamId"] == teams[0]["id"])
    own = next(c["id"] for c in fresh.rows("cycles") if c["teamId"] == teams[0]["id"])
    other = next(c["id"] for c in fresh.rows("cycles") if c["teamId"] == teams[1]["id"])
    moved = fresh.data(UPDATE, {"id": issue["id"], "input": {"cycleId": own}})
    assert moved["issueUpdate"]["issue"]["cycle"] == {"id": own}
    refused = fresh.gql(UPDATE, {"id": issue["id"], "input": {"cycleId": other}})
    assert "Cycle does not belong" in error_of(refused)["message"]
    removed = fresh.data(UPDATE, {"id": issue["id"], "input": {"cycleId": None}})
    assert removed["issueUpdate"]["issue"]["cycle"] is None


def test_add_and_remove_a_label(fresh: LinearClient) -> None:
    issue = next(r for r in fresh.rows("issues") if not r["labelIds"])
    bug = next(lb["id"] for lb in fresh.rows("labels") if lb["name"] == "Bug")
    add = "mutation($id: String!, $l: String!) { issueAddLabel(id: $id, labelId: $l) "
    remove = "mutation($id: String!, $l: String!) { issueRemoveLabel(id: $id, labelId: $l) "
    shape = "{ success issue { labels { nodes { name } } } } }"
    added = fresh.data(add + shape, {"id": fresh.identifier(issue), "l": bug})["issueAddLabel"]
    assert added["issue"]["labels"]["nodes"] == [{"name": "Bug"}]
    again = fresh.data(add + shape, {"id": issue["id"], "l": bug})["issueAddLabel"]
    assert again["issue"]["labels"]["nodes"] == [{"name": "Bug"}]  # added once
    removed = fresh.data(remove + shape, {"id": issue["id"], "l": bug})["issueRemoveLabel"]
    assert removed["issue"]["labels"]["nodes"] == []
    missing = fresh.gql(add + shape, {"id": issue["id"], "l": "nope"})
    assert error_of(missing)["message"] == "Entity not found: IssueLabel"


CREATE_LABEL = """mutation($input: IssueLabelCreateInput!) {
  issueLabelCreate(input: $input) { success issueLabel { id name color team { key } } }
}"""


def test_label_names_are_unique_in_their_scope(fresh: LinearClient) -> None:
    teams = fresh.rows("teams")
    for team in teams[:2]:
        made = fresh.data(CREATE_LABEL, {"input": {"name": "Onboarding", "teamId": team["key"]}})
        label = made["issueLabelCreate"]["issueLabel"]
        assert label["team"] == {"key": team["key"]} and label["name"] == "Onboarding"
        assert fresh.world.table("linear.labels")[label["id"]]["teamId"] == team["id"]
    refusals = (
        {"name": "ONBOARDING", "teamId": teams[0]["id"]},  # the team has one
        {"name": "bug", "teamId": teams[0]["id"]},  # the workspace has one
        {"name": "Onboarding"},  # a team has one
    )
    for refused in refusals:
        before = len(fresh.rows("labels"))
        assert error_of(fresh.gql(CREATE_LABEL, {"input": refused}))["message"] == (
            "Duplicate label name"
        )
        assert len(fresh.rows("labels")) == before
    workspace = fresh.data(CREATE_LABEL, {"input": {"name": "Customer", "color": "#123456"}})
    assert workspace["issueLabelCreate"]["issueLabel"]["team"] is None


def test_archive_an_issue_and_edit_a_comment(fresh: LinearClient) -> None:
    issue = fresh.rows("issues")[0]
    archive = (
        "mutation($id: String!) { issueArchive(id: $id) { success entity { id archivedAt } } }"
    )
    archived = fresh.data(archive, {"id": issue["id"]})["issueArchive"]
    assert (
        archived["entity"]["archivedAt"]
        == fresh.world.table("linear.issues")[issue["id"]]["archivedAt"]
    )
    listed = fresh.data("{ issues(first: 250) { nodes { id } } }")["issues"]["nodes"]
    assert issue["id"] not in {n["id"] for n in listed}
    comment = fresh.rows("comments")[0]
    edit = """mutation($id: String!) { commentUpdate(id: $id, input: {body: "Edited."}) {
      comment { body editedAt } } }"""
    edited = fresh.data(edit, {"id": comment["id"]})["commentUpdate"]["comment"]
    assert edited["body"] == "Edited." and edited["editedAt"]
    assert fresh.world.table("linear.comments")[comment["id"]]["body"] == "Edited."


def test_cycle_progress_is_linears_formula(client: LinearClient) -> None:
    """(completed points + 0.25 x in-progress points) / all points, 0 without points."""
    states = client.world.table("linear.states")
    data = client.data("{ cycles(first: 100) { nodes { id progress } } }")["cycles"]["nodes"]
    weight = {"completed": 1.0, "started": 0.25}
    some_progress = False
    for cycle in data:
        issues = [r for r in client.rows("issues") if r["cycleId"] == cycle["id"]]
        issues = [r for r in issues if not r["archivedAt"]]
        total = sum(r["estimate"] or 0 for r in issues)
        done = sum(
            (r["estimate"] or 0) * weight.get(states[r["stateId"]]["type"], 0) for r in issues
        )
        assert cycle["progress"] == pytest.approx(done / total if total else 0.0, abs=1e-4)
        some_progress |= 0 < cycle["progress"] < 1
    assert some_progress


def test_the_deprecated_issue_search_finds_what_search_issues_finds(client: LinearClient) -> None:
    word = client.rows("issues")[3]["title"].split()[-1]
    new = client.data(SEARCH, {"term": word})["searchIssues"]
    old = client.data(
        "query($q: String) { issueSearch(query: $q, first: 250) { nodes { id } } }", {"q": word}
    )["issueSearch"]
    assert {n["id"] for n in old["nodes"]} == {n["id"] for n in new["nodes"]} != set()
    everything = client.data("{ issueSearch(first: 250) { nodes { id } } }")["issueSearch"]
    assert len(everything["nodes"]) == len(
        [r for r in client.rows("issues") if not r["archivedAt"]]
    )


def test_parent_and_archived_filters(fresh: LinearClient) -> None:
    parent, child, other = fresh.rows("issues")[:3]
    fresh.data(
        "mutation($id: String!, $p: String) { issueUpdate(id: $id, input: {parentId: $p}) "
        "{ success } }",
        {"id": child["id"], "p": parent["id"]},
    )
    fresh.data("mutation($id: String!) { issueArchive(id: $id) { success } }", {"id": other["id"]})
    assert matching(fresh, {"parent": {"id": {"eq": parent["id"]}}}) == {child["id"]}
    with_parent = {r["id"] for r in fresh.rows("issues") if r["parentId"] and not r["archivedAt"]}
    assert matching(fresh, {"parent": {"null": False}}) == with_parent
    archived = fresh.data(
        "{ issues(includeArchived: true, filter: {archivedAt: {null: false}}) { nodes { id } } }"
    )["issues"]["nodes"]
    assert [n["id"] for n in archived] == [other["id"]]
