"""Ground truth of the cross-service document workflows, derived from the seeded world.

Where a workflow joins the filings site to a CRM, the truth names a few site companies
after CRM companies (``mockapis.web.data.adopt_company``): in this episode's world, those
CRM companies are the ones that file on the site."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path
from typing import Any

from gym_apibench.scenarios import family_module
from mockapis.web.data import COMPANIES, adopt_company
from mockapis.world import Record, World

Truth = dict[str, dict[str, Any]]

web = family_module(Path(__file__).parent.parent / "web", "truth")


def _site_companies(world: World) -> list[Record]:
    return sorted(world.table(COMPANIES).values(), key=lambda c: str(c["cik"]))


def revenue_message(company: Record, annual: Record) -> str:
    """The Slack message of the filing-to-Slack workflow."""
    return f"{company['name']} FY{annual['fiscal_year']} revenue: ${annual['figures']['revenue']:,}"


def filing_to_slack(world: World, rng: random.Random) -> Truth:
    """A company's newest 10-K figures, to post in an open public channel."""
    company = rng.choice(_site_companies(world))
    annual = web.latest_annual(world, company)
    table = world.table("slack.channels")
    open_channels = [
        table[k]
        for k in sorted(table)
        if not (table[k]["is_archived"] or table[k]["is_general"] or table[k]["is_private"])
    ]
    channel = rng.choice(open_channels)
    inputs = {"company": company["name"], "channel": channel["name"], **web.requester(rng)}
    expected = {"channel_id": channel["id"], "text": revenue_message(company, annual)}
    return {"inputs": inputs, "expected": expected}


def filings_to_hubspot(world: World, rng: random.Random) -> Truth:
    """Three HubSpot companies that file on the site; each one's newest 10-K revenue."""
    rows = sorted(world.table("hubspot.companies").values(), key=lambda r: int(r["id"]))
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["properties"]["name"]] = counts.get(row["properties"]["name"], 0) + 1
    unique = [r for r in rows if counts[r["properties"]["name"]] == 1]
    chosen = rng.sample(unique, 3)
    site = rng.sample(_site_companies(world), 3)
    expected: dict[str, int] = {}
    for crm, filer in zip(chosen, site, strict=True):
        props = crm["properties"]
        adopted = adopt_company(world, filer["cik"], name=props["name"], domain=props.get("domain"))
        expected[crm["id"]] = web.latest_annual(world, adopted)["figures"]["revenue"]
    names = [c["properties"]["name"] for c in chosen]
    inputs = {"names": "; ".join(names), **web.requester(rng)}
    return {"inputs": inputs, "expected": {"revenues": expected, "count": len(expected)}}


def letter_to_crm(world: World, rng: random.Random) -> Truth:
    """An Attio company (one with no duplicate) that files on the site; its newest letter,
    the file name to store it under, and the letter's SHA-256."""
    table = world.table("attio.companies")
    by_domain: dict[str, list[Record]] = {}
    for key in sorted(table):
        domain = table[key]["values"]["domains"][0]["domain"]
        by_domain.setdefault(domain, []).append(table[key])
    crm = rng.choice([rows[0] for rows in by_domain.values() if len(rows) == 1])
    name = crm["values"]["name"][0]["value"]
    filer = rng.choice(_site_companies(world))
    company = adopt_company(
        world, filer["cik"], name=name, domain=crm["values"]["domains"][0]["domain"]
    )
    letter = next(
        f for f in web.company_filings(world, company["cik"]) if f["form"] == web.LETTER_FORM
    )
    data = web.pdf_bytes(company, letter)
    inputs = {"company": name, **web.requester(rng)}
    expected = {
        "record_id": crm["id"]["record_id"],
        "file": f"letters/{letter['accession']}.pdf",
        "title": f"Letter {letter['accession']}",
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
    }
    return {"inputs": inputs, "expected": expected}
