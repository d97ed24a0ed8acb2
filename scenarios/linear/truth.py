"""Ground truth of the Linear scenarios, derived from the seeded world (never literals).

Each function takes the generated world and a truth RNG and returns ``inputs`` (what the
task tells the agent) and ``expected`` (what the checks compare against, hidden from it).
They read the seeded tables' indexes (:meth:`World.index`) and render only the rows they
pick; lists of every issue or project are deferred to grading. ``clickup_sync`` also stages
the world: it copies some of the chosen ClickUp tasks into Linear first (the issues that
"already exist"), since the two services are seeded apart.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Mapping
from typing import Any, cast

from mockapis import seeding
from mockapis.attio.data import company_index, person_index
from mockapis.clickup.data import LISTS, TASKS, ListEntry, Tasks
from mockapis.linear.data import TABLES, Issue, Issues, Project, Team, add_issue, iso
from mockapis.world import World

Truth = dict[str, Any]
ISSUES, PROJECTS, TEAMS = TABLES["issues"], TABLES["projects"], TABLES["teams"]


def teams(world: World) -> list[Team]:
    """Every team's index entry, in id order (a stable order for the RNG)."""
    index: Mapping[str, Team] = world.index(TEAMS)
    return [index[k] for k in sorted(index)]


def team_issues(world: World, rng: random.Random) -> Truth:
    """Every issue of the busiest team (several pages even at 250 a page)."""
    team = max(teams(world), key=lambda t: t.issues)
    return {"inputs": {"team": team.name}, "expected": functools.partial(_identifiers, team)}


def _identifiers(team: Team, world: World) -> dict[str, Any]:
    """The team's issue identifiers (deferred: the task does not need them)."""
    issues: Mapping[str, Issue] = world.index(ISSUES)
    found = sorted(f"{team.key}-{i.number}" for i in issues.values() if i.team_id == team.id)
    return {"identifiers": found}


def issue_by_identifier(world: World, rng: random.Random) -> Truth:
    """One issue with an assignee and a project, named by its identifier (what the issue
    shows is read at grading: a reset renders no issue)."""
    index = cast(Issues, world.index(ISSUES))
    facts = index.facts
    chosen = rng.choice(
        sorted(
            (issue_id, k)
            for k, (issue_id, assignee, project) in enumerate(
                zip(index.ids, facts.assignees, facts.projects, strict=True)
            )
            if assignee and project
        )
    )
    issue_id, position = chosen
    team: Team = world.index(TEAMS)[facts.team_ids[position]]
    return {
        "inputs": {"identifier": f"{team.key}-{facts.numbers[position]}"},
        "expected": functools.partial(_shown, issue_id),
    }


def _shown(issue_id: str, world: World) -> dict[str, Any]:
    """The issue's title, and the names of its state, assignee and project (deferred)."""
    issue = world.table(ISSUES)[issue_id]
    return {
        "title": issue["title"],
        "state": world.table(TABLES["states"])[issue["stateId"]]["name"],
        "assignee": world.table(TABLES["users"])[issue["assigneeId"]]["email"],
        "project": world.table(PROJECTS)[issue["projectId"]]["name"],
    }


def projects_teams(world: World, rng: random.Random) -> Truth:
    """Every project with the keys of its teams."""
    return {"inputs": {}, "expected": _projects_teams}


def _projects_teams(world: World) -> dict[str, Any]:
    """Project name -> its teams' keys (deferred: the task needs no input from them)."""
    keys = {t.id: t.key for t in teams(world)}
    projects: Mapping[str, Project] = world.index(PROJECTS)
    found = {
        p.name: sorted(keys[t] for t in p.team_ids) for p in projects.values() if not p.archived
    }
    return {"projects": found}


def attio_issue(world: World, rng: random.Random) -> Truth:
    """An Attio person (unique full name, an email, a company) and a Linear team."""
    people, companies = person_index(world), company_index(world)
    # Rows in the index's own order: stable, as the RNG needs.
    person = rng.choice(
        [
            i
            for i, (named, mail, employer) in enumerate(
                zip(people.full_name_counts(), people.has_email, people.employers, strict=True)
            )
            if named == 1 and mail and employer >= 0
        ]
    )
    team = rng.choice(teams(world))
    return {
        "inputs": {"person": people.full_name(person), "team": team.name},
        "expected": {
            "team_id": team.id,
            "title": f"Onboard {companies.name(people.employers[person])}",
            "email": people.emails(person)[0],
        },
    }


def clickup_sync(world: World, rng: random.Random) -> Truth:
    """The open top-level tasks of a ClickUp list, some already issues of a Linear team."""
    tasks = cast(Tasks, world.index(TASKS))
    # How many open top-level tasks (not archived, not closed) each list has.
    counts = dict(zip(tasks.open_lists, tasks.open_counts, strict=True))
    lists: Mapping[str, ListEntry] = world.index(LISTS)
    fitting: list[tuple[int, ListEntry]] = []
    for key in sorted(lists):
        found = counts.get(key, 0)
        # Lists whose open task names are unique (a title names one task): nearly all.
        if lists[key].archived or not 3 <= found <= 150 or key in tasks.clashing:
            continue
        fitting.append((found, lists[key]))
    # Prefer lists of a dozen tasks or more; some worlds have only smaller ones.
    home = rng.choice([e for n, e in fitting if n >= 12] or [max(fitting, key=lambda p: p[0])[1]])
    team = rng.choice(teams(world))
    todo = world.table(TABLES["states"])[team.states[1]]  # its second state: "Todo"
    viewer = next(iter(world.table(TABLES["keys"]).values()))["userId"]
    wanted: dict[str, int] = {}
    existing: dict[str, str] = {}
    # The chosen list's open top-level tasks, in the order they were drawn in (stable, as the
    # RNG needs).
    chosen = tasks.open_in(tasks.open_lists.index(home.id))
    for i, (k, name) in enumerate(zip(chosen, tasks.names(chosen), strict=True)):
        wanted.setdefault(name, tasks.priority(k) or 0)
        if i % 3 == 1 and name not in existing:
            # Already in Linear: entered by hand a while ago (same title, no priority).
            at = world.clock.now_ns / 1e9 - 86_400 * (20 + i)
            row = add_issue(
                world,
                issue_id=seeding.uuid4(world.rng),  # world.uuid4()'s id, without uuid.UUID
                team_id=team.id,
                state=todo,
                creator_id=viewer,
                at=iso(at),
                fields={"title": name, "priority": 0},
            )
            existing[name] = row["id"]
    return {
        "inputs": {"list": home.name, "space": home.space_name, "team": team.name},
        "expected": {
            "team_id": team.id,
            "titles": wanted,
            "existing": existing,
            "new": len(wanted) - len(existing),
        },
    }
