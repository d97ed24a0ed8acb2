"""What an emulated operation documents it answers: the media types of each response, read
from the service's spec in ``specs/`` (the docs an agent reads at ``GET /docs``).

A careful client is written against those docs, so it knows that an operation documented to
answer JSON has not answered when it gets a body that is not JSON (a cut document, a proxy's
HTML page with status 200): :meth:`Documented.garbled` tells the robust reference's recovery
layer (:func:`gym_apibench.solving.recovering`) so.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from mockapis.specs import HTTP_METHODS, deref, load_spec, path_pattern

__all__ = ["Documented", "is_json_media"]

_Operation = tuple[re.Pattern[str], str, Mapping[str, frozenset[str]]]
"""(path pattern, METHOD, media types by response status)."""


def is_json_media(media: str) -> bool:
    """``application/json`` or a ``+json`` type (``application/problem+json``)."""
    base = media.split(";", 1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


def _content(response: Any) -> Mapping[str, Any]:
    content = response.get("content") if isinstance(response, Mapping) else None
    return content if isinstance(content, Mapping) else {}


@functools.cache
def _operations(service: str) -> tuple[_Operation, ...]:
    """The documented operations of ``service``, most specific path first (literal segments
    before parameters, as routers match)."""
    from mockapis.registry import get_service

    spec: dict[str, Any] = load_spec(get_service(service).spec_path)
    found: list[tuple[tuple[int, int], _Operation]] = []
    for path, item in (spec.get("paths") or {}).items():
        pattern = path_pattern(path)
        params = path.count("{")
        for method, operation in item.items():
            if method not in HTTP_METHODS or not isinstance(operation, dict):
                continue
            media = {
                str(status): frozenset(_content(deref(spec, response)))
                for status, response in (operation.get("responses") or {}).items()
            }
            found.append(((params, -len(path)), (pattern, method.upper(), media)))
    found.sort(key=lambda entry: entry[0])
    return tuple(operation for _, operation in found)


def _for_status(media: Mapping[str, frozenset[str]], status: int) -> frozenset[str] | None:
    for key in (str(status), f"{str(status)[0]}XX"):
        if key in media:
            return media[key]
    if 200 <= status < 300:
        successes = [types for key, types in media.items() if key.startswith("2")]
        if successes:
            return frozenset().union(*successes)
    return media.get("default")


class Documented:
    """The documented responses of the services of one task (``task["services"]``: name ->
    base URL). Hosts and paths no spec covers are unknown (``None``), never a guess."""

    def __init__(self, services: Mapping[str, str]) -> None:
        self._bases = [(name, urlsplit(url)) for name, url in services.items()]

    def media(self, method: str, url: str, status: int) -> frozenset[str] | None:
        """The media types the operation ``method url`` documents for ``status``: its own
        code's, else its range's (``2XX``), else, for a success, those of every success it
        documents (a proxy may turn a 201 into a 200), else ``default``'s; ``None`` when
        unknown."""
        target = urlsplit(url)
        for name, base in self._bases:
            if (target.scheme, target.netloc) != (base.scheme, base.netloc):
                continue
            prefix = base.path.rstrip("/")
            if not target.path.startswith(prefix):
                continue
            try:
                operations = _operations(name)
            except (KeyError, OSError):
                return None
            for pattern, documented_method, media in operations:
                path = target.path[len(prefix) :] or "/"
                if documented_method == method.upper() and (
                    pattern.fullmatch(path) or pattern.fullmatch(path.rstrip("/"))
                ):
                    return _for_status(media, status)
        return None

    def garbled(self, method: str, url: str, observation: Mapping[str, Any]) -> bool:
        """Whether ``observation`` is a success the docs say is JSON, with a body that is not:
        the answer never arrived whole (a write's effect may still stand)."""
        status = observation.get("status")
        if not isinstance(status, int) or not 200 <= status < 300:
            return False
        media = self.media(method, url, status)
        if not media or not all(is_json_media(m) for m in media):
            return False
        body = observation.get("body") or ""
        if not body:
            return False
        try:
            json.loads(body)
        except ValueError:
            return True
        return False
