"""Reference solutions of the HubSpot scenarios: HTTP only, through the public API.

Each is a generator: it yields actions, receives the responses, and ends with a submit.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
from collections.abc import Generator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from gym_apibench.solving import (
    Check,
    Exchange,
    Solution,
    SolutionError,
    expect_json,
    hint,
    request,
    restarts,
    send,
)

BATCH = 100  # HubSpot's batch input limit
CONTACT_TO_COMPANY = 279  # the default HUBSPOT_DEFINED association type
Paged = Generator[dict[str, Any], dict[str, Any], list[dict[str, Any]]]


class HubSpot:
    """The HubSpot base URL and OAuth state of a task.

    ``rotate``: keep the newest refresh token (the reference) or always reuse the one in the
    credentials (a naive client). ``refresh``: whether to refresh at all on a 401.
    """

    def __init__(self, task: dict[str, Any], *, refresh: bool = True, rotate: bool = True) -> None:
        self.base = task["services"]["hubspot"]
        self.creds = dict(task["credentials"]["hubspot"])
        self.token: str | None = self.creds.get("token")
        self.refresh_token: str | None = self.creds.get("refresh_token")
        self.refresh = refresh
        self.rotate = rotate

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def send(
        self, method: str, path: str, body: Any = None, *, check: Check | None = None
    ) -> Exchange:
        """Send a request; on an invalid_token 401, refresh the token once and resend.
        ``check`` tells whether a write whose response was lost happened."""
        # Searches and batch reads only read; a batch update sets the same values again.
        safe = method == "GET" or path.endswith(("/search", "/batch/read", "/batch/update"))
        for _ in range(3):
            action = request(method, self.base + path, headers=self.headers(), json_body=body)
            obs = yield from send(action, safe=safe, check=check, renews=self.refresh)
            challenge = obs["headers"].get("www-authenticate", "")
            if not (obs["status"] == 401 and "invalid_token" in challenge and self.refresh):
                return obs
            yield from self.renew()
        return obs

    def token_request(self, fields: dict[str, str]) -> Exchange:
        """POST a form to the token endpoint (client authentication in the form)."""
        form = {
            **fields,
            "client_id": self.creds["client_id"],
            "client_secret": self.creds["client_secret"],
        }
        action = {
            "method": "POST",
            "url": self.creds["token_url"],
            "headers": {"Content-Type": "application/x-www-form-urlencoded"},
            "body": urlencode(form),
        }
        # A client-credentials grant can be asked again; a code or refresh token is spent once.
        return (yield hint(action, safe=fields.get("grant_type") == "client_credentials"))

    def renew(self) -> Generator[dict[str, Any], dict[str, Any], None]:
        """The refresh grant; keeps the rotated refresh token (unless naive)."""
        if not self.refresh_token:
            raise SolutionError("no refresh token to renew the access token with")
        obs = yield from self.token_request(
            {"grant_type": "refresh_token", "refresh_token": self.refresh_token}
        )
        if obs["status"] == 0 and self.rotate and "password" in self.creds:
            # The lost response held the only copy of the rotated refresh token, and the old
            # one is spent (reusing it revokes the family): authorize the user afresh.
            yield from self.authorization_code(self.creds["app_scopes"])
            return
        grant = expect_json(obs)
        self.token = grant["access_token"]
        if self.rotate:
            self.refresh_token = grant["refresh_token"]

    def client_credentials(
        self, scope: str | None
    ) -> Generator[dict[str, Any], dict[str, Any], None]:
        """A client-credentials token with ``scope`` (None: the app's default scope)."""
        fields = {"grant_type": "client_credentials"}
        if scope:
            fields["scope"] = scope
        grant = expect_json((yield from self.token_request(fields)))
        self.token = grant["access_token"]
        self.refresh_token = None

    def authorization_code(self, scope: str) -> Generator[dict[str, Any], dict[str, Any], None]:
        """Log in on the consent page with PKCE S256, approve, exchange the code; a code whose
        exchange lost its response is spent, so the flow starts again."""
        for _ in range(3):
            obs = yield from self._authorize(scope)
            if obs["status"] != 0:
                grant = expect_json(obs)
                self.token = grant["access_token"]
                self.refresh_token = grant.get("refresh_token")
                return
        raise SolutionError("no token after three authorizations")

    def _authorize(self, scope: str) -> Exchange:
        """One pass of the code flow; the token endpoint's response."""
        verifier = base64.urlsafe_b64encode(hashlib.sha256(b"apibench-pkce").digest() * 2)
        code_verifier = verifier.decode().rstrip("=")[:64]
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(code_verifier.encode()).digest())
            .decode()
            .rstrip("=")
        )
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.creds["client_id"],
                "redirect_uri": self.creds["redirect_uri"],
                "scope": scope,
                "state": "apibench-state",
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            }
        )
        url = self.creds["authorize_url"] + "?" + query
        page = yield {"method": "GET", "url": url}
        if page["status"] != 200:
            raise SolutionError(f"authorize page: {page['status']} {page['body'][:200]}")
        login = urlencode(
            {
                "username": self.creds["username"],
                "password": self.creds["password"],
                "decision": "approve",
            }
        )
        consent = {
            "method": "POST",
            "url": url,
            "headers": {"Content-Type": "application/x-www-form-urlencoded"},
            "body": login,
        }
        # Approving again only issues another code: safe to resend.
        obs = yield hint(consent, safe=True)
        if obs["status"] != 302:
            raise SolutionError(f"consent: {obs['status']} {obs['body'][:200]}")
        params = parse_qs(urlsplit(obs["headers"]["location"]).query)
        if params.get("state") != ["apibench-state"]:
            raise SolutionError("the state came back altered")
        return (
            yield from self.token_request(
                {
                    "grant_type": "authorization_code",
                    "code": params["code"][0],
                    "redirect_uri": self.creds["redirect_uri"],
                    "code_verifier": code_verifier,
                }
            )
        )


