"""A Jina Reader look-alike (``r.jina.ai``): ``GET /<url>`` returns the page as markdown.

The target is fetched through ``mockapis.kit.fetch`` (another service of the episode, such as
the filings site ``web``), as a read-only GET that carries only the URL and takes the gateway
path (fault rules, clock, the request log with origin ``reader``); hosts outside the episode
are unreachable. Output: Jina's framed
markdown (``Title: ...`` / ``URL Source: ...`` / ``Markdown Content:``), ``html`` or ``text``
per ``X-Return-Format``, or the JSON envelope for ``Accept: application/json``; PDFs give
their text. Optional API keys (``reader._keys``) raise the per-minute rate limit.
"""

from mockapis.reader.crawl import ROUTES
from mockapis.reader.data import DEFAULT_SIZES, seed
from mockapis.reader.errors import render_error
from mockapis.service import Service

__all__ = ["SERVICE"]

SERVICE = Service(
    name="reader",
    hosts=("r.jina.ai",),
    routes=ROUTES,
    spec="reader.openapi.yaml",
    render_error=render_error,
    seed=seed,
    description="A Jina Reader look-alike: any URL of the episode as markdown, HTML, text or "
    "JSON; PDFs as text; 20 requests a minute without a key, 500 with one.",
    default_sizes=DEFAULT_SIZES,
)
