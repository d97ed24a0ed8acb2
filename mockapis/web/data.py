"""The seeded filings site: companies, their periodic reports (10-K, 10-Q) and letters.

Everything a page or a PDF shows is stored in the rows, so that rendering needs no
randomness and the same seed gives the same bytes. The site is one lazy source
(:meth:`World.lazy`): the companies and each filing's dates and figures are drawn up front
(the index, :class:`Filing`), a filing's prose (sections, letters) when its row is read.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import re
from collections.abc import Mapping
from typing import NamedTuple

from mockapis import seeding
from mockapis.clock import NS_PER_SECOND
from mockapis.service import resolve_sizes
from mockapis.tables import BuiltTables, LazyRow, Record, index_key
from mockapis.world import World

__all__ = [
    "COMPANIES",
    "DEFAULT_SIZES",
    "FILINGS",
    "LETTER_FORM",
    "Filing",
    "adopt_company",
    "company_filings",
    "filings_of",
    "folder",
    "seed",
]

COMPANIES = "web.companies"
"""CIK (digits, no leading zeros) -> ``{"cik", "name", "ticker", "state", "industry",
"domain", "address", "fiscal_year_end"}``."""
FILINGS = "web.filings"
"""Accession number (``0001234567-24-000012``) -> ``{"accession", "cik", "form", "filed",
"period", "fiscal_year", "quarter", "documents", "figures", "sections" | "letter"}``."""

DEFAULT_SIZES: Mapping[str, int] = {"companies": 8, "filings": 6, "letters": 1}
"""``filings`` and ``letters`` are per company."""

LETTER_FORM = "CORRESP"
_STATES = ("DE", "NY", "CA", "TX", "WA", "MA", "IL", "NV", "CO", "GA")
_INDUSTRIES = (
    "Services-Prepackaged Software",
    "Semiconductors & Related Devices",
    "Retail-Catalog & Mail-Order Houses",
    "Pharmaceutical Preparations",
    "Electric Services",
    "Motor Vehicle Parts & Accessories",
    "Air Courier Services",
    "Food and Kindred Products",
)
_SECTIONS = ("Business", "Risk Factors", "Properties", "Legal Proceedings")


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """``companies`` companies with ``filings`` reports and ``letters`` letters each.

    The site needs no credentials (only a descriptive ``User-Agent``)."""
    counts = resolve_sizes("web", sizes, DEFAULT_SIZES)
    today = dt.datetime.fromtimestamp(world.clock.now_ns // NS_PER_SECOND, tz=dt.UTC).date()
    world.lazy(
        (COMPANIES, FILINGS),
        _site,
        world.seed,
        today.isoformat(),
        counts["companies"],
        counts["filings"],
        counts["letters"],
    )
    return {"type": "none"}


def filings_of(world: World, cik: str) -> list[Filing]:
    """The index entries of company ``cik``'s seeded filings, newest first (as
    :func:`company_filings` orders the rows): for truths, without rendering any."""
    index: Mapping[str, Filing] = world.index(FILINGS)
    rows = [f for f in index.values() if f.cik == cik]
    return sorted(rows, key=lambda f: (f.filed, f.accession), reverse=True)


def company_filings(world: World, cik: str) -> list[Record]:
    """The filings of company ``cik``, newest first (ties: the higher accession first)."""
    rows = [f for f in world.table(FILINGS).values() if f["cik"] == cik]
    return sorted(rows, key=lambda f: (f["filed"], f["accession"]), reverse=True)


def folder(accession: str) -> str:
    """The accession number as its archive folder name (no dashes), as EDGAR writes it."""
    return accession.replace("-", "")


def adopt_company(world: World, cik: str, *, name: str, domain: str | None = None) -> Record:
    """Rename company ``cik`` to ``name`` (and ``domain``): for cross-service scenarios whose
    CRM companies must be the ones the site files for. Returns the new row."""
    row = dict(world.table(COMPANIES)[cik])
    row["name"] = name
    if domain is not None:
        row["domain"] = domain
    world.table(COMPANIES).put(cik, row)
    return row


# -- generation -------------------------------------------------------------------------------


class Filing(NamedTuple):
    """A filing's index entry: its dates and figures, without its prose."""

    accession: str
    cik: str
    form: str
    filed: str
    period: str | None
    fiscal_year: int | None
    quarter: int | None
    documents: tuple[str, ...]
    figures: Mapping[str, int]
    subject: str | None = None
    """A letter's subject (the report it is about); None for a report."""


