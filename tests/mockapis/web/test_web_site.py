"""The filings site in-process: pages and links, documents (HTML and byte-stable binary PDFs),
the declared User-Agent and the 10-requests-a-second threshold."""

from __future__ import annotations

import io
import re

import pypdf

from mockapis.web.data import company_filings
from tests.inprocess import call
from tests.mockapis.web.conftest import SITE, UA, Site


def test_home_lists_every_company_with_a_link(site: Site) -> None:
    reply = site.get("/")
    assert reply.status == 200
    assert reply.headers["content-type"].startswith("text/html")
    companies = site.world.table("web.companies")
    for cik, row in companies.items():
        assert f'href="/Archives/edgar/data/{cik}/"' in reply.raw.decode()
        assert row["ticker"] in reply.raw.decode()
    assert len(companies) == 8


def test_undeclared_user_agents_are_refused(site: Site) -> None:
    for ua in (None, "python-requests/2.32.3", "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0",
               "ops@acme.example"):  # fmt: skip
        reply = site.get("/", ua=ua)
        assert reply.status == 403, ua
        assert b"Undeclared Automated Tool" in reply.raw
    assert site.get("/", ua="Sample Company Name AdminContact@samplecompany.example").status == 200


def test_the_eleventh_request_of_a_second_is_refused_then_blocked(site: Site) -> None:
    statuses = [site.get("/").status for _ in range(11)]
    assert statuses == [200] * 10 + [403]
    reply = site.get("/")
    assert reply.status == 403 and b"Request Rate Threshold Exceeded" in reply.raw
    assert "retry-after" not in reply.headers
    site.wait(30)
    assert site.get("/").status == 403  # still blocked: the block lasts 60 seconds
    site.wait(31)
    assert site.get("/").status == 200


def test_pacing_ten_a_second_is_never_refused(site: Site) -> None:
    for _ in range(4):
        assert [site.get("/").status for _ in range(10)] == [200] * 10
        site.wait(1)


def test_company_page_links_every_document(site: Site) -> None:
    cik = str(site.company["cik"])
    reply = site.get(f"/Archives/edgar/data/{cik}/")
    assert reply.status == 200
    links = site.links(reply)
    for filing in company_filings(site.world, cik):
        folder = filing["accession"].replace("-", "")
        for doc in filing["documents"]:
            assert f"/Archives/edgar/data/{cik}/{folder}/{doc}" in links
    assert site.get(f"/Archives/edgar/data/{int(cik):010d}/").status == 200  # leading zeros
    missing = site.get("/Archives/edgar/data/42/")
    assert missing.status == 404 and b"Page not found" in missing.raw


def test_filing_index_and_unknown_documents(site: Site) -> None:
    cik = str(site.company["cik"])
    filing = company_filings(site.world, cik)[0]
    base = f"/Archives/edgar/data/{cik}/{filing['accession'].replace('-', '')}/"
    index = site.get(base)
    assert index.status == 200
    assert all(f"{base}{doc}" in site.links(index) for doc in filing["documents"])
    assert site.get(base + "nothing.pdf").status == 404
    assert site.get(f"/Archives/edgar/data/{cik}/000000000000000000/").status == 404


def _report(site: Site) -> tuple[str, dict[str, object]]:
    cik = str(site.company["cik"])
    filing = next(f for f in company_filings(site.world, cik) if f["form"] == "10-K")
    base = f"/Archives/edgar/data/{cik}/{filing['accession'].replace('-', '')}/"
    return base, filing


def test_report_html_shows_the_figures(site: Site) -> None:
    base, filing = _report(site)
    docs = filing["documents"]
    assert isinstance(docs, list)
    reply = site.get(base + docs[0])
    figures = filing["figures"]
    assert isinstance(figures, dict)
    text = reply.raw.decode()
    assert f"<td>Total revenue</td><td>${figures['revenue']:,}</td>" in text
    assert f"<td>Fiscal year</td><td>{filing['fiscal_year']}</td>" in text
    assert re.search(r"<title>.*Form 10-K \| Fiscal year \d{4}</title>", text)


def test_pdfs_are_binary_parseable_and_byte_stable(site: Site) -> None:
    base, filing = _report(site)
    docs = filing["documents"]
    assert isinstance(docs, list)
    reply = site.get(base + docs[1])
    assert reply.status == 200
    assert reply.headers["content-type"] == "application/pdf"
    assert reply.raw.startswith(b"%PDF-") and reply.raw.rstrip().endswith(b"%%EOF")
    assert any(byte >= 128 for byte in reply.raw)  # compressed streams: not text
    figures = filing["figures"]
    assert isinstance(figures, dict)
    text = pypdf.PdfReader(io.BytesIO(reply.raw)).pages[0].extract_text()
    assert f"Total revenue: ${figures['revenue']:,}" in text
    again = Site(0)
    assert again.get(base + docs[1]).raw == reply.raw  # same seed, same bytes
    other = Site(1)
    assert other.get("/").raw != site.get("/").raw  # another seed, another site


def test_letters_are_pdfs_addressed_to_the_company(site: Site) -> None:
    cik = str(site.company["cik"])
    letter = next(f for f in company_filings(site.world, cik) if f["form"] == "CORRESP")
    path = f"/Archives/edgar/data/{cik}/{letter['accession'].replace('-', '')}/filename1.pdf"
    reply = site.get(path)
    assert reply.status == 200 and reply.headers["content-type"] == "application/pdf"
    pdf = pypdf.PdfReader(io.BytesIO(reply.raw))
    assert pdf.metadata is not None and str(site.company["name"]) in str(pdf.metadata.title)
    assert f"Dear {letter['letter']['addressee']}:" in pdf.pages[0].extract_text()
    assert site.get(path.replace(".pdf", ".htm")).status == 404


def test_unknown_paths_and_methods(site: Site) -> None:
    unknown = site.get("/cgi-bin/browse-edgar")
    assert unknown.status == 404 and b"Page not found" in unknown.raw
    assert unknown.headers["content-type"].startswith("text/html")
    reply = site.get("/Archives/edgar/data/1/2/3/4")
    assert reply.status == 404
    posted = call(site.gateway, "POST", SITE + "/", [("User-Agent", UA)])
    assert posted.status == 405 and posted.headers["allow"] == "GET, HEAD"
    assert posted.headers["content-type"].startswith("text/html")
