"""A static site of company filings and letters (``filings.apibench.example``), SEC EDGAR style.

Stored tables (see :mod:`mockapis.web.data`): ``web.companies`` (CIK -> company) and
``web.filings`` (accession number -> a 10-K, a 10-Q or a letter, with everything its pages
show). Pages are rendered on request from the rows: ``/`` (company index),
``/Archives/edgar/data/{cik}/`` (a company's filings), ``/Archives/edgar/data/{cik}/{folder}/``
(a filing's documents) and ``/Archives/edgar/data/{cik}/{folder}/{document}`` (a report as
``.htm`` or ``.pdf``, a letter as ``.pdf``; PDFs made with fpdf2, byte-deterministic).

EDGAR's fair-access rules apply (:mod:`mockapis.web.access`): 403 without a User-Agent that
declares a contact e-mail, and 403 above 10 requests a second (episode clock). Other services
of the episode (the reader) fetch its pages through ``mockapis.kit.fetch``.
"""

from mockapis.service import Service
from mockapis.web.data import DEFAULT_SIZES, seed
from mockapis.web.errors import error_response, render_error
from mockapis.web.site import ROUTES

__all__ = ["SERVICE"]

SERVICE = Service(
    name="web",
    hosts=("filings.apibench.example",),
    routes=ROUTES,
    spec="web.openapi.yaml",
    render_error=render_error,
    error_response=error_response,
    seed=seed,
    description="A static site of company filings (HTML and PDF) and letters, EDGAR style: "
    "a declared User-Agent and at most 10 requests a second.",
    default_sizes=DEFAULT_SIZES,
)