def _site(
    seed_value: int, today: str, n_companies: int, n_filings: int, n_letters: int
) -> BuiltTables:
    day = dt.date.fromisoformat(today)
    rng = seeding.stream(seed_value, "web", "companies")
    ciks: set[str] = set()
    tickers: set[str] = set()
    companies: dict[str, Record] = {}
    rows: dict[str, LazyRow] = {}
    index: dict[str, Filing] = {}
    for _ in range(n_companies):
        company = _company(rng, ciks, tickers)
        companies[company["cik"]] = company
        reports = _reports(rng, company, day, n_filings)
        letters = _letters(rng, company, reports, day, n_letters)
        prefix = f"{int(company['cik']):010d}-"
        for number, filing in enumerate(sorted([*reports, *letters], key=_filed), 1):
            accession = f"{prefix}{filing['filed'][2:4]}-{number:06d}"
            # The facts in Filing's order (a report has no subject: the default, None).
            entry = Filing(accession, *filing.values())
            rows[accession] = LazyRow(_filing, seed_value, entry)
            index[accession] = entry
    return {COMPANIES: companies, FILINGS: rows, index_key(FILINGS): index}


def _filed(facts: Record) -> str:
    return facts["filed"]  # type: ignore[no-any-return]


def _filing(seed_value: int, entry: Filing) -> Record:
    """A filing's row: its facts, and prose drawn from its own stream."""
    rng = seeding.stream(seed_value, "web", "filing", entry.accession)
    row: Record = entry._asdict()
    subject = row.pop("subject")
    row["documents"] = list(entry.documents)
    row["figures"] = dict(entry.figures)
    if entry.form == LETTER_FORM:
        row["letter"] = {
            "reference": f"File No. 001-{rng.randint(10_000, 99_999)}",
            "subject": subject,
            "addressee": _person(rng),
            "title": rng.choice(("Chief Financial Officer", "Chief Executive Officer")),
            "paragraphs": [seeding.paragraph(rng, rng.randint(3, 5)) for _ in range(3)],
            "signer": _person(rng),
            "office": rng.choice(("Office of Technology", "Office of Manufacturing")),
        }
    else:
        row["sections"] = [
            {"title": title, "text": seeding.paragraph(rng, rng.randint(3, 5))}
            for title in (_SECTIONS if entry.form == "10-K" else _SECTIONS[:2])
        ]
    return row


def _person(rng: random.Random) -> str:
    return f"{seeding.pick(rng, 'first_name')} {seeding.pick(rng, 'last_name')}"


