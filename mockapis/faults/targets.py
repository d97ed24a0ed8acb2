"""Whether a rule's ``where`` can ever match: its services exist, its paths name routes.

A typo in a rule (``service: atio``, ``path: /v2/object/*``) would make it match nothing, and
a fault-injection experiment would silently run without its faults. Rules are checked
against the registered services and the paths their specs document (the single source of
each service's routes), and a target that names nothing is a :class:`FaultSpecError` with
a did-you-mean.
"""

from __future__ import annotations

import difflib
import fnmatch
import functools
import re
from collections.abc import Iterable, Sequence

from mockapis.faults.model import Rule
from mockapis.faults.rules import FaultSpecError

__all__ = ["check_targets"]

_PARAM = re.compile(r"\{[^}/]+\}")


def check_targets(rules: Sequence[Rule], *, source: str = "faults") -> None:
    """Refuse a rule whose services are unknown or one of whose paths matches no route of
    its services (every service when it names none)."""
    from mockapis.registry import services

    known = services()
    for i, rule in enumerate(rules):
        at = f"{source}[{i}] ({rule.name}).where"
        for name in rule.where.services:
            if name not in known:
                raise FaultSpecError(
                    f"{at}.service: unknown service {name!r}{_hint(name, known)}; "
                    f"the services: {', '.join(sorted(known))}"
                )
        names = rule.where.services or tuple(known)
        for glob in rule.where.paths:
            routes = [r for name in names for r in _routes(name)]
            if not any(_overlap(glob, route) for route in routes):
                where = "/".join(rule.where.services) if rule.where.services else "any service"
                raise FaultSpecError(
                    f"{at}.path: {glob!r} matches no route of {where}{_hint(glob, routes)} "
                    "(paths are as the service sees them, without a /<service> prefix; "
                    "* matches any characters)"
                )


@functools.cache
def _routes(service: str) -> tuple[str, ...]:
    """The paths ``service``'s spec documents (templated: ``/v1/customers/{customer}``) and
    its docs path."""
    from mockapis.registry import get_service
    from mockapis.service import DOCS_PATH
    from mockapis.specs import load_spec, operations

    spec = load_spec(get_service(service).spec_path)
    return (*sorted({path for _, path in operations(spec)}), DOCS_PATH)


def _overlap(glob: str, route: str) -> bool:
    """Whether some path matches both ``glob`` and the templated ``route``: the glob matches
    the template as written, or the template (a parameter for one segment or more, as S3
    keys and the reader's URLs take) matches the glob as written."""
    return fnmatch.fnmatchcase(route, glob) or _pattern(route).fullmatch(glob) is not None


@functools.cache
def _pattern(route: str) -> re.Pattern[str]:
    parts = _PARAM.split(route)
    return re.compile(".+".join(re.escape(part) for part in parts))


def _hint(value: str, valid: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(valid), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
