"""The reader's tests share the site's fixtures (the reader reads the filings site)."""

from __future__ import annotations

from tests.mockapis.web.conftest import Site, site

__all__ = ["Site", "site"]
