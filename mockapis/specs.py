"""Reading the OpenAPI specs in ``specs/``: the single source of each service's docs."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

__all__ = ["HTTP_METHODS", "Operation", "load_spec", "operations"]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

Operation = tuple[str, str]
"""``(METHOD, path template)``, e.g. ``("GET", "/v2/objects/{object}")``."""


@functools.cache
def load_spec(path: Path) -> dict[str, Any]:
    """The parsed spec at ``path`` (cached; treat it as read-only)."""
    with path.open(encoding="utf-8") as handle:
        spec: dict[str, Any] = yaml.safe_load(handle)
    return spec


def operations(spec: dict[str, Any]) -> set[Operation]:
    """Every ``(METHOD, path)`` the spec documents."""
    found: set[Operation] = set()
    for path, item in (spec.get("paths") or {}).items():
        for method in item:
            if method in HTTP_METHODS:
                found.add((method.upper(), path))
    return found
