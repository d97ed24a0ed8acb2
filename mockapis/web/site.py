"""The site's routes: the company index, a company's filings, a filing's documents, and the
documents themselves (HTML or PDF), every one behind the fair-access checks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from mockapis.tables import Record
from mockapis.web import pages, pdfs
from mockapis.web.access import refusal
from mockapis.web.data import COMPANIES, LETTER_FORM, company_filings, folder
from mockapis.world import World

__all__ = ["ROUTES"]

_CACHE = {"Cache-Control": "public, max-age=600"}
Page = Callable[[Request, World], Response]


class _NotFound(Exception):
    """Nothing at this path: the site's HTML 404."""


def _guarded(page: Page) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        refused = refusal(request)
        if refused is not None:
            return refused
        try:
            return page(request, request.scope["world"])
        except _NotFound:
            return HTMLResponse(pages.not_found_page(request.url.path), 404)

    endpoint.__doc__ = page.__doc__
    return endpoint


def _html(request: Request, text: str) -> Response:
    root = str(request.scope.get("root_path", ""))
    if root:  # served under a path prefix: site-absolute links keep it
        text = text.replace('href="/', f'href="{root}/')
    return HTMLResponse(text, headers=_CACHE)


def _company(world: World, cik: str) -> Record:
    row = world.table(COMPANIES).get(cik.lstrip("0"))
    if row is None:
        raise _NotFound
    return row


def _filing(world: World, company: Record, accession_folder: str) -> Record:
    for filing in company_filings(world, company["cik"]):
        if folder(filing["accession"]) == accession_folder:
            return filing
    raise _NotFound


def home(request: Request, world: World) -> Response:
    """The company index."""
    return _html(request, pages.home_page(world.table(COMPANIES).values()))


def company(request: Request, world: World) -> Response:
    """A company's filings, newest first."""
    row = _company(world, request.path_params["cik"])
    return _html(request, pages.company_page(row, company_filings(world, row["cik"])))


def filing_index(request: Request, world: World) -> Response:
    """The documents of one filing."""
    row = _company(world, request.path_params["cik"])
    return _html(
        request, pages.filing_index_page(row, _filing(world, row, request.path_params["accession"]))
    )


def document(request: Request, world: World) -> Response:
    """One document of a filing: a report as HTML or PDF, or a letter as PDF."""
    row = _company(world, request.path_params["cik"])
    filing = _filing(world, row, request.path_params["accession"])
    name = request.path_params["document"]
    if name not in filing["documents"]:
        raise _NotFound
    if name.endswith(".htm"):
        return _html(request, pages.report_page(row, filing))
    body = (
        pdfs.letter_pdf(row, filing)
        if filing["form"] == LETTER_FORM
        else pdfs.report_pdf(row, filing)
    )
    headers = {**_CACHE, "Content-Disposition": f'inline; filename="{name}"'}
    return Response(body, media_type="application/pdf", headers=headers)


ROUTES = [
    Route("/", _guarded(home), methods=["GET"]),
    Route("/Archives/edgar/data/{cik}/", _guarded(company), methods=["GET"]),
    Route("/Archives/edgar/data/{cik}/{accession}/", _guarded(filing_index), methods=["GET"]),
    Route("/Archives/edgar/data/{cik}/{accession}/{document}", _guarded(document), methods=["GET"]),
]
"""The site's pages (GET also answers HEAD)."""
