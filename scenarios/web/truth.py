"""Ground truth of the filings-site scenarios, derived from the seeded world.

Inputs come from the site's index (:class:`mockapis.web.data.Filing`); the PDFs' digests are
deferred to grading (rendering a PDF takes milliseconds; the task does not need them).
"""

from __future__ import annotations

import functools
import hashlib
import random
from collections.abc import Callable
from typing import Any

from mockapis.tables import Record
from mockapis.web import pdfs
from mockapis.web.data import COMPANIES, FILINGS, LETTER_FORM, Filing, company_filings, filings_of
from mockapis.world import World

__all__ = [
    "LETTER_FORM",
    "annual_revenue",
    "company_filings",
    "download_filings",
    "filings_of",
    "latest_annual",
    "pdf_bytes",
    "pdf_digest",
    "requester",
    "site_companies",
]

# "expected" may be deferred: computed from the initial world when grading asks for it.
Truth = dict[str, dict[str, Any] | Callable[[World], dict[str, Any]]]

_ORGS = (
    ("Northwind Research", "research.desk@northwind-research.example"),
    ("Bluefin Capital Analytics", "data-ops@bluefin-analytics.example"),
    ("Harbor Street Advisors", "filings@harborstreet.example"),
    ("Quarry Lane Partners", "it-admin@quarrylane.example"),
)


def requester(rng: random.Random) -> dict[str, str]:
    """Who the agent acts for: an organisation and its contact address."""
    org, email = rng.choice(_ORGS)
    return {"org": org, "email": email}


def pdf_bytes(company: Record, filing: Record) -> bytes:
    """The bytes the site serves for a filing's PDF."""
    if filing["form"] == LETTER_FORM:
        return pdfs.letter_pdf(company, filing)
    return pdfs.report_pdf(company, filing)


def pdf_digest(world: World, accession: str) -> tuple[str, int]:
    """The SHA-256 (hex) and size of a filing's PDF as the site serves it in ``world``."""
    filing = world.table(FILINGS)[accession]
    data = pdf_bytes(world.table(COMPANIES)[filing["cik"]], filing)
    return hashlib.sha256(data).hexdigest(), len(data)


def site_companies(world: World) -> list[Record]:
    """The site's companies in CIK order (a stable order for the RNG)."""
    table = world.table(COMPANIES)
    return [table[k] for k in sorted(table, key=str)]


def download_filings(world: World, rng: random.Random) -> Truth:
    """A company with many filings; the SHA-256 of each filing's PDF, by accession number."""
    company = rng.choice(site_companies(world))
    accessions = tuple(f.accession for f in filings_of(world, company["cik"]))
    inputs = {"company": company["name"], **requester(rng)}
    return {"inputs": inputs, "expected": functools.partial(_digests, accessions)}


def _digests(accessions: tuple[str, ...], world: World) -> dict[str, Any]:
    return {"digests": {a: pdf_digest(world, a)[0] for a in accessions}}


def latest_annual(world: World, company: Record) -> Filing:
    """The company's newest 10-K (its index entry)."""
    return next(f for f in filings_of(world, company["cik"]) if f.form == "10-K")


def annual_revenue(world: World, rng: random.Random) -> Truth:
    """A company's fiscal year and revenue from its newest annual report (not the newest
    filing, which is a quarterly report or a letter)."""
    company = rng.choice(site_companies(world))
    annual = latest_annual(world, company)
    inputs = {"company": company["name"], **requester(rng)}
    expected = {"answer": {"fiscal_year": annual.fiscal_year, "revenue": annual.figures["revenue"]}}
    return {"inputs": inputs, "expected": expected}