def create_contacts(api: HubSpot, inputs: list[dict[str, Any]]) -> Exchange:
    """A batch create of contacts; after a lost response, sent again: a batch is all or
    nothing and a taken email fails it with 409, so a 409 then means the lost one went through.
    """
    path, body = "/crm/v3/objects/contacts/batch/create", {"inputs": inputs}

    def created() -> Exchange:
        for _ in range(4):
            obs = yield from api.send("POST", path, body)
            if obs["status"] == 409:
                done = {"status": "COMPLETE", "results": []}
                return {"status": 201, "headers": {}, "body": json.dumps(done)}
            if obs["status"] != 0:
                return obs
        return {}

    return (yield from api.send("POST", path, body, check=created))


@restarts
def search_all(api: HubSpot, obj: str, body: dict[str, Any]) -> Paged:
    """Every result of a search, following ``paging.next.after`` (from the first page again
    if a cursor expires)."""
    found: list[dict[str, Any]] = []
    after: str | None = None
    while True:
        page_body = {**body, "limit": 200, **({"after": after} if after else {})}
        page = expect_json(
            (yield from api.send("POST", f"/crm/v3/objects/{obj}/search", page_body))
        )
        found.extend(page["results"])
        after = page.get("paging", {}).get("next", {}).get("after")
        if not after:
            return found


@restarts
def list_all(api: HubSpot, obj: str, properties: str) -> Paged:
    """Every record of a type, with ``limit=100`` pages and the ``after`` cursor (from the
    first page again if a cursor expires)."""
    found: list[dict[str, Any]] = []
    after = ""
    while True:
        query = urlencode(
            {"limit": 100, "properties": properties, **({"after": after} if after else {})}
        )
        page = expect_json((yield from api.send("GET", f"/crm/v3/objects/{obj}?{query}")))
        found.extend(page["results"])
        after = page.get("paging", {}).get("next", {}).get("after", "")
        if not after:
            return found


def stage_by_domain(task: dict[str, Any], **client: Any) -> Solution:
    """The company by domain, its contacts by association, one batch update."""
    api = HubSpot(task, **client)
    inputs = task["inputs"]
    flt = {
        "filterGroups": [
            {"filters": [{"propertyName": "domain", "operator": "EQ", "value": inputs["domain"]}]}
        ]
    }
    companies = yield from search_all(api, "companies", flt)
    if len(companies) != 1:
        raise SolutionError(f"expected one company at {inputs['domain']}, got {len(companies)}")
    company_id = companies[0]["id"]
    links = expect_json(
        (
            yield from api.send(
                "GET", f"/crm/v4/objects/companies/{company_id}/associations/contacts"
            )
        )
    )
    ids = [str(link["toObjectId"]) for link in links["results"]]
    for start in range(0, len(ids), BATCH):
        inputs_ = [
            {"id": i, "properties": {"lifecyclestage": inputs["stage"]}}
            for i in ids[start : start + BATCH]
        ]
        expect_json(
            (
                yield from api.send(
                    "POST", "/crm/v3/objects/contacts/batch/update", {"inputs": inputs_}
                )
            )
        )
    yield {"submit": None}


def company_for_user(task: dict[str, Any], *, flow: str = "code", **client: Any) -> Solution:
    """Authorize as the user (code + PKCE), then create the company."""
    api = HubSpot(task, **client)
    scope = "crm.objects.companies.read crm.objects.companies.write"
    if flow == "code":
        yield from api.authorization_code(scope)
    else:
        yield from api.client_credentials(scope)
    body = {"properties": {"name": task["inputs"]["name"], "domain": task["inputs"]["domain"]}}

    def created() -> Exchange:
        """After a lost create: the company with this domain, if it was created."""
        flt = {"propertyName": "domain", "operator": "EQ", "value": task["inputs"]["domain"]}
        found = yield from search_all(api, "companies", {"filterGroups": [{"filters": [flt]}]})
        return {"status": 201, "headers": {}, "body": json.dumps(found[0])} if found else {}

    obs = yield from api.send("POST", "/crm/v3/objects/companies", body, check=created)
    expect_json(obs, 201)
    yield {"submit": None}


