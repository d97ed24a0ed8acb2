"""The documented filters and tests of the template service, each metered by the budget.

Jinja's built-ins are kept where their cost is bounded by their input; those that can amplify
(``replace``, ``join``, ``indent``, ``center``, ``wordwrap``, ``format``, ``batch``, ``sum``,
``tojson``) get their arguments checked first; ``random`` (not deterministic), ``pprint``,
``urlize``, ``xmlattr`` and ``slice`` are left out. Three are ours: ``money``, ``datetime`` and
``escape_md``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, cast

from jinja2 import filters as jinja_filters
from jinja2 import pass_context, pass_environment, pass_eval_context
from jinja2 import tests as jinja_tests
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context

from mockapis.templates.limits import MAX_RANGE, MAX_VALUE, RenderLimitError, size_of
from mockapis.templates.sandbox import CHARGE, EMIT, ITERATE, SIZED, check_percent_format

__all__ = ["FILTER_NAMES", "TEST_NAMES", "make_filters", "make_tests", "safe_range"]

_KEPT = [
    "abs",
    "attr",
    "capitalize",
    "count",
    "d",
    "default",
    "dictsort",
    "e",
    "escape",
    "filesizeformat",
    "first",
    "float",
    "forceescape",
    "groupby",
    "int",
    "items",
    "last",
    "length",
    "list",
    "lower",
    "map",
    "max",
    "min",
    "reject",
    "rejectattr",
    "reverse",
    "round",
    "safe",
    "select",
    "selectattr",
    "sort",
    "string",
    "striptags",
    "title",
    "trim",
    "truncate",
    "unique",
    "upper",
    "urlencode",
    "wordcount",
]
_CHECKED = ["batch", "center", "format", "indent", "join", "replace", "sum", "tojson", "wordwrap"]
_OURS = ("money", "datetime", "escape_md")
FILTER_NAMES = tuple(sorted([*_KEPT, *_CHECKED, *_OURS]))
"""Every filter a template may use (documented in the spec)."""
TEST_NAMES = tuple(sorted(n for n in jinja_tests.TESTS if n not in {"callable", "filter", "test"}))
"""Every test (``is ...``) a template may use."""

_Filter = Callable[..., Any]
_SORTING = frozenset({"sort", "dictsort", "unique", "groupby", "min", "max"})
_PASS_CONTEXT = getattr(pass_context(lambda c: c), "jinja_pass_arg", None)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def _budget(context: Context) -> Any:
    return context.environment.budget  # type: ignore[attr-defined]


def _first_argument(context: Context, function: _Filter) -> Any:
    """What Jinja would pass a filter before its value (context, eval context or environment)."""
    kind = getattr(function, "jinja_pass_arg", None)
    if kind is None:
        return None
    if kind is _PASS_CONTEXT:
        return context
    if kind.name == "eval_context":
        return context.eval_ctx
    return context.environment


def _metered(function: _Filter, name: str) -> _Filter:
    """``function`` charging one step plus its operands' sizes (four times for sorting
    filters, which do more per item), its result's size checked."""
    weight = 4 if name in _SORTING else 1

    @pass_context
    @functools.wraps(function)
    def metered(context: Context, value: Any, *args: Any, **kwargs: Any) -> Any:
        operands = size_of(value) + sum(size_of(a) for a in args)
        _budget(context).charge(1 + operands * weight)
        first = _first_argument(context, function)
        if first is None:
            result = function(value, *args, **kwargs)
        else:
            result = function(first, value, *args, **kwargs)
        if isinstance(result, str | list | tuple):
            _budget(context).check_size(result, f"the result of the {name!r} filter")
        return result

    return metered


def _capped(name: str, value: int, limit: int) -> None:
    if value > limit:
        raise RenderLimitError(f"{name} is limited to {limit}; got {value}")


# -- checked built-ins ------------------------------------------------------------------------


@pass_eval_context
def _replace(eval_ctx: Any, s: Any, old: Any, new: Any, count: int | None = None) -> Any:
    text, old_s, new_s = str(s), str(old), str(new)
    hits = len(text) + 1 if not old_s else text.count(old_s)
    if count is not None:
        hits = min(hits, max(int(count), 0))
    if len(text) + hits * max(0, len(new_s) - len(old_s)) > MAX_VALUE:
        raise RenderLimitError(f"the result of 'replace' would exceed the limit of {MAX_VALUE}")
    return jinja_filters.do_replace(eval_ctx, s, old, new, count)


@pass_eval_context
def _join(eval_ctx: Any, value: Iterable[Any], d: str = "", attribute: Any = None) -> Any:
    items = list(value)
    if len(str(d)) * len(items) > MAX_VALUE:
        raise RenderLimitError(f"the result of 'join' would exceed the limit of {MAX_VALUE}")
    return jinja_filters.sync_do_join(eval_ctx, items, d, attribute)


def _indent(s: Any, width: int | str = 4, first: bool = False, blank: bool = False) -> str:
    _capped("indent width", width if isinstance(width, int) else len(str(width)), 32)
    return jinja_filters.do_indent(s, width, first, blank)


def _center(value: Any, width: int = 80) -> str:
    _capped("center width", int(width), 1000)
    return jinja_filters.do_center(value, width)


