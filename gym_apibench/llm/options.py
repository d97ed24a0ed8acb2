"""Agent options: typed, validated settings of the model-backed agents, and their spec form.

Options arrive as strings (``--agent-option KEY=VALUE``, ``llm?model=m&tools=operations``) or
as Python values; :func:`parse_options` turns them into a frozen dataclass, refusing unknown
keys (listing the valid ones) and values of the wrong type or outside the choices.

An agent spec carries its options as a query string (``llm?model=m&temperature=0.2``), so
they travel with the spec through the harness (a plain, picklable string into every worker
process) and different option sets are different agents in ``results.jsonl`` (a run with
another model is not mistaken for one already done).
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar
from urllib.parse import parse_qsl, quote

__all__ = [
    "CodeOptions",
    "LLMOptions",
    "ModelOptions",
    "OptionsError",
    "join_spec",
    "parse_options",
    "split_spec",
]

DEFAULT_BASE_URL = "https://api.openai.com/v1"


class OptionsError(ValueError):
    """Options that name no setting, or a value a setting cannot take."""


def _env(name: str, default: str | None = None) -> Any:
    return field(default_factory=lambda: os.environ.get(name, default))


@dataclass(frozen=True)
class ModelOptions:
    """How to reach the model: an OpenAI-compatible Chat Completions endpoint.

    ``model`` defaults to ``$APIBENCH_MODEL``, ``base_url`` to ``$OPENAI_BASE_URL`` (else
    OpenAI's), and the key is read from the environment variable named ``api_key_env`` when a
    request is sent (never an option itself, so it never lands in results). Without a key no
    ``Authorization`` header is sent (local vLLM and Ollama servers need none).
    """

    model: str | None = _env("APIBENCH_MODEL")
    base_url: str | None = _env("OPENAI_BASE_URL", DEFAULT_BASE_URL)
    api_key_env: str = "OPENAI_API_KEY"
    temperature: float = 0.0
    max_tokens: int | None = None
    timeout: float = 120.0
    """Seconds for one model request (connect, write and read)."""
    retries: int = 5
    """Retries of a model request answered 429 or 5xx, or lost in transport."""
    backoff: float = 1.0
    """First retry delay in seconds (doubled each retry) when there is no ``Retry-After``."""
    max_retry_wait: float = 60.0
    """The longest single wait between retries, ``Retry-After`` included."""


@dataclass(frozen=True)
class LLMOptions(ModelOptions):
    """Settings of :class:`~gym_apibench.llm.agent.LLMAgent` (``--agent llm``)."""

    tools: Literal["http", "operations"] = "http"
    """``http``: generic ``http_request``; ``operations``: one function per spec operation."""
    max_turns: int = 40
    """Assistant turns kept in the conversation (with their tool results) besides the task."""
    context_tokens: int = 24_000
    """Rough token budget (4 characters a token) of the conversation sent to the model."""
    max_tool_chars: int = 8_000
    """Longest tool result given back to the model; longer ones are cut, with a note."""
    max_docs_chars: int = 40_000
    """Longest spec text a ``read_docs`` call gives back; longer ones are cut, with a note."""
    max_malformed: int = 3
    """Consecutive malformed model outputs after which the agent gives up."""


@dataclass(frozen=True)
class CodeOptions(ModelOptions):
    """Settings of :class:`~gym_apibench.llm.code_agent.CodeAgent` (``--agent code``)."""

    lang: Literal["python", "js"] = "python"
    attempts: int = 1
    """Programs tried at most; a retry only after a crash or no JSON answer."""
    self_heal: bool = False
    """Feed a failed program's error back to the model for the next attempt."""
    docs: Literal["none", "urls", "full"] = "urls"
    """What the prompt says of the APIs: nothing, base URLs (as API-Bench did), or the specs."""
    time_limit: float = 60.0
    """Wall-clock seconds a program may run; then it is killed with its children."""
    memory_mb: int = 1024
    """Address-space limit of a Python program (heap limit of a JavaScript one)."""
    sandbox: Literal["bubblewrap", "none"] = "bubblewrap"
    """Where programs run: in the bubblewrap sandbox (:mod:`gym_apibench.llm.isolation`),
    or, with ``none``, unisolated on the host, as the user running apibench (only for
    programs you trust; the agent's spec, and so the results and report, say so)."""
    max_processes: int = 64
    """Processes and threads a sandboxed program may have at once (Node uses about 11)."""
    scratch_mb: int = 64
    """Size of a sandboxed program's writable ``/tmp``, and of any file it writes."""
    max_doc_chars: int = 60_000
    """Longest spec text put in a ``docs=full`` prompt, per service."""
    max_error_chars: int = 4_000
    """Longest stderr tail fed back to the model when self-healing."""


_Options = TypeVar("_Options", bound=ModelOptions)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def parse_options(cls: type[_Options], options: Mapping[str, Any] | None) -> _Options:
    """``cls`` with ``options`` applied (strings are converted); :class:`OptionsError` if bad."""
    hints = typing.get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    values: dict[str, Any] = {}
    for key, raw in (options or {}).items():
        name = str(key).strip().replace("-", "_")
        if name not in hints:
            close = difflib.get_close_matches(name, names, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise OptionsError(f"unknown option {key!r}{hint}; valid: {', '.join(names)}")
        values[name] = _convert(name, hints[name], raw)
    options_obj = cls(**values)
    _check_ranges(options_obj)
    return options_obj


def _convert(name: str, hint: Any, raw: Any) -> Any:
    """``raw`` as the type ``hint`` (``X | None``, bool, int, float, str or a Literal)."""
    args = typing.get_args(hint)
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        if raw is None or (isinstance(raw, str) and raw.strip().lower() in {"", "none", "null"}):
            return None
        hint = next(a for a in args if a is not type(None))
        args = typing.get_args(hint)
    if typing.get_origin(hint) is Literal:
        value = str(raw).strip()
        if value not in args:
            raise OptionsError(f"option {name}: expected one of {', '.join(args)}, got {raw!r}")
        return value
    if hint is bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in _TRUE | _FALSE:
            return text in _TRUE
        raise OptionsError(f"option {name}: expected true or false, got {raw!r}")
    if hint in (int, float):
        try:
            return hint(raw) if not isinstance(raw, bool) else _bad(name, hint, raw)
        except (TypeError, ValueError):
            _bad(name, hint, raw)
    if hint is str:
        return str(raw)
    raise TypeError(f"option {name}: unsupported type {hint!r}")  # a bug in the dataclass


def _bad(name: str, hint: type, raw: Any) -> typing.NoReturn:
    raise OptionsError(f"option {name}: expected {hint.__name__}, got {raw!r}")


_MINIMUM: dict[str, float] = {
    "timeout": 1e-3,
    "time_limit": 1e-3,
    "max_turns": 1,
    "context_tokens": 1,
    "max_tool_chars": 1,
    "max_malformed": 1,
    "attempts": 1,
    "memory_mb": 16,
    "max_processes": 16,
    "scratch_mb": 1,
    "max_doc_chars": 1,
    "max_docs_chars": 1,
    "max_error_chars": 1,
    "max_tokens": 1,
    "retries": 0,
    "backoff": 0,
    "max_retry_wait": 0,
    "temperature": 0,
}
"""The least value of each numeric option (``None`` stays allowed where the type has it)."""


def _check_ranges(options: ModelOptions) -> None:
    for name, least in _MINIMUM.items():
        value = getattr(options, name, None)
        if value is not None and value < least:
            raise OptionsError(f"option {name} must be at least {least:g}, got {value!r}")


def split_spec(spec: str) -> tuple[str, dict[str, str]]:
    """``"llm?model=m&tools=operations"`` -> ``("llm", {"model": "m", "tools": "operations"})``.

    Repeated keys and empty keys are :class:`OptionsError`.
    """
    name, mark, query = spec.partition("?")
    options: dict[str, str] = {}
    if not mark:
        return name, options
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError:
        raise OptionsError(f"agent {spec!r}: options are written KEY=VALUE&KEY=VALUE") from None
    for key, value in pairs:
        if not key or key in options:
            raise OptionsError(f"agent {spec!r}: empty or repeated option {key!r}")
        options[key] = value
    return name, options


def join_spec(name: str, options: Mapping[str, Any]) -> str:
    """The spec of agent ``name`` with ``options`` (inverse of :func:`split_spec`).

    ``model`` comes first, then the other keys sorted; values are percent-encoded except
    ``:`` and ``/`` (URLs stay readable), so one option set gives one spec, with no ``,``
    (the CLI's agent separator), ``&``, ``=`` or space.
    """
    if not options:
        return name
    keys = sorted(options, key=lambda k: (k != "model", k))
    query = "&".join(
        f"{quote(str(k), safe='')}={quote(_text(options[k]), safe=':/')}" for k in keys
    )
    return f"{name}?{query}"


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)
