"""Turning a fetched document into what the reader returns: markdown, HTML or text.

HTML goes through BeautifulSoup (``X-Remove-Selector`` first, then ``X-Target-Selector``;
relative links made absolute) and markdownify; PDFs through pypdf (their text, whatever the
format asked, as Jina does).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from urllib.parse import urljoin

import pypdf
from bs4 import BeautifulSoup, Tag
from markdownify import markdownify
from soupsieve import SelectorSyntaxError

from mockapis.reader.errors import reader_error

__all__ = ["FORMATS", "Page", "from_html", "from_pdf", "from_text"]

FORMATS = ("markdown", "html", "text")
"""The supported ``X-Return-Format`` values (``markdown`` is the default)."""


@dataclass(frozen=True)
class Page:
    """A converted document: its title, description, body in the asked format, and the
    number of pages (PDFs only)."""

    title: str
    description: str
    body: str
    num_pages: int | None = None


def from_html(
    html: str, url: str, fmt: str, *, target: str | None = None, remove: str | None = None
) -> Page:
    """An HTML page in ``fmt``, after the CSS selectors ``remove`` and ``target``."""
    soup = BeautifulSoup(html, "html.parser")
    title = soup.title.get_text(strip=True) if soup.title else ""
    meta = soup.find("meta", attrs={"name": "description"})
    description = str(meta.get("content", "")) if isinstance(meta, Tag) else ""
    for tag in soup(["script", "style", "noscript", "template"]):
        tag.decompose()
    if remove:
        for tag in _select(soup, remove, "X-Remove-Selector"):
            tag.decompose()
    for tag in soup.find_all(["a", "img"]):
        attr = "href" if tag.name == "a" else "src"
        value = tag.get(attr)
        if isinstance(value, str) and value and not value.startswith(("#", "data:", "javascript:")):
            tag[attr] = urljoin(url, value)
    if target:
        parts: list[Tag] = _select(soup, target, "X-Target-Selector")
        if not parts:
            raise reader_error(
                "target_failed",
                f"No content available for URL {url}: nothing matches the target selector "
                f"{target!r}",
            )
    else:
        parts = [soup.body or soup]
    if fmt == "html":
        body = "\n".join(str(p) for p in parts) if target else str(soup.html or soup)
    elif fmt == "text":
        body = _tidy("\n".join(p.get_text("\n", strip=True) for p in parts))
    else:
        body = _tidy("\n\n".join(_markdown(p) for p in parts))
    return Page(title, description, body)


def from_pdf(data: bytes, url: str) -> Page:
    """A PDF's text (pages separated by blank lines) and its metadata title."""
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
        title = str(reader.metadata.title or "") if reader.metadata else ""
    except (pypdf.errors.PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise reader_error("target_failed", f"Failed to parse PDF from {url}: {exc}") from None
    return Page(title, "", _tidy("\n\n".join(p.strip() for p in pages)), num_pages=len(pages))


def from_text(text: str) -> Page:
    """A plain-text (or JSON, XML ...) document as it is."""
    return Page("", "", text.strip())


def _select(soup: BeautifulSoup, selector: str, header: str) -> list[Tag]:
    try:
        return list(soup.select(selector))
    except (SelectorSyntaxError, ValueError) as exc:
        raise reader_error(
            "invalid_param", f"Invalid CSS selector in {header}: {selector!r} ({exc})"
        ) from None


def _markdown(tag: Tag) -> str:
    return str(markdownify(str(tag), heading_style="ATX", bullets="*"))


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
