"""Reference solutions of the enrichment workflows (HTTP only)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from gym_apibench.scenarios import family_module
from gym_apibench.solving import Exchange, Solution, auth_headers, expect_json, request, send

s3 = family_module(Path(__file__).parent.parent / "s3", "solutions")

SEGMENTS = ["insurance", "manufacturing", "media", "energy", "agriculture", "travel"]
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "segment": {"type": "string", "enum": SEGMENTS},
        "employees": {"type": "integer"},
    },
    "required": ["segment", "employees"],
    "additionalProperties": False,
}


def _companies(task: dict[str, Any]) -> Exchange:
    action = request(
        "POST",
        task["services"]["attio"] + "/v2/objects/companies/records/query",
        headers=auth_headers(task["credentials"]["attio"]),
        json_body={"filter": {"categories": task["inputs"]["category"]}, "limit": 500},
    )
    return expect_json((yield from send(action, safe=True)))["data"]


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
                    "schema": SCHEMA,
                    "strict": True,
                }
            },
        },
    )
    response = expect_json((yield from send(action)))
    return json.loads("".join(c["text"] for o in response["output"] for c in o["content"]))


def _store(task: dict[str, Any], rows: list[list[str]]) -> Exchange:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["record_id", "name", "segment", "employees"])
    writer.writerows(rows)
    api = s3.Api(task)
    inputs = task["inputs"]
    path = f"/{s3.quote(inputs['bucket'])}/{s3.quote(inputs['key'], safe='/~')}"
    return (yield from api.call("PUT", path, body=out.getvalue()))


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
        segment = next((s for s in SEGMENTS if s in text), "")
        employees = re.search(r"Employees: ([\d,]+)", text)
        count = employees.group(1).replace(",", "") if employees else "0"
        rows.append([company["id"]["record_id"], _first(company, "name"), segment, count])
    yield from _store(task, rows)
    yield {"submit": None}
