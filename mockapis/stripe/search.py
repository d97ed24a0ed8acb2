"""Stripe's search endpoints: a subset of the query language, ``page`` tokens, newest first.

The grammar (https://docs.stripe.com/search#search-query-language), as emulated::

    query   := clause ( ("AND" | "OR") clause )*      at most 10 clauses, not AND and OR both
    clause  := ["-"] field op value
    field   := name | "metadata[" quoted "]"
    op      := ":" (exact, case-insensitive) | "~" (substring, >= 3 characters)
             | ">" | "<" | ">=" | "<=" (numeric fields)
    value   := 'single quoted' | "double quoted" | integer

Each resource names its searchable fields and their types (:data:`CUSTOMER_FIELDS`, ...).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from mockapis.kit.errors import ApiError
from mockapis.kit.pagination import decode_cursor, encode_cursor
from mockapis.kit.responses import JSONResponse
from mockapis.stripe.access import expand
from mockapis.stripe.errors import param_error
from mockapis.stripe.listing import newest_first, page_limit
from mockapis.stripe.objects import TABLES
from mockapis.stripe.params import Params
from mockapis.tables import Record
from mockapis.world import World

__all__ = ["CHARGE_FIELDS", "CUSTOMER_FIELDS", "MAX_CLAUSES", "parse_query", "search_page"]

MAX_CLAUSES = 10
CUSTOMER_FIELDS: Mapping[str, str] = {
    "email": "string",
    "name": "string",
    "phone": "string",
    "created": "number",
}
CHARGE_FIELDS: Mapping[str, str] = {
    "amount": "number",
    "created": "number",
    "currency": "string",
    "customer": "string",
    "status": "string",
    "refunded": "string",
    "disputed": "string",
}
"""Searchable fields and their types (``metadata['key']`` is searchable everywhere)."""

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<meta>metadata\[(?P<mq>['"])(?P<mkey>[^'"]*)(?P=mq)\])
      | (?P<word>AND|OR)(?=\s)
      | (?P<field>-?[a-z_][a-z0-9_.]*)
      | (?P<op>>=|<=|:|~|>|<)
      | (?P<q>['"])(?P<text>(?:\\.|(?!(?P=q)).)*)(?P=q)
      | (?P<num>-?\d+)
    )""",
    re.VERBOSE,
)

Test = Callable[[Record], bool]


@dataclass(frozen=True)
class Query:
    """A parsed query: its clauses and whether they combine with OR."""

    clauses: tuple[Test, ...]
    any_of: bool

    def matches(self, row: Record) -> bool:
        """Whether ``row`` satisfies the query."""
        results = (clause(row) for clause in self.clauses)
        return any(results) if self.any_of else all(results)


def _invalid(why: str) -> ApiError:
    return param_error(
        "query",
        f"Invalid search query: {why}. See https://docs.stripe.com/search#search-query-language.",
        "parameter_invalid",
    )


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text.rstrip()):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise _invalid(f"unexpected text at position {pos}: {text[pos : pos + 20]!r}")
        kind = next(k for k in ("meta", "word", "field", "op", "q", "num") if match.group(k))
        value = {"meta": "mkey", "q": "text"}.get(kind, kind)
        tokens.append((kind, match.group(value)))
        pos = match.end()
    return tokens


def parse_query(text: str, fields: Mapping[str, str]) -> Query:
    """The query ``text`` over ``fields``, else a 400 on ``query`` saying what is wrong."""
    tokens = _tokens(text)
    if not tokens:
        raise _invalid("the query is empty")
    clauses: list[Test] = []
    words: set[str] = set()
    i = 0
    while True:
        if i + 3 > len(tokens):
            raise _invalid("a clause is 'field:value'")
        (fkind, name), (okind, op), (vkind, value) = tokens[i : i + 3]
        if fkind not in ("field", "meta") or okind != "op" or vkind not in ("q", "num"):
            raise _invalid(f"clause {len(clauses) + 1} is not 'field<op>value'")
        clauses.append(_clause(fkind, name, op, vkind, value, fields))
        i += 3
        if i == len(tokens):
            break
        if tokens[i][0] != "word":
            raise _invalid("clauses are joined with AND or OR")
        words.add(tokens[i][1])
        i += 1
    if len(words) > 1:
        raise _invalid("a query cannot combine AND and OR")
    if len(clauses) > MAX_CLAUSES:
        raise _invalid(f"at most {MAX_CLAUSES} clauses are allowed; got {len(clauses)}")
    return Query(tuple(clauses), words == {"OR"})


