"""The apibench data home: where suites whose data users bring (API-Bank) are imported to."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["HOME_VARIABLE", "apibench_home"]

HOME_VARIABLE = "APIBENCH_HOME"
"""The environment variable naming the data home."""


def apibench_home() -> Path:
    """``$APIBENCH_HOME``, else ``$XDG_DATA_HOME/apibench``, else ``~/.local/share/apibench``."""
    explicit = os.environ.get(HOME_VARIABLE)
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "apibench"
