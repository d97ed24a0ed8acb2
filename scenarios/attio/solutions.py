"""Reference solutions of the Attio scenarios: HTTP only, through the public API.

Each is a generator: it yields actions, receives the responses, and ends with a submit.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Generator
from typing import Any
from urllib.parse import urlencode

from gym_apibench.renewal import Grant
from gym_apibench.solving import (
    Check,
    Exchange,
    Solution,
    SolutionError,
    auth_headers,
    expect_json,
    hint,
    request,
    restarts,
    send,
)

PAGE = 500  # Attio's largest query page


class Api:
    """The Attio base URL and credentials of a task, and how persistent a client it is.

    ``retry``: "wait" waits out 429s and 5xx as the server asks (the reference behaviour),
    "none" gives up at once and "immediate" retries without waiting (the naive clients).
    ``refresh``: whether an expired access token is renewed with the refresh token.
    """

    def __init__(self, task: dict[str, Any], *, retry: str = "wait", refresh: bool = True):
        self.base = task["services"]["attio"]
        self.credentials = dict(task["credentials"]["attio"])
        self.headers = auth_headers(self.credentials)
        self.retry = retry
        self.refresh = refresh

    def call(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        """A request action to ``path`` under the base URL."""
        return request(method, self.base + path, headers=self.headers, json_body=body)

    def send(
        self, method: str, path: str, body: Any = None, *, check: Check | None = None
    ) -> Exchange:
        """Send a request as this client would; the final response. ``check`` tells whether
        a write whose response was lost happened (see :data:`gym_apibench.solving.Check`)."""
        for _ in range(3):
            if self.retry == "wait":
                # A records query only reads: safe to send again after a lost response.
                safe = method == "GET" or path.endswith("/query")
                action = self.call(method, path, body)
                obs = yield from send(action, safe=safe, check=check, renews=self.refresh)
            elif self.retry == "immediate":
                obs = yield from send(self.call(method, path, body), backoff=0.0, wait=False)
            else:
                obs = yield self.call(method, path, body)
            challenge = obs["headers"].get("www-authenticate", "")
            if not (obs["status"] == 401 and "invalid_token" in challenge and self.refresh):
                return obs
            yield from self.renew_token()
        return obs

    def renew_token(self) -> Generator[dict[str, Any], dict[str, Any], None]:
        """The OAuth 2 refresh grant (RFC 6749 section 6) at the credentials' token URL.
        Attio's token endpoint hands the same refresh token back, so a grant whose answer
        was lost may be sent again (``safe``)."""
        creds = self.credentials
        refresh = Grant(
            creds["token_url"], creds["refresh_token"], creds["client_id"], creds["client_secret"]
        )
        obs = yield hint(refresh.action(), safe=True)
        grant = expect_json(obs)
        self.credentials["token"] = grant["access_token"]
        self.credentials["refresh_token"] = grant.get(
            "refresh_token", self.credentials["refresh_token"]
        )
        self.headers = auth_headers(self.credentials)


Paged = Generator[dict[str, Any], dict[str, Any], list[dict[str, Any]]]


@restarts
def query_all(api: Api, obj: str, body: dict[str, Any]) -> Paged:
    """Every record of a query, following offset pages until a short page (from offset 0
    again if an offset expires)."""
    found: list[dict[str, Any]] = []
    offset = 0
    while True:
        page = expect_json(
            (
                yield from api.send(
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


def record_by_id(task: dict[str, Any], *, tolerant: bool = False, **client: Any) -> Solution:
    """GET the record, read the nested values."""
    api = Api(task, **client)
    obs = yield from api.send("GET", f"/v2/objects/people/records/{task['inputs']['record_id']}")
    person = expect_json(obs)["data"]
    yield {
        "submit": {
            "full_name": _first(person, "name", "full_name"),
            "job_title": _first(person, "job_title"),
            "email": _email_of(person)
            if tolerant
            else _first(person, "email_addresses", "email_address"),
        }
    }


def people_without_email(task: dict[str, Any], **client: Any) -> Solution:
    """A body filter for an empty attribute."""
    api = Api(task, **client)
    no_email = {"filter": {"$not": {"email_addresses": {"$not_empty": True}}}}
    people = yield from query_all(api, "people", no_email)
    yield {"submit": [p["id"]["record_id"] for p in people]}


def oldest_people(task: dict[str, Any], **client: Any) -> Solution:
    """Sort by creation time, take N."""
    api = Api(task, **client)
    body = {
        "sorts": [{"attribute": "created_at", "direction": "asc"}],
        "limit": task["inputs"]["n"],
    }
    obs = yield from api.send("POST", "/v2/objects/people/records/query", body)
    yield {"submit": [p["id"]["record_id"] for p in expect_json(obs)["data"]]}


def companies_founded_before(task: dict[str, Any], **client: Any) -> Solution:
    """A date filter whose matches span more than one page."""
    api = Api(task, **client)
    cut = f"{task['inputs']['year']}-01-01"
    companies = yield from query_all(
        api, "companies", {"filter": {"foundation_date": {"$lt": cut}}}
    )
    yield {"submit": [c["id"]["record_id"] for c in companies]}


def create_people(task: dict[str, Any], *, blind: bool = False, **client: Any) -> Solution:
    """Find each company by domain, then create the person linked to it."""
    api = Api(task, **client)
    for person in task["inputs"]["people"]:
        obs = yield from api.send(
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
        yield from create_once(api, values, person["email"], blind=blind)
    yield {"submit": None}


def create_once(
    api: Api, values: dict[str, Any], email: str, *, blind: bool
) -> Generator[dict[str, Any], dict[str, Any], None]:
    """Create a person exactly once, even when a response is lost (status 0).

    The write may have happened: look the person up by email before trying again. A
    ``blind`` client just sends the create again, and may make a duplicate.
    """
    for _ in range(5):
        obs = yield from api.send(
            "POST", "/v2/objects/people/records", {"data": {"values": values}}
        )
        if obs["status"] != 0:
            expect_json(obs)
            return
        if blind:
            continue
        found = yield from api.send(
            "POST",
            "/v2/objects/people/records/query",
            {"filter": {"email_addresses": {"email_address": {"$eq": email}}}, "limit": 1},
        )
        if expect_json(found)["data"]:
            return
    raise SolutionError(f"could not create {email}")


def update_person(task: dict[str, Any], **client: Any) -> Solution:
    """PATCH appends to multi-value attributes and overwrites single-value ones."""
    api = Api(task, **client)
    inputs = task["inputs"]
    values = {"email_addresses": [inputs["new_email"]], "job_title": inputs["new_title"]}
    obs = yield from api.send(
        "PATCH", f"/v2/objects/people/records/{inputs['record_id']}", {"data": {"values": values}}
    )
    expect_json(obs)
    yield {"submit": None}


def merge_duplicate_companies(task: dict[str, Any], **client: Any) -> Solution:
    """Group by domain, keep the oldest, move people over, delete the rest."""
    api = Api(task, **client)
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
                        yield from api.send(
                            "PATCH",
                            f"/v2/objects/people/records/{person['id']['record_id']}",
                            {"data": {"values": {"company": ref}}},
                        )
                    )
                )
            expect_json((yield from api.send("DELETE", f"/v2/objects/companies/records/{dup_id}")))
    yield {"submit": None}


def note_per_company(task: dict[str, Any], **client: Any) -> Solution:
    """Filter on two select attributes, then one note per match."""
    api = Api(task, **client)
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
        check = functools.partial(noted, api, company["id"]["record_id"], inputs["title"])
        expect_json((yield from api.send("POST", "/v2/notes", {"data": note}, check=check)))
    yield {"submit": None}


def noted(api: Api, record_id: str, title: str) -> Exchange:
    """After a lost response: the company's note with ``title``, if the create went through."""
    query = urlencode({"parent_object": "companies", "parent_record_id": record_id})
    notes = expect_json((yield from api.send("GET", f"/v2/notes?{query}")))["data"]
    for note in notes:
        if note.get("title") == title:
            return {"status": 200, "headers": {}, "body": json.dumps({"data": note})}
    return {}


