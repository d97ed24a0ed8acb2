"""Helpers shared by the API-Bank API modules: date checks, token checks, content overlap."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from mockapis.apibank.base import ApiBankError

__all__ = [
    "DATE",
    "DATETIME",
    "jaccard_over_half",
    "normalise_date",
    "parse_time",
    "same_fields",
]

DATETIME = "%Y-%m-%d %H:%M:%S"
DATE = "%Y-%m-%d"


def parse_time(value: Any, fmt: str = DATETIME) -> datetime.datetime:
    """``datetime.strptime`` as upstream calls it: its ``ValueError``/``TypeError`` text becomes
    the API's exception (``time data '...' does not match format '...'``)."""
    try:
        return datetime.datetime.strptime(value, fmt)
    except (ValueError, TypeError) as exc:
        raise ApiBankError(str(exc)) from None


def normalise_date(value: str, fmt: str = DATE) -> str | Exception:
    """Upstream's ``format_check``: strip, zero-pad a short year, reformat with ``fmt``; the
    parse error itself (not raised) when the value does not parse."""
    value = value.strip()
    parts = value.split("-")
    if len(parts) == 3 and len(parts[0]) != 4:
        parts[0] = parts[0].zfill(4)
        value = "-".join(parts)
    try:
        return datetime.datetime.strptime(value, fmt).strftime(fmt)
    except ValueError as exc:
        return exc


def jaccard_over_half(a: str, b: str, *, lower: bool = False) -> bool:
    """Upstream's content check: the word sets (split on single spaces) overlap by more than
    half (Jaccard index > 0.5)."""
    if lower:
        a, b = a.lower(), b.lower()
    left, right = set(a.split(" ")), set(b.split(" "))
    return len(left & right) / len(left | right) > 0.5


def same_fields(response: Mapping[str, Any], gold: Mapping[str, Any], *fields: str) -> bool:
    """Whether ``response`` and ``gold`` agree on each of ``fields``."""
    return all(response.get(f) == gold.get(f) for f in fields)


def error_text(exc: Exception) -> str:
    """The text of an exception as upstream's ``str(e)``."""
    return str(exc)
