"""A Starlette router that indexes routes by path shape, so dispatch stays O(1) in routes.

Starlette's ``Router`` tries every route's regex in turn; with a few dozen routes per
service that dominated an in-process step. This router only tries the routes whose
literal segments and segment count fit the path, in their declared order, with the same
FULL / PARTIAL (405) semantics.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from starlette._utils import get_route_path
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Route, Router
from starlette.types import Receive, Scope, Send

__all__ = ["Handler", "IndexedRouter", "route"]

Handler = Callable[[Request], Awaitable[Response]]
"""An endpoint function."""


def route(path: str, handlers: Mapping[str, Handler]) -> Route:
    """One route serving several methods (HEAD as GET), so that a 405 lists every allowed one."""
    table = dict(handlers)

    async def endpoint(request: Request) -> Response:
        return await table[request.method if request.method != "HEAD" else "GET"](request)

    endpoint.__doc__ = " / ".join(f"{m}: {h.__doc__ or h.__name__}" for m, h in table.items())
    return Route(path, endpoint, methods=list(table))


_Shape = tuple[str | None, ...]
_Entry = tuple[int, BaseRoute]


def _shape(route: BaseRoute) -> _Shape | None:
    """Literal segments (None for a parameter), or None when the route is not indexable."""
    if not isinstance(route, Route) or ":path}" in route.path:
        return None
    return tuple(None if "{" in seg else seg for seg in route.path.split("/")[1:])


def _key_getter(positions: list[int]) -> Callable[[list[str]], Any]:
    """What ``table`` keys look like: a tuple of the literals, one literal, or ``()``."""
    if not positions:
        return lambda segments: ()
    return itemgetter(*positions)


class IndexedRouter(Router):
    """A drop-in ``Router`` (no slash redirects: APIs answer 404) with indexed dispatch."""

    def __init__(self, routes: Sequence[BaseRoute]) -> None:
        super().__init__(routes=list(routes), redirect_slashes=False)
        # length -> [(literal positions, {literal values: [(order, route)]})]
        groups: dict[int, dict[tuple[int, ...], dict[tuple[str, ...], list[_Entry]]]] = {}
        self._always: list[_Entry] = []
        for order, route in enumerate(self.routes):
            shape = _shape(route)
            if shape is None:
                self._always.append((order, route))
                continue
            positions = tuple(i for i, lit in enumerate(shape) if lit is not None)
            literals = tuple(lit for lit in shape if lit is not None)
            by_positions = groups.setdefault(len(shape), {})
            by_positions.setdefault(positions, defaultdict(list))[literals].append((order, route))
        # Segments are read from ``path.split("/")``, whose item 0 is the empty string before
        # the leading slash: hence ``p + 1``. itemgetter reads them in C.
        self._groups = {
            length + 1: [
                (
                    _key_getter([p + 1 for p in positions]),
                    {
                        (key[0] if len(key) == 1 else key): (entries, [r for _, r in entries])
                        for key, entries in table.items()
                    },
                )
                for positions, table in by_positions.items()
            ]
            for length, by_positions in groups.items()
        }

    def candidates(self, path: str) -> list[BaseRoute]:
        """Routes that may match ``path``, in declaration order."""
        segments = path.split("/")
        hits = []
        for key_of, table in self._groups.get(len(segments), ()):
            hit = table.get(key_of(segments))
            if hit is not None:
                hits.append(hit)
        if len(hits) == 1 and not self._always:
            return hits[0][1]  # the common case: one shape fits, already in order
        entries = [entry for hit in hits for entry in hit[0]] + self._always
        return [route for _, route in sorted(entries, key=lambda entry: entry[0])]

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Dispatch like ``Router.app``, over the candidate routes only."""
        if "router" not in scope:
            scope["router"] = self
        if scope["type"] == "lifespan":
            await self.lifespan(scope, receive, send)
            return
        partials: list[BaseRoute] = []
        for route in self.candidates(get_route_path(scope)):
            match, child_scope = route.matches(scope)
            if match is Match.FULL:
                scope["route"] = route
                scope.update(child_scope)
                await route.handle(scope, receive, send)
                return
            if match is Match.PARTIAL:
                partials.append(route)
        if partials:
            # A 405: its Allow header lists the methods of every route on this path.
            allowed = sorted({m for r in partials for m in getattr(r, "methods", None) or ()})
            raise HTTPException(405, headers={"Allow": ", ".join(allowed)})
        await self.default(scope, receive, send)
