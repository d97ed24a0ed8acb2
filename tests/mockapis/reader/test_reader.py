"""The reader in-process, reading the filings site: framing, formats, selectors, JSON, PDFs,
the target's errors, unreachable hosts, keys and the per-minute rate limits."""

from __future__ import annotations

import json

from mockapis.web.data import company_filings
from tests.mockapis.web.conftest import SITE, Site


def _report_url(site: Site, form: str = "10-K", ext: str = ".htm") -> tuple[str, dict[str, object]]:
    cik = str(site.company["cik"])
    filing = next(f for f in company_filings(site.world, cik) if f["form"] == form)
    doc = next(d for d in filing["documents"] if d.endswith(ext))
    return f"{SITE}/Archives/edgar/data/{cik}/{filing['accession'].replace('-', '')}/{doc}", filing


def test_markdown_is_framed_like_jina(site: Site) -> None:
    url, filing = _report_url(site)
    reply = site.read(url)
    assert reply.status == 200
    assert reply.headers["content-type"] == "text/plain; charset=utf-8"
    text = reply.raw.decode()
    title, source, rest = text.split("\n\n", 2)
    assert (
        title == f"Title: {site.company['name']} | Form 10-K | Fiscal year {filing['fiscal_year']}"
    )
    assert source == f"URL Source: {url}"
    assert rest.startswith("Markdown Content:\n")
    figures = filing["figures"]
    assert isinstance(figures, dict)
    assert f"| Total revenue | ${figures['revenue']:,} |" in text
    assert f"[{site.company['name']}]({SITE}/Archives/edgar/data/" in text  # links made absolute


def test_json_envelope(site: Site) -> None:
    url, _ = _report_url(site)
    body = site.read(url, Accept="application/json").json
    assert body["code"] == 200 and body["status"] == 20000
    data = body["data"]
    assert data["url"] == url and "Total revenue" in data["content"]
    assert data["usage"]["tokens"] > 0 and "warning" not in data


def test_html_and_text_formats_are_unframed(site: Site) -> None:
    url, _ = _report_url(site)
    html = site.read(url, X_Return_Format="html").raw.decode()
    assert html.startswith("<html") and "<table" in html and "Title:" not in html
    text = site.read(url, X_Return_Format="text").raw.decode()
    assert "Total revenue" in text and "<" not in text and not text.startswith("Title:")
    bad = site.read(url, X_Return_Format="screenshot")
    assert bad.status == 400 and bad.json["name"] == "ParamValidationError"
    assert bad.json["status"] == 40001 and bad.json["data"] is None


def test_selectors(site: Site) -> None:
    url, _ = _report_url(site)
    only = site.read(url, X_Target_Selector="table.figures").raw.decode()
    content = only.split("Markdown Content:\n", 1)[1]
    assert content.startswith("| Item | Value |") and "Item 1." not in content
    trimmed = site.read(url, X_Remove_Selector="nav, footer").raw.decode()
    assert "Automated access must declare" not in trimmed and "Total revenue" in trimmed
    assert site.read(url, X_Target_Selector="#nothing-here").status == 422
    assert site.read(url, X_Target_Selector="table[").json["name"] == "ParamValidationError"


def test_pdfs_give_their_text(site: Site) -> None:
    url, filing = _report_url(site, ext=".pdf")
    text = site.read(url).raw.decode()
    assert "\n\nNumber of Pages: 1\n\nMarkdown Content:\n" in text
    figures = filing["figures"]
    assert isinstance(figures, dict)
    assert f"Total revenue: ${figures['revenue']:,}" in text
    letter, _ = _report_url(site, form="CORRESP", ext=".pdf")
    data = site.read(letter, Accept="application/json").json["data"]
    assert data["numPages"] == 1 and "Dear " in data["content"]


def test_target_errors_become_warnings(site: Site) -> None:
    reply = site.read(f"{SITE}/Archives/edgar/data/42/")
    assert reply.status == 200
    assert "\n\nWarning: Target URL returned error 404: Not Found\n\nMarkdown Content:\n" in (
        reply.raw.decode()
    )
    data = site.read(f"{SITE}/Archives/edgar/data/42/", Accept="application/json").json["data"]
    assert data["warning"] == "Target URL returned error 404: Not Found"


def test_unreachable_hosts_and_bad_urls(site: Site) -> None:
    reply = site.read("https://www.sec.gov/")
    assert reply.status == 422
    assert reply.json["name"] == "AssertionFailureError" and reply.json["status"] == 42206
    assert "net::ERR_NAME_NOT_RESOLVED" in reply.json["message"]
    assert site.read("ftp://filings.apibench.example/").status == 400
    assert site.read("https://").status == 400


def test_url_forms(site: Site) -> None:
    bare = site.read("filings.apibench.example/")
    assert (
        bare.status == 200
        and "URL Source: https://filings.apibench.example/\n" in bare.raw.decode()
    )
    collapsed = site.read("https:/filings.apibench.example/")
    assert "URL Source: https://filings.apibench.example/\n" in collapsed.raw.decode()


def test_timeout_header(site: Site) -> None:
    assert site.read(f"{SITE}/", X_Timeout="10").status == 200
    assert site.read(f"{SITE}/", X_Timeout="1000").status == 400
    assert site.read(f"{SITE}/", X_Timeout="soon").status == 400


def test_anonymous_rate_limit_and_keys(site: Site) -> None:
    assert [site.read(f"{SITE}/").status for _ in range(20)] == [200] * 20
    limited = site.read(f"{SITE}/")
    assert limited.status == 429
    assert limited.json["name"] == "RateLimitTriggeredError" and limited.json["status"] == 42903
    retry = int(limited.headers["retry-after"])
    assert limited.json["retryAfter"] == retry and 1 <= retry <= 60
    auth = {"Authorization": f"Bearer {site.reader_key}"}
    assert all(site.read(f"{SITE}/", **auth).status == 200 for _ in range(30))
    bad = site.read(f"{SITE}/", Authorization="Bearer jina_nope")
    assert bad.status == 401 and bad.json["name"] == "AuthenticationFailedError"
    site.wait(retry)
    assert site.read(f"{SITE}/").status == 200


def test_index(site: Site) -> None:
    reply = site.read("")
    assert reply.status == 200 and reply.raw.startswith(b"[Usage1] https://r.jina.ai/YOUR_URL")
    assert json.loads(site.read("", Accept="application/json").raw)["usage1"]
