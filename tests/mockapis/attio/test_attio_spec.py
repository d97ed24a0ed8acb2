"""The spec is valid, documents exactly the routed operations, and describes real responses."""

from __future__ import annotations

import re
from typing import Any

import jsonschema
import pytest
from openapi_spec_validator import validate

from mockapis.attio import SERVICE
from mockapis.specs import load_spec, operations


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return load_spec(SERVICE.spec_path)


def test_spec_is_valid_openapi_31(spec):
    validate(spec)
    assert spec["openapi"].startswith("3.1")
    assert spec["servers"] == [{"url": "https://api.attio.com"}]


def test_spec_operations_equal_routes(spec):
    routed = {
        (method, route.path)
        for route in SERVICE.routes
        for method in route.methods  # type: ignore[attr-defined]
        if method != "HEAD"
    }
    assert routed == operations(spec)


def _inline(node: Any, spec: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        if "$ref" in node:
            target: Any = spec
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            return _inline(target, spec)
        return {k: _inline(v, spec) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline(v, spec) for v in node]
    return node


def _template(spec: dict[str, Any], path: str) -> str:
    """The spec path ``path`` instantiates (literal segments win over parameters)."""
    bare = path.split("?", 1)[0]
    candidates = [t for t in spec["paths"] if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", t), bare)]
    assert candidates, f"no spec path for {path}"
    return min(candidates, key=lambda t: t.count("{"))


def _check(spec: dict[str, Any], method: str, path: str, reply) -> None:
    operation = spec["paths"][_template(spec, path)][method.lower()]
    responses = _inline(operation["responses"], spec)
    assert str(reply.status) in responses, (method, path, reply.status)
    schema = responses[str(reply.status)]["content"]["application/json"]["schema"]
    jsonschema.Draft202012Validator(schema).validate(reply.json)


def test_responses_conform(client, spec):
    people = sorted(client.world.table("attio.people"))
    entry = next(iter(client.world.table("attio.entries")))
    note = next(iter(client.world.table("attio.notes")))
    member = next(iter(client.world.table("attio.members")))
    new_person = {
        "data": {
            "values": {"name": "Lovelace, Ada", "email_addresses": ["ada@analytical.engine.io"]}
        }
    }
    calls: list[tuple[str, str, Any]] = [
        ("GET", "/v2/self", None),
        ("GET", "/v2/objects", None),
        ("GET", "/v2/objects/deals", None),
        ("GET", "/v2/objects/deals/attributes", None),
        ("GET", "/v2/objects/nope", None),
        ("POST", "/v2/objects/people/records/query", {"limit": 3}),
        ("POST", "/v2/objects/companies/records/query", {"limit": 3}),
        ("POST", "/v2/objects/deals/records/query", {"limit": 3}),
        ("POST", "/v2/objects/people/records/query", {"filter": {"x": 1}}),
        ("POST", "/v2/objects/people/records", new_person),
        ("POST", "/v2/objects/people/records", new_person),
        ("PUT", "/v2/objects/people/records?matching_attribute=email_addresses", new_person),
        ("GET", f"/v2/objects/people/records/{people[0]}", None),
        ("PATCH", f"/v2/objects/people/records/{people[0]}", {"data": {"values": {}}}),
        ("PUT", f"/v2/objects/people/records/{people[0]}", {"data": {"values": {}}}),
        ("DELETE", f"/v2/objects/people/records/{people[1]}", None),
        ("GET", "/v2/objects/people/records/missing", None),
        ("GET", "/v2/lists", None),
        ("GET", "/v2/lists/sales_pipeline", None),
        ("GET", "/v2/lists/key_contacts/attributes", None),
        ("POST", "/v2/lists/key_contacts/entries/query", {}),
        ("POST", "/v2/lists/sales_pipeline/entries/query", {"limit": 2}),
        (
            "POST",
            "/v2/lists/key_contacts/entries",
            {"data": {"parent_record_id": people[2], "parent_object": "people"}},
        ),
        ("GET", f"/v2/lists/sales_pipeline/entries/{entry}", None),
        ("GET", f"/v2/lists/key_contacts/entries/{entry}", None),
        (
            "PATCH",
            f"/v2/lists/sales_pipeline/entries/{entry}",
            {"data": {"entry_values": {"priority": "Low"}}},
        ),
        ("DELETE", f"/v2/lists/sales_pipeline/entries/{entry}", None),
        ("GET", "/v2/notes?limit=50", None),
        (
            "POST",
            "/v2/notes",
            {
                "data": {
                    "parent_object": "people",
                    "parent_record_id": people[2],
                    "title": "t",
                    "format": "plaintext",
                    "content": "c",
                }
            },
        ),
        ("GET", f"/v2/notes/{note}", None),
        ("DELETE", f"/v2/notes/{note}", None),
        ("GET", "/v2/workspace_members", None),
        ("GET", f"/v2/workspace_members/{member}", None),
    ]
    statuses = set()
    for method, path, body in calls:
        reply = (
            client.request(method, path, body) if body is not None else client.request(method, path)
        )
        statuses.add(reply.status)
        _check(spec, method, path, reply)
    _check(spec, "GET", "/v2/self", client.get("/v2/self", token="bad"))
    big = b'{"limit": 1' + b" " * 2_000_000 + b"}"
    _check(
        spec,
        "POST",
        "/v2/objects/people/records/query",
        client.request("POST", "/v2/objects/people/records/query", raw=big),
    )
    _check(
        spec,
        "POST",
        "/v2/notes",
        client.request("POST", "/v2/notes", raw=b"{}", content_type="text/plain"),
    )
    assert statuses >= {200, 400, 404, 409}
