"""ISO 8601 durations as Clockify writes them (``PT1H30M``, ``PT45M10S``, ``PT0S``)."""

from __future__ import annotations

__all__ = ["iso_duration"]


def iso_duration(seconds: int) -> str:
    """``seconds`` as ``PT#H#M#S``, leaving out zero parts (``PT0S`` for none)."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{v}{u}" for v, u in ((hours, "H"), (minutes, "M"), (secs, "S")) if v]
    return "PT" + ("".join(parts) or "0S")
