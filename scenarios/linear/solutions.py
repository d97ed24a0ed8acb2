"""Reference solutions of the Linear scenarios: HTTP only, GraphQL over POST /graphql.

Each is a generator: it yields actions, receives the responses, and ends with a submit.
The naive variants are the plausible-but-wrong clients (one page of the default 50, a
nested connection left at its default size, creating without looking for what exists).
"""

from __future__ import annotations

import json
from collections.abc import Generator
from typing import Any
from urllib.parse import urlencode

from gym_apibench.solving import (
    Check,
    Solution,
    SolutionError,
    auth_headers,
    expect_json,
    request,
    restarts,
    send,
)

Gen = Generator[dict[str, Any], dict[str, Any], Any]
PAGE = 250  # Linear's largest page
CLICKUP_PRIORITY = {"urgent": 1, "high": 2, "normal": 3, "low": 4}


class Linear:
    """The GraphQL endpoint and API key of a task."""

    def __init__(self, task: dict[str, Any]) -> None:
        self.url = task["services"]["linear"] + "/graphql"
        self.headers = {**auth_headers(task["credentials"]["linear"])}

    def gql(
        self, query: str, variables: dict[str, Any] | None = None, *, check: Check | None = None
    ) -> Gen:
        """Run one operation; its ``data`` (any GraphQL error stops the solution). ``check``
        tells whether a mutation whose response was lost happened."""
        body = {"query": query, "variables": variables or {}}
        action = request("POST", self.url, headers=self.headers, json_body=body)
        reads = not query.lstrip().startswith("mutation")
        reply = expect_json((yield from send(action, safe=reads, check=check)))
        if reply.get("errors"):
            raise SolutionError(f"GraphQL errors: {reply['errors']}")
        return reply["data"]

    def every(self, field: str, selection: str, flt: dict[str, Any] | None = None) -> Gen:
        """Every node of the root connection ``field``, 250 a page, following ``endCursor``."""
        query = (
            f"query Page($filter: {_filter_type(field)}, $after: String) {{ {field}("
            f"filter: $filter, first: {PAGE}, after: $after) {{ nodes {{ {selection} }} "
            "pageInfo { hasNextPage endCursor } } }"
        )
        found: list[dict[str, Any]] = []
        after = None
        while True:
            data = yield from self.gql(query, {"filter": flt, "after": after})
            page = data[field]
            found.extend(page["nodes"])
            if not page["pageInfo"]["hasNextPage"]:
                return found
            after = page["pageInfo"]["endCursor"]

    def team_id(self, name: str) -> Gen:
        """The id of the team called ``name``."""
        data = yield from self.gql(
            "query Team($name: String!) { teams(filter: {name: {eq: $name}}) { nodes { id } } }",
            {"name": name},
        )
        return data["teams"]["nodes"][0]["id"]

    def create_issue(self, fields: dict[str, Any]) -> Gen:
        """``issueCreate`` with ``fields``; the new issue's id."""
        data = yield from self.gql(
            "mutation Create($input: IssueCreateInput!) { issueCreate(input: $input) "
            "{ success issue { id identifier } } }",
            {"input": fields},
            check=lambda: self._created(fields),
        )
        if not data["issueCreate"]["success"]:
            raise SolutionError(f"issueCreate failed for {fields}")
        return data["issueCreate"]["issue"]["id"]

    def _created(self, fields: dict[str, Any]) -> Gen:
        """After a lost ``issueCreate``: its answer, if the team now has an issue so titled."""
        flt = {"team": {"id": {"eq": fields["teamId"]}}, "title": {"eq": fields["title"]}}
        issues = yield from self.every("issues", "id identifier", flt)
        if not issues:
            return {}
        data = {"issueCreate": {"success": True, "issue": issues[0]}}
        return {"status": 200, "headers": {}, "body": json.dumps({"data": data})}


def _filter_type(field: str) -> str:
    return {
        "issues": "IssueFilter",
        "projects": "ProjectFilter",
        "teams": "TeamFilter",
        "users": "UserFilter",
    }[field]


def team_issues(task: dict[str, Any]) -> Solution:
    """Filter issues by team name; page with ``first: 250`` and ``after: endCursor``."""
    api = Linear(task)
    flt = {"team": {"name": {"eq": task["inputs"]["team"]}}}
    issues = yield from api.every("issues", "identifier", flt)
    yield {"submit": [i["identifier"] for i in issues]}


def team_issues_first_page(task: dict[str, Any]) -> Solution:
    """One query with the default page size: the first 50 issues only."""
    api = Linear(task)
    data = yield from api.gql(
        "query($name: String!) { issues(filter: {team: {name: {eq: $name}}}) "
        "{ nodes { identifier } } }",
        {"name": task["inputs"]["team"]},
    )
    yield {"submit": [i["identifier"] for i in data["issues"]["nodes"]]}


def issue_by_identifier(task: dict[str, Any]) -> Solution:
    """``issue(id:)`` takes the identifier as it is."""
    api = Linear(task)
    data = yield from api.gql(
        "query($id: String!) { issue(id: $id) { title state { name } assignee { email } "
        "project { name } } }",
        {"id": task["inputs"]["identifier"]},
    )
    issue = data["issue"]
    yield {
        "submit": {
            "title": issue["title"],
            "state": issue["state"]["name"],
            "assignee": (issue["assignee"] or {}).get("email"),
            "project": (issue["project"] or {}).get("name"),
        }
    }


