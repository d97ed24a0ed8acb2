"""The site's HTML pages: the company index, a company's filings, a filing's documents, the
HTML version of a report, and the refusal pages (undeclared tool, rate threshold, not found)."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from mockapis.tables import Record

__all__ = [
    "SITE_NAME",
    "company_page",
    "company_path",
    "filing_index_page",
    "home_page",
    "money",
    "not_found_page",
    "rate_exceeded_page",
    "report_lines",
    "report_page",
    "report_title",
    "undeclared_tool_page",
]

SITE_NAME = "Filings Archive"
_FORM_NAMES = {
    "10-K": "Annual report",
    "10-Q": "Quarterly report",
    "CORRESP": "Correspondence (letter)",
}


def money(amount: int) -> str:
    """``$1,234,000`` (negative amounts in parentheses, as financial statements write them)."""
    return f"(${-amount:,})" if amount < 0 else f"${amount:,}"


def _layout(title: str, body: str, *, nav: Iterable[tuple[str, str]] = ()) -> str:
    links = " | ".join(f'<a href="{escape(href)}">{escape(text)}</a>' for text, href in nav)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n</head>\n<body>\n"
        f'<nav class="site-nav"><a href="/">{SITE_NAME}</a>{" | " + links if links else ""}</nav>\n'
        f'<main id="content">\n{body}\n</main>\n'
        f'<footer class="site-footer"><p>{SITE_NAME}. Automated access must declare a '
        "User-Agent with a contact e-mail and stay under 10 requests per second.</p></footer>\n"
        "</body>\n</html>\n"
    )


def _table(head: Iterable[str], rows: Iterable[Iterable[str]], cls: str) -> str:
    th = "".join(f"<th>{h}</th>" for h in head)
    trs = "\n".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f'<table class="{cls}">\n<thead><tr>{th}</tr></thead>\n<tbody>\n{trs}\n</tbody>\n</table>'
    )


def company_path(cik: str) -> str:
    """The path of a company's filing index."""
    return f"/Archives/edgar/data/{cik}/"


def home_page(companies: Iterable[Record]) -> str:
    """Every company, by name, with its CIK, ticker and a link to its filings."""
    rows = [
        (
            f'<a href="{company_path(c["cik"])}">{escape(c["name"])}</a>',
            c["cik"],
            escape(c["ticker"]),
            escape(c["industry"]),
        )
        for c in sorted(companies, key=lambda c: str(c["name"]).lower())
    ]
    body = (
        f"<h1>{SITE_NAME}: company index</h1>\n"
        "<p>Periodic reports (10-K, 10-Q) and correspondence of the companies below.</p>\n"
        + _table(("Company", "CIK", "Ticker", "Industry"), rows, "companies")
    )
    return _layout(f"{SITE_NAME} | Company index", body)


def company_page(company: Record, filings: Iterable[Record]) -> str:
    """A company's filings, newest first, with links to every document."""
    base = company_path(company["cik"])
    rows = []
    for f in filings:
        docs = " ".join(
            f'<a href="{base}{f["accession"].replace("-", "")}/{escape(d)}">{escape(d)}</a>'
            for d in f["documents"]
        )
        index = f'<a href="{base}{f["accession"].replace("-", "")}/">{f["accession"]}</a>'
        rows.append(
            (f["form"], _FORM_NAMES.get(f["form"], ""), f["filed"], f["period"] or "", index, docs)
        )
    body = (
        f'<h1 class="company-name">{escape(company["name"])}</h1>\n'
        f'<p class="company-info">CIK: {company["cik"]} | Ticker: {escape(company["ticker"])} | '
        f"State of incorporation: {company['state']} | Industry: {escape(company['industry'])} | "
        f"Fiscal year end: {company['fiscal_year_end']} | "
        f"Website: {escape(company['domain'])}</p>\n"
        + _table(
            ("Form", "Description", "Filed", "Period", "Accession number", "Documents"),
            rows,
            "filings",
        )
    )
    return _layout(f"{company['name']} | Filings", body, nav=[(company["name"], base)])


def filing_index_page(company: Record, filing: Record) -> str:
    """The documents of one filing."""
    base = company_path(company["cik"])
    here = f"{base}{filing['accession'].replace('-', '')}/"
    rows = [
        (
            f'<a href="{here}{escape(d)}">{escape(d)}</a>',
            "application/pdf" if d.endswith(".pdf") else "text/html",
        )
        for d in filing["documents"]
    ]
    body = (
        f"<h1>{escape(company['name'])}: {filing['form']} filed {filing['filed']}</h1>\n"
        f"<p>Accession number: {filing['accession']} | Period: {filing['period'] or 'n/a'}</p>\n"
        + _table(("Document", "Type"), rows, "documents")
    )
    return _layout(
        f"{company['name']} | {filing['accession']}", body, nav=[(company["name"], base)]
    )


