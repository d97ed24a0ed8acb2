"""Rate-limit headers: Retry-After, IETF RateLimit and RateLimit-Policy, GitHub's x-ratelimit-*.

Pure header builders returning ``{name: value}``; counting requests is the faults' job.
"""

from __future__ import annotations

import base64
import email.utils
from dataclasses import dataclass

from mockapis.clock import NS_PER_SECOND

__all__ = [
    "QUOTA_UNITS",
    "QuotaPolicy",
    "github_ratelimit",
    "http_date",
    "ratelimit",
    "ratelimit_policy",
    "retry_after",
    "retry_after_at",
]

QUOTA_UNITS = ("requests", "content-bytes", "concurrent-requests")
"""The quota units the IETF draft defines (``qu``); ``requests`` is the default."""

_MAX_SF_INTEGER = 999_999_999_999_999


def retry_after(seconds: int) -> dict[str, str]:
    """``Retry-After`` as a delay in whole seconds."""
    return {"Retry-After": str(_non_negative("seconds", seconds))}


def http_date(ns: int) -> str:
    """``ns`` since the epoch as an IMF-fixdate, e.g. ``Tue, 14 Nov 2023 22:13:20 GMT``."""
    return email.utils.formatdate(ns // NS_PER_SECOND, usegmt=True)


def retry_after_at(ns: int) -> dict[str, str]:
    """``Retry-After`` as the HTTP-date of the virtual-clock instant ``ns``."""
    return {"Retry-After": http_date(ns)}


@dataclass(frozen=True, slots=True)
class QuotaPolicy:
    """One quota policy of ``RateLimit-Policy``: ``quota`` units per ``window`` seconds."""

    name: str
    quota: int
    window: int | None = None
    unit: str | None = None
    partition_key: bytes | None = None

    def item(self) -> str:
        """This policy as a structured-field list member, e.g. ``"default";q=100;w=60``."""
        params = [f"q={_sf_integer('quota', self.quota)}"]
        if self.unit is not None:
            if self.unit not in QUOTA_UNITS:
                raise ValueError(f"unit must be one of {', '.join(QUOTA_UNITS)}; got {self.unit!r}")
            params.append(f"qu={_sf_string(self.unit)}")
        if self.window is not None:
            params.append(f"w={_sf_integer('window', self.window)}")
        if self.partition_key is not None:
            params.append(f"pk={_sf_bytes(self.partition_key)}")
        return _sf_string(self.name) + "".join(f";{p}" for p in params)


def ratelimit_policy(*policies: QuotaPolicy) -> dict[str, str]:
    """The ``RateLimit-Policy`` header listing ``policies``."""
    if not policies:
        raise ValueError("RateLimit-Policy needs at least one policy")
    return {"RateLimit-Policy": ", ".join(policy.item() for policy in policies)}


def ratelimit(
    policy: str, *, remaining: int, reset: int | None = None, partition_key: bytes | None = None
) -> dict[str, str]:
    """The ``RateLimit`` header: ``remaining`` units of ``policy``, reset in ``reset`` seconds.

    For example ``RateLimit: "default";r=50;t=30``.
    """
    item = _sf_string(policy) + f";r={_sf_integer('remaining', remaining)}"
    if reset is not None:
        item += f";t={_sf_integer('reset', reset)}"
    if partition_key is not None:
        item += f";pk={_sf_bytes(partition_key)}"
    return {"RateLimit": item}


def github_ratelimit(
    *, limit: int, remaining: int, reset_at: int, resource: str = "core", used: int | None = None
) -> dict[str, str]:
    """GitHub's ``x-ratelimit-*`` headers; ``reset_at`` is in UTC epoch seconds.

    ``used`` defaults to ``limit - remaining``.
    """
    _non_negative("limit", limit)
    if not 0 <= remaining <= limit:
        raise ValueError(f"remaining must be between 0 and limit ({limit}); got {remaining}")
    return {
        "x-ratelimit-limit": str(limit),
        "x-ratelimit-remaining": str(remaining),
        "x-ratelimit-reset": str(_non_negative("reset_at", reset_at)),
        "x-ratelimit-used": str(_non_negative("used", limit - remaining if used is None else used)),
        "x-ratelimit-resource": resource,
    }


def _non_negative(name: str, value: int) -> int:
    if value < 0:
        raise ValueError(f"{name} must be >= 0; got {value}")
    return value


def _sf_integer(name: str, value: int) -> str:
    # The draft's parameters are non-negative; RFC 8941 integers have at most 15 digits.
    if not 0 <= value <= _MAX_SF_INTEGER:
        raise ValueError(f"{name} must be between 0 and {_MAX_SF_INTEGER}; got {value}")
    return str(value)


def _sf_string(value: str) -> str:
    if any(not " " <= ch <= "~" for ch in value):
        raise ValueError(f"a structured-field string holds printable ASCII only; got {value!r}")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _sf_bytes(value: bytes) -> str:
    return ":" + base64.b64encode(value).decode("ascii") + ":"
