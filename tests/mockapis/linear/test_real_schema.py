"""Linear's schema here is a strict subset of Linear's real one (issue 18, item 3).

Every type, field, argument, input field and enum value the SDL in ``specs/linear.graphql``
defines exists in Linear's published schema (``linear.schema.graphql`` in
``../shared/vendor-specs``, or ``$APIBENCH_VENDOR_SPECS``) with the same type, and every
argument or input field the real schema requires is defined here: a query valid here is
valid on Linear. Typical real queries (the kinds an agent or a client library sends) are
valid on both schemas and answer here. Where the vendor schema is absent, the comparisons
skip, saying where it was looked for.
"""

from __future__ import annotations

import functools

import gymnasium as gym
import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    build_schema,
    is_required_argument,
    is_required_input_field,
    parse,
    validate,
)

import gym_apibench
from gym_apibench.agents.oracle import OracleAgent
from mockapis.linear.schema import executable_schema
from tests.conformance.vendor import vendor_specs_dir
from tests.mockapis.linear.conftest import LinearClient
from tests.mockapis.linear.typical_queries import TYPICAL

REAL_FILE = "linear.schema.graphql"


@functools.cache
def _real_schema() -> GraphQLSchema | None:
    folder = vendor_specs_dir()
    path = folder / REAL_FILE if folder is not None else None
    return build_schema(path.read_text(encoding="utf-8")) if path and path.is_file() else None


def real_schema() -> GraphQLSchema:
    """Linear's published schema, or a skip naming where it was looked for."""
    found = _real_schema()
    if found is None:
        pytest.skip(
            f"Linear's schema ({REAL_FILE}) not found in the vendor-specs folder "
            "(../shared/vendor-specs, or set APIBENCH_VENDOR_SPECS)"
        )
    return found


def _ours() -> list[GraphQLNamedType]:
    return [
        named for name, named in executable_schema().type_map.items() if not name.startswith("__")
    ]


def differences(ours: GraphQLSchema, real: GraphQLSchema) -> list[str]:
    """Where ``ours`` is not a subset of ``real``: one line per type, field, argument,
    input field or enum value that is missing there or typed differently."""
    found: list[str] = []
    for name, mine in ours.type_map.items():
        if name.startswith("__"):
            continue
        theirs = real.type_map.get(name)
        if theirs is None:
            found.append(f"type {name} is not in the real schema")
        elif type(theirs) is not type(mine):
            found.append(f"{name} is a {type(mine).__name__} here, {type(theirs).__name__} there")
        elif isinstance(mine, GraphQLObjectType | GraphQLInterfaceType):
            assert isinstance(theirs, GraphQLObjectType | GraphQLInterfaceType)
            found += _object_differences(name, mine, theirs)
        elif isinstance(mine, GraphQLInputObjectType):
            assert isinstance(theirs, GraphQLInputObjectType)
            found += _input_differences(name, mine, theirs)
        elif isinstance(mine, GraphQLEnumType):
            assert isinstance(theirs, GraphQLEnumType)
            found += [
                f"{name}.{v} is not a real value" for v in set(mine.values) - set(theirs.values)
            ]
        elif isinstance(mine, GraphQLUnionType):
            assert isinstance(theirs, GraphQLUnionType)
            extra = {t.name for t in mine.types} - {t.name for t in theirs.types}
            found += [f"{name} has member {t} here only" for t in sorted(extra)]
    for root in ("query_type", "mutation_type", "subscription_type"):
        mine_root, theirs_root = getattr(ours, root), getattr(real, root)
        if mine_root is not None and (theirs_root is None or theirs_root.name != mine_root.name):
            found.append(f"the {root} is {mine_root.name} here")
    return found


def _object_differences(
    name: str,
    mine: GraphQLObjectType | GraphQLInterfaceType,
    theirs: GraphQLObjectType | GraphQLInterfaceType,
) -> list[str]:
    found: list[str] = []
    extra = {i.name for i in mine.interfaces} - {i.name for i in theirs.interfaces}
    found += [f"{name} implements {i} here only" for i in sorted(extra)]
    for field_name, field in mine.fields.items():
        real_field = theirs.fields.get(field_name)
        where = f"{name}.{field_name}"
        if real_field is None:
            found.append(f"{where} is not a real field")
            continue
        if str(field.type) != str(real_field.type):
            found.append(f"{where} is {field.type} here, {real_field.type} there")
        for arg_name, arg in field.args.items():
            real_arg = real_field.args.get(arg_name)
            if real_arg is None:
                found.append(f"{where}({arg_name}) is not a real argument")
            elif str(arg.type) != str(real_arg.type):
                found.append(f"{where}({arg_name}) is {arg.type} here, {real_arg.type} there")
        for arg_name, real_arg in real_field.args.items():
            if is_required_argument(real_arg) and arg_name not in field.args:
                found.append(f"{where}({arg_name}) is required there and missing here")
    return found


