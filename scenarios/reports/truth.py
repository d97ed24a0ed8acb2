"""Ground truth of the cross-API report workflows: the data each system holds, rendered by
the stored template exactly as the template service renders it (at grading: a render of a
long report takes milliseconds, and the task does not show it)."""

from __future__ import annotations

import functools
import hashlib
import random
from collections import Counter
from collections.abc import Callable
from typing import Any

from mockapis.templates.engine import render
from mockapis.world import World

# "expected" may be deferred: computed from the initial world when grading asks for it.
Truth = dict[str, dict[str, Any] | Callable[[World], dict[str, Any]]]


def _rendered(world: World, name: str, data: dict[str, Any]) -> str:
    """The seeded template ``name`` rendered with ``data``."""
    (row,) = [r for r in world.table("templates.templates").values() if r["name"] == name]
    return render(row["body"], data, fmt=row["format"], strict=row["strict_undefined"])


def _file(text: str) -> dict[str, str]:
    return {"content": text, "sha256": hashlib.sha256(text.encode()).hexdigest()}


def _as_file(
    name: str, data: dict[str, Any], fields: dict[str, Any], world: World
) -> dict[str, Any]:
    """``fields`` and the rendered report as a file's content and SHA-256 (deferred)."""
    return {**fields, **_file(_rendered(world, name, data))}


def _as_text(
    name: str, data: dict[str, Any], fields: dict[str, Any], world: World
) -> dict[str, Any]:
    """``fields`` and the rendered report as a message's text (deferred)."""
    return {**fields, "text": _rendered(world, name, data)}


def segment_report(world: World, rng: random.Random) -> Truth:
    """Stripe customers of one segment -> customer-segment-report -> the file server."""
    segment = rng.choice(["smb", "mid_market", "enterprise"])
    path = f"reports/customers/{segment.replace('_', '-')}-{rng.randint(100, 999)}.md"
    return {
        "inputs": {"segment": segment, "path": path, "template": "customer-segment-report"},
        "expected": functools.partial(_segment_file, segment, path),
    }


def _segment_file(segment: str, path: str, world: World) -> dict[str, Any]:
    """The segment's report (deferred: the customers are read at grading, from the Stripe
    customers index, which holds what the report shows)."""
    customers = [
        {"id": c.id, "name": c.name, "email": c.email}
        for c in world.index("stripe.customers").values()
        if c.segment == segment
    ]
    data = {"segment": segment, "customers": customers}
    fields = {"path": path, "count": len(customers)}
    return _as_file("customer-segment-report", data, fields, world)


def _my_login(world: World) -> str:
    return str(next(iter(world.table("github._tokens").values()))["login"])


def pull_digest(world: World, rng: random.Random) -> Truth:
    """The open pull requests of a busy repository (over one default page of 30) ->
    pull-request-digest -> a Slack channel."""
    me = _my_login(world)
    # The repositories index counts each one's open pull requests: the issues (and their
    # titles) are read at grading.
    repos = {r.full_name: r for r in world.index("github.repos").values() if r.owner == me}
    repo = rng.choice(sorted(name for name, r in repos.items() if r.open_pulls > 30))
    # The channels index: each channel's id, name and flags (no channel rendered).
    channels = sorted(
        (c for c in world.index("slack.channels").values()
         if not c.is_archived and not c.is_general and not c.is_private),
        key=lambda c: c.name,
    )  # fmt: skip
    channel = rng.choice(channels)
    fields = {"channel_id": channel.id, "count": repos[repo].open_pulls}
    return {
        "inputs": {"repo": repo, "channel": channel.name, "template": "pull-request-digest"},
        "expected": functools.partial(_digest, repo, fields),
    }


def _digest(repo: str, fields: dict[str, Any], world: World) -> dict[str, Any]:
    """The digest of ``repo``'s open pull requests, in number order (deferred)."""
    table = world.table("github.issues")
    pulls = [
        {"number": i.number, "title": table[key]["title"], "author": i.author, "draft": i.draft}
        for key, i in world.index("github.issues").items()
        if i.repo == repo and i.state == "open" and i.pull
    ]
    return _as_text("pull-request-digest", {"repo": repo, "pulls": pulls}, fields, world)


def contact_sheet(world: World, rng: random.Random) -> Truth:
    """A HubSpot company's contacts (by association) -> contact-sheet -> an S3 object."""
    # The indexes: each company's name and domain, each contact's company (its association)
    # and the fields the sheet shows.
    companies = sorted(world.index("hubspot.companies").values(), key=lambda c: int(c.id))
    names = Counter(c.name for c in companies)
    contacts_at: dict[str, list[str]] = {}
    for contact in world.index("hubspot.contacts").values():
        if contact.company_id is not None:
            contacts_at.setdefault(contact.company_id, []).append(contact.id)
    candidates = [
        c for c in companies if names[c.name] == 1 and 3 <= len(contacts_at.get(c.id, [])) <= 12
    ]
    company = rng.choice(candidates)
    index = world.index("hubspot.contacts")
    contacts = [
        {k: getattr(index[i], k) for k in ("firstname", "lastname", "email", "jobtitle")}
        for i in sorted(contacts_at[company.id], key=int)
    ]
    name = company.name
    data = {"company": name, "contacts": contacts}
    bucket = rng.choice(sorted(world.table("s3.buckets")))
    key = f"contact-sheets/{company.domain}.txt"
    fields = {"bucket": bucket, "key": key, "count": len(contacts)}
    return {
        "inputs": {"company": name, "bucket": bucket, "key": key, "template": "contact-sheet"},
        "expected": functools.partial(_as_file, "contact-sheet", data, fields),
    }
