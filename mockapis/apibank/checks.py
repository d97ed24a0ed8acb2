"""Upstream's per-API checks, in one place.

Most of API-Bank's ``check_api_call_correctness`` methods follow one pattern: some input
fields are compared after normalising (stripped, lower-cased, a date reformatted, words
overlapping by more than half), the rest of the input (or nothing more of it) must be equal,
and so must output and exception. :func:`same_call` is that pattern; the API modules give it
their fields and comparators.

Two reading modes, as upstream's two suites differ: the level-1/2 checks index the results
(``response["input"]["name"]``), so a missing key raises ``KeyError`` (which the evaluator
counts as a wrong call); the level-3 checks (``lenient``) read every field with a default and
simply answer False.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

__all__ = [
    "Same",
    "by",
    "equal",
    "folded",
    "jaccard_over_half",
    "same_call",
    "same_when_both_succeeded",
    "stripped",
]

Same = Callable[[Any, Any], bool]
"""Whether a response's field value matches the gold's."""

_NOTHING: Mapping[str, Same] = {}


def equal(got: Any, want: Any) -> bool:
    """Plain equality."""
    return bool(got == want)


def by(normalise: Callable[[Any], Any]) -> Same:
    """Equality after ``normalise`` (applied to the response's value first, then the gold's)."""

    def same(got: Any, want: Any) -> bool:
        return bool(normalise(got) == normalise(want))

    return same


def _strip(value: Any) -> Any:
    return value.strip()


def _fold(value: Any) -> Any:
    return value.strip().lower()


stripped = by(_strip)
"""Equality of the stripped texts."""
folded = by(_fold)
"""Equality of the stripped, lower-cased texts."""


def jaccard_over_half(a: str, b: str, *, lower: bool = False) -> bool:
    """Upstream's content check: the word sets (split on single spaces) overlap by more than
    half (Jaccard index > 0.5)."""
    if lower:
        a, b = a.lower(), b.lower()
    left, right = set(a.split(" ")), set(b.split(" "))
    return len(left & right) / len(left | right) > 0.5


def _read(result: Mapping[str, Any], key: str, lenient: bool) -> Any:
    return result.get(key) if lenient else result[key]


def _inputs(result: Mapping[str, Any], lenient: bool) -> Mapping[str, Any]:
    if not lenient:
        inputs: Mapping[str, Any] = result["input"]
        return inputs
    found = result.get("input")
    return found if isinstance(found, Mapping) else {}


def same_call(
    response: Mapping[str, Any],
    gold: Mapping[str, Any],
    *,
    compare: Mapping[str, Same] = _NOTHING,
    rest: bool = False,
    ignore: Collection[str] = (),
    name: str | None = None,
    lenient: bool = False,
) -> bool:
    """Upstream's usual check, evaluated in upstream's order, stopping at the first mismatch:

    - ``name``: the API names agree first (the gold's defaults to ``name``; the response's too
      when ``lenient``, else it must be there);
    - each ``compare`` field, in order, matches by its comparator;
    - ``rest``: the other input fields (but ``ignore``'s) are equal;
    - output and exception are equal.

    The input is read only when ``compare`` or ``rest`` asks for it. ``lenient``: read every
    field with a default (a non-mapping input reads as empty) instead of indexing.
    """
    if name is not None and response.get("api_name", name if lenient else None) != gold.get(
        "api_name", name
    ):
        return False
    if compare or rest:
        got, want = _inputs(response, lenient), _inputs(gold, lenient)
        for key, same in compare.items():
            if not same(_read(got, key, lenient), _read(want, key, lenient)):
                return False
        if rest:
            skip = {*compare, *ignore}
            others = {k: v for k, v in got.items() if k not in skip}
            if others != {k: v for k, v in want.items() if k not in skip}:
                return False
    return bool(
        _read(response, "output", lenient) == _read(gold, "output", lenient)
        and _read(response, "exception", lenient) == _read(gold, "exception", lenient)
    )


def same_when_both_succeeded(
    response: Mapping[str, Any], gold: Mapping[str, Any], field: str
) -> bool:
    """Upstream's deletion checks: when both calls succeeded, the input ``field`` must agree;
    otherwise output and exception must."""
    if gold["output"] == "success" and response["output"] == "success":
        return bool(response["input"][field] == gold["input"][field])
    return same_call(response, gold)
