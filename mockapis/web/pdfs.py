"""The site's PDF documents (fpdf2): reports and letters, byte for byte the same per row.

Determinism: the creation date is the filing date (drawn from the episode's epoch), fpdf2's
document id is a hash of the content, and nothing else varies. They are ordinary binary PDFs
(compressed streams): the gym observes them as base64 (see ``gym_apibench.bodies``).
"""

from __future__ import annotations

import datetime as dt

from fpdf import FPDF

from mockapis.tables import Record
from mockapis.web.pages import SITE_NAME, report_lines, report_title

__all__ = ["letter_pdf", "report_pdf"]


def _document(title: str, filed: str) -> FPDF:
    pdf = FPDF(format="Letter")
    pdf.set_creation_date(dt.datetime.fromisoformat(filed).replace(tzinfo=dt.UTC))
    pdf.set_title(title)
    pdf.set_author(SITE_NAME)
    pdf.set_margins(22, 20)
    pdf.add_page()
    return pdf


def _ascii(text: str) -> str:
    return text.encode("ascii", "replace").decode("ascii")


def _finish(pdf: FPDF) -> bytes:
    return bytes(pdf.output())


def _para(pdf: FPDF, text: str, *, size: int = 11, style: str = "", gap: float = 3) -> None:
    pdf.set_font("helvetica", style=style, size=size)
    pdf.multi_cell(0, size * 0.5, _ascii(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(gap)


def report_pdf(company: Record, filing: Record) -> bytes:
    """A 10-K or 10-Q as PDF: the same content as its HTML version."""
    pdf = _document(report_title(company, filing), filing["filed"])
    kind = "Annual report" if filing["form"] == "10-K" else "Quarterly report"
    _para(pdf, str(company["name"]).upper(), size=16, style="B")
    _para(pdf, f"Form {filing['form']}: {kind} for the period ended {filing['period']}")
    _para(
        pdf,
        f"CIK {company['cik']} | Ticker {company['ticker']} | Accession number "
        f"{filing['accession']} | Filed {filing['filed']}",
        size=9,
    )
    _para(pdf, "Selected financial data", size=13, style="B")
    for label, value in report_lines(company, filing):
        _para(pdf, f"{label}: {value}", gap=1)
    pdf.ln(3)
    for i, section in enumerate(filing["sections"]):
        _para(pdf, f"Item {i + 1}. {section['title']}", size=13, style="B")
        _para(pdf, section["text"])
    return _finish(pdf)


def letter_pdf(company: Record, filing: Record) -> bytes:
    """A letter (``CORRESP``) to the company about one of its reports, as PDF."""
    letter = filing["letter"]
    pdf = _document(f"{company['name']} | Letter {filing['accession']}", filing["filed"])
    _para(pdf, f"{SITE_NAME} | Division of Corporation Finance | {letter['office']}", size=9)
    _para(pdf, dt.date.fromisoformat(filing["filed"]).strftime("%B %d, %Y").replace(" 0", " "))
    _para(
        pdf,
        f"{letter['addressee']}\n{letter['title']}\n{company['name']}\n{company['address']}",
        gap=5,
    )
    _para(pdf, f"Re: {company['name']}\n{letter['subject']}\n{letter['reference']}", style="B")
    _para(pdf, f"Dear {letter['addressee']}:")
    for paragraph in letter["paragraphs"]:
        _para(pdf, paragraph)
    _para(pdf, f"Sincerely,\n\n{letter['signer']}\n{letter['office']}", gap=0)
    return _finish(pdf)