def _company(rng: random.Random, ciks: set[str], tickers: set[str]) -> Record:
    name = seeding.pick(rng, "company")
    cik = str(rng.randrange(1_000_000, 1_999_999))
    while cik in ciks:
        cik = str(int(cik) + 1)
    ciks.add(cik)
    letters = re.sub(r"[^A-Z]", "", name.upper()) or "X"
    ticker = (letters[:3] + rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ"))[: rng.choice((3, 4))]
    while ticker in tickers:
        ticker = ticker[:2] + rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") + ticker[3:]
    tickers.add(ticker)
    slug = re.sub(r"[^a-z0-9]+", "", name.split()[0].lower()) or "company"
    street, city = seeding.pick(rng, "street_address"), seeding.pick(rng, "city")
    return {
        "cik": cik,
        "name": name,
        "ticker": ticker,
        "state": rng.choice(_STATES),
        "industry": rng.choice(_INDUSTRIES),
        "domain": f"{slug}{rng.randint(1, 99)}.example",
        "address": f"{street}, {city}, {rng.choice(_STATES)}",
        "fiscal_year_end": "1231",
    }


@functools.lru_cache(maxsize=16)
def _quarter_ends(today: dt.date) -> tuple[dt.date, ...]:
    """Quarter ends before ``today``, newest first (enough for any report count; a scenario's
    today is the same for every seed and company: cached)."""
    ends = []
    year, quarter = today.year, (today.month - 1) // 3  # the last finished quarter
    for _ in range(80):
        if quarter == 0:
            year, quarter = year - 1, 4
        month = quarter * 3
        ends.append(dt.date(year, month, 31 if month in (3, 12) else 30))
        quarter -= 1
    return tuple(ends)


def _reports(rng: random.Random, company: Record, today: dt.date, count: int) -> list[Record]:
    """The company's newest ``count`` reports' facts (their prose is drawn when rendered)."""
    reports: list[Record] = []
    annual = rng.randrange(40_000, 4_000_000) * 1000  # revenue of the newest fiscal year
    growth = rng.uniform(0.02, 0.25)
    margin = rng.uniform(-0.05, 0.22)
    employees = max(40, annual // rng.randrange(180_000, 600_000))
    for end in _quarter_ends(today):
        if len(reports) == count:
            break
        quarter = (end.month - 1) // 3 + 1
        form = "10-K" if quarter == 4 else "10-Q"
        filed = end + dt.timedelta(
            days=rng.randint(55, 75) if form == "10-K" else rng.randint(30, 44)
        )
        if filed >= today:
            continue
        years_back = today.year - 1 - end.year
        year_revenue = annual / (1 + growth) ** max(0, years_back)
        if form == "10-K":
            revenue = round(year_revenue / 1000) * 1000
            figures = {
                "revenue": revenue,
                "net_income": round(revenue * (margin + rng.uniform(-0.03, 0.03)) / 1000) * 1000,
                "total_assets": round(revenue * rng.uniform(0.8, 2.5) / 1000) * 1000,
                "employees": int(employees / (1 + growth / 2) ** max(0, years_back)),
            }
        else:
            revenue = round(year_revenue * rng.uniform(0.22, 0.27) / 1000) * 1000
            figures = {
                "revenue": revenue,
                "net_income": round(revenue * (margin + rng.uniform(-0.04, 0.04)) / 1000) * 1000,
            }
        period = end.isoformat()
        stem = f"{company['ticker'].lower()}-{period.replace('-', '')}"  # strftime's %Y%m%d
        reports.append(
            {
                "cik": company["cik"],
                "form": form,
                "filed": filed.isoformat(),
                "period": period,
                "fiscal_year": end.year,
                "quarter": None if form == "10-K" else quarter,
                "documents": (f"{stem}.htm", f"{stem}.pdf"),
                "figures": figures,
            }
        )
    return reports


def _letters(
    rng: random.Random, company: Record, reports: list[Record], today: dt.date, count: int
) -> list[Record]:
    """The facts of ``count`` letters about the company's annual reports."""
    annuals = [r for r in reports if r["form"] == "10-K"] or reports
    letters: list[Record] = []
    for k in range(count):
        about = annuals[k % len(annuals)] if annuals else None
        base = dt.date.fromisoformat(about["filed"]) if about else today - dt.timedelta(days=400)
        filed = min(base + dt.timedelta(days=rng.randint(20, 60)), today - dt.timedelta(days=1))
        letters.append(
            {
                "cik": company["cik"],
                "form": LETTER_FORM,
                "filed": filed.isoformat(),
                "period": None,
                "fiscal_year": None,
                "quarter": None,
                "documents": (f"filename{k + 1}.pdf",),
                "figures": {},
                "subject": f"Form {about['form']} for the fiscal year ended {about['period']}"
                if about
                else "General correspondence",
            }
        )
    return letters
