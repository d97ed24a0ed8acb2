"""``GET /{url}``: fetch the target URL (through the episode's simulated internet) and return
it as markdown, HTML or text, framed as Jina Reader frames it, or in its JSON envelope.

- The target is the request's path after the first ``/`` plus its query string; a missing
  scheme means ``https``; ``https:/host`` (a slash collapsed by a proxy) is repaired.
- Options come from headers: ``X-Return-Format``, ``X-Target-Selector``,
  ``X-Remove-Selector``, ``X-Timeout`` (1-180 s), ``X-No-Cache`` (pages are never cached
  here, so it changes nothing), ``Accept: application/json`` for the envelope.
- A host no service of the episode serves: 422 ``AssertionFailureError``
  (``net::ERR_NAME_NOT_RESOLVED``). A target answering 4xx/5xx is still converted, with a
  ``Warning: Target URL returned error ...`` line (``warning`` in JSON), as Jina does.
"""

from __future__ import annotations

import math
import re
from http import HTTPStatus
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from mockapis.kit.auth import header_value
from mockapis.kit.fetch import Fetched, FetchFailed, fetch
from mockapis.kit.responses import JSONResponse
from mockapis.reader.access import admit
from mockapis.reader.convert import FORMATS, Page, from_html, from_pdf, from_text
from mockapis.reader.errors import reader_error

__all__ = ["ROUTES", "USER_AGENT", "target_url"]

USER_AGENT = "Mozilla/5.0 (compatible; JinaReader/1.0; +https://jina.ai/reader) reader@jina.ai"
"""What the reader sends to targets: it declares itself, with a contact address."""
MAX_TIMEOUT = 180
_TEXT = "text/plain; charset=utf-8"
_REDUNDANT_SCHEME = re.compile(r"^(?:(?:https?:/+)|(?:view-source:))+(https?:/+)", re.IGNORECASE)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):/*", re.IGNORECASE)
_NET_ERRORS = {
    "connection_reset": "ERR_CONNECTION_RESET",
    "connection_refused": "ERR_CONNECTION_REFUSED",
    "read_timeout": "ERR_TIMED_OUT",
}
"""Transport faults on the target as Chrome names them (the rest: ``ERR_EMPTY_RESPONSE``)."""


def _wants_json(request: Request) -> bool:
    accept = (header_value(request, b"accept") or "").lower()
    return "application/json" in accept or "text/json" in accept


async def index(request: Request) -> Response:
    """The usage index (no target URL given)."""
    admit(request)
    usage = {"usage1": "https://r.jina.ai/YOUR_URL", "homepage": "https://jina.ai/reader"}
    if _wants_json(request):
        return JSONResponse(usage)
    return PlainTextResponse(
        "".join(f"[{k[0].upper()}{k[1:]}] {v}\n" for k, v in usage.items()), media_type=_TEXT
    )


def target_url(request: Request) -> str:
    """The absolute target URL of this request, or the reader's 400."""
    raw = str(request.path_params.get("url", ""))
    query = request.scope.get("query_string", b"").decode("latin-1")
    if query:
        raw += "?" + query
    raw = _REDUNDANT_SCHEME.sub(r"\1", raw.strip())
    found = _SCHEME.match(raw)
    if found is None or "." in found.group(1):
        raw = "https://" + raw.lstrip("/")
        found = _SCHEME.match(raw)
    assert found is not None
    scheme = found.group(1).lower()
    if scheme not in ("http", "https"):
        raise reader_error(
            "invalid_param", f"Invalid protocol {scheme}: only http and https URLs can be read"
        )
    rest = raw[found.end() :]
    host = re.split(r"[/?#]", rest, maxsplit=1)[0]
    if not host or not re.fullmatch(r"[A-Za-z0-9.-]+(:\d{1,5})?", host) or host.startswith("."):
        raise reader_error("invalid_param", f"Invalid URL: {raw!r} has no valid host name")
    return f"{scheme}://{rest}"


def _options(request: Request) -> dict[str, Any]:
    fmt = (header_value(request, b"x-return-format") or "markdown").strip().lower()
    if fmt not in FORMATS:
        raise reader_error(
            "invalid_param",
            f"Invalid X-Return-Format {fmt!r}: supported formats are {', '.join(FORMATS)}",
        )
    timeout = header_value(request, b"x-timeout")
    if timeout is not None:
        try:
            seconds = float(timeout)
        except ValueError:
            seconds = math.nan
        if not 0 < seconds <= MAX_TIMEOUT:
            raise reader_error(
                "invalid_param",
                f"Invalid X-Timeout {timeout!r}: a number of seconds, at most {MAX_TIMEOUT}",
            )
    return {
        "fmt": fmt,
        "target": (header_value(request, b"x-target-selector") or "").strip() or None,
        "remove": (header_value(request, b"x-remove-selector") or "").strip() or None,
    }


async def read(request: Request) -> Response:
    """Read the target URL as markdown (default), HTML or text."""
    admit(request)
    url = target_url(request)
    options = _options(request)
    try:
        fetched = await fetch(
            request.scope,
            url,
            origin="reader",
            headers={"User-Agent": USER_AGENT, "Accept": "*/*"},
        )
    except ValueError as exc:
        raise reader_error("target_failed", f"Failed to goto {url}: {exc}") from None
    except FetchFailed as exc:
        # Chrome's name for a response that never came, as Jina's headless browser reports it.
        error = _NET_ERRORS.get(exc.kind, "ERR_EMPTY_RESPONSE")
        raise reader_error(
            "target_failed", f"Failed to goto {url}: Error: net::{error} at {url}"
        ) from None
    if fetched is None:
        raise reader_error(
            "target_failed",
            f"Failed to goto {url}: Error: net::ERR_NAME_NOT_RESOLVED at {url}",
        )
    page = _convert(fetched, url, options)
    warning = None
    if not 200 <= fetched.status < 400:
        try:
            reason = HTTPStatus(fetched.status).phrase
        except ValueError:
            reason = ""
        warning = f"Target URL returned error {fetched.status}" + (f": {reason}" if reason else "")
    if _wants_json(request):
        return JSONResponse(_envelope(page, url, options["fmt"], warning))
    return PlainTextResponse(_framed(page, url, options["fmt"], warning), media_type=_TEXT)