def report_title(company: Record, filing: Record) -> str:
    """The title of a report's document (HTML ``<title>`` and PDF metadata)."""
    if filing["form"] == "10-K":
        return f"{company['name']} | Form 10-K | Fiscal year {filing['fiscal_year']}"
    return f"{company['name']} | Form 10-Q | Q{filing['quarter']} {filing['fiscal_year']}"


def report_lines(company: Record, filing: Record) -> list[tuple[str, str]]:
    """The financial figures of a report as ``(label, value)`` rows."""
    figures = filing["figures"]
    period = "Fiscal year" if filing["form"] == "10-K" else "Quarter"
    rows = [
        (f"{period} ended", filing["period"]),
        ("Fiscal year", str(filing["fiscal_year"])),
        ("Total revenue", money(figures["revenue"])),
        ("Net income (loss)", money(figures["net_income"])),
    ]
    if "total_assets" in figures:
        rows.append(("Total assets", money(figures["total_assets"])))
        rows.append(("Employees", f"{figures['employees']:,}"))
    return rows


def report_page(company: Record, filing: Record) -> str:
    """A 10-K or 10-Q as HTML: cover, figures table, narrative sections."""
    kind = "Annual report" if filing["form"] == "10-K" else "Quarterly report"
    rows = [(escape(label), escape(value)) for label, value in report_lines(company, filing)]
    sections = "\n".join(
        f"<h2>Item {i + 1}. {escape(s['title'])}</h2>\n<p>{escape(s['text'])}</p>"
        for i, s in enumerate(filing["sections"])
    )
    body = (
        f'<section class="cover">\n<h1>{escape(company["name"]).upper()}</h1>\n'
        f"<p>Form {filing['form']}: {kind} for the period ended {filing['period']}</p>\n"
        f"<p>CIK {company['cik']} | Ticker {escape(company['ticker'])} | Accession number "
        f"{filing['accession']} | Filed {filing['filed']}</p>\n</section>\n"
        '<section class="financials">\n<h2>Selected financial data</h2>\n'
        + _table(("Item", "Value"), rows, "figures")
        + f'\n</section>\n<section class="narrative">\n{sections}\n</section>'
    )
    return _layout(
        report_title(company, filing), body, nav=[(company["name"], company_path(company["cik"]))]
    )


def not_found_page(path: str) -> str:
    """The 404 page."""
    body = (
        "<h1>Page not found</h1>\n"
        f"<p>The requested URL {escape(path)} was not found on this server. "
        'Start from the <a href="/">company index</a>.</p>'
    )
    return _layout(f"{SITE_NAME} | Page not found", body)


def undeclared_tool_page() -> str:
    """The 403 page for a request without a declared (contact-bearing) User-Agent."""
    body = (
        "<h1>Your Request Originates from an Undeclared Automated Tool</h1>\n"
        "<p>To allow for equitable access to all users, we reserve the right to limit "
        "requests originating from undeclared automated tools. Your request has been "
        "identified as part of a network of automated tools outside of the acceptable policy "
        "and will be managed until action is taken to declare your traffic.</p>\n"
        "<p>Please declare your traffic by updating your user agent to include company "
        "specific information, for example:</p>\n"
        "<pre>User-Agent: Sample Company Name AdminContact@samplecompany.example</pre>\n"
        "<p>Current guidelines limit each user to a total of no more than 10 requests per "
        "second, regardless of the number of machines used to submit requests.</p>"
    )
    return _layout(f"{SITE_NAME} | Your Request Originates from an Undeclared Automated Tool", body)


def rate_exceeded_page(penalty_seconds: int) -> str:
    """The 403 page for a client over the request rate threshold."""
    body = (
        "<h1>Request Rate Threshold Exceeded</h1>\n"
        "<p>To allow for equitable access to all users, we reserve the right to limit "
        "requests originating from automated tools. Your request rate has exceeded the "
        "threshold of 10 requests per second, and further requests are being refused.</p>\n"
        f"<p>Access resumes once your request rate has stayed below the threshold for "
        f"{penalty_seconds} seconds. Requests sent meanwhile count towards the rate and may "
        "prolong the block.</p>"
    )
    return _layout(f"{SITE_NAME} | Request Rate Threshold Exceeded", body)
