"""File bytes to model material: PDFs through pypdf, HTML to text, UTF-8 text as is."""

from __future__ import annotations

import io
import logging

from bs4 import BeautifulSoup
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from mockapis.openai.errors import oai_error
from mockapis.openai.simulator import Source

__all__ = ["to_source"]

_IMAGES = ("png", "jpg", "jpeg", "gif", "webp")
# pypdf reports recoverable oddities of malformed files as warnings through logging.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def _extension(filename: str) -> str:
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[1].lower() if "." in base.strip(".") else ""


def _pdf_text(data: bytes, param: str) -> str:
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    # A broken PDF makes pypdf raise its own errors or, deeper in, these built-in ones.
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        IndexError,
        AttributeError,
        RecursionError,
    ):
        raise oai_error(
            400, "The file could not be parsed as a PDF.", param=param, code="invalid_file"
        ) from None
    return "\n\n".join(p.strip() for p in pages if p.strip())


def to_source(data: bytes, filename: str, media_type: str, param: str) -> Source:
    """The material of a file given to the model (``param`` names it in errors): PDF text,
    HTML's visible text, or UTF-8 text (CSV and JSON kept for table-filling); images and
    other binary files are a 400."""
    ext = _extension(filename)
    media = media_type.partition(";")[0].strip().lower()
    if data.startswith(b"%PDF-") or ext == "pdf" or media == "application/pdf":
        return Source(_pdf_text(data, param), "file")
    if ext in _IMAGES or media.startswith("image/"):
        raise oai_error(
            400,
            f"Invalid input file {filename!r}: images are given as input_image parts, "
            "not input_file.",
            param=param,
            code="invalid_value",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise oai_error(
            400,
            f"Unsupported file {filename!r}: input_file takes PDF or UTF-8 text files "
            "(txt, md, csv, json, html, ...).",
            param=param,
            code="unsupported_file",
        ) from None
    if ext in ("html", "htm") or media == "text/html":
        return Source(BeautifulSoup(text, "html.parser").get_text("\n"), "file")
    if ext == "csv" or media == "text/csv":
        return Source(text, "csv")
    if ext == "json" or media == "application/json":
        return Source(text, "json")
    return Source(text, "file")