def won_deal_value(task: dict[str, Any], **client: Any) -> Solution:
    """Filter deals by status, sum currency values."""
    api = Api(task, **client)
    deals = yield from query_all(api, "deals", {"filter": {"stage": task["inputs"]["stage"]}})
    total = sum(v["currency_value"] for d in deals for v in d["values"]["value"])
    yield {"submit": round(total, 2)}


def _email_of(person: dict[str, Any]) -> Any:
    """The first email, whichever name the field has drifted to."""
    values = person["values"].get("email_addresses") or []
    if not values:
        return None
    value = values[0]
    for key in ("email_address", "original_email_address", "email", "address"):
        if isinstance(value.get(key), str):
            return value[key]
    return next((v for v in value.values() if isinstance(v, str) and "@" in v), None)


# Naive clients: plausible code that the scenario's faults must defeat.
people_without_email_no_retry = functools.partial(people_without_email, retry="none")
companies_founded_before_no_retry = functools.partial(companies_founded_before, retry="none")
create_people_blind_retry = functools.partial(create_people, blind=True)
note_per_company_no_refresh = functools.partial(note_per_company, refresh=False)
note_per_company_hammer = functools.partial(note_per_company, retry="immediate")
record_by_id_tolerant = functools.partial(record_by_id, tolerant=True)
