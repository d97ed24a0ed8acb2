"""Custom checks of the HubSpot scenarios: state assertions over the final world and its diff."""

from __future__ import annotations

from collections import Counter
from typing import Any

from gym_apibench.checks import CheckContext
from mockapis.tables import Record

Result = tuple[bool, str]


def _live(ctx: CheckContext, table: str) -> list[dict[str, Any]]:
    return [r for r in ctx.world.table(table).values() if not r["archived"]]


def _by_email(ctx: CheckContext) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for row in _live(ctx, "hubspot.contacts"):
        email = (row["properties"].get("email") or "").lower()
        found.setdefault(email, []).append(row)
    return found


def _linked(ctx: CheckContext, contact_id: str) -> set[str]:
    return {
        link["toObjectId"]
        for link in ctx.world.table("hubspot.associations").values()
        if link["fromObjectType"] == "contacts"
        and link["fromObjectId"] == contact_id
        and link["toObjectType"] == "companies"
    }


def stage_set(ctx: CheckContext) -> Result:
    """Every contact of the company has the stage; no other contact got it newly."""
    contacts = ctx.world.table("hubspot.contacts")
    wrong = [
        i
        for i in ctx.expected["ids"]
        if contacts[i]["properties"].get("lifecyclestage") != ctx.expected["stage"]
    ]
    if wrong:
        return False, f"{len(wrong)} of {ctx.expected['count']} contacts lack the stage"
    diff = ctx.diff.get("hubspot.contacts")
    stray = sorted(set(diff.updated) - set(ctx.expected["ids"])) if diff else []
    if stray:
        return False, f"other contacts were changed too: {stray[:5]}"
    return True, f"all {ctx.expected['count']} contacts are at {ctx.expected['stage']}"


def company_by_user(ctx: CheckContext) -> Result:
    """One new company with the name and domain, created with the user's token."""
    want = ctx.expected
    rows = [
        r
        for r in _live(ctx, "hubspot.companies")
        if r["properties"].get("domain") == want["domain"]
    ]
    if len(rows) != 1:
        return False, f"{len(rows)} companies have the domain {want['domain']}"
    props = rows[0]["properties"]
    if props.get("name") != want["name"]:
        return False, f"the company is named {props.get('name')!r}"
    if props.get("hs_created_by_user_id") != str(want["user_id"]):
        return False, "the company was not created by the user (no user's OAuth token)"
    return True, "the company exists, created by the user"


def contacts_created(ctx: CheckContext) -> Result:
    """Each expected contact exists exactly once with its names."""
    emails = _by_email(ctx)
    for want in ctx.expected["contacts"]:
        rows = emails.get(want["email"], [])
        if len(rows) != 1:
            return False, f"{want['email']}: {len(rows)} contacts"
        props = rows[0]["properties"]
        if (props.get("firstname"), props.get("lastname")) != (want["firstname"], want["lastname"]):
            return False, f"{want['email']}: wrong names"
    return True, f"all {ctx.expected['count']} contacts created"


def contacts_with_companies(ctx: CheckContext) -> Result:
    """Each of the 250 contacts exists once and is associated with its company only."""
    emails = _by_email(ctx)
    missing, unlinked = 0, 0
    for email, company_id in ctx.expected["companies"].items():
        rows = emails.get(email, [])
        if len(rows) != 1:
            missing += 1
        elif _linked(ctx, rows[0]["id"]) != {company_id}:
            unlinked += 1
    if missing or unlinked:
        return False, f"{missing} contacts missing or duplicated, {unlinked} not associated right"
    return True, f"all {ctx.expected['count']} contacts created and associated"


def synced(ctx: CheckContext) -> Result:
    """Every Attio person is one HubSpot contact; new ones carry names and job title."""
    emails = _by_email(ctx)
    counts = Counter({e: len(rows) for e, rows in emails.items()})
    existing = set(ctx.expected["existing"])
    for want in ctx.expected["people"]:
        rows = emails.get(want["email"], [])
        if counts[want["email"]] != 1:
            return False, f"{want['email']}: {counts[want['email']]} contacts"
        row = rows[0]
        if row["id"] in existing:
            continue
        props = row["properties"]
        got = (
            props.get("firstname") or "",
            props.get("lastname") or "",
            props.get("jobtitle") or "",
        )
        if got != (want["firstname"], want["lastname"], want["jobtitle"]):
            return False, f"{want['email']}: got {got}"
    return True, f"{len(ctx.expected['people'])} people in HubSpot, no duplicates"


def of_new_contact(
    ctx: CheckContext, key: str, before: Record | None, after: Record | None
) -> bool:
    """An association (``<type>:<id>-><type>:<id>``) of a contact the task created."""
    diff = ctx.diff.get("hubspot.contacts")
    new = {f"contacts:{i}" for i in (diff.added if diff else ())}
    return any(end in new for end in key.split("->"))
