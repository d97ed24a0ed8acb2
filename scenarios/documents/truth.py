"""Ground truth of the cross-service document workflows, derived from the seeded world.

Where a workflow joins the filings site to a CRM, the truth names a few site companies
after CRM companies (``mockapis.web.data.adopt_company``): in this episode's world, those
CRM companies are the ones that file on the site."""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gym_apibench.scenarios import family_module
from mockapis.attio.data import company_index
from mockapis.slack.data import Channel
from mockapis.tables import Record
from mockapis.web.data import Filing, adopt_company
from mockapis.world import World

# "expected" may be deferred: computed from the initial world when grading asks for it.
Truth = dict[str, dict[str, Any] | Callable[[World], dict[str, Any]]]

# Loaded by path at run time (scenario folders are not packages); typed as modules to mypy.
if TYPE_CHECKING:
    from scenarios.web import truth as web
else:
    web = family_module(Path(__file__).parent.parent / "web", "truth")


def _site_companies(world: World) -> list[Record]:
    return web.site_companies(world)


def revenue_message(company: Record, annual: Filing) -> str:
    """The Slack message of the filing-to-Slack workflow."""
    return f"{company['name']} FY{annual.fiscal_year} revenue: ${annual.figures['revenue']:,}"


def filing_to_slack(world: World, rng: random.Random) -> Truth:
    """A company's newest 10-K figures, to post in an open public channel."""
    company = rng.choice(_site_companies(world))
    annual = web.latest_annual(world, company)
    index: Mapping[str, Channel] = world.index("slack.channels")
    open_channels = [
        index[k]
        for k in sorted(index)
        if not (index[k].is_archived or index[k].is_general or index[k].is_private)
    ]
    channel = rng.choice(open_channels)
    inputs = {"company": company["name"], "channel": channel.name, **web.requester(rng)}
    expected = {"channel_id": channel.id, "text": revenue_message(company, annual)}
    return {"inputs": inputs, "expected": expected}


def filings_to_hubspot(world: World, rng: random.Random) -> Truth:
    """Three HubSpot companies that file on the site; each one's newest 10-K revenue."""
    # HubSpot's companies index: each one's id, name and domain (no record rendered).
    rows = sorted(world.index("hubspot.companies").values(), key=lambda r: int(r.id))
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.name] = counts.get(row.name, 0) + 1
    unique = [r for r in rows if counts[r.name] == 1]
    chosen = rng.sample(unique, 3)
    site = rng.sample(_site_companies(world), 3)
    expected: dict[str, int] = {}
    for crm, filer in zip(chosen, site, strict=True):
        adopted = adopt_company(world, filer["cik"], name=crm.name, domain=crm.domain)
        expected[crm.id] = web.latest_annual(world, adopted).figures["revenue"]
    names = [c.name for c in chosen]
    inputs = {"names": "; ".join(names), **web.requester(rng)}
    return {"inputs": inputs, "expected": {"revenues": expected, "count": len(expected)}}


def letter_to_crm(world: World, rng: random.Random) -> Truth:
    """An Attio company (one with no duplicate) that files on the site; its newest letter,
    the file name to store it under, and the letter's SHA-256 (deferred to grading: the PDF
    is rendered then)."""
    companies = company_index(world)
    crm = rng.choice(companies.unique_domains())  # in row order: stable, as the RNG needs
    name = companies.name(crm)
    filer = rng.choice(_site_companies(world))
    company = adopt_company(world, filer["cik"], name=name, domain=companies.domain(crm))
    letter = next(f for f in web.filings_of(world, company["cik"]) if f.form == web.LETTER_FORM)
    inputs = {"company": name, **web.requester(rng)}
    expected = {
        "record_id": companies.record_id(crm),
        "file": f"letters/{letter.accession}.pdf",
        "title": f"Letter {letter.accession}",
    }
    return {"inputs": inputs, "expected": functools.partial(_with_digest, expected, letter)}


def _with_digest(expected: dict[str, Any], letter: Filing, world: World) -> dict[str, Any]:
    sha256, size = web.pdf_digest(world, letter.accession)
    return {**expected, "sha256": sha256, "size": size}
