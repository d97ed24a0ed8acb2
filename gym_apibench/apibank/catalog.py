"""The API catalogue from a released api-bank folder: class attributes read with ``ast``.

Upstream's ``apis/*.py`` and ``lv3_apis/*.py`` declare each API as a class with literal
attributes (``description``, ``input_parameters``, ``output_parameters``, ``database_name``).
They are read as literals, never executed. Without the code (the data-only copy), the
catalogue derived beside the release (``derived/api_catalog.json``) is taken as it is.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

__all__ = ["CatalogError", "catalog_from_code", "load_catalog"]

SUITES = {"apis": "level-1/2 (apis/)", "lv3_apis": "level-3 (lv3_apis/)"}
"""Upstream's code folders and the suite label the catalogue gives their APIs."""

_LITERALS = ("description", "input_parameters", "output_parameters", "database_name")


class CatalogError(ValueError):
    """The release has neither API code nor a derived catalogue, or the code is unreadable."""


def _class_literals(node: ast.ClassDef) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for statement in node.body:
        if not isinstance(statement, ast.Assign):
            continue
        for target in statement.targets:
            if isinstance(target, ast.Name) and target.id in _LITERALS:
                try:
                    found[target.id] = ast.literal_eval(statement.value)
                except ValueError:
                    continue  # not a literal: not a catalogue attribute
    return found


def _entries_of(path: Path, suite: str, release: Path) -> list[dict[str, Any]]:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except SyntaxError as exc:
        raise CatalogError(f"{path}: not readable Python: {exc}") from None
    entries = []
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        attrs = _class_literals(node)
        # An API class declares all three; helpers (the API base, the token checker) do not.
        if not {"description", "input_parameters", "output_parameters"} <= attrs.keys():
            continue
        database = attrs.get("database_name")
        inputs = attrs["input_parameters"]
        entries.append(
            {
                "name": node.name,
                "suite": SUITES[suite],
                "source_path": f"{release.name}/{path.relative_to(release).as_posix()}",
                "description": attrs["description"],
                "input_parameters": inputs,
                "output_parameters": attrs["output_parameters"],
                "init_database": f"{database}.json" if database else None,
                "requires_token": isinstance(inputs, dict) and "token" in inputs,
            }
        )
    return entries


def catalog_from_code(release: Path) -> list[dict[str, Any]]:
    """The catalogue read from ``<release>/apis/*.py`` and ``<release>/lv3_apis/*.py``
    (empty when the release has no code)."""
    entries: list[dict[str, Any]] = []
    for suite in SUITES:
        for path in sorted((release / suite).glob("*.py")):
            entries.extend(_entries_of(path, suite, release))
    return entries


def load_catalog(release: Path) -> tuple[list[dict[str, Any]], str]:
    """The catalogue entries and where they came from: the release's code when present, else
    ``<release>/../derived/api_catalog.json``."""
    entries = catalog_from_code(release)
    if entries:
        return entries, f"{release}/apis, lv3_apis (class attributes)"
    derived = release.parent / "derived" / "api_catalog.json"
    if not derived.is_file():
        raise CatalogError(
            f"{release} has no apis/*.py to read the API catalogue from, and there is no "
            f"{derived}: import the full api-bank folder of the DAMO-ConvAI repository"
        )
    data = json.loads(derived.read_text(encoding="utf-8"))
    listed = data["apis"] if isinstance(data, dict) else data
    if not isinstance(listed, list):
        raise CatalogError(f"{derived}: expected a list of API specs")
    return list(listed), str(derived)
