"""Where the imported API-Bank data lives, and its loaders (cached per process).

The project ships no API-Bank data: ``apibench import-apibank PATH`` writes it to
:func:`apibank_home` (``$APIBENCH_HOME/api-bank``; ``APIBENCH_HOME`` defaults to
``$XDG_DATA_HOME/apibench``, else ``~/.local/share/apibench``):

- ``init_database/<Name>.json``: upstream's init databases, verbatim;
- ``catalog.json``: the 73 API specs (a JSON list of catalogue entries);
- ``gold_calls.jsonl``: the gold calls.

The loaders parse each file once per process (per home folder) and hand out the same objects:
treat them as read-only. When nothing was imported they raise :class:`NotImported`, whose
message names the command to run.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from mockapis.home import apibench_home

__all__ = [
    "NotImported",
    "apibank_home",
    "apibench_home",
    "catalog",
    "catalog_entry",
    "clear_caches",
    "gold_calls",
    "init_database",
    "init_database_names",
    "is_imported",
]

LV12_SUITE_PREFIX = "level-1/2"
LV3_SUITE_PREFIX = "level-3"


class NotImported(RuntimeError):
    """The API-Bank data is not in the data home."""


def apibank_home() -> Path:
    """The imported API-Bank data: ``<apibench home>/api-bank``."""
    return apibench_home() / "api-bank"


def _missing(what: Path) -> NotImported:
    return NotImported(
        f"API-Bank data not found ({what} is missing): import the released api-bank folder "
        "with `apibench import-apibank PATH` (or set APIBENCH_HOME to where it was imported)."
    )


def is_imported() -> bool:
    """Whether the data home holds an imported catalogue."""
    return (apibank_home() / "catalog.json").is_file()


@functools.lru_cache(maxsize=8)
def _catalog(home: Path) -> tuple[dict[str, Any], ...]:
    path = home / "catalog.json"
    if not path.is_file():
        raise _missing(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    entries = data["apis"] if isinstance(data, dict) else data
    return tuple(entries)


def catalog() -> tuple[dict[str, Any], ...]:
    """The API specs, in the catalogue's order."""
    return _catalog(apibank_home())


@functools.lru_cache(maxsize=8)
def _index(home: Path) -> dict[tuple[str, str], dict[str, Any]]:
    index: dict[tuple[str, str], dict[str, Any]] = {}
    for entry in _catalog(home):
        suite = "lv3_apis" if str(entry.get("suite", "")).startswith(LV3_SUITE_PREFIX) else "apis"
        index[(entry["name"], suite)] = entry
    return index


def catalog_entry(name: str, suite: str = "apis") -> dict[str, Any]:
    """The catalogue entry of API ``name`` in ``suite`` (``apis`` or ``lv3_apis``); a name
    of the level-1/2 suite stands for itself in ``lv3_apis`` (Calculator, ToolSearcher).
    ``KeyError`` when the catalogue has no such API."""
    index = _index(apibank_home())
    found = index.get((name, suite))
    if found is None and suite == "lv3_apis":
        found = index.get((name, "apis"))
    if found is None:
        raise KeyError(name)
    return found


@functools.lru_cache(maxsize=64)
def _init_database(home: Path, name: str) -> Any:
    path = home / "init_database" / f"{name}.json"
    if not path.is_file():
        if not (home / "init_database").is_dir():
            raise _missing(home / "init_database")
        raise FileNotFoundError(f"no API-Bank init database {name!r} in {path.parent}")
    return json.loads(path.read_text(encoding="utf-8"))


def init_database(name: str) -> Any:
    """The parsed ``init_database/<name>.json`` (shared: never mutate it)."""
    return _init_database(apibank_home(), name)


def init_database_names() -> list[str]:
    """The init databases present, sorted (empty when nothing was imported)."""
    folder = apibank_home() / "init_database"
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.json"))


@functools.lru_cache(maxsize=8)
def _gold_calls(home: Path) -> tuple[dict[str, Any], ...]:
    path = home / "gold_calls.jsonl"
    if not path.is_file():
        raise _missing(path)
    with path.open(encoding="utf-8") as lines:
        return tuple(json.loads(line) for line in lines if line.strip())


def gold_calls() -> tuple[dict[str, Any], ...]:
    """The gold calls, one dict per line of ``gold_calls.jsonl``."""
    return _gold_calls(apibank_home())


def clear_caches() -> None:
    """Forget every parsed file (tests that re-import into the same home)."""
    for cached in (_catalog, _index, _init_database, _gold_calls):
        cached.cache_clear()