def _clause(
    fkind: str, name: str, op: str, vkind: str, value: str, fields: Mapping[str, str]
) -> Test:
    negate = fkind == "field" and name.startswith("-")
    name = name.removeprefix("-")
    if fkind == "meta":
        ftype = "string"
        getter: Callable[[Record], Any] = lambda row: row["metadata"].get(name)  # noqa: E731
    elif name in fields:
        ftype = fields[name]
        getter = lambda row: row.get(name)  # noqa: E731
    else:
        raise _invalid(f"unknown field {name!r}; searchable: {', '.join(fields)}, metadata")
    if vkind == "q":
        value = re.sub(r"\\(.)", r"\1", value)
    test = _compare(ftype, op, vkind, value, name)

    def clause(row: Record) -> bool:
        return test(getter(row)) != negate

    return clause


def _compare(ftype: str, op: str, vkind: str, value: str, name: str) -> Callable[[Any], bool]:
    if op in (">", "<", ">=", "<="):
        if ftype != "number":
            raise _invalid(f"{op} applies only to numeric fields, not {name}")
        if vkind != "num":
            raise _invalid(f"{name} compares with an integer")
        bound = int(value)
        ops: dict[str, Callable[[int], bool]] = {
            ">": lambda v: v > bound,
            "<": lambda v: v < bound,
            ">=": lambda v: v >= bound,
            "<=": lambda v: v <= bound,
        }
        compare = ops[op]
        return lambda v: isinstance(v, int) and compare(v)
    if op == "~":
        if ftype != "string":
            raise _invalid(f"~ applies only to string fields, not {name}")
        if len(value) < 3:
            raise _invalid("a substring match (~) needs at least 3 characters")
        needle = value.casefold()
        return lambda v: isinstance(v, str) and needle in v.casefold()
    if ftype == "number":
        if vkind != "num":
            raise _invalid(f"{name} compares with an integer")
        return lambda v: v == int(value)
    wanted = value.casefold()
    return lambda v: (str(v).lower() if isinstance(v, bool) else v or "").casefold() == wanted


def search_page(
    world: World, kind: str, params: Params, url: str, fields: Mapping[str, str]
) -> JSONResponse:
    """One page of a search: ``{"object": "search_result", "data", "has_more", "next_page"}``."""
    text = params.string("query", required=True) or ""
    limit = page_limit(params)
    token = params.string("page")
    paths = params.expand()
    params.done()
    query = parse_query(text, fields)
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    offset = 0
    if token:
        try:
            cursor = decode_cursor(token, param="page")
        except ApiError:
            cursor = {}
        if cursor.get("q") != digest or not isinstance(cursor.get("o"), int) or cursor["o"] < 0:
            raise param_error("page", f"Invalid page token: {token[:40]}")
        offset = cursor["o"]
    rows = newest_first([r for r in world.table(TABLES[kind]).values() if query.matches(r)])
    page = rows[offset : offset + limit]
    has_more = offset + limit < len(rows)
    total = "total_count" in paths
    data = [
        expand(world, kind, row, [p for p in paths if p != "total_count"], prefix="data.")
        for row in page
    ]
    body: dict[str, Any] = {
        "object": "search_result",
        "data": data,
        "has_more": has_more,
        "next_page": encode_cursor({"q": digest, "o": offset + limit}) if has_more else None,
        "url": url,
    }
    if total:
        body["total_count"] = len(rows)
    return JSONResponse(body)
