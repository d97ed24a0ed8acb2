"""Agents: the built-in baselines, the model-backed agents, and user agents (``module:factory``).

An agent spec may carry options as a query string, ``llm?model=qwen2.5&tools=operations``
(see :mod:`gym_apibench.llm.options`): the spec is then a plain string that names the agent
and its settings, travels as is to the harness's worker processes, and keys the results.
"""

from __future__ import annotations

import difflib
import importlib
import inspect
from collections.abc import Callable, Mapping
from typing import Any

from gym_apibench.agents.base import Agent

__all__ = [
    "BUILTIN_AGENTS",
    "MODEL_AGENTS",
    "Agent",
    "AgentSpecError",
    "agent_takes_options",
    "make_agent",
    "with_options",
]


class AgentSpecError(ValueError):
    """An agent spec that names no usable agent (unknown name, bad module or factory)."""


def _oracle() -> Agent:
    from gym_apibench.agents.oracle import OracleAgent

    return OracleAgent()


def _naive() -> Agent:
    from gym_apibench.agents.oracle import OracleAgent

    return OracleAgent(naive=True)


def _noop() -> Agent:
    from gym_apibench.agents.noop import NoopAgent

    return NoopAgent()


def _random() -> Agent:
    from gym_apibench.agents.random_agent import RandomAgent

    return RandomAgent()


def _first_page_only() -> Agent:
    from gym_apibench.agents.baselines import FirstPageOnlyAgent

    return FirstPageOnlyAgent()


def _robust() -> Agent:
    from gym_apibench.agents.robust import RobustAgent

    return RobustAgent()


def _no_retry() -> Agent:
    from gym_apibench.agents.baselines import NoRetryAgent

    return NoRetryAgent()


BUILTIN_AGENTS: dict[str, Callable[[], Agent]] = {
    "oracle": _oracle,
    "robust": _robust,
    "naive": _naive,
    "noop": _noop,
    "random": _random,
    "first-page-only": _first_page_only,
    "no-retry": _no_retry,
}
"""Built-in agents without options, by name; anything else is given as ``module:factory``."""


def _llm(options: Mapping[str, Any]) -> Agent:
    from gym_apibench.llm.agent import LLMAgent

    return LLMAgent(options)


def _code(options: Mapping[str, Any]) -> Agent:
    from gym_apibench.llm.code_agent import CodeAgent

    return CodeAgent(options)


MODEL_AGENTS: dict[str, Callable[[Mapping[str, Any]], Agent]] = {
    "llm": _llm,
    "code": _code,
}
"""Built-in agents backed by a chat model, by name; they take options (model, base_url, ...)."""


def make_agent(spec: str, *, seed: int = 0, options: Mapping[str, Any] | None = None) -> Agent:
    """The agent named by ``spec``: a built-in name, or ``module:factory``, with options.

    Options come from the spec's query string (``llm?model=m``) and from ``options``, which
    wins on a key given in both. The model agents (:data:`MODEL_AGENTS`) validate them
    (unknown keys are errors); a ``module:factory`` receives them as ``options=`` when it has
    an ``options`` parameter, and refuses them otherwise; the baselines take none.

    For ``module:factory`` the module is imported and ``factory`` (any callable attribute,
    dotted paths allowed) is called, with ``seed=seed`` if it takes a ``seed`` parameter.
    Episode randomness comes from :meth:`Agent.reset`'s seed; ``seed`` here is for agents
    that want one at construction. Unknown names list the valid ones.
    """
    from gym_apibench.llm.options import OptionsError, split_spec

    try:
        spec, spec_options = split_spec(spec.strip())
    except OptionsError as exc:
        raise AgentSpecError(str(exc)) from None
    merged: dict[str, Any] = {**spec_options, **(options or {})}
    if ":" not in spec:
        model_agent = MODEL_AGENTS.get(spec)
        if model_agent is not None:
            try:
                return model_agent(merged)
            except ValueError as exc:  # OptionsError, or no model / base URL to use
                raise AgentSpecError(f"agent {spec!r}: {exc}") from None
        builtin = BUILTIN_AGENTS.get(spec)
        if builtin is None:
            raise AgentSpecError(_unknown_agent_message(spec))
        if merged:
            raise AgentSpecError(f"agent {spec!r} takes no options, got {sorted(merged)}")
        return builtin()
    target = _factory(spec)
    kwargs: dict[str, Any] = {}
    if _takes(target, "seed"):
        kwargs["seed"] = seed
    if _takes(target, "options"):
        kwargs["options"] = merged
    elif merged:
        raise AgentSpecError(
            f"agent {spec!r}: the factory has no 'options' parameter, got options {sorted(merged)}"
        )
    agent = target(**kwargs)
    missing = [m for m in ("reset", "act") if not callable(getattr(agent, m, None))]
    if missing:
        raise AgentSpecError(
            f"agent {spec!r}: the factory's result has no {' or '.join(missing)}()"
        )
    if not isinstance(getattr(agent, "name", None), str):
        raise AgentSpecError(f"agent {spec!r}: the factory's result has no 'name' string")
    return agent  # type: ignore[return-value]


def _factory(spec: str) -> Callable[..., object]:
    """The callable a ``module:factory`` spec names."""
    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise AgentSpecError(f"agent {spec!r}: expected 'module:factory', e.g. 'my_agents:make'")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and module_name.startswith(exc.name):
            raise AgentSpecError(f"agent {spec!r}: cannot import module {module_name!r}") from exc
        raise
    target: object = module
    for part in attr.split("."):
        try:
            target = getattr(target, part)
        except AttributeError:
            public = sorted(n for n in dir(module) if not n.startswith("_"))
            hint = _did_you_mean(part, public)
            raise AgentSpecError(
                f"agent {spec!r}: module {module_name!r} has no attribute {part!r}{hint}"
            ) from None
    if not callable(target):
        raise AgentSpecError(f"agent {spec!r}: {attr!r} is not callable")
    return target


def agent_takes_options(spec: str) -> bool:
    """Whether the agent ``spec`` names takes options: a model agent, or a factory with an
    ``options`` parameter (the module is imported to tell)."""
    from gym_apibench.llm.options import split_spec

    name = split_spec(spec.strip())[0]
    if ":" not in name:
        return name in MODEL_AGENTS
    return _takes(_factory(name), "options")


def with_options(spec: str, options: Mapping[str, Any]) -> str:
    """``spec`` with ``options`` added to its query string (``options`` win on a key in both).

    The result is canonical (see :func:`gym_apibench.llm.options.join_spec`): the same agent
    and options always give the same spec, whatever the order they were given in.
    """
    from gym_apibench.llm.options import OptionsError, join_spec, split_spec

    try:
        name, own = split_spec(spec.strip())
    except OptionsError as exc:
        raise AgentSpecError(str(exc)) from None
    return join_spec(name, {**own, **options})


def _takes(factory: Callable[..., object], name: str) -> bool:
    try:
        parameters = inspect.signature(factory).parameters
    except (TypeError, ValueError):
        return False
    param = parameters.get(name)
    return param is not None and param.kind in (
        inspect.Parameter.KEYWORD_ONLY,
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
    )


def _did_you_mean(name: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(name, candidates, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _unknown_agent_message(name: str) -> str:
    names = sorted([*BUILTIN_AGENTS, *MODEL_AGENTS])
    valid = ", ".join(names)
    return (
        f"unknown agent {name!r}{_did_you_mean(name, names)}; "
        f"valid: {valid}, or 'module:factory' for your own agent"
    )
