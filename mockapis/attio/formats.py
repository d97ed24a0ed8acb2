"""Normalizing the string formats Attio understands: domains, emails, phones, dates, timestamps."""

from __future__ import annotations

import calendar
import re

from mockapis.clock import NS_PER_SECOND, format_rfc3339_ns

__all__ = [
    "email_parts",
    "normalize_domain",
    "normalize_phone",
    "parse_date",
    "parse_timestamp_ns",
    "root_domain",
    "timestamp_string",
]

_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu"})
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+$")
_MOMENT = re.compile(
    r"^(\d{4})(?:-(\d{2})(?:-(\d{2})"
    r"(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?([Zz]|[+-]\d{2}:?\d{2})?)?)?)?$"
)
_MIN_SECONDS = calendar.timegm((1, 1, 2, 0, 0, 0, 0, 0, 0))
_MAX_SECONDS = calendar.timegm((9999, 12, 30, 23, 59, 59, 0, 0, 0))
_COUNTRY_PREFIXES = (
    ("1", "US"),
    ("44", "GB"),
    ("49", "DE"),
    ("33", "FR"),
    ("34", "ES"),
    ("39", "IT"),
    ("31", "NL"),
    ("61", "AU"),
    ("91", "IN"),
    ("81", "JP"),
)


def normalize_domain(raw: str) -> str | None:
    """``raw`` as a bare lowercase host (scheme, path, port and ``www.`` dropped), else ``None``."""
    host = raw.strip().lower()
    if "://" in host:
        host = host.split("://", 1)[1]
    host = host.split("/", 1)[0].split("?", 1)[0].split(":", 1)[0].rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    labels = host.split(".")
    if len(host) > 253 or len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        return None
    if not labels[-1].isalpha() or len(labels[-1]) < 2:
        return None
    return host


def root_domain(domain: str) -> str:
    """The registrable part of ``domain``: ``app.attio.com`` -> ``attio.com``, ``a.co.uk`` kept."""
    labels = domain.split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def email_parts(raw: str) -> dict[str, str] | None:
    """Attio's email-address fields for ``raw``, else ``None`` when it is not an address."""
    original = raw.strip()
    if not _EMAIL.match(original):
        return None
    local, _, domain_part = original.lower().rpartition("@")
    domain = normalize_domain(domain_part)
    if domain is None or domain != domain_part:
        return None
    return {
        "original_email_address": original,
        "email_address": f"{local}@{domain}",
        "email_domain": domain,
        "email_root_domain": root_domain(domain),
        "email_local_specifier": local.split("+", 1)[0],
    }


def normalize_phone(raw: str, country: str | None) -> tuple[str, str | None] | None:
    """``(E.164 number, country code)`` for ``raw``; national numbers need ``country`` (US only)."""
    digits = re.sub(r"[\s().-]", "", raw)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if digits.startswith("+"):
        number = digits[1:]
    elif country in (None, "US") and len(digits) == 10:
        number, country = "1" + digits, "US"
    else:
        return None
    if not number.isdigit() or not 8 <= len(number) <= 15:
        return None
    if country is None:
        country = next((c for prefix, c in _COUNTRY_PREFIXES if number.startswith(prefix)), None)
    return "+" + number, country


def parse_timestamp_ns(raw: str) -> int | None:
    """Nanoseconds since the epoch for an ISO 8601 date or date-time (UTC when no offset)."""
    match = _MOMENT.match(raw.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second, frac, zone = match.groups()
    try:
        parts = [int(year), int(month or 1), int(day or 1)]
        clock = [int(hour or 0), int(minute or 0), int(second or 0)]
        if not (1 <= parts[1] <= 12 and 1 <= parts[2] <= calendar.monthrange(*parts[:2])[1]):
            return None
    except ValueError:
        return None
    if clock[0] > 23 or clock[1] > 59 or clock[2] > 59 or parts[0] < 1:
        return None
    seconds = calendar.timegm((*parts, *clock, 0, 0, 0))
    if zone and zone not in "Zz":
        sign = -1 if zone[0] == "+" else 1
        zone_digits = zone[1:].replace(":", "")
        seconds += sign * (int(zone_digits[:2]) * 3600 + int(zone_digits[2:]) * 60)
    if not _MIN_SECONDS <= seconds <= _MAX_SECONDS:
        return None
    return seconds * NS_PER_SECOND + int((frac or "0")[:9].ljust(9, "0"))


def parse_date(raw: str) -> str | None:
    """``raw`` as ``YYYY-MM-DD`` (times and offsets are folded into the UTC calendar date)."""
    ns = parse_timestamp_ns(raw)
    if ns is None:
        return None
    date = format_rfc3339_ns(ns)[:10]
    return date if "0001-01-01" <= date <= "9999-12-31" else None


def timestamp_string(ns: int) -> str:
    """``ns`` as Attio prints timestamps: ``2023-11-14T22:13:20.050000000Z``."""
    return format_rfc3339_ns(ns)
