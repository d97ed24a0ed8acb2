"""Reference solutions of the filings-site scenarios: HTTP only, with a declared User-Agent
and paced under 10 requests a second (the naive ones fire back to back, or read the wrong
filing)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gym_apibench.scenarios import family_module
from gym_apibench.solving import Solution, body_bytes

# Loaded by path at run time (scenario folders are not packages); typed as modules to mypy.
if TYPE_CHECKING:
    from scenarios.web import client
else:
    client = family_module(Path(__file__).parent, "client")


def download_filings(task: dict[str, Any], *, paced: bool = True) -> Solution:
    """Index -> company page -> every filing's PDF; SHA-256 of each."""
    site = client.Site(task, paced=paced)
    index = yield from site.get("/")
    page = yield from site.get(client.company_path(index["body"], task["inputs"]["company"]))
    digests = {}
    for filing in client.filings(page["body"]):
        pdf = next(d for d in filing["docs"] if d.endswith(".pdf"))
        obs = yield from site.get(pdf)
        digests[filing["accession"]] = hashlib.sha256(body_bytes(obs)).hexdigest()
    yield {"submit": digests}


def download_filings_unpaced(task: dict[str, Any]) -> Solution:
    """The same, without pacing: blocked after the tenth request of a second."""
    yield from download_filings(task, paced=False)


def annual_revenue(task: dict[str, Any], *, newest_only: bool = False) -> Solution:
    """Index -> company page -> the newest 10-K's HTML -> its figures."""
    site = client.Site(task)
    index = yield from site.get("/")
    page = yield from site.get(client.company_path(index["body"], task["inputs"]["company"]))
    rows = client.filings(page["body"])
    if not newest_only:
        rows = [f for f in rows if f["form"] == "10-K"]
    reports = [f for f in rows if any(d.endswith(".htm") for d in f["docs"])]
    htm = next(d for d in reports[0]["docs"] if d.endswith(".htm"))
    report = yield from site.get(htm)
    found = client.figures(report["body"])
    yield {
        "submit": {
            "fiscal_year": int(found["Fiscal year"]),
            "revenue": client.dollars(found["Total revenue"]),
        }
    }


def annual_revenue_newest_filing(task: dict[str, Any]) -> Solution:
    """The newest report's figures, whatever its form (usually a quarter's)."""
    yield from annual_revenue(task, newest_only=True)
