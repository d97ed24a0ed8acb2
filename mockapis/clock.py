"""The virtual clock: a fixed epoch per scenario, advanced by requests, faults and waits."""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable

__all__ = ["NS_PER_SECOND", "REQUEST_TICK_NS", "VirtualClock", "WallClock", "format_rfc3339_ns"]

NS_PER_SECOND = 1_000_000_000
REQUEST_TICK_NS = 50_000_000
"""How far one request moves the clock (50 ms): time passes, but predictably."""


class VirtualClock:
    """Nanoseconds since the Unix epoch, moved only by the episode (never by the wall clock)."""

    __slots__ = ("now_ns",)

    def __init__(self, now_ns: int) -> None:
        self.now_ns = now_ns

    @property
    def now(self) -> float:
        """The current time in seconds since the Unix epoch."""
        return self.now_ns / NS_PER_SECOND

    def tick(self) -> None:
        """Advance by one request's tick."""
        self.now_ns += REQUEST_TICK_NS

    def advance(self, seconds: float) -> None:
        """Advance by ``seconds`` (negative and non-finite values are refused)."""
        if not math.isfinite(seconds):
            raise ValueError(f"the clock advances by a finite time: got {seconds} seconds")
        if seconds < 0:
            raise ValueError(f"the clock cannot go back: got {seconds} seconds")
        self.now_ns += round(seconds * NS_PER_SECOND)

    def datetime(self) -> dt.datetime:
        """The current time as an aware UTC datetime (microsecond precision)."""
        return dt.datetime.fromtimestamp(self.now_ns // 1000 / 1_000_000, tz=dt.UTC)

    def isoformat(self) -> str:
        """The current time as RFC 3339 with nanoseconds (``2023-11-14T22:13:20.050000000Z``)."""
        return format_rfc3339_ns(self.now_ns)


class WallClock(VirtualClock):
    """Server mode's clock: the episode epoch plus the real time elapsed since it started.

    Requests do not tick it (time passes by itself), so a client honouring ``Retry-After``
    really waits; ``advance`` still moves it forward (latency faults, explicit waits).
    """

    __slots__ = ("_base", "_source", "_start")

    def __init__(self, now_ns: int, source: Callable[[], int] = time.monotonic_ns) -> None:
        self._source = source
        self._base = now_ns
        self._start = source()

    @property
    def now_ns(self) -> int:
        """Nanoseconds since the Unix epoch, in episode time."""
        return self._base + (self._source() - self._start)

    @now_ns.setter
    def now_ns(self, value: int) -> None:
        self._base = value
        self._start = self._source()

    def tick(self) -> None:
        """Nothing: wall time moves on its own."""

    def advance(self, seconds: float) -> None:
        """Jump forward by ``seconds`` on top of the elapsed real time."""
        super().advance(seconds)


def format_rfc3339_ns(ns: int) -> str:
    """``ns`` since the epoch as ``YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ``."""
    seconds, frac = divmod(ns, NS_PER_SECOND)
    stamp = dt.datetime.fromtimestamp(seconds, tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
    return f"{stamp}.{frac:09d}Z"
