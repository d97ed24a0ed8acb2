"""Reference solutions of the document workflows: HTTP only. Pages are read through the
reader (markdown), figures parsed from its tables, results written to Slack or HubSpot."""

from __future__ import annotations

import base64
import functools
import hashlib
from collections.abc import Generator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gym_apibench.scenarios import family_module
from gym_apibench.solving import (
    Solution,
    SolutionError,
    auth_headers,
    body_bytes,
    expect_json,
    request,
    restarts,
    send,
)

# Loaded by path at run time (scenario folders are not packages); typed as modules to mypy.
if TYPE_CHECKING:
    from scenarios.attio import solutions as attio
    from scenarios.slack import solutions as slack
    from scenarios.web import client
else:
    client = family_module(Path(__file__).parent.parent / "web", "client")
    attio = family_module(Path(__file__).parent.parent / "attio", "solutions")
    slack = family_module(Path(__file__).parent.parent / "slack", "solutions")

Lookup = Generator[dict[str, Any], dict[str, Any], str]
"""An exchange that finds a record and returns its id."""


@restarts
def _slack_channel(task: dict[str, Any], name: str) -> Lookup:
    """The id of the public channel ``name``, conversations.list page by page (from the
    first page again if a cursor expires)."""
    base, headers = task["services"]["slack"], auth_headers(task["credentials"]["slack"])
    cursor = ""
    while True:
        url = f"{base}/api/conversations.list?types=public_channel&limit=200&cursor={cursor}"
        body = expect_json((yield from send(request("GET", url, headers=headers))))
        for channel in body.get("channels", []):
            if channel["name"] == name:
                channel_id: str = channel["id"]
                return channel_id
        cursor = (body.get("response_metadata") or {}).get("next_cursor") or ""
        if not cursor:
            raise SolutionError(f"no channel #{name}")


def filing_to_slack(task: dict[str, Any], *, newest_only: bool = False) -> Solution:
    """The newest 10-K's fiscal year and revenue, read through the reader, posted to Slack."""
    inputs = task["inputs"]
    reader = client.Reader(task)
    year, revenue = yield from reader.annual_report(inputs["company"], newest_only=newest_only)
    channel = yield from _slack_channel(task, inputs["channel"])
    text = f"{inputs['company']} FY{year} revenue: ${revenue:,}"
    action = request(
        "POST",
        f"{task['services']['slack']}/api/chat.postMessage",
        headers=auth_headers(task["credentials"]["slack"]),
        json_body={"channel": channel, "text": text},
    )
    check = slack.Api(task).posted(channel, text)
    body = expect_json((yield from send(action, safe=False, check=check)))
    if not body.get("ok"):
        raise SolutionError(f"chat.postMessage: {body}")
    yield {"submit": None}


def filing_to_slack_newest_filing(task: dict[str, Any]) -> Solution:
    """Posts the newest report's figures (usually a quarter's), not the annual report's."""
    yield from filing_to_slack(task, newest_only=True)


def _hubspot_company(task: dict[str, Any], name: str) -> Lookup:
    base, headers = task["services"]["hubspot"], auth_headers(task["credentials"]["hubspot"])
    query = {
        "filterGroups": [{"filters": [{"propertyName": "name", "operator": "EQ", "value": name}]}],
        "properties": ["name", "annualrevenue"],
        "limit": 10,
    }
    action = request(
        "POST", f"{base}/crm/v3/objects/companies/search", headers=headers, json_body=query
    )
    found = expect_json((yield from send(action, safe=True)))["results"]
    if len(found) != 1:
        raise SolutionError(f"{len(found)} HubSpot companies called {name!r}")
    record_id: str = found[0]["id"]
    return record_id


def filings_to_hubspot(task: dict[str, Any], *, newest_only: bool = False) -> Solution:
    """For each named company: its newest 10-K revenue (reader), into HubSpot's
    ``annualrevenue``."""
    reader = client.Reader(task)
    base, headers = task["services"]["hubspot"], auth_headers(task["credentials"]["hubspot"])
    for name in task["inputs"]["names"].split("; "):
        _, revenue = yield from reader.annual_report(name, newest_only=newest_only)
        record_id = yield from _hubspot_company(task, name)
        action = request(
            "PATCH",
            f"{base}/crm/v3/objects/companies/{record_id}",
            headers=headers,
            json_body={"properties": {"annualrevenue": str(revenue)}},
        )
        expect_json((yield from send(action)))
    yield {"submit": None}


def filings_to_hubspot_newest_filing(task: dict[str, Any]) -> Solution:
    """Writes the newest report's revenue (a quarter's), not the annual report's."""
    yield from filings_to_hubspot(task, newest_only=True)


def _attio_company(task: dict[str, Any], name: str) -> Lookup:
    base, headers = task["services"]["attio"], auth_headers(task["credentials"]["attio"])
    action = request(
        "POST",
        f"{base}/v2/objects/companies/records/query",
        headers=headers,
        json_body={"filter": {"name": name}, "limit": 10},
    )
    found = expect_json((yield from send(action, safe=True)))["data"]
    if len(found) != 1:
        raise SolutionError(f"{len(found)} Attio companies called {name!r}")
    record_id: str = found[0]["id"]["record_id"]
    return record_id


def letter_to_crm(task: dict[str, Any], *, form: str = "CORRESP") -> Solution:
    """The newest letter's PDF from the site -> the file server (size and SHA-256 declared)
    -> a note on the Attio company naming the file and its digest."""
    inputs = task["inputs"]
    site = client.Site(task)
    index = yield from site.get("/")
    page = yield from site.get(client.company_path(index["body"], inputs["company"]))
    filing = next(f for f in client.filings(page["body"]) if f["form"].startswith(form))
    pdf = next(d for d in filing["docs"] if d.endswith(".pdf"))
    data = body_bytes((yield from site.get(pdf)))
    digest = hashlib.sha256(data).hexdigest()
    name = f"letters/{filing['accession']}.pdf"
    put = request(
        "PUT",
        f"{task['services']['files']}/files/{name}",
        headers={
            **auth_headers(task["credentials"]["files"]),
            "Content-Type": "application/octet-stream",
            "X-Checksum-Sha256": digest,
        },
    )
    put["body_base64"] = base64.b64encode(data).decode("ascii")
    expect_json((yield from send(put, safe=False)), (200, 201))
    record_id = yield from _attio_company(task, inputs["company"])
    note = {
        "parent_object": "companies",
        "parent_record_id": record_id,
        "title": f"Letter {filing['accession']}",
        "format": "plaintext",
        "content": f"Stored as {name} on the file server (SHA-256 {digest}).",
    }
    action = request(
        "POST",
        f"{task['services']['attio']}/v2/notes",
        headers=auth_headers(task["credentials"]["attio"]),
        json_body={"data": note},
    )
    check = functools.partial(attio.noted, attio.Api(task), record_id, note["title"])
    expect_json((yield from send(action, safe=False, check=check)))
    yield {"submit": None}


def letter_to_crm_newest_filing(task: dict[str, Any]) -> Solution:
    """Stores the newest filing's PDF (a quarterly report), not the newest letter."""
    yield from letter_to_crm(task, form="10-")
