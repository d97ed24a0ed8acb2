"""Agents: the built-in baselines and a loader for user agents (``module:factory``)."""

from __future__ import annotations

import difflib
import importlib
import inspect
from collections.abc import Callable

from gym_apibench.agents.base import Agent

__all__ = ["BUILTIN_AGENTS", "Agent", "AgentSpecError", "make_agent"]


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


BUILTIN_AGENTS: dict[str, Callable[[], Agent]] = {
    "oracle": _oracle,
    "naive": _naive,
    "noop": _noop,
    "random": _random,
}
"""Built-in agents by name; anything else is given as ``module:factory``."""


def make_agent(spec: str, *, seed: int = 0) -> Agent:
    """The agent named by ``spec``: a built-in name, or ``module:factory``.

    For ``module:factory`` the module is imported and ``factory`` (any callable attribute,
    dotted paths allowed) is called, with ``seed=seed`` if it takes a ``seed`` parameter.
    Episode randomness comes from :meth:`Agent.reset`'s seed; ``seed`` here is for agents
    that want one at construction. Unknown names list the valid ones.
    """
    spec = spec.strip()
    if ":" not in spec:
        builtin = BUILTIN_AGENTS.get(spec)
        if builtin is None:
            raise AgentSpecError(_unknown_agent_message(spec))
        return builtin()
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
    agent = target(seed=seed) if _takes_seed(target) else target()
    missing = [m for m in ("reset", "act") if not callable(getattr(agent, m, None))]
    if missing:
        raise AgentSpecError(
            f"agent {spec!r}: the factory's result has no {' or '.join(missing)}()"
        )
    if not isinstance(getattr(agent, "name", None), str):
        raise AgentSpecError(f"agent {spec!r}: the factory's result has no 'name' string")
    return agent  # type: ignore[no-any-return]


def _takes_seed(factory: Callable[..., object]) -> bool:
    try:
        parameters = inspect.signature(factory).parameters
    except (TypeError, ValueError):
        return False
    param = parameters.get("seed")
    return param is not None and param.kind in (
        inspect.Parameter.KEYWORD_ONLY,
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
    )


def _did_you_mean(name: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(name, candidates, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _unknown_agent_message(name: str) -> str:
    valid = ", ".join(sorted(BUILTIN_AGENTS))
    return (
        f"unknown agent {name!r}{_did_you_mean(name, sorted(BUILTIN_AGENTS))}; "
        f"valid: {valid}, or 'module:factory' for your own agent"
    )
