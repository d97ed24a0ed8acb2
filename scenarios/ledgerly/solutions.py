"""Reference (and naive) solutions of the Ledgerly scenarios: OAuth 1.0a over HTTP only.

Each learns the server's time from the ``Date`` header of the spec's response, signs every
call with the consumer the task names (see ``oauth1.py`` here), runs the three-legged flow
through the HTML authorize pages when it acts for the resource owner, and pages through
lists until ``page`` = ``pages``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode

from gym_apibench.scenarios import family_module
from gym_apibench.solving import (
    Check,
    Exchange,
    Solution,
    SolutionError,
    expect_json,
    hint,
    restarts,
    server_time,
)

# Loaded by path at run time (scenario folders are not packages); typed as modules to mypy.
if TYPE_CHECKING:
    from scenarios.ledgerly import oauth1
else:
    oauth1 = family_module(Path(__file__).parent, "oauth1")
PAGESIZE = 100


def _expect(obs: dict[str, Any], status: int = 200) -> str:
    if obs["status"] != status:
        raise SolutionError(f"expected {status}, got {obs['status']}: {obs['body'][:300]}")
    return str(obs["body"])


class Ledgerly:
    """The task's Ledgerly base URL, the login, and a signer for one of its consumers."""

    def __init__(self, task: dict[str, Any], app: str, *, method: str | None = None) -> None:
        self.base = task["services"]["ledgerly"]
        self.creds = task["credentials"]["ledgerly"]
        self.signer = oauth1.Signer(
            self.creds[f"{app}_consumer_key"],
            method or self.creds[f"{app}_signature_method"],
            secret=self.creds.get(f"{app}_consumer_secret", ""),
            rsa_key=self.creds.get(f"{app}_rsa_private_key", ""),
            realm="ledgerly",
        )

    def send(self, action: dict[str, Any]) -> Exchange:
        """Send ``action``; keep the server time of its response."""
        obs = yield action
        self.signer.observe(obs)
        return obs

    def sync_clock(self) -> Exchange:
        """The spec needs no signature: its ``Date`` header gives the server's time."""
        return (yield from self.send({"method": "GET", "url": self.base + "/openapi.yaml"}))

    def call(
        self,
        method: str,
        path: str,
        *,
        safe: bool | None = None,
        check: Check | None = None,
        **kwargs: Any,
    ) -> Exchange:
        """A signed request to ``path`` under the base URL; a retry is signed afresh.
        ``check`` tells whether a write whose response was lost happened."""

        def remake(failed: Mapping[str, Any]) -> Exchange:
            self.signer.observe(failed)
            remade: dict[str, Any] = self.signer.request(method, self.base + path, **kwargs)
            return remade
            yield  # an exchange that needs no request

        action = self.signer.request(method, self.base + path, **kwargs)
        return (yield from self.send(hint(action, safe=safe, check=check, remake=remake)))

    def authorize(self, *, exchange: bool = True) -> Exchange:
        """The three-legged flow with an ``oob`` callback; the access token's response.

        A step whose response was lost (status 0) may have spent its ticket or verifier, so
        the flow starts again from a new request token, as a careful client would."""
        for _ in range(5):
            self.signer.use_token("", "")
            obs = yield from self._authorize_once(exchange=exchange)
            if obs["status"] != 0:
                return obs
        raise SolutionError("five authorizations lost a response")

    def _authorize_once(self, *, exchange: bool) -> Exchange:
        """One pass of the flow; its first lost response (status 0) ends it early."""
        # Another request token only starts another flow: safe to ask again.
        obs = yield from self.call(
            "POST", "/oauth/request_token", safe=True, oauth={"oauth_callback": "oob"}
        )
        temporary = dict(parse_qsl(_expect(obs)))
        token = temporary["oauth_token"]
        obs = yield from self.send(
            {
                "method": "GET",
                "url": f"{self.base}/oauth/authorize?{urlencode({'oauth_token': token})}",
            }
        )
        _expect(obs)
        login = {
            "oauth_token": token,
            "username": self.creds["username"],
            "password": self.creds["password"],
        }
        # Signing in again only issues another consent ticket: safe to resend.
        obs = yield from self._post_page(login, safe=True)
        if obs["status"] == 0:
            return obs
        ticket = re.search(r'name="ticket" value="([^"]+)"', _expect(obs))
        if ticket is None:
            raise SolutionError("no consent form after signing in")
        obs = yield from self._post_page(
            {"oauth_token": token, "ticket": ticket.group(1), "decision": "approve"}
        )
        if obs["status"] == 0:
            return obs
        verifier = re.search(r'id="oauth_verifier">([^<]+)<', _expect(obs))
        if verifier is None:
            raise SolutionError("no verifier on the page")
        self.signer.use_token(token, temporary["oauth_token_secret"])
        if not exchange:  # the naive client: the request token is not an access token
            return obs
        obs = yield from self.call(
            "POST", "/oauth/access_token", oauth={"oauth_verifier": verifier.group(1)}
        )
        if obs["status"] == 0:
            return obs
        granted = dict(parse_qsl(_expect(obs)))
        self.signer.use_token(granted["oauth_token"], granted["oauth_token_secret"])
        return obs

    def _post_page(self, form: dict[str, str], *, safe: bool = False) -> Exchange:
        action = {
            "method": "POST",
            "url": self.base + "/oauth/authorize",
            "headers": {"Content-Type": oauth1.FORM},
            "body": urlencode(form),
        }
        return (yield from self.send(hint(action, safe=safe)))

    @restarts
    def pages(self, path: str, key: str, *, first_only: bool = False, **query: str) -> Exchange:
        """Every record of a JSON list, page by page (from page 1 again if a page number
        expires); ``{"rows": [...]}``."""
        found: list[dict[str, Any]] = []
        page = 1
        while True:
            params = {**query, "format": "json", "page": str(page)}
            if not first_only:
                params["pagesize"] = str(PAGESIZE)
            obs = yield from self.call("GET", f"{path}?{urlencode(params)}")
            body = expect_json(obs)
            found.extend(body[key])
            if first_only or body["page"] >= body["pages"]:
                return {"rows": found}
            page += 1


