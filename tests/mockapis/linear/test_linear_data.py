"""The seeded workspace: determinism, sizes, indexes that agree with the rows, numbering."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from mockapis.linear import SERVICE
from mockapis.linear.data import TABLES
from mockapis.world import World
from tests.inprocess import seeded_world
from tests.mockapis.linear.conftest import LinearClient

SEEDS = [0, 4, 1_732_050_807]
ISSUES, PROJECTS, TEAMS = TABLES["issues"], TABLES["projects"], TABLES["teams"]


def _seeded(seed: int, sizes: dict[str, int] | None = None) -> World:
    return seeded_world(SERVICE, seed, sizes)


def test_same_seed_same_world_different_seed_different_world() -> None:
    assert _seeded(3).state_hash() == _seeded(3).state_hash() != _seeded(4).state_hash()


def test_sizes() -> None:
    world = _seeded(2, {"users": 4, "teams": 2, "projects": 5, "issues": 30, "comments": 7})
    counts = {name: len(world.table(TABLES[name])) for name in ("users", "teams", "projects")}
    assert counts == {"users": 4, "teams": 2, "projects": 5}
    assert len(world.table(ISSUES)) == 30 and len(world.table(TABLES["comments"])) == 7
    assert len(world.table(TABLES["states"])) == 14
    empty = _seeded(2, {"teams": 0, "projects": 0, "issues": 0, "comments": 0})
    assert not empty.table(ISSUES) and not empty.table(TABLES["comments"])
    with pytest.raises(ValueError, match="issues"):
        _seeded(1, {"issue": 3})


@pytest.mark.parametrize("seed", SEEDS)
def test_indexes_agree_with_the_rows(seed: int) -> None:
    world = _seeded(seed, {"projects": 30})
    issues = list(world.table(ISSUES).values())
    teams = world.index(TEAMS)
    assert list(teams) == list(world.table(TEAMS))
    per_team = Counter(i["teamId"] for i in issues)
    for key, row in world.table(TEAMS).items():
        assert teams[key][:4] == (row["id"], row["name"], row["key"], per_team[key])
        own = sorted(
            (s for s in world.table(TABLES["states"]).values() if s["teamId"] == key),
            key=lambda s: s["position"],
        )
        assert teams[key].states == tuple(s["id"] for s in own)
    projects = world.index(PROJECTS)
    assert list(projects) == list(world.table(PROJECTS))
    for key, row in world.table(PROJECTS).items():
        entry = projects[key]
        assert (entry.id, entry.name, list(entry.team_ids)) == (
            row["id"],
            row["name"],
            row["teamIds"],
        )
        assert entry.archived == bool(row["archivedAt"])
    index = world.index(ISSUES)
    assert list(index) == list(world.table(ISSUES))
    for row in issues:
        entry = index[row["id"]]
        assert (entry.team_id, entry.number, entry.state_id) == (
            row["teamId"],
            row["number"],
            row["stateId"],
        )
        assert (entry.assignee_id, entry.project_id) == (row["assigneeId"], row["projectId"])


@pytest.mark.parametrize("seed", SEEDS)
def test_seeded_properties(seed: int) -> None:
    world = _seeded(seed)
    issues = list(world.table(ISSUES).values())
    teams = world.table(TEAMS)
    states = world.table(TABLES["states"])
    for team_id in teams:
        own = sorted((i for i in issues if i["teamId"] == team_id), key=lambda i: i["createdAt"])
        assert [i["number"] for i in own] == list(range(1, len(own) + 1))
    counts = Counter(i["teamId"] for i in issues)
    assert counts.most_common(1)[0][0] == next(iter(teams))  # about half in the first team
    for issue in issues:
        team = teams[issue["teamId"]]
        assert states[issue["stateId"]]["teamId"] == team["id"]
        assert issue["creatorId"] in team["memberIds"]
        assert issue["assigneeId"] is None or issue["assigneeId"] in team["memberIds"]
        if issue["projectId"]:
            assert team["id"] in world.table(PROJECTS)[issue["projectId"]]["teamIds"]
        done = states[issue["stateId"]]["type"] == "completed"
        assert bool(issue["completedAt"]) == done
        assert issue["createdAt"] <= issue["updatedAt"] < world.clock.isoformat()
    names = [p["name"] for p in world.table(PROJECTS).values()]
    assert len(set(names)) == len(names)
    emails = [u["email"] for u in world.table(TABLES["users"]).values()]
    assert len(set(emails)) == len(emails)
    issue_ids = {i["id"] for i in issues}
    for comment in world.table(TABLES["comments"]).values():
        assert comment["issueId"] in issue_ids
        parent = world.table(ISSUES)[comment["issueId"]]
        assert parent["createdAt"] < comment["createdAt"] < world.clock.isoformat()


def test_created_issues_are_numbered_after_the_seeded_ones_and_shaped_alike() -> None:
    client = LinearClient(6)
    team = next(iter(client.world.table(TEAMS).values()))
    seeded = [i for i in client.rows("issues") if i["teamId"] == team["id"]]
    reply = client.data(
        "mutation($input: IssueCreateInput!) { issueCreate(input: $input) { issue { id } } }",
        {"input": {"teamId": team["id"], "title": "Shape"}},
    )
    made = client.world.table(ISSUES)[reply["issueCreate"]["issue"]["id"]]
    assert made["number"] == len(seeded) + 1
    assert _shape(made) == _shape(seeded[0])


def _shape(row: dict[str, Any]) -> list[str]:
    return list(row)
