"""Reference solutions of the Attio scenarios: HTTP only, through the public API.

Each is a generator: it yields actions, receives the responses, and ends with a submit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Generator
from typing import Any

from gym_apibench.solving import Solution, auth_headers, expect_json, request

PAGE = 500  # Attio's largest query page


class Api:
    """The Attio base URL and auth headers of a task."""

    def __init__(self, task: dict[str, Any]) -> None:
        self.base = task["services"]["attio"]
        self.headers = auth_headers(task["credentials"]["attio"])

    def call(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        """A request action to ``path`` under the base URL."""
        return request(method, self.base + path, headers=self.headers, json_body=body)


Paged = Generator[dict[str, Any], dict[str, Any], list[dict[str, Any]]]


def query_all(api: Api, obj: str, body: dict[str, Any]) -> Paged:
    """Every record of a query, following offset pages until a short page."""
    found: list[dict[str, Any]] = []
    offset = 0
    while True:
        page = expect_json(
            (
                yield api.call(
                    "POST",
                    f"/v2/objects/{obj}/records/query",
                    {**body, "limit": PAGE, "offset": offset},
                )
            )
        )["data"]
        found.extend(page)
        if len(page) < PAGE:
            return found
        offset += PAGE


def _first(record: dict[str, Any], slug: str, field: str = "value") -> Any:
    values = record["values"].get(slug) or []
    return values[0][field] if values else None


def record_by_id(task: dict[str, Any]) -> Solution:
    """GET the record, read the nested values."""
    api = Api(task)
    obs = yield api.call("GET", f"/v2/objects/people/records/{task['inputs']['record_id']}")
    person = expect_json(obs)["data"]
    yield {
        "submit": {
            "full_name": _first(person, "name", "full_name"),
            "job_title": _first(person, "job_title"),
            "email": _first(person, "email_addresses", "email_address"),
        }
    }


def people_without_email(task: dict[str, Any]) -> Solution:
    """A body filter for an empty attribute."""
    api = Api(task)
    no_email = {"filter": {"$not": {"email_addresses": {"$not_empty": True}}}}
    people = yield from query_all(api, "people", no_email)
    yield {"submit": [p["id"]["record_id"] for p in people]}


def oldest_people(task: dict[str, Any]) -> Solution:
    """Sort by creation time, take N."""
    api = Api(task)
    body = {
        "sorts": [{"attribute": "created_at", "direction": "asc"}],
        "limit": task["inputs"]["n"],
    }
    obs = yield api.call("POST", "/v2/objects/people/records/query", body)
    yield {"submit": [p["id"]["record_id"] for p in expect_json(obs)["data"]]}


def companies_founded_before(task: dict[str, Any]) -> Solution:
    """A date filter whose matches span more than one page."""
    api = Api(task)
    cut = f"{task['inputs']['year']}-01-01"
    companies = yield from query_all(
        api, "companies", {"filter": {"foundation_date": {"$lt": cut}}}
    )
    yield {"submit": [c["id"]["record_id"] for c in companies]}


def create_people(task: dict[str, Any]) -> Solution:
    """Find each company by domain, then create the person linked to it."""
    api = Api(task)
    for person in task["inputs"]["people"]:
        obs = yield api.call(
            "POST",
            "/v2/objects/companies/records/query",
            {"filter": {"domains": {"domain": {"$eq": person["company_domain"]}}}, "limit": 1},
        )
        company_id = expect_json(obs)["data"][0]["id"]["record_id"]
        values = {
            "name": [
                {
                    "first_name": person["first_name"],
                    "last_name": person["last_name"],
                    "full_name": f"{person['first_name']} {person['last_name']}",
                }
            ],
            "email_addresses": [person["email"]],
            "job_title": person["job_title"],
            "company": [{"target_object": "companies", "target_record_id": company_id}],
        }
        expect_json(
            (yield api.call("POST", "/v2/objects/people/records", {"data": {"values": values}}))
        )
    yield {"submit": None}


def update_person(task: dict[str, Any]) -> Solution:
    """PATCH appends to multi-value attributes and overwrites single-value ones."""
    api = Api(task)
    inputs = task["inputs"]
    values = {"email_addresses": [inputs["new_email"]], "job_title": inputs["new_title"]}
    obs = yield api.call(
        "PATCH", f"/v2/objects/people/records/{inputs['record_id']}", {"data": {"values": values}}
    )
    expect_json(obs)
    yield {"submit": None}


def merge_duplicate_companies(task: dict[str, Any]) -> Solution:
    """Group by domain, keep the oldest, move people over, delete the rest."""
    api = Api(task)
    companies = yield from query_all(api, "companies", {})
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for company in companies:
        for domain in {v["domain"] for v in company["values"]["domains"]}:
            groups[domain].append(company)
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda c: c["created_at"])
        keep = members[0]["id"]["record_id"]
        for dup in members[1:]:
            dup_id = dup["id"]["record_id"]
            people = yield from query_all(
                api, "people", {"filter": {"company": {"target_record_id": {"$eq": dup_id}}}}
            )
            for person in people:
                ref = [{"target_object": "companies", "target_record_id": keep}]
                expect_json(
                    (
                        yield api.call(
                            "PATCH",
                            f"/v2/objects/people/records/{person['id']['record_id']}",
                            {"data": {"values": {"company": ref}}},
                        )
                    )
                )
            expect_json((yield api.call("DELETE", f"/v2/objects/companies/records/{dup_id}")))
    yield {"submit": None}


def note_per_company(task: dict[str, Any]) -> Solution:
    """Filter on two select attributes, then one note per match."""
    api = Api(task)
    inputs = task["inputs"]
    flt = {
        "$and": [{"categories": inputs["category"]}, {"employee_range": inputs["employee_range"]}]
    }
    companies = yield from query_all(api, "companies", {"filter": flt})
    for company in companies:
        note = {
            "parent_object": "companies",
            "parent_record_id": company["id"]["record_id"],
            "title": inputs["title"],
            "format": "plaintext",
            "content": "Reviewed by the integration.",
        }
        expect_json((yield api.call("POST", "/v2/notes", {"data": note})))
    yield {"submit": None}


def won_deal_value(task: dict[str, Any]) -> Solution:
    """Filter deals by status, sum currency values."""
    api = Api(task)
    deals = yield from query_all(api, "deals", {"filter": {"stage": task["inputs"]["stage"]}})
    total = sum(v["currency_value"] for d in deals for v in d["values"]["value"])
    yield {"submit": round(total, 2)}
