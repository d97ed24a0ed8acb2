"""Helpers shared by the API-Bank API modules: date checks, token checks, content overlap."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from mockapis.apibank.base import ApiBankError
from mockapis.apibank.checks import Same, by

__all__ = [
    "DATE",
    "DATETIME",
    "check_time_and_content",
    "normalise_date",
    "parse_time",
    "same_datetime",
    "valid",
]

_T = TypeVar("_T")

DATETIME = "%Y-%m-%d %H:%M:%S"
DATE = "%Y-%m-%d"


def parse_time(value: Any, fmt: str = DATETIME) -> datetime.datetime:
    """``datetime.strptime`` as upstream calls it: its ``ValueError``/``TypeError`` text becomes
    the API's exception (``time data '...' does not match format '...'``)."""
    try:
        return datetime.datetime.strptime(value, fmt)
    except (ValueError, TypeError) as exc:
        raise ApiBankError(str(exc)) from None


def check_time_and_content(args: Mapping[str, Any]) -> None:
    """Upstream's prelude of the reminder and agenda writes: ``time`` parses as
    :data:`DATETIME` (else its error), then a blank ``content`` is ``Content should not be
    null``."""
    parse_time(args["time"])
    if args["content"].strip() == "":
        raise ApiBankError("Content should not be null")


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


def valid(value: _T | Exception) -> _T:
    """``value``, unless a format check (:func:`normalise_date`) gave its error instead: then
    that error's text as the API's exception."""
    if isinstance(value, Exception):
        raise ApiBankError(str(value))
    return value


same_datetime: Same = by(lambda value: str(normalise_date(value, DATETIME)))
"""Upstream's time check: equal once normalised as :data:`DATETIME` (unparsable values
compare by their error text)."""
