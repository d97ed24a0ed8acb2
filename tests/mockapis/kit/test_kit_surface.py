"""The kit's public surface: exactly the service-facing names of its modules, no accidents."""

from __future__ import annotations

import importlib

import pytest

import mockapis.kit as kit

SERVICE_FACING = (
    "auth",
    "context",
    "errors",
    "idempotency",
    "pagination",
    "parsing",
    "ratelimit",
    "responses",
)
"""Modules whose names services use; ``routing`` is the Service's own machinery."""


def test_all_is_unique_and_defined() -> None:
    assert len(set(kit.__all__)) == len(kit.__all__)
    missing = [name for name in kit.__all__ if not hasattr(kit, name)]
    assert not missing, f"in __all__ but not defined: {missing}"


@pytest.mark.parametrize("module", SERVICE_FACING)
def test_every_public_name_of_a_service_facing_module_is_exported(module: str) -> None:
    names = set(importlib.import_module(f"mockapis.kit.{module}").__all__)
    assert names <= set(kit.__all__), (
        f"not re-exported from mockapis.kit: {names - set(kit.__all__)}"
    )


def test_nothing_else_is_exported() -> None:
    expected = set()
    for module in SERVICE_FACING:
        expected |= set(importlib.import_module(f"mockapis.kit.{module}").__all__)
    assert set(kit.__all__) == expected


def test_star_import_gives_exactly_all() -> None:
    namespace: dict[str, object] = {}
    exec("from mockapis.kit import *", namespace)
    assert set(namespace) - {"__builtins__"} == set(kit.__all__)
