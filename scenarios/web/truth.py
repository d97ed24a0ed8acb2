"""Ground truth of the filings-site scenarios, derived from the seeded world."""

from __future__ import annotations

import hashlib
import random
from typing import Any

from mockapis.web import pdfs
from mockapis.web.data import COMPANIES, LETTER_FORM, company_filings

__all__ = [
    "LETTER_FORM",
    "annual_revenue",
    "company_filings",
    "download_filings",
    "latest_annual",
    "pdf_bytes",
    "requester",
]
from mockapis.world import Record, World

Truth = dict[str, dict[str, Any]]

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


def download_filings(world: World, rng: random.Random) -> Truth:
    """A company with many filings; the SHA-256 of each filing's PDF, by accession number."""
    companies = sorted(world.table(COMPANIES).values(), key=lambda c: str(c["cik"]))
    company = rng.choice(companies)
    digests = {
        f["accession"]: hashlib.sha256(pdf_bytes(company, f)).hexdigest()
        for f in company_filings(world, company["cik"])
    }
    inputs = {"company": company["name"], **requester(rng)}
    return {"inputs": inputs, "expected": {"digests": digests}}


def latest_annual(world: World, company: Record) -> Record:
    """The company's newest 10-K."""
    return next(f for f in company_filings(world, company["cik"]) if f["form"] == "10-K")


def annual_revenue(world: World, rng: random.Random) -> Truth:
    """A company's fiscal year and revenue from its newest annual report (not the newest
    filing, which is a quarterly report or a letter)."""
    companies = sorted(world.table(COMPANIES).values(), key=lambda c: str(c["cik"]))
    company = rng.choice(companies)
    annual = latest_annual(world, company)
    inputs = {"company": company["name"], **requester(rng)}
    expected = {
        "answer": {
            "fiscal_year": annual["fiscal_year"],
            "revenue": annual["figures"]["revenue"],
        }
    }
    return {"inputs": inputs, "expected": expected}
