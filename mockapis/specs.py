"""Reading the OpenAPI specs in ``specs/``: the single source of each service's docs."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

__all__ = ["HTTP_METHODS", "Operation", "deref", "load_spec", "operations", "path_pattern"]

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


def deref(spec: Mapping[str, Any], node: Any) -> Any:
    """``node`` with its chain of local ``$ref`` followed (``#/components/...``, JSON pointer
    escapes undone); ``{}`` for a reference that leads nowhere or out of the document."""
    for _ in range(20):
        if not isinstance(node, Mapping) or "$ref" not in node:
            return node
        ref = str(node["$ref"])
        if not ref.startswith("#/"):
            return {}
        target: Any = spec
        for part in ref[2:].split("/"):
            key = part.replace("~1", "/").replace("~0", "~")
            target = target.get(key, {}) if isinstance(target, Mapping) else {}
        node = target
    return {}


def path_pattern(template: str) -> re.Pattern[str]:
    """The regex of a path template: each ``{param}`` is one segment (``[^/]+``)."""
    return re.compile(
        "".join(
            "[^/]+" if part.startswith("{") else re.escape(part)
            for part in re.split(r"(\{[^}/]+\})", template)
        )
    )