@pass_environment
def _wordwrap(environment: Any, s: str, width: int = 79, *args: Any, **kwargs: Any) -> str:
    wrapstring = kwargs.get("wrapstring", args[1] if len(args) > 1 else None)
    if int(width) < 1:
        raise RenderLimitError(f"wordwrap width must be at least 1; got {width}")
    if wrapstring is not None:
        _capped("wordwrap wrapstring length", len(str(wrapstring)), 8)
    return jinja_filters.do_wordwrap(environment, s, width, *args, **kwargs)


def _format(value: str, *args: Any, **kwargs: Any) -> str:
    check_percent_format(str(value))
    return jinja_filters.do_format(value, *args, **kwargs)


def _batch(value: Iterable[Any], linecount: int, fill_with: Any = None) -> Iterator[list[Any]]:
    _capped("batch size", int(linecount), MAX_RANGE)
    return jinja_filters.do_batch(value, linecount, fill_with)


@pass_environment
def _sum(environment: Any, iterable: Iterable[Any], attribute: Any = None, start: Any = 0) -> Any:
    if isinstance(start, bool) or not isinstance(start, int | float):
        raise SecurityError("sum adds numbers only (start must be a number)")
    return jinja_filters.sync_do_sum(environment, iterable, attribute, start)


@pass_eval_context
def _tojson(eval_ctx: Any, value: Any, indent: int | None = None) -> Any:
    if indent is not None:
        _capped("tojson indent", int(indent), 4)
    return jinja_filters.do_tojson(eval_ctx, value, indent)


@pass_environment
def _attr(environment: Any, obj: Any, name: str) -> Any:
    """``attr`` through the sandbox's own attribute rules (not Jinja's looser check)."""
    return environment.getattr(obj, str(name))


# -- ours -------------------------------------------------------------------------------------


def money(value: Any, currency: str = "") -> str:
    """Minor units (an integer number of cents) as ``1,234.56``, with ``currency`` appended
    upper-cased when given (``1,234.56 USD``)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"money expects an integer amount in minor units; got {value!r}")
    sign = "-" if value < 0 else ""
    whole, cents = divmod(abs(value), 100)
    text = f"{sign}{whole:,}.{cents:02d}"
    return f"{text} {str(currency).upper()}" if currency else text


def datetime(value: Any, format: str = "%Y-%m-%d %H:%M UTC") -> str:
    """A Unix timestamp (seconds) or an ISO 8601 string, in UTC, formatted with strftime."""
    if len(str(format)) > 64:
        raise RenderLimitError("datetime formats are limited to 64 characters")
    if isinstance(value, bool):
        raise TypeError("datetime expects a Unix timestamp or an ISO 8601 string")
    try:
        if isinstance(value, int | float):
            moment = dt.datetime.fromtimestamp(value, dt.UTC)
        elif isinstance(value, str):
            moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            moment = moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment
            moment = moment.astimezone(dt.UTC)
        else:
            raise TypeError(
                f"datetime expects a Unix timestamp or an ISO 8601 string; got {value!r}"
            )
        return moment.strftime(str(format))
    except (OverflowError, OSError) as exc:
        raise ValueError(f"datetime cannot represent {value!r}: {exc}") from None


def escape_md(value: Any) -> str:
    """``value`` with Markdown's inline specials (``\\ ` * _ [ ] < > | #``) backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", str(value))


def safe_range(*args: int) -> range:
    """``range`` yielding at most :data:`MAX_RANGE` numbers."""
    numbers = range(*args)
    _capped("range length", len(numbers), MAX_RANGE)
    return numbers


# -- the guard's internal filters ---------------------------------------------------------------


def _iterate(context: Context, value: Any) -> Iterator[Any]:
    budget = _budget(context)
    for item in value:
        budget.charge(1)
        yield item


def _emit(context: Context, value: Any) -> Any:
    _budget(context).emit(len(value) if isinstance(value, str) else len(str(value)))
    return value


def _sized(context: Context, value: Any) -> Any:
    budget = _budget(context)
    budget.charge(size_of(value))
    return budget.check_size(value, "the result of '~'")


def _charge(context: Context, value: Any) -> Any:
    _budget(context).charge(size_of(value))
    return value


def make_filters() -> dict[str, _Filter]:
    """The filter table of a render environment."""
    checked: dict[str, _Filter] = {
        "replace": _replace,
        "join": _join,
        "indent": _indent,
        "center": _center,
        "wordwrap": _wordwrap,
        "format": _format,
        "batch": _batch,
        "sum": _sum,
        "tojson": _tojson,
        "attr": _attr,
        "money": money,
        "datetime": datetime,
        "escape_md": escape_md,
    }
    table = {n: checked.get(n) or jinja_filters.FILTERS[n] for n in FILTER_NAMES}
    metered = {name: _metered(function, name) for name, function in table.items()}
    internal = {ITERATE: _iterate, EMIT: _emit, SIZED: _sized, CHARGE: _charge}
    return {**metered, **{n: pass_context(f) for n, f in internal.items()}}


def make_tests() -> dict[str, _Filter]:
    """The test table of a render environment."""
    return {name: _metered(cast(_Filter, jinja_tests.TESTS[name]), name) for name in TEST_NAMES}
