"""Every service's spec is valid OpenAPI 3.1 and documents exactly the routes the service has."""

from __future__ import annotations

import copy
import re

import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
from starlette.routing import Route

from mockapis.registry import services
from mockapis.service import DOCS_PATH, Service
from mockapis.specs import Operation, load_spec, operations
from tests.conftest import FAKE_ROUTES, make_fake_service

SERVICES = sorted(services())


def route_operations(service: Service) -> set[Operation]:
    """Every ``(METHOD, path)`` the service's app answers, HEAD and the docs route left out.

    Paths are compared as OpenAPI templates: Starlette's convertors (``{key:path}``, a key
    spanning ``/``) are dropped, since OpenAPI has none."""
    found: set[Operation] = set()
    for route in service.routes:
        assert isinstance(route, Route), (
            f"{service.name}: only plain Routes are supported: {route!r}"
        )
        for method in route.methods or ():
            if method != "HEAD" and route.path != DOCS_PATH:
                found.add((method, re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)))
    return found


def operation_mismatch(service: Service) -> str | None:
    """What differs between the spec's operations and the app's routes, or ``None``."""
    documented = operations(load_spec(service.spec_path))
    served = route_operations(service)
    lines = []
    for label, missing in (
        ("served but not in the spec", served - documented),
        ("in the spec but not served", documented - served),
    ):
        if missing:
            lines.append(f"{label}: " + ", ".join(f"{m} {p}" for m, p in sorted(missing)))
    return f"{service.name} ({service.spec}): " + "; ".join(lines) if lines else None


@pytest.mark.parametrize("name", SERVICES)
def test_spec_is_valid_openapi_3_1(name: str) -> None:
    service = services()[name]
    spec = load_spec(service.spec_path)
    assert str(spec.get("openapi", "")).startswith("3.1"), f"{name}: expected openapi: 3.1.x"
    validate(copy.deepcopy(spec))  # load_spec's result is cached: do not let anyone mutate it


@pytest.mark.parametrize("name", SERVICES)
def test_spec_operations_equal_the_routes(name: str) -> None:
    mismatch = operation_mismatch(services()[name])
    assert mismatch is None, mismatch


def _split_descriptions(node: object, path: str = "") -> list[str]:
    """Keys that are a description's tail: in a YAML flow mapping an unquoted ``description:
    a, b.`` ends at the comma, leaving the key ``b.`` with no value (a schema keyword that
    does not exist, silently accepted by OpenAPI's validator)."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if value is None and isinstance(key, str) and re.search(r"\s|\.$", key):
                found.append(f"{path}/{key}")
            found += _split_descriptions(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            found += _split_descriptions(item, f"{path}/{index}")
    return found


@pytest.mark.parametrize("name", SERVICES)
def test_no_description_is_split_by_a_comma(name: str) -> None:
    split = _split_descriptions(load_spec(services()[name].spec_path))
    assert not split, f"{name}: quote these descriptions: {split}"


def test_a_split_description_is_found() -> None:
    assert _split_descriptions({"a": {"description": "x", "lowercase.": None}}) == ["/a/lowercase."]


@pytest.mark.parametrize("name", SERVICES)
def test_spec_is_served_at_the_docs_path(name: str) -> None:
    service = services()[name]
    paths = {route.path for route in service.app.routes if isinstance(route, Route)}
    assert DOCS_PATH in paths
    assert DOCS_PATH not in load_spec(service.spec_path).get("paths", {})


# -- the checks themselves, on the fake service ----------------------------------------------


def test_fake_spec_passes_both_checks(fake_service: Service) -> None:
    validate(copy.deepcopy(load_spec(fake_service.spec_path)))
    assert operation_mismatch(fake_service) is None
    assert ("POST", "/v1/things") in route_operations(fake_service)  # split routes both count
    assert not any(method == "HEAD" for method, _ in route_operations(fake_service))


def test_a_route_missing_from_the_spec_and_an_unserved_operation_are_both_listed() -> None:
    async def endpoint(request):  # never called
        raise AssertionError

    routes = [
        *(r for r in FAKE_ROUTES if r.path != "/v1/whoami"),
        Route("/v1/extra/{id}", endpoint, methods=["PATCH", "DELETE"]),
    ]
    mismatch = operation_mismatch(make_fake_service(routes=routes))
    assert mismatch is not None
    assert "served but not in the spec: DELETE /v1/extra/{id}, PATCH /v1/extra/{id}" in mismatch
    assert "in the spec but not served: GET /v1/whoami" in mismatch


def test_an_invalid_spec_fails_validation(fake_service: Service) -> None:
    spec = copy.deepcopy(load_spec(fake_service.spec_path))
    spec["paths"]["/v1/things"]["get"]["responses"] = "not a mapping"
    with pytest.raises(OpenAPIValidationError):
        validate(spec)
