"""The catalogue of simulated services, by name."""

from __future__ import annotations

import functools
import importlib
from collections.abc import Mapping

from mockapis.service import Service

__all__ = ["SERVICE_MODULES", "get_service", "services"]

SERVICE_MODULES: tuple[str, ...] = (
    "mockapis.attio",
    "mockapis.stripe",
    "mockapis.slack",
    "mockapis.github",
    "mockapis.brewery",
    "mockapis.punk",
    "mockapis.shopify",
    "mockapis.openalex",
    "mockapis.erp",
    "mockapis.tradepost",
    "mockapis.ledgerly",
    "mockapis.hubspot",
    "mockapis.tus",
    "mockapis.s3",
    "mockapis.openai",
    "mockapis.typeform",
    "mockapis.confluence",
    "mockapis.clickup",
    "mockapis.clockify",
    "mockapis.linear",
    "mockapis.web",
    "mockapis.reader",
    "mockapis.templates",
    "mockapis.files",
    "mockapis.apibank",
)
"""Each module exposes ``SERVICE``; adding a service is adding its module here."""


@functools.cache
def services() -> Mapping[str, Service]:
    """All services by name (imported once per process)."""
    found: dict[str, Service] = {}
    for module_name in SERVICE_MODULES:
        service = importlib.import_module(module_name).SERVICE
        found[service.name] = service
    return found


def get_service(name: str) -> Service:
    """The service called ``name``; unknown names list the known ones."""
    known = services()
    try:
        return known[name]
    except KeyError:
        raise KeyError(f"unknown service {name!r}; known: {', '.join(sorted(known))}") from None
