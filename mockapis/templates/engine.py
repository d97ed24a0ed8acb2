"""Compiling and rendering templates in the sandbox: the one entry point for handlers (and for
scenario truths, which render exactly as the service does)."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from types import CodeType, TracebackType
from typing import Any

from jinja2 import StrictUndefined, Template, Undefined
from jinja2.exceptions import SecurityError, TemplateError, TemplateSyntaxError, UndefinedError

from mockapis.templates.filters import make_filters, make_tests, safe_range
from mockapis.templates.limits import (
    MAX_DATA_BYTES,
    MAX_DATA_DEPTH,
    MAX_OUTPUT_BYTES,
    MAX_TEMPLATE_BYTES,
    Budget,
    RenderLimitError,
)
from mockapis.templates.sandbox import TemplateSandbox, guard_tree

__all__ = ["FORMATS", "TemplateProblem", "check_data", "compile_template", "render"]

FORMATS: Mapping[str, str] = {
    "text": "text/plain; charset=utf-8",
    "markdown": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
}
"""Output formats and their media types; ``html`` autoescapes every ``{{ value }}``."""
_FILENAME = "<template>"


class TemplateProblem(Exception):
    """Why a template cannot compile or render: a ``kind`` (the error type the API reports),
    a message, and the template line when known."""

    def __init__(self, kind: str, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.line = line


@functools.cache
def _filters() -> dict[str, Any]:
    """The filter table, made once: its metered wrappers find each render's budget through
    the render's context, so every environment can share them."""
    return make_filters()


@functools.cache
def _tests() -> dict[str, Any]:
    """The test table, made once (as :func:`_filters`)."""
    return make_tests()


def _environment(fmt: str, strict: bool, budget: Budget) -> TemplateSandbox:
    env = TemplateSandbox(
        budget,
        autoescape=fmt == "html",
        undefined=StrictUndefined if strict else Undefined,
        extensions=["jinja2.ext.loopcontrols"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.clear()
    env.filters.update(_filters())
    env.tests.clear()
    env.tests.update(_tests())
    env.globals.clear()
    env.globals["range"] = safe_range
    return env


def _template_line(tb: TracebackType | None) -> int | None:
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == _FILENAME:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


_RUNTIME_ERRORS = (
    TemplateError,
    AttributeError,  # a built-in filter given the wrong type (``1|dictsort``, ``1|wordwrap``)
    ArithmeticError,
    TypeError,
    ValueError,
    LookupError,
    RecursionError,
)


def _problem(exc: BaseException) -> TemplateProblem:
    """The problem a render failed with, named by kind, with the template line."""
    line = _template_line(exc.__traceback__)
    if isinstance(exc, RenderLimitError):
        return TemplateProblem("render_limit_exceeded", str(exc), line)
    if isinstance(exc, SecurityError):
        return TemplateProblem("sandbox_violation", str(exc), line)
    if isinstance(exc, UndefinedError):
        return TemplateProblem("undefined_variable", str(exc), line)
    if isinstance(exc, RecursionError):
        return TemplateProblem("render_limit_exceeded", "the render recursed too deeply", line)
    if isinstance(exc, TemplateError):
        return TemplateProblem("render_error", str(exc), line)
    return TemplateProblem("render_error", f"{type(exc).__name__}: {exc}", line)


@functools.lru_cache(maxsize=256)
def _code(source: str, fmt: str) -> CodeType:
    """The guarded, compiled code of ``source`` (``TemplateProblem`` if it cannot compile).

    Compiling takes milliseconds and depends only on the source and on autoescaping (the
    budget and the undefined policy act at render time), so renders of one template share
    it: a scenario truth or a stored template renders in a fraction of a millisecond."""
    size = len(source.encode("utf-8", "surrogatepass"))
    if size > MAX_TEMPLATE_BYTES:
        raise TemplateProblem(
            "template_too_large",
            f"the template is {size} bytes; at most {MAX_TEMPLATE_BYTES} bytes are allowed",
        )
    env = _environment(fmt, False, Budget())
    try:
        return env.compile(guard_tree(env.parse(source)))
    except TemplateSyntaxError as exc:
        raise TemplateProblem(
            "template_syntax_error", exc.message or str(exc), exc.lineno
        ) from None
    except (RecursionError, SyntaxError, MemoryError):
        raise TemplateProblem(
            "template_syntax_error", "the template nests too deeply to compile"
        ) from None
    except _RUNTIME_ERRORS as exc:  # constant expressions are evaluated while compiling
        raise _problem(exc) from None


def _compile(env: TemplateSandbox, source: str, fmt: str) -> Template:
    """``source`` as a template of ``env`` (its own budget), from the shared compiled code."""
    return env.template_class.from_code(env, _code(source, fmt), env.make_globals(None))


def compile_template(source: str, fmt: str = "text") -> None:
    """Check that ``source`` compiles (``TemplateProblem`` naming the line if it does not)."""
    _code(source, fmt)


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


def check_data(data: Any) -> dict[str, Any]:
    """``data`` if it is a JSON object within the size and depth limits, else a problem."""
    if not isinstance(data, dict):
        raise TemplateProblem("invalid_data", "data must be a JSON object")
    if _depth(data) > MAX_DATA_DEPTH:  # first: serialising very deep data would recurse
        raise TemplateProblem("data_too_deep", f"data nests more than {MAX_DATA_DEPTH} levels")
    size = len(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())
    if size > MAX_DATA_BYTES:
        raise TemplateProblem(
            "data_too_large", f"data is {size} bytes as JSON; at most {MAX_DATA_BYTES} are allowed"
        )
    return data


def render(source: str, data: Mapping[str, Any], *, fmt: str = "text", strict: bool = False) -> str:
    """``source`` rendered with ``data`` in the sandbox; ``TemplateProblem`` when it cannot be."""
    template = _compile(_environment(fmt, strict, Budget()), source, fmt)
    try:
        output = "".join(template.generate(dict(data)))
    except _RUNTIME_ERRORS as exc:
        raise _problem(exc) from None
    size = len(output.encode("utf-8", "surrogatepass"))
    if size > MAX_OUTPUT_BYTES:
        raise TemplateProblem(
            "render_limit_exceeded",
            f"the output is {size} bytes; at most {MAX_OUTPUT_BYTES} bytes are allowed",
        )
    return output
