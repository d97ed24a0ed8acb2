"""Reference solutions of the template scenarios: HTTP only."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode

from gym_apibench.solving import Exchange, Solution, auth_headers, expect_json, request, send


class Api:
    """The template service's base URL and key."""

    def __init__(self, task: dict[str, Any]) -> None:
        self.base = task["services"]["templates"]
        self.headers = auth_headers(task["credentials"]["templates"])

    def template_id(self, name: str) -> Exchange:
        """``{"id": ...}`` of the template called ``name``."""
        obs = yield from send(
            request("GET", f"{self.base}/v1/templates?name={quote(name)}", headers=self.headers)
        )
        (template,) = expect_json(obs)["data"]
        return {"id": template["id"]}

    def render(self, name: str, data: dict[str, Any]) -> Exchange:
        """``{"output": ...}`` of the stored template ``name`` rendered with ``data``."""
        found = yield from self.template_id(name)
        url = f"{self.base}/v1/templates/{found['id']}/render"
        obs = yield from send(
            request("POST", url, headers=self.headers, json_body={"data": data}), safe=True
        )
        return {"output": expect_json(obs)["output"]}


def release_notes(task: dict[str, Any]) -> Solution:
    """Find the template by name, render it with the data its description asks for."""
    inputs = task["inputs"]
    data = {"version": inputs["version"], "date": inputs["date"], "changes": inputs["changes"]}
    rendered = yield from Api(task).render(inputs["name"], data)
    yield {"submit": rendered["output"]}


INVOICE_LINE = (
    "- {{ qty }} × {{ item }} at {{ unit_amount|money(currency) }} = "
    "{{ (qty * unit_amount)|money(currency) }}"
)


def _create(task: dict[str, Any], body: str) -> Solution:
    api = Api(task)
    template = {"name": task["inputs"]["name"], "format": "markdown", "body": body}

    def stored() -> Exchange:
        """After a lost create: the template of that name and body, if it was stored."""
        query = urlencode({"name": template["name"], "limit": 100})
        listing = yield from send(
            request("GET", f"{api.base}/v1/templates?{query}", headers=api.headers)
        )
        for found in expect_json(listing)["data"]:
            if found.get("body") == body:
                return {"status": 201, "headers": {}, "body": json.dumps(found)}
        return {}

    obs = yield from send(
        request("POST", f"{api.base}/v1/templates", headers=api.headers, json_body=template),
        check=stored,
    )
    created = expect_json(obs, 201)
    check = yield from send(
        request(
            "POST",
            f"{api.base}/v1/templates/{created['id']}/render",
            headers=api.headers,
            json_body={"data": task["inputs"]["example_data"]},
        ),
        safe=True,
    )
    expect_json(check)
    yield {"submit": created["id"]}


def invoice_line(task: dict[str, Any]) -> Solution:
    """Store a body using the documented ``money`` filter, check it on the example."""
    yield from _create(task, INVOICE_LINE)


def invoice_line_divided(task: dict[str, Any]) -> Solution:
    """Naive: amounts divided by 100 by hand (``12.5``, not ``12.50 USD``)."""
    yield from _create(
        task,
        "- {{ qty }} × {{ item }} at {{ unit_amount / 100 }} {{ currency|upper }} = "
        "{{ qty * unit_amount / 100 }} {{ currency|upper }}",
    )