def _convert(fetched: Fetched, url: str, options: dict[str, Any]) -> Page:
    kind = fetched.content_type
    if kind == "application/pdf" or fetched.body.startswith(b"%PDF-"):
        return from_pdf(fetched.body, url)
    text = fetched.body.decode("utf-8", errors="replace")
    if kind in ("text/html", "application/xhtml+xml") or (
        not kind and "<html" in text[:500].lower()
    ):
        return from_html(
            text, url, options["fmt"], target=options["target"], remove=options["remove"]
        )
    if kind.startswith("text/") or kind.endswith(("json", "xml", "yaml")) or not kind:
        return from_text(text)
    raise reader_error("target_failed", f"Failed to parse {url}: unsupported content type {kind}")


def _framed(page: Page, url: str, fmt: str, warning: str | None) -> str:
    """Jina's text representation: markdown framed by its title and source; html and text
    as they are."""
    if fmt != "markdown" and page.num_pages is None:
        return page.body
    mixins = []
    if warning:
        mixins.append(f"Warning: {warning}")
    if page.num_pages:
        mixins.append(f"Number of Pages: {page.num_pages}")
    middle = "\n" + "\n\n".join(mixins) + "\n" if mixins else ""
    return f"Title: {page.title}\n\nURL Source: {url}\n{middle}\nMarkdown Content:\n{page.body}\n"


def _envelope(page: Page, url: str, fmt: str, warning: str | None) -> dict[str, Any]:
    tokens = max(1, math.ceil(len(page.body) / 4))
    field = "content" if fmt == "markdown" or page.num_pages is not None else fmt
    data: dict[str, Any] = {
        "title": page.title,
        "description": page.description,
        "url": url,
        field: page.body,
    }
    if warning:
        data["warning"] = warning
    if page.num_pages is not None:
        data["numPages"] = page.num_pages
    data["usage"] = {"tokens": tokens}
    return {"code": 200, "status": 20000, "data": data, "meta": {"usage": {"tokens": tokens}}}


ROUTES = [
    Route("/", index, methods=["GET"]),
    Route("/{url:path}", read, methods=["GET"]),
]
