"""The executable schema: the SDL in ``specs/linear.graphql`` (its single source) bound to the
resolvers with ariadne."""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

from ariadne import ScalarType, load_schema_from_path, make_executable_schema
from graphql import GraphQLSchema

from mockapis.linear import mutations, queries
from mockapis.linear.filters import parse_moment
from mockapis.service import specs_dir

__all__ = ["SDL_FILE", "executable_schema", "sdl_path", "sdl_text"]

SDL_FILE = "linear.graphql"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def sdl_path() -> str:
    """Where the SDL lives."""
    return str(specs_dir() / SDL_FILE)


@functools.cache
def sdl_text() -> str:
    """The SDL as served at ``/schema.graphql``."""
    with open(sdl_path(), encoding="utf-8") as handle:
        return handle.read()


def _text(value: Any, kind: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{kind} cannot represent a non-string value: {value!r}")
    return value


def _date_time(value: Any) -> str:
    text = _text(value, "DateTime")
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"DateTime cannot represent an invalid date-time string: {text!r}"
        ) from None
    if parsed.tzinfo is None:
        raise ValueError(f"DateTime needs a time zone (e.g. Z): {text!r}")
    return text


def _timeless_date(value: Any) -> str:
    text = _text(value, "TimelessDate")
    try:
        valid = bool(_DATE.match(text)) and bool(dt.date.fromisoformat(text))
    except ValueError:
        valid = False
    if not valid:
        raise ValueError(f"TimelessDate must be a date like 2024-02-29: {text!r}")
    return text


def _date_time_or_duration(value: Any) -> str:
    text = _text(value, "DateTimeOrDuration")
    try:
        # Parsed again against the episode clock when the filter runs.
        parse_moment(text, _EPOCH)
    except (ValueError, OverflowError):
        raise ValueError(
            f"DateTimeOrDuration must be an ISO 8601 date, date-time or duration: {text!r}"
        ) from None
    return text


def _timeless_date_or_duration(value: Any) -> str:
    text = _text(value, "TimelessDateOrDuration")
    if not text.lstrip("-").startswith("P"):
        return _timeless_date(text)
    return _date_time_or_duration(text)


def _scalar(name: str, parse: Any) -> ScalarType:
    scalar = ScalarType(name, serializer=lambda value: value, value_parser=parse)

    @scalar.literal_parser
    def _literal(node: Any, variables: Any = None) -> Any:
        return parse(getattr(node, "value", None))

    return scalar


@functools.cache
def executable_schema() -> GraphQLSchema:
    """The schema with its resolvers (built once per process; it holds no episode state)."""
    type_defs = load_schema_from_path(sdl_path())
    return make_executable_schema(
        type_defs,
        *queries.BINDABLES,
        *mutations.BINDABLES,
        _scalar("DateTime", _date_time),
        _scalar("TimelessDate", _timeless_date),
        _scalar("DateTimeOrDuration", _date_time_or_duration),
        _scalar("TimelessDateOrDuration", _timeless_date_or_duration),
    )
