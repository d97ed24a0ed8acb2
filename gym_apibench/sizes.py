"""The ``sizes`` argument: world-size overrides, checked against the scenario's services."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

from gym_apibench.scenarios import get_scenario
from mockapis.registry import get_service

__all__ = ["world_sizes"]


def _hint(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def world_sizes(scenario_id: str, sizes: Any, name: str = "sizes") -> dict[str, dict[str, int]]:
    """``sizes`` (``{service: {entity: count}}``) checked for ``scenario_id``, as plain dicts.

    A service the scenario does not use, an entity its generator does not know, or a count
    that is not an integer >= 0 is a ``ValueError`` naming ``name`` and what is allowed: the
    generators would only find out when the world is built, at the first reset.
    """
    if sizes is None:
        return {}
    services = get_scenario(scenario_id).services
    if not isinstance(sizes, Mapping):
        raise ValueError(
            f"{name} maps services to {{entity: count}}, e.g. "
            f"{{{services[0]!r}: {{...}}}}; got {type(sizes).__name__} {sizes!r:.80}"
        )
    checked: dict[str, dict[str, int]] = {}
    for service, counts in sizes.items():
        if service not in services:
            raise ValueError(
                f"{name} names service {service!r}{_hint(str(service), services)}, which "
                f"{scenario_id} does not use; its services: {', '.join(services)}"
            )
        entities = get_service(service).default_sizes
        allowed = (
            f"{name}[{service!r}] maps {', '.join(entities) or '(no entities)'} to integers >= 0"
        )
        if not isinstance(counts, Mapping):
            raise ValueError(f"{allowed}; got {type(counts).__name__} {counts!r:.80}")
        for entity, count in counts.items():
            if entity not in entities:
                hint = _hint(str(entity), entities)
                raise ValueError(f"{allowed}; got the unknown entity {entity!r}{hint}")
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise ValueError(f"{allowed}; got {entity}={count!r}")
        checked[service] = dict(counts)
    return checked
