"""Reference solutions of the enrichment workflows (HTTP only)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Generator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urljoin

from gym_apibench.scenarios import family_module
from gym_apibench.solving import (
    Exchange,
    Solution,
    SolutionError,
    auth_headers,
    expect_json,
    request,
    send,
)

# Loaded by path at run time (scenario folders are not packages); typed as modules to mypy.
if TYPE_CHECKING:
    from scenarios.enrichment import schemas
    from scenarios.openai import solutions as openai
    from scenarios.s3 import solutions as s3
    from scenarios.slack import solutions as slack
    from scenarios.web import client as web
else:
    schemas = family_module(Path(__file__).parent, "schemas")
    s3 = family_module(Path(__file__).parent.parent / "s3", "solutions")
    openai = family_module(Path(__file__).parent.parent / "openai", "solutions")
    web = family_module(Path(__file__).parent.parent / "web", "client")
    slack = family_module(Path(__file__).parent.parent / "slack", "solutions")

Records = list[dict[str, Any]]
"""The records of a query (Attio companies)."""


def _companies(task: dict[str, Any]) -> Generator[dict[str, Any], dict[str, Any], Records]:
    action = request(
        "POST",
        task["services"]["attio"] + "/v2/objects/companies/records/query",
        headers=auth_headers(task["credentials"]["attio"]),
        json_body={"filter": {"categories": task["inputs"]["category"]}, "limit": 500},
    )
    companies: Records = expect_json((yield from send(action, safe=True)))["data"]
    return companies


def _first(record: dict[str, Any], attribute: str) -> str:
    values = record["values"].get(attribute) or []
    return str(values[0]["value"]) if values else ""


def _enrich(task: dict[str, Any], description: str) -> Exchange:
    action = request(
        "POST",
        task["services"]["openai"] + "/v1/responses",
        headers=auth_headers(task["credentials"]["openai"]),
        json_body={
            "model": "gpt-4.1-mini",
            "instructions": "Classify the company's market segment and give its headcount.",
            "input": [{"role": "user", "content": [{"type": "input_text", "text": description}]}],
            "text": {
                "format": {
                    "type": "json_schema",
                    "name": "enrichment",
                    "schema": schemas.ENRICH_SCHEMA,
                    "strict": True,
                }
            },
        },
    )
    # A model response reads the world and changes nothing in it: safe to ask again.
    response = expect_json((yield from send(action, safe=True)))
    found: dict[str, Any] = json.loads(
        "".join(c["text"] for o in response["output"] for c in o["content"])
    )
    return found


def _store(task: dict[str, Any], rows: list[list[str]]) -> Exchange:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["record_id", "name", "segment", "employees"])
    writer.writerows(rows)
    api = s3.Api(task)
    inputs = task["inputs"]
    path = f"/{quote(inputs['bucket'])}/{quote(inputs['key'], safe='/~')}"
    stored: dict[str, Any] = yield from api.call("PUT", path, body=out.getvalue())
    return stored


def attio_to_s3(task: dict[str, Any]) -> Solution:
    """Query the category's companies, enrich each through Responses, PUT the CSV."""
    rows = []
    for company in (yield from _companies(task)):
        found = yield from _enrich(task, _first(company, "description"))
        name = _first(company, "name")
        rows.append([company["id"]["record_id"], name, found["segment"], str(found["employees"])])
    yield from _store(task, rows)
    yield {"submit": None}


def attio_to_s3_guess(task: dict[str, Any]) -> Solution:
    """The naive shortcut: read the descriptions by hand, never asking the model."""
    rows = []
    for company in (yield from _companies(task)):
        text = _first(company, "description")
        segment = next((s for s in schemas.SEGMENTS if s in text), "")
        employees = re.search(r"Employees: ([\d,]+)", text)
        count = employees.group(1).replace(",", "") if employees else "0"
        rows.append([company["id"]["record_id"], _first(company, "name"), segment, count])
    yield from _store(task, rows)
    yield {"submit": None}


def _extract(
    task: dict[str, Any], name: str, schema: dict[str, Any], part: dict[str, Any]
) -> Exchange:
    """One Responses call with a strict JSON schema; the parsed output."""
    action = request(
        "POST",
        task["services"]["openai"] + "/v1/responses",
        headers=auth_headers(task["credentials"]["openai"]),
        json_body={
            "model": "gpt-4.1-mini",
            "instructions": "Extract the requested fields.",
            "input": [{"role": "user", "content": [part]}],
            "text": {
                "format": {"type": "json_schema", "name": name, "schema": schema, "strict": True}
            },
        },
    )
    # A model response reads the world and changes nothing in it: safe to ask again.
    response = expect_json((yield from send(action, safe=True)))
    extracted: dict[str, Any] = json.loads(
        "".join(c["text"] for o in response["output"] for c in o["content"])
    )
    return extracted


