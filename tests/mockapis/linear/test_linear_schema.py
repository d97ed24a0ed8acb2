"""The executable schema is the SDL in specs/, introspection works, the SDL is served."""

from __future__ import annotations

from pathlib import Path

from graphql import (
    GraphQLObjectType,
    build_client_schema,
    build_schema,
    get_introspection_query,
    print_schema,
)

from mockapis.linear import SERVICE
from mockapis.linear.schema import executable_schema, sdl_path
from tests.mockapis.linear.conftest import LinearClient

SDL = Path(sdl_path()).read_text(encoding="utf-8")


def test_executable_schema_equals_the_sdl_in_specs() -> None:
    assert Path(sdl_path()).parent.name == "specs"
    assert print_schema(executable_schema()) == print_schema(build_schema(SDL))


def test_every_relation_and_computed_field_has_a_resolver() -> None:
    schema = executable_schema()
    stored = {"id", "name", "key", "title", "email", "body", "createdAt", "updatedAt"}
    for type_name in (
        "Organization",
        "User",
        "Team",
        "Project",
        "Issue",
        "IssueSearchResult",
        "IssueLabel",
        "Cycle",
        "Comment",
        "WorkflowState",
    ):
        obj = schema.get_type(type_name)
        assert isinstance(obj, GraphQLObjectType)
        for name, field in obj.fields.items():
            if name.endswith("Connection") or str(field.type).endswith("Connection!"):
                assert field.resolve is not None, f"{type_name}.{name} needs a resolver"
        assert stored & set(obj.fields)
    for name, field in schema.query_type.fields.items():  # type: ignore[union-attr]
        assert field.resolve is not None, f"Query.{name} needs a resolver"
    for name, field in schema.mutation_type.fields.items():  # type: ignore[union-attr]
        assert field.resolve is not None, f"Mutation.{name} needs a resolver"


def test_introspection_gives_back_the_same_schema(client: LinearClient) -> None:
    reply = client.gql(get_introspection_query(descriptions=True, schema_description=True))
    assert reply.status == 200 and "errors" not in reply.json
    served = build_client_schema(reply.json["data"])
    assert print_schema(served) == print_schema(build_schema(SDL))
    assert reply.headers["x-complexity"] == "0"  # introspection is free here


def test_type_introspection(client: LinearClient) -> None:
    data = client.data('{ __type(name: "IssueFilter") { inputFields { name } } }')
    names = {f["name"] for f in data["__type"]["inputFields"]}
    assert {"team", "state", "assignee", "priority", "createdAt", "and", "or"} <= names


def test_sdl_is_served_without_a_key_and_the_spec_points_to_it(client: LinearClient) -> None:
    reply = client.get({}, key=None, path="https://api.linear.app/schema.graphql")
    assert reply.status == 200 and reply.raw.decode() == SDL
    assert reply.headers["content-type"].startswith("text/plain")
    spec = client.get({}, key=None, path="https://api.linear.app/openapi.yaml")
    assert b"/schema.graphql" in spec.raw and b"10,000" in spec.raw
    assert SERVICE.hosts == ("api.linear.app",)