# -- scenarios --------------------------------------------------------------------------------


def create_invoice(task: dict[str, Any], *, exchange: bool = True) -> Solution:
    """Three-legged with the invoicing app, find the contact by name, post the invoice XML."""
    api = Ledgerly(task, "invoicing")
    yield from api.sync_clock()
    yield from api.authorize(exchange=exchange)
    inputs = task["inputs"]
    contacts = (yield from api.pages("/api/1.0/contacts", "contacts"))["rows"]
    match = [c for c in contacts if c["name"] == inputs["contact_name"]]
    if len(match) != 1:
        raise SolutionError(f"{len(match)} contacts named {inputs['contact_name']!r}")
    lines = "".join(
        "<line_item>" + "".join(f"<{k}>{_xml(v)}</{k}>" for k, v in line.items()) + "</line_item>"
        for line in inputs["lines"]
    )
    body = (
        f"<invoice><contact_id>{match[0]['contact_id']}</contact_id>"
        f"<reference>{_xml(inputs['reference'])}</reference><line_items>{lines}</line_items></invoice>"
    )
    obs = yield from api.call(
        "POST",
        "/api/1.0/invoices",
        body=body,
        content_type="application/xml",
        check=lambda: _listed(api, "reference", inputs["reference"]),
    )
    _expect(obs, 201)
    yield {"submit": None}


def _listed(api: Ledgerly, key: str, value: Any) -> Exchange:
    """After a lost create: the invoice whose ``key`` is ``value``, if it was created."""
    invoices = (yield from api.pages("/api/1.0/invoices", "invoices"))["rows"]
    found = [i for i in invoices if i.get(key) == value]
    return {"status": 201, "headers": {}, "body": json.dumps(found[0])} if found else {}


def _paid(api: Ledgerly, invoice: dict[str, Any]) -> Exchange:
    """After a lost payment: a stand-in answer if ``invoice`` is no longer open."""
    still = (yield from api.pages("/api/1.0/invoices", "invoices", status="open"))["rows"]
    if any(i["invoice_id"] == invoice["invoice_id"] for i in still):
        return {}
    return {"status": 201, "headers": {}, "body": json.dumps({"invoice_id": invoice["invoice_id"]})}


def create_invoice_without_exchange(task: dict[str, Any]) -> Solution:
    """Naive: approves the request token but never exchanges the verifier for an access token."""
    return create_invoice(task, exchange=False)


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def contacts_in_country(task: dict[str, Any], *, first_only: bool = False) -> Solution:
    """Two-legged with the partner (reporting) app: every page of contacts, filtered here."""
    api = Ledgerly(task, "reporting")
    yield from api.sync_clock()
    contacts = (yield from api.pages("/api/1.0/contacts", "contacts", first_only=first_only))[
        "rows"
    ]
    country = task["inputs"]["country"]
    yield {"submit": sorted(c["contact_id"] for c in contacts if c["country"] == country)}


def contacts_first_page(task: dict[str, Any]) -> Solution:
    """Naive: the first page (default page size) only."""
    return contacts_in_country(task, first_only=True)


def settle_invoice(task: dict[str, Any], *, method: str | None = None) -> Solution:
    """Three-legged with the RSA-SHA1 sync app; pay the amount due of the numbered invoice."""
    api = Ledgerly(task, "sync", method=method)
    yield from api.sync_clock()
    yield from api.authorize()
    invoices = (yield from api.pages("/api/1.0/invoices", "invoices", status="open"))["rows"]
    match = [i for i in invoices if i["number"] == task["inputs"]["number"]]
    if len(match) != 1:
        raise SolutionError(f"no open invoice {task['inputs']['number']}")
    form = [
        ("invoice_id", match[0]["invoice_id"]),
        ("amount", match[0]["amount_due"]),
        ("reference", task["inputs"]["reference"]),
    ]
    obs = yield from api.call(
        "POST", "/api/1.0/payments?format=json", form=form, check=lambda: _paid(api, match[0])
    )
    _expect(obs, 201)
    yield {"submit": None}


def settle_invoice_hmac(task: dict[str, Any]) -> Solution:
    """Naive: signs with HMAC-SHA1, every library's default, instead of the app's RSA-SHA1."""
    return settle_invoice(task, method="HMAC-SHA1")


def overdue_total(task: dict[str, Any], *, first_only: bool = False) -> Solution:
    """Three-legged with the PLAINTEXT legacy app; sum what is due on overdue open invoices."""
    api = Ledgerly(task, "legacy")
    obs = yield from api.sync_clock()
    today = _server_date(obs)
    yield from api.authorize()
    invoices = (
        yield from api.pages("/api/1.0/invoices", "invoices", first_only=first_only, status="open")
    )["rows"]
    total = sum(Decimal(i["amount_due"]) for i in invoices if i["due_date"] < today)
    yield {"submit": float(total)}


def overdue_first_page(task: dict[str, Any]) -> Solution:
    """Naive: sums the first page of open invoices only."""
    return overdue_total(task, first_only=True)


def _server_date(obs: dict[str, Any]) -> str:
    now = server_time(obs)
    if now is None:
        raise SolutionError("the server sent no Date header")
    return now.date().isoformat()