def projects_teams(task: dict[str, Any]) -> Solution:
    """Every page of projects, with a small nested ``teams`` page (the complexity limit)."""
    api = Linear(task)
    projects = yield from api.every("projects", "name teams(first: 10) { nodes { key } }")
    yield {"submit": {p["name"]: sorted(t["key"] for t in p["teams"]["nodes"]) for p in projects}}


def projects_teams_first_page(task: dict[str, Any]) -> Solution:
    """The default page of projects with the default nested page: 50 projects only."""
    api = Linear(task)
    data = yield from api.gql("{ projects { nodes { name teams { nodes { key } } } } }")
    projects = data["projects"]["nodes"]
    yield {"submit": {p["name"]: sorted(t["key"] for t in p["teams"]["nodes"]) for p in projects}}


@restarts
def _attio_query(task: dict[str, Any], obj: str) -> Gen:
    """Every record of an Attio object (offset pages of 500; from offset 0 again if an
    offset expires)."""
    base = task["services"]["attio"]
    headers = auth_headers(task["credentials"]["attio"])
    found: list[dict[str, Any]] = []
    offset = 0
    while True:
        action = request(
            "POST",
            f"{base}/v2/objects/{obj}/records/query",
            headers=headers,
            json_body={"limit": 500, "offset": offset},
        )
        page = expect_json((yield from send(action, safe=True)))["data"]
        found.extend(page)
        if len(page) < 500:
            return found
        offset += 500


def _value(record: dict[str, Any], slug: str, field: str = "value") -> Any:
    values = record["values"].get(slug) or []
    return values[0].get(field) if values else None


def attio_issue(task: dict[str, Any]) -> Solution:
    """Find the person in Attio, then their company; create the Linear issue."""
    people = yield from _attio_query(task, "people")
    person = next(p for p in people if _value(p, "name", "full_name") == task["inputs"]["person"])
    company_id = _value(person, "company", "target_record_id")
    url = f"{task['services']['attio']}/v2/objects/companies/records/{company_id}"
    headers = auth_headers(task["credentials"]["attio"])
    company = expect_json((yield from send(request("GET", url, headers=headers))))["data"]
    email = _value(person, "email_addresses", "email_address")
    api = Linear(task)
    team_id = yield from api.team_id(task["inputs"]["team"])
    yield from api.create_issue(
        {
            "teamId": team_id,
            "title": f"Onboard {_value(company, 'name')}",
            "description": f"Contact: {task['inputs']['person']} <{email}>",
            "priority": 2,
        }
    )
    yield {"submit": None}


def _clickup_get(task: dict[str, Any], path: str, **params: Any) -> Gen:
    """The JSON body of a GET of ``path`` under the task's ClickUp API."""
    base = task["services"]["clickup"] + "/api/v2"
    headers = auth_headers(task["credentials"]["clickup"])
    query = "?" + urlencode(params) if params else ""
    return expect_json((yield from send(request("GET", base + path + query, headers=headers))))


def _clickup_tasks(task: dict[str, Any]) -> Gen:
    """The open top-level tasks of the task's ClickUp list, every page."""
    lists: list[dict[str, Any]] = []
    for team in (yield from _clickup_get(task, "/team"))["teams"]:
        for space in (yield from _clickup_get(task, f"/team/{team['id']}/space"))["spaces"]:
            folders = yield from _clickup_get(task, f"/space/{space['id']}/folder")
            for folder in folders["folders"]:
                lists.extend(folder["lists"])
            lists.extend((yield from _clickup_get(task, f"/space/{space['id']}/list"))["lists"])
    home = next(
        row
        for row in lists
        if row["name"] == task["inputs"]["list"] and row["space"]["name"] == task["inputs"]["space"]
    )
    return (yield from _list_tasks(task, home["id"]))


@restarts
def _list_tasks(task: dict[str, Any], list_id: str) -> Gen:
    """The tasks of ClickUp list ``list_id``, page by page (from page 0 again if a page
    number expires)."""
    found: list[dict[str, Any]] = []
    page = 0
    while True:
        body = yield from _clickup_get(task, f"/list/{list_id}/task", page=page)
        found.extend(body["tasks"])
        if body["last_page"]:
            return found
        page += 1


def clickup_sync(task: dict[str, Any], *, check_existing: bool = True) -> Solution:
    """ClickUp tasks -> Linear issues, skipping titles the team already has."""
    tasks = yield from _clickup_tasks(task)
    api = Linear(task)
    team_id = yield from api.team_id(task["inputs"]["team"])
    have: set[str] = set()
    if check_existing:
        issues = yield from api.every("issues", "title", {"team": {"id": {"eq": team_id}}})
        have = {i["title"] for i in issues}
    for item in tasks:
        if item["name"] in have:
            continue
        priority = CLICKUP_PRIORITY.get((item.get("priority") or {}).get("priority", ""), 0)
        yield from api.create_issue(
            {"teamId": team_id, "title": item["name"], "priority": priority}
        )
        have.add(item["name"])
    yield {"submit": None}


def clickup_sync_blind(task: dict[str, Any]) -> Solution:
    """Creates an issue for every task without looking at what the team already has."""
    yield from clickup_sync(task, check_existing=False)
