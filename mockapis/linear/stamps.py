"""Timestamps as Linear writes them: ``2024-01-15T09:00:00.000Z``."""

from __future__ import annotations

import datetime as dt

__all__ = ["DAY_MS", "iso", "iso_ms"]

DAY_MS = 86_400_000
_EPOCH = dt.datetime(1970, 1, 1)


def iso(seconds: float) -> str:
    """Epoch seconds as Linear's ``2024-01-15T09:00:00.000Z`` (milliseconds truncated)."""
    moment = dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
    return moment.isoformat(timespec="milliseconds")[:-6] + "Z"  # without "+00:00"


def iso_ms(ms: int) -> str:
    """Epoch milliseconds as Linear's timestamps (exact: no float rounding; ~2x faster than
    ``strftime``, and the seeders format thousands)."""
    return (_EPOCH + dt.timedelta(milliseconds=ms)).isoformat(timespec="milliseconds") + "Z"