def _post(task: dict[str, Any], text: str) -> Exchange:
    """chat.postMessage to the task's channel (by name)."""
    action = request(
        "POST",
        task["services"]["slack"] + "/api/chat.postMessage",
        headers=auth_headers(task["credentials"]["slack"]),
        json_body={"channel": "#" + task["inputs"]["channel"], "text": text},
    )
    check = slack.Api(task).posted("#" + task["inputs"]["channel"], text)
    body = expect_json((yield from send(action, safe=False, check=check)))
    if not body.get("ok"):
        raise SolutionError(f"chat.postMessage: {body.get('error')}")
    return dict(body)


def _tus_headers(task: dict[str, Any]) -> dict[str, str]:
    return {**auth_headers(task["credentials"]["tus"]), "Tus-Resumable": "1.0.0"}


def _staged(task: dict[str, Any]) -> Exchange:
    """The listing entry of the upload named as the task says (GET /files/ on tus)."""
    action = request("GET", task["services"]["tus"] + "/files/", headers=_tus_headers(task))
    files = expect_json((yield from send(action)))["files"]
    for entry in files:
        if entry["metadata"].get("filename") == task["inputs"]["filename"]:
            return {**entry, "url": urljoin(task["services"]["tus"] + "/files/", entry["url"])}
    raise SolutionError(f"no upload named {task['inputs']['filename']!r}")


def _post_postmortem(task: dict[str, Any], part: dict[str, Any]) -> Solution:
    found = yield from _extract(task, "postmortem", schemas.POSTMORTEM_SCHEMA, part)
    text = (
        f"Postmortem {found['incident_id']}: {found['severity']}, {found['duration_minutes']} "
        f"minutes, {found['customers_affected']} customers affected"
    )
    yield from _post(task, text)
    yield {"submit": None}


def tus_to_slack(task: dict[str, Any]) -> Solution:
    """List the tus uploads, download the postmortem (with the key), upload it to Files,
    extract its fields by file_id, post the line."""
    entry = yield from _staged(task)
    obs = yield from send(request("GET", entry["url"], headers=_tus_headers(task)))
    if obs["status"] != 200:
        raise SolutionError(f"download: {obs['status']} {obs['body'][:200]}")
    made = yield from openai.upload(task, task["inputs"]["filename"], obs["body"], "user_data")
    yield from _post_postmortem(task, {"type": "input_file", "file_id": made["id"]})


def tus_to_slack_by_url(task: dict[str, Any]) -> Solution:
    """The naive shortcut: hand the model the upload's URL (it cannot send the tus key, so
    the download fails)."""
    entry = yield from _staged(task)
    yield from _post_postmortem(task, {"type": "input_file", "file_url": entry["url"]})


def _reader(task: dict[str, Any], url: str) -> Exchange:
    """The markdown of ``url`` through the reader (with its key), checked for a target error."""
    action = request(
        "GET",
        task["services"]["reader"].rstrip("/") + "/" + url,
        headers=auth_headers(task["credentials"]["reader"]),
    )
    obs = yield from send(action, transient=web.target_unavailable)
    if obs["status"] != 200 or "\nWarning: Target URL returned error" in obs["body"]:
        raise SolutionError(f"reader {url}: {obs['status']} {obs['body'][:300]}")
    return obs


_LINK = re.compile(r"\[([^\]]*)\]\((https?://[^)\s]+)\)")


def _filing_markdown(task: dict[str, Any], *, form: str | None) -> Exchange:
    """Index -> company page -> the first (newest) filing row of ``form`` (any when None) ->
    its HTML document, all read through the reader; the document's reader output."""
    site = "https://filings.apibench.example/"
    index = (yield from _reader(task, site))["body"]
    company = task["inputs"]["company"]
    page_url = next((u for t, u in _LINK.findall(index) if t == company), None)
    if page_url is None:
        raise SolutionError(f"no company called {company!r} on the index")
    page = (yield from _reader(task, page_url))["body"]
    for line in page.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 6 or (form is not None and cells[0] != form):
            continue
        docs = [u for _, u in _LINK.findall(cells[5]) if u.endswith(".htm")]
        if docs:
            return (yield from _reader(task, docs[0]))
    raise SolutionError(f"no {form or 'HTML'} filing of {company!r} found")


def _post_figures(task: dict[str, Any], *, form: str | None) -> Solution:
    report = yield from _filing_markdown(task, form=form)
    part = {"type": "input_text", "text": report["body"]}
    found = yield from _extract(task, "figures", schemas.FILING_SCHEMA, part)
    text = (
        f"{task['inputs']['company']} 10-K FY{found['fiscal_year']}: total revenue "
        f"{found['total_revenue']} USD, {found['employees']} employees"
    )
    yield from _post(task, text)
    yield {"submit": None}


def filing_to_slack(task: dict[str, Any]) -> Solution:
    """Read the newest 10-K through the reader, extract its figures through Responses, post."""
    yield from _post_figures(task, form="10-K")


def filing_to_slack_newest(task: dict[str, Any]) -> Solution:
    """The naive slip: the newest filing with an HTML document (usually a 10-Q) taken as
    the annual report."""
    yield from _post_figures(task, form=None)
