"""``POST /crm/v3/objects/{objectType}/search``: ``filterGroups``, ``sorts``, ``query``, paging.

Filters in a group are ANDed, groups are ORed (at most 5 groups, 6 filters per group, 18 in
all). ``limit`` is at most 200; ``after`` is the offset string a previous page returned, and
a search can page through at most 10,000 results, as HubSpot's can.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from mockapis.hubspot.access import authorize_object, read_object, route
from mockapis.hubspot.params import bad, property_names
from mockapis.hubspot.records import live_records, render
from mockapis.hubspot.schema import ObjectType
from mockapis.kit.responses import JSONResponse
from mockapis.tables import Record

__all__ = ["MAX_RESULTS", "MAX_SEARCH_LIMIT", "OPERATORS", "ROUTES", "matcher"]

MAX_SEARCH_LIMIT = 200
MAX_RESULTS = 10_000
MAX_GROUPS, MAX_FILTERS, MAX_TOTAL = 5, 6, 18
OPERATORS = (
    "EQ",
    "NEQ",
    "LT",
    "LTE",
    "GT",
    "GTE",
    "BETWEEN",
    "IN",
    "NOT_IN",
    "HAS_PROPERTY",
    "NOT_HAS_PROPERTY",
    "CONTAINS_TOKEN",
    "NOT_CONTAINS_TOKEN",
)
_QUERY_FIELDS = {
    "contacts": ("firstname", "lastname", "email", "phone", "company"),
    "companies": ("name", "domain"),
    "deals": ("dealname",),
}
_TOKEN = re.compile(r"[^\w@.+'-]+")

Predicate = Callable[[Record], bool]


def _scalar(value: Any, what: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        return str(value)
    raise bad(f"Invalid input JSON: {what} must be a string or a number.")


def _sortable(kind: str, text: str | None) -> Any:
    """A stored or given value in its type's order: numbers, instants (epoch ms), text."""
    if text is None or text == "":
        return None
    if kind == "number":
        try:
            return float(text)
        except ValueError:
            return None
    if kind == "datetime":
        if text.lstrip("-").isdigit():
            return float(text)
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        return moment.timestamp() * 1000
    return text.lower()


def matcher(obj: ObjectType, spec: Any) -> Predicate:
    """One filter ``{"propertyName", "operator", "value" | "values" | "highValue"}``."""
    if not isinstance(spec, dict):
        raise bad("Invalid input JSON: each filter is an object with propertyName and operator.")
    name, operator = spec.get("propertyName"), spec.get("operator")
    if not isinstance(name, str) or name not in obj.properties:
        raise bad(
            f"There was a problem with the request: propertyName {str(name)[:60]!r} is not a "
            f"property of {obj.name}. Properties: {', '.join(obj.properties)}."
        )
    if operator not in OPERATORS:
        raise bad(f"Invalid operator {str(operator)[:40]!r}. Operators: {', '.join(OPERATORS)}.")
    kind = obj.properties[name]

    def get(row: Record) -> Any:
        return _sortable(kind, row["properties"].get(name))

    if operator in ("HAS_PROPERTY", "NOT_HAS_PROPERTY"):
        present = operator == "HAS_PROPERTY"
        return lambda row: (get(row) is not None) == present
    if operator in ("IN", "NOT_IN"):
        raw = spec.get("values")
        if not isinstance(raw, list) or not raw:
            raise bad(f"Operator {operator} needs a non-empty 'values' array.")
        wanted = {_sortable(kind, _scalar(v, "values[]")) for v in raw}
        inside = operator == "IN"
        return lambda row: (get(row) in wanted) == inside
    if "value" not in spec:
        raise bad(f"Operator {operator} needs a 'value'.")
    text = _scalar(spec["value"], "value")
    if operator in ("CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN"):
        pattern = text.lower()
        contains = operator == "CONTAINS_TOKEN"

        def has_token(row: Record) -> bool:
            value = row["properties"].get(name)
            if not value:
                return False
            lowered = str(value).lower()
            tokens = [lowered, *(t for t in _TOKEN.split(lowered) if t)]
            return any(fnmatch.fnmatchcase(t, pattern) for t in tokens)

        return lambda row: has_token(row) == contains
    wanted_value = _sortable(kind, text)
    if wanted_value is None:
        raise bad(f"{text[:40]!r} is not a valid value for {name} ({kind}).")
    if operator == "EQ":
        return lambda row: get(row) == wanted_value
    if operator == "NEQ":
        return lambda row: get(row) != wanted_value
    if operator == "BETWEEN":
        high = _sortable(kind, _scalar(spec.get("highValue"), "highValue"))
        if high is None:
            raise bad("Operator BETWEEN needs a valid 'highValue'.")
        return lambda row: _compare(get(row), wanted_value, ">=") and _compare(get(row), high, "<=")
    symbol = {"LT": "<", "LTE": "<=", "GT": ">", "GTE": ">="}[operator]
    return lambda row: _compare(get(row), wanted_value, symbol)


