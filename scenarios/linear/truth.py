"""Ground truth of the Linear scenarios, derived from the seeded world (never literals).

Each function takes the generated world and a truth RNG and returns ``inputs`` (what the
task tells the agent) and ``expected`` (what the checks compare against, hidden from it).
``clickup_sync`` also stages the world: it copies some of the chosen ClickUp tasks into
Linear first (the issues that "already exist"), since the two services are seeded apart.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

from mockapis.linear.data import add_issue, iso
from mockapis.world import Record, World

Truth = dict[str, dict[str, Any]]

CLICKUP_PRIORITY = {"urgent": 1, "high": 2, "normal": 3, "low": 4}
"""ClickUp's priority names -> Linear's priority numbers (no priority is 0 in both)."""


def _rows(world: World, table: str) -> list[Record]:
    found = world.table(table)
    return [found[k] for k in sorted(found)]


def _identifier(world: World, issue: Record) -> str:
    return f"{world.table('linear.teams')[issue['teamId']]['key']}-{issue['number']}"


def team_issues(world: World, rng: random.Random) -> Truth:
    """Every issue of the busiest team (several pages even at 250 a page)."""
    counts = Counter(i["teamId"] for i in _rows(world, "linear.issues"))
    team = world.table("linear.teams")[counts.most_common(1)[0][0]]
    idents = sorted(
        _identifier(world, i) for i in _rows(world, "linear.issues") if i["teamId"] == team["id"]
    )
    return {"inputs": {"team": team["name"]}, "expected": {"identifiers": idents}}


def issue_by_identifier(world: World, rng: random.Random) -> Truth:
    """One issue with an assignee and a project, named by its identifier."""
    issues = [i for i in _rows(world, "linear.issues") if i["assigneeId"] and i["projectId"]]
    issue = rng.choice(issues)
    return {
        "inputs": {"identifier": _identifier(world, issue)},
        "expected": {
            "title": issue["title"],
            "state": world.table("linear.states")[issue["stateId"]]["name"],
            "assignee": world.table("linear.users")[issue["assigneeId"]]["email"],
            "project": world.table("linear.projects")[issue["projectId"]]["name"],
        },
    }


def projects_teams(world: World, rng: random.Random) -> Truth:
    """Every project with the keys of its teams."""
    teams = world.table("linear.teams")
    found = {
        p["name"]: sorted(teams[t]["key"] for t in p["teamIds"])
        for p in _rows(world, "linear.projects")
        if not p["archivedAt"]
    }
    return {"inputs": {}, "expected": {"projects": found}}


def _attio_text(record: Record, slug: str, field: str = "value") -> Any:
    values = record["values"].get(slug) or []
    return values[0].get(field) if values else None


def attio_issue(world: World, rng: random.Random) -> Truth:
    """An Attio person (unique full name, an email, a company) and a Linear team."""
    people = _rows(world, "attio.people")
    names = Counter(_attio_text(p, "name", "full_name") for p in people)
    chosen = [
        p
        for p in people
        if names[_attio_text(p, "name", "full_name")] == 1
        and _attio_text(p, "email_addresses", "email_address")
        and _attio_text(p, "company", "target_record_id")
    ]
    person = rng.choice(chosen)
    company = world.table("attio.companies")[_attio_text(person, "company", "target_record_id")]
    team = rng.choice(_rows(world, "linear.teams"))
    return {
        "inputs": {"person": _attio_text(person, "name", "full_name"), "team": team["name"]},
        "expected": {
            "team_id": team["id"],
            "title": f"Onboard {_attio_text(company, 'name')}",
            "email": str(_attio_text(person, "email_addresses", "email_address")),
        },
    }


def _open_tasks(world: World, list_id: str) -> list[Record]:
    return [
        t
        for t in _rows(world, "clickup.tasks")
        if t["list"]["id"] == list_id
        and not t["archived"]
        and t["parent"] is None
        and t["status"]["type"] != "closed"
    ]


def clickup_sync(world: World, rng: random.Random) -> Truth:
    """The open top-level tasks of a ClickUp list, some already issues of a Linear team."""
    lists: list[tuple[int, Record]] = []
    for row in _rows(world, "clickup.lists"):
        names = [t["name"] for t in _open_tasks(world, row["id"])]
        # Lists whose open task names are unique: a title names one task.
        if not row.get("archived") and 3 <= len(names) <= 150 and len(set(names)) == len(names):
            lists.append((len(names), row))
    # Prefer lists of a dozen tasks or more; some worlds have only smaller ones.
    home = rng.choice([row for n, row in lists if n >= 12] or [max(lists, key=lambda p: p[0])[1]])
    tasks = _open_tasks(world, home["id"])
    team = rng.choice(_rows(world, "linear.teams"))
    states = sorted(
        (s for s in _rows(world, "linear.states") if s["teamId"] == team["id"]),
        key=lambda s: s["position"],
    )
    viewer = next(iter(world.table("linear._keys").values()))["userId"]
    wanted: dict[str, int] = {}
    existing: dict[str, str] = {}
    for i, task in enumerate(tasks):
        priority = CLICKUP_PRIORITY.get((task.get("priority") or {}).get("priority", ""), 0)
        wanted.setdefault(task["name"], priority)
        if i % 3 == 1 and task["name"] not in existing:
            # Already in Linear: entered by hand a while ago (same title, no priority).
            at = world.clock.now_ns / 1e9 - 86_400 * (20 + i)
            row = add_issue(
                world,
                issue_id=world.uuid4(),
                team_id=team["id"],
                state=states[1],
                creator_id=viewer,
                at=iso(at),
                fields={"title": task["name"], "priority": 0},
            )
            existing[task["name"]] = row["id"]
    return {
        "inputs": {
            "list": home["name"],
            "space": home["space"]["name"],
            "team": team["name"],
        },
        "expected": {
            "team_id": team["id"],
            "titles": wanted,
            "existing": existing,
            "new": len(wanted) - len(existing),
        },
    }
