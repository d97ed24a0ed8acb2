"""The limits of a render, and the work budget that enforces them by counting steps."""

from __future__ import annotations

from typing import Any

from jinja2.exceptions import SecurityError

__all__ = [
    "MAX_DATA_BYTES",
    "MAX_DATA_DEPTH",
    "MAX_DEPTH",
    "MAX_EMITTED",
    "MAX_OUTPUT_BYTES",
    "MAX_RANGE",
    "MAX_TEMPLATE_BYTES",
    "MAX_VALUE",
    "MAX_WORK",
    "Budget",
    "RenderLimitError",
    "size_of",
]

MAX_TEMPLATE_BYTES = 65_536
"""A template's source, in UTF-8 bytes."""
MAX_DATA_BYTES = 262_144
"""The render data, as compact JSON in UTF-8 bytes."""
MAX_DATA_DEPTH = 32
"""How deeply the render data may nest objects and arrays."""
MAX_OUTPUT_BYTES = 262_144
"""The rendered output, in UTF-8 bytes."""
MAX_VALUE = MAX_OUTPUT_BYTES
"""The longest string or list an expression may build."""
MAX_EMITTED = 4 * MAX_OUTPUT_BYTES
"""Characters a render may emit in all, captures (``{% set %}`` blocks, macros) included."""
MAX_WORK = 1_000_000
"""Work units of one render: a loop iteration, a call, an attribute or item lookup cost one; a
filter, test or comparison costs one plus the lengths of its operands."""
MAX_RANGE = 10_000
"""The most numbers ``range()`` yields."""
MAX_DEPTH = 32
"""Nested calls (macros calling macros, recursive loops)."""


class RenderLimitError(SecurityError):
    """A render went over one of its limits (a sandbox refusal, like any other)."""


def size_of(value: Any) -> int:
    """The length of a string or container, else 1 (the unit cost of an operand)."""
    if isinstance(value, str | bytes | list | tuple | dict | set | frozenset | range):
        return len(value)
    return 1


class Budget:
    """The work, output and call depth one render has used, refused past the limits."""

    __slots__ = ("depth", "emitted", "work")

    def __init__(self) -> None:
        self.work = 0
        self.emitted = 0
        self.depth = 0

    def charge(self, units: int) -> None:
        """Spend ``units`` of work; past :data:`MAX_WORK`, refuse the render."""
        self.work += units
        if self.work > MAX_WORK:
            raise RenderLimitError(
                f"the render exceeded its budget of {MAX_WORK} work steps (loop iterations, "
                "calls, lookups, and filter work proportional to the input size)"
            )

    def emit(self, characters: int) -> None:
        """Count emitted characters; past :data:`MAX_EMITTED`, refuse the render."""
        self.emitted += characters
        if self.emitted > MAX_EMITTED:
            raise RenderLimitError(
                f"the render emitted more than {MAX_EMITTED} characters (output, set-blocks "
                "and macro output together)"
            )

    def check_size(self, value: Any, what: str) -> Any:
        """``value`` if it is at most :data:`MAX_VALUE` long, else refuse the render."""
        if size_of(value) > MAX_VALUE:
            raise RenderLimitError(
                f"{what} would be {size_of(value)} long; values are limited to {MAX_VALUE}"
            )
        return value