def _input_differences(
    name: str, mine: GraphQLInputObjectType, theirs: GraphQLInputObjectType
) -> list[str]:
    found: list[str] = []
    for field_name, field in mine.fields.items():
        real_field = theirs.fields.get(field_name)
        if real_field is None:
            found.append(f"{name}.{field_name} is not a real input field")
        elif str(field.type) != str(real_field.type):
            found.append(f"{name}.{field_name} is {field.type} here, {real_field.type} there")
    for field_name, real_field in theirs.fields.items():
        if is_required_input_field(real_field) and field_name not in mine.fields:
            found.append(f"{name}.{field_name} is required there and missing here")
    return found


def test_the_schema_is_a_subset_of_linears() -> None:
    assert differences(executable_schema(), real_schema()) == []


def test_the_comparison_finds_a_variant() -> None:
    """The check fails where it should: a renamed comparator, an extra field, a changed type,
    a dropped required input field, an enum value of our own."""
    real = real_schema()
    variant = build_schema(
        """
        type Query { issue(id: String!): Issue! }
        type Issue { id: ID! title: String nickname: String! }
        input IssueFilter { id: IDComparator }
        input IDComparator { eq: ID }
        input CommentCreateInput { body: String }
        enum PaginationOrderBy { createdAt priority }
        """
    )
    found = differences(variant, real)
    assert "Issue.title is String here, String! there" in found
    assert "Issue.nickname is not a real field" in found
    assert "IssueFilter.id is IDComparator here, IssueIDComparator there" in found
    assert "PaginationOrderBy.priority is not a real value" in found
    assert not any("IDComparator.eq" in line for line in found)
    required = {
        f
        for f, v in real.type_map["IssueCreateInput"].fields.items()  # type: ignore[union-attr]
        if is_required_input_field(v)
    }
    assert required  # teamId: a variant leaving it out is caught
    assert differences(
        build_schema("type Query { a: Int } input IssueCreateInput { title: String }"), real
    ) == [
        "Query.a is not a real field",
        *[f"IssueCreateInput.{f} is required there and missing here" for f in sorted(required)],
    ]


def test_the_schema_covers_the_fields_agents_commonly_use() -> None:
    """Labels, the viewer's organization, search, cycles, states, assignees, comments."""
    fields = {
        f"{t.name}.{f}" for t in _ours() if isinstance(t, GraphQLObjectType) for f in t.fields
    }
    assert {
        "Issue.labels",
        "Issue.labelIds",
        "Issue.cycle",
        "Issue.state",
        "Issue.assignee",
        "Issue.comments",
        "User.organization",
        "User.assignedIssues",
        "Query.searchIssues",
        "Query.issueLabels",
        "Query.cycles",
        "Query.workflowStates",
        "Team.cycles",
        "Team.activeCycle",
        "Team.labels",
        "Team.states",
        "Cycle.issues",
        "IssueLabel.issues",
    } <= fields


@pytest.mark.parametrize("kind", sorted(TYPICAL))
def test_typical_real_queries_are_valid_on_both_schemas(kind: str) -> None:
    document = parse(TYPICAL[kind].query)
    assert validate(real_schema(), document) == [], "not a real query: fix the test"
    assert validate(executable_schema(), document) == []


@pytest.mark.parametrize("kind", sorted(TYPICAL))
def test_typical_real_queries_answer(kind: str) -> None:
    client = LinearClient(3)
    typical = TYPICAL[kind]
    data = client.data(typical.query, typical.variables(client))
    typical.check(client, data)


LINEAR_SCENARIOS = [i for i in gym_apibench.scenario_ids() if i.startswith("linear.")]


@pytest.mark.parametrize("scenario_id", LINEAR_SCENARIOS)
def test_reference_solutions_send_real_queries(scenario_id: str) -> None:
    """Every GraphQL document a Linear scenario's reference solution sends is valid on
    Linear's schema and on ours (seed 0)."""
    real = real_schema()
    env = gym.make(gym_apibench.gym_id(scenario_id))
    agent = OracleAgent()
    obs, info = env.reset(seed=0)
    agent.reset(info["task"], seed=0)
    sent: list[str] = []
    while True:
        action = agent.act(obs)
        if "api.linear.app" in str(action.get("url", "")) and isinstance(action.get("json"), dict):
            sent.append(action["json"]["query"])
        obs, _, terminated, truncated, _ = env.step(action)
        if terminated or truncated:
            break
    env.close()
    assert sent
    for query in set(sent):
        assert validate(real, parse(query)) == [], query
        assert validate(executable_schema(), parse(query)) == [], query
