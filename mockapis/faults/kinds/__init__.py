"""Every fault kind, by name: adding a kind is adding it to its module's ``KINDS``."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from mockapis.faults.kinds import auth, bodies, data, errors, ratelimit, timing, transport
from mockapis.faults.model import Kind

__all__ = ["KINDS"]

KINDS: Mapping[str, Kind] = MappingProxyType(
    {
        kind.name: kind
        for module in (errors, timing, bodies, data, transport, ratelimit, auth)
        for kind in module.KINDS
    }
)