def new_contacts(
    task: dict[str, Any], *, scope: str | None = "crm.objects.contacts.write", **client: Any
) -> Solution:
    """A client-credentials token with the write scope, then one batch create."""
    api = HubSpot(task, **client)
    yield from api.client_credentials(scope)
    inputs = [{"properties": dict(c)} for c in task["inputs"]["contacts"]]
    expect_json((yield from create_contacts(api, inputs)), 201)
    yield {"submit": None}


def batch_contacts(task: dict[str, Any], *, batch: int = BATCH, **client: Any) -> Solution:
    """Company ids by domain (one search), then batches of 100 creates with associations."""
    api = HubSpot(task, **client)
    contacts = task["inputs"]["contacts"]
    domains = sorted({c["company_domain"] for c in contacts})
    flt = {
        "filterGroups": [
            {"filters": [{"propertyName": "domain", "operator": "IN", "values": domains}]}
        ],
        "properties": ["domain"],
    }
    companies = yield from search_all(api, "companies", flt)
    by_domain = {c["properties"]["domain"]: c["id"] for c in companies}
    inputs = [
        {
            "properties": {k: c[k] for k in ("email", "firstname", "lastname")},
            "associations": [
                {
                    "to": {"id": by_domain[c["company_domain"]]},
                    "types": [
                        {
                            "associationCategory": "HUBSPOT_DEFINED",
                            "associationTypeId": CONTACT_TO_COMPANY,
                        }
                    ],
                }
            ],
        }
        for c in contacts
    ]
    for start in range(0, len(inputs), batch):
        chunk = inputs[start : start + batch]
        expect_json((yield from create_contacts(api, chunk)), 201)
    yield {"submit": None}


def attio_sync(task: dict[str, Any], *, check_existing: bool = True, **client: Any) -> Solution:
    """Attio people of the category's companies; create the HubSpot contacts not there yet."""
    attio_base = task["services"]["attio"]
    attio_auth = {"Authorization": f"Bearer {task['credentials']['attio']['token']}"}

    @restarts
    def attio_query(obj: str, flt: dict[str, Any]) -> Paged:
        """Every Attio record of ``obj`` matching ``flt``, offset pages of 500 (from offset 0
        again if an offset expires)."""
        found: list[dict[str, Any]] = []
        offset = 0
        while True:
            action = request(
                "POST",
                f"{attio_base}/v2/objects/{obj}/records/query",
                headers=attio_auth,
                json_body={"filter": flt, "limit": 500, "offset": offset},
            )
            page = expect_json((yield from send(action, safe=True)))["data"]
            found.extend(page)
            if len(page) < 500:
                return found
            offset += 500

    companies = yield from attio_query("companies", {"categories": task["inputs"]["category"]})
    ids = [c["id"]["record_id"] for c in companies]
    people = yield from attio_query("people", {"company": {"target_record_id": {"$in": ids}}})
    wanted: dict[str, dict[str, str]] = {}
    for person in people:
        emails = person["values"].get("email_addresses") or []
        if not emails:
            continue
        names = person["values"].get("name") or [{}]
        titles = person["values"].get("job_title") or [{}]
        email = emails[0]["email_address"].lower()
        wanted[email] = {
            "email": email,
            "firstname": names[0].get("first_name") or "",
            "lastname": names[0].get("last_name") or "",
            "jobtitle": titles[0].get("value") or "",
        }
    api = HubSpot(task, **client)
    missing = sorted(wanted)
    if check_existing:
        known: set[str] = set()
        for start in range(0, len(missing), BATCH):
            chunk = [{"id": e} for e in missing[start : start + BATCH]]
            reply = expect_json(
                (
                    yield from api.send(
                        "POST",
                        "/crm/v3/objects/contacts/batch/read",
                        {"inputs": chunk, "idProperty": "email", "properties": ["email"]},
                    )
                ),
                (200, 207),
            )
            known |= {r["properties"]["email"].lower() for r in reply["results"]}
        missing = [e for e in missing if e not in known]
    for start in range(0, len(missing), BATCH):
        inputs = [{"properties": wanted[e]} for e in missing[start : start + BATCH]]
        expect_json((yield from create_contacts(api, inputs)), 201)
    yield {"submit": None}


# Naive clients: plausible code that the scenario defeats.
stage_by_domain_no_refresh = functools.partial(stage_by_domain, refresh=False)
stage_by_domain_no_rotation = functools.partial(stage_by_domain, rotate=False)
new_contacts_default_scope = functools.partial(new_contacts, scope=None)
batch_contacts_one_batch = functools.partial(batch_contacts, batch=250)
attio_sync_blind = functools.partial(attio_sync, check_existing=False)
company_for_user_client_credentials = functools.partial(company_for_user, flow="client")
