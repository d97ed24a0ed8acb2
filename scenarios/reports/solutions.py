"""Reference solutions of the report workflows: HTTP only, reusing each family's client
helpers (loaded with ``family_module``, as scenario folders are not packages)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from gym_apibench.scenarios import family_module
from gym_apibench.solving import Solution, SolutionError, expect_json

_SCENARIOS = Path(__file__).resolve().parent.parent
# Loaded by path at run time (scenario folders are not packages); typed as modules to mypy.
if TYPE_CHECKING:
    from scenarios.files import solutions as files
    from scenarios.github import solutions as github
    from scenarios.hubspot import solutions as hubspot
    from scenarios.s3 import solutions as s3
    from scenarios.slack import solutions as slack
    from scenarios.stripe import solutions as stripe
    from scenarios.templates import solutions as templates
else:
    files = family_module(_SCENARIOS / "files", "solutions")
    github = family_module(_SCENARIOS / "github", "solutions")
    hubspot = family_module(_SCENARIOS / "hubspot", "solutions")
    s3 = family_module(_SCENARIOS / "s3", "solutions")
    slack = family_module(_SCENARIOS / "slack", "solutions")
    stripe = family_module(_SCENARIOS / "stripe", "solutions")
    templates = family_module(_SCENARIOS / "templates", "solutions")


def _segment_report(task: dict[str, Any], *, pages: int) -> Solution:
    inputs = task["inputs"]
    api = stripe.Api(task)
    customers = yield from stripe.list_all(api, "/v1/customers", [("limit", 100)], pages=pages)
    data = {
        "segment": inputs["segment"],
        "customers": [
            {"id": c["id"], "name": c["name"], "email": c["email"]}
            for c in customers
            if (c.get("metadata") or {}).get("segment") == inputs["segment"]
        ],
    }
    rendered = yield from templates.Api(task).render(inputs["template"], data)
    body = rendered["output"].encode()
    obs = yield from files.upload(task, inputs["path"], body)
    uploaded = expect_json(obs, (200, 201))
    yield {"submit": uploaded["sha256"]}


def segment_report(task: dict[str, Any]) -> Solution:
    """Every customer (``starting_after`` pages), those of the segment rendered, uploaded."""
    yield from _segment_report(task, pages=0)


def segment_report_first_page(task: dict[str, Any]) -> Solution:
    """Naive: the customers of the first page only."""
    yield from _segment_report(task, pages=1)


def _pull_digest(task: dict[str, Any], *, pages: int | None) -> Solution:
    inputs = task["inputs"]
    listed = yield from github.Api(task).walk(
        f"/repos/{inputs['repo']}/pulls?state=open", pages=pages
    )
    pulls = [
        {"number": p["number"], "title": p["title"], "author": p["user"]["login"],
         "draft": p["draft"]}
        for p in listed["items"]
    ]  # fmt: skip
    rendered = yield from templates.Api(task).render(
        inputs["template"], {"repo": inputs["repo"], "pulls": pulls}
    )
    yield from slack.Api(task).call(
        "chat.postMessage", post={"channel": "#" + inputs["channel"], "text": rendered["output"]}
    )
    yield {"submit": None}


def pull_digest(task: dict[str, Any]) -> Solution:
    """Every open pull request (``Link`` pages), rendered, posted to the channel."""
    yield from _pull_digest(task, pages=None)


def pull_digest_first_page(task: dict[str, Any]) -> Solution:
    """Naive: one page of pull requests (GitHub's default 30)."""
    yield from _pull_digest(task, pages=1)


def contact_sheet(task: dict[str, Any]) -> Solution:
    """The company by name, its contacts by association and batch read, rendered, PUT to S3."""
    inputs = task["inputs"]
    api = hubspot.HubSpot(task)
    flt = {"filterGroups": [{"filters": [
        {"propertyName": "name", "operator": "EQ", "value": inputs["company"]}]}]}  # fmt: skip
    companies = yield from hubspot.search_all(api, "companies", flt)
    if len(companies) != 1:
        raise SolutionError(f"expected one company named {inputs['company']!r}")
    path = f"/crm/v4/objects/companies/{companies[0]['id']}/associations/contacts"
    links = expect_json((yield from api.send("GET", path)))
    ids = [{"id": str(link["toObjectId"])} for link in links["results"]]
    properties = ["firstname", "lastname", "email", "jobtitle"]
    read = expect_json(
        (yield from api.send(
            "POST", "/crm/v3/objects/contacts/batch/read",
            {"properties": properties, "inputs": ids},
        ))
    )  # fmt: skip
    contacts = [{k: r["properties"].get(k) for k in properties} for r in read["results"]]
    rendered = yield from templates.Api(task).render(
        inputs["template"], {"company": inputs["company"], "contacts": contacts}
    )
    storage = s3.Api(task)
    key_path = f"/{quote(inputs['bucket'])}/{quote(inputs['key'], safe='/~')}"
    yield from storage.call("PUT", key_path, body=rendered["output"])
    yield {"submit": None}
