"""The subset of OpenAlex's ``filter=`` and ``sort=`` grammar the simulation understands.

``filter=key:value,key:value`` (comma = AND); a value may be negated (``!value``), a
choice (``a|b``, OR), a comparison (``>n``, ``<n``) or a range (``n-m``) for numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from mockapis.openalex.errors import invalid
from mockapis.tables import Record

__all__ = ["FILTER_FIELDS", "SORT_FIELDS", "Predicate", "parse_filter", "sort_key"]

Predicate = Callable[[Record], bool]


def _number(field: str) -> Callable[[Record], Any]:
    return lambda w: w[field]


def _bool_field(record: Record, path: str) -> Any:
    value: Any = record
    for part in path.split("."):
        value = value[part]
    return value


FILTER_FIELDS: dict[str, tuple[str, Callable[[Record], Any]]] = {
    "publication_year": ("number", _number("publication_year")),
    "cited_by_count": ("number", _number("cited_by_count")),
    "type": ("text", lambda w: w["type"]),
    "language": ("text", lambda w: w["language"]),
    "is_oa": ("bool", lambda w: _bool_field(w, "open_access.is_oa")),
    "open_access.is_oa": ("bool", lambda w: _bool_field(w, "open_access.is_oa")),
    "oa_status": ("text", lambda w: _bool_field(w, "open_access.oa_status")),
    "open_access.oa_status": ("text", lambda w: _bool_field(w, "open_access.oa_status")),
    "has_doi": ("bool", lambda w: w["doi"] is not None),
    "from_publication_date": ("from_date", lambda w: w["publication_date"]),
    "to_publication_date": ("to_date", lambda w: w["publication_date"]),
}
"""Filter key -> (value kind, accessor). Keys may use ``-`` for ``_``."""

SORT_FIELDS = ("publication_year", "publication_date", "cited_by_count", "display_name", "id")


def _to_int(key: str, raw: str) -> int:
    if not raw.lstrip("-").isdigit() or len(raw) > 12:
        raise invalid(f"Value for param {key} must be a number.")
    return int(raw)


def _one(key: str, kind: str, raw: str) -> Callable[[Any], bool]:
    """A test of one (non-negated, non-OR) value of ``key``."""
    if kind == "number":
        if raw.startswith(">"):
            low = _to_int(key, raw[1:])
            return lambda v: v > low
        if raw.startswith("<"):
            high = _to_int(key, raw[1:])
            return lambda v: v < high
        if "-" in raw.lstrip("-"):
            first, _, last = raw.partition("-")
            a, b = _to_int(key, first), _to_int(key, last)
            return lambda v: a <= v <= b
        exact = _to_int(key, raw)
        return lambda v: v == exact
    if kind == "bool":
        if raw.lower() not in ("true", "false"):
            raise invalid(f"Value for param {key} must be true or false.")
        want = raw.lower() == "true"
        return lambda v: v is want
    if kind in ("from_date", "to_date"):
        try:
            day = dt.date.fromisoformat(raw).isoformat()
        except ValueError:
            raise invalid(f"Value for param {key} must be a date (YYYY-MM-DD).") from None
        return (lambda v: v >= day) if kind == "from_date" else (lambda v: v <= day)
    wanted = raw.lower()
    return lambda v: str(v).lower() == wanted


def parse_filter(text: str | None) -> list[Predicate]:
    """The predicates of a ``filter`` value; 400 for an unknown field or a malformed value."""
    predicates: list[Predicate] = []
    for clause in (text or "").split(","):
        if not clause:
            continue
        raw_key, sep, raw_value = clause.partition(":")
        key = raw_key.strip().replace("-", "_")
        if not sep or not raw_value:
            raise invalid(f"Invalid filter: {clause!r} must be key:value.")
        if key not in FILTER_FIELDS:
            valid = ", ".join(sorted(FILTER_FIELDS))
            raise invalid(
                f"{raw_key} is not a valid field. Valid fields are underscore or hyphenated "
                f"versions of: {valid}"
            )
        kind, accessor = FILTER_FIELDS[key]
        negate = raw_value.startswith("!")
        options = [_one(key, kind, v) for v in raw_value.lstrip("!").split("|")]

        def predicate(
            w: Record,
            get: Callable[[Record], Any] = accessor,
            tests: list[Callable[[Any], bool]] = options,
            neg: bool = negate,
        ) -> bool:
            value = get(w)
            return any(t(value) for t in tests) != neg

        predicates.append(predicate)
    return predicates


def sort_key(text: str | None) -> tuple[Callable[[Record], Any], bool] | None:
    """``(key, descending)`` of a ``sort`` value (one field), or None to keep id order."""
    if not text:
        return None
    field, _, direction = text.partition(":")
    if field not in SORT_FIELDS or direction not in ("", "asc", "desc"):
        raise invalid(
            f"{text} is not a valid sort field. Valid fields are: {', '.join(SORT_FIELDS)}"
        )
    if field == "id":
        return (lambda w: int(w["id"].rsplit("W", 1)[1])), direction == "desc"
    return (lambda w: w[field]), direction == "desc"