def _compare(got: Any, want: Any, symbol: str) -> bool:
    if got is None or type(got) is not type(want):
        return False
    if symbol == "<":
        return bool(got < want)
    if symbol == "<=":
        return bool(got <= want)
    if symbol == ">":
        return bool(got > want)
    return bool(got >= want)


def _groups(obj: ObjectType, raw: Any) -> list[list[Predicate]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise bad('Invalid input JSON: filterGroups must be an array of {"filters": [...]}.')
    if len(raw) > MAX_GROUPS:
        raise bad(f"Too many filter groups: {len(raw)}; the limit is {MAX_GROUPS}.")
    groups, total = [], 0
    for group in raw:
        filters = group.get("filters") if isinstance(group, dict) else None
        if not isinstance(filters, list):
            raise bad('Invalid input JSON: each filter group is {"filters": [...]}.')
        if len(filters) > MAX_FILTERS:
            raise bad(f"Too many filters in a group: {len(filters)}; the limit is {MAX_FILTERS}.")
        total += len(filters)
        groups.append([matcher(obj, f) for f in filters])
    if total > MAX_TOTAL:
        raise bad(f"Too many filters: {total}; the limit is {MAX_TOTAL} across all groups.")
    return groups


def _sort_key(obj: ObjectType, raw: Any) -> tuple[str, bool] | None:
    sorts = raw if raw is not None else []
    if not isinstance(sorts, list) or len(sorts) > 1:
        raise bad("Invalid input JSON: sorts is an array of at most one sort.")
    if not sorts:
        return None
    spec = sorts[0]
    name: Any
    if isinstance(spec, str):
        name, descending = spec.lstrip("-"), spec.startswith("-")
    elif isinstance(spec, dict):
        name = spec.get("propertyName")
        direction = spec.get("direction", "ASCENDING")
        if direction not in ("ASCENDING", "DESCENDING"):
            raise bad("A sort's direction is ASCENDING or DESCENDING.")
        descending = direction == "DESCENDING"
    else:
        raise bad('Invalid input JSON: a sort is "name", "-name" or {"propertyName", "direction"}.')
    if not isinstance(name, str) or name not in obj.properties:
        raise bad(f"Cannot sort by {str(name)[:60]!r}: not a property of {obj.name}.")
    return name, descending


def _offset(body: dict[str, Any]) -> int:
    raw = body.get("after", "0")
    if raw is None or raw == "":
        return 0
    text = str(raw) if isinstance(raw, int) and not isinstance(raw, bool) else raw
    if not isinstance(text, str) or not text.isdigit() or len(text) > 9:
        raise bad(f"after must be the paging cursor a previous page returned; got {raw!r:.40}.")
    return int(text)


async def search(request: Request) -> Response:
    """Records matching the filter groups (ORed groups of ANDed filters), sorted, paged."""
    world, _, obj = authorize_object(request, write=False)
    body = await read_object(request)
    limit = body.get("limit", 10)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_SEARCH_LIMIT:
        raise bad(f"limit must be an integer between 1 and {MAX_SEARCH_LIMIT}; got {limit!r:.40}.")
    offset = _offset(body)
    if offset + limit > MAX_RESULTS:
        raise bad(
            f"A search can page through at most {MAX_RESULTS} results; after + limit is "
            f"{offset + limit}. Narrow the filters (for example by hs_object_id) instead."
        )
    groups = _groups(obj, body.get("filterGroups"))
    order = _sort_key(obj, body.get("sorts"))
    properties = property_names(body)
    query = body.get("query")
    if query is not None and not isinstance(query, str):
        raise bad("Invalid input JSON: query must be a string.")
    rows = live_records(world, obj)
    if groups:
        rows = [r for r in rows if any(all(f(r) for f in group) for group in groups)]
    if query:
        needle = query.lower()
        fields = _QUERY_FIELDS[obj.name]
        rows = [
            r
            for r in rows
            if any(needle in str(r["properties"].get(f) or "").lower() for f in fields)
        ]
    if order is not None:
        name, descending = order
        kind = obj.properties[name]
        present = [r for r in rows if _sortable(kind, r["properties"].get(name)) is not None]
        missing = [r for r in rows if _sortable(kind, r["properties"].get(name)) is None]
        present.sort(key=lambda r: _sortable(kind, r["properties"].get(name)), reverse=descending)
        rows = present + missing
    page = rows[offset : offset + limit]
    out: dict[str, Any] = {
        "total": len(rows),
        "results": [render(r, obj, properties) for r in page],
    }
    if offset + limit < len(rows):
        out["paging"] = {"next": {"after": str(offset + limit)}}
    return JSONResponse(out)


ROUTES = [route("/crm/v3/objects/{objectType}/search", {"POST": search})]
