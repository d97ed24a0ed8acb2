"""Errors as Linear sends them, and never a 500: auth, malformed requests, syntax and
validation errors, over-complex queries, rate limits, GET."""

from __future__ import annotations

import json

import pytest

from mockapis.linear.access import REQUESTS_LIMIT
from tests.mockapis.linear.conftest import LinearClient, error_of

VIEWER = "{ viewer { id name } }"


def test_raw_key_works_and_reports_budgets(fresh: LinearClient) -> None:
    reply = fresh.gql(VIEWER)
    assert (
        reply.status == 200 and reply.json["data"]["viewer"]["id"] == fresh.rows("users")[0]["id"]
    )
    assert reply.headers["x-ratelimit-requests-limit"] == str(REQUESTS_LIMIT)
    assert reply.headers["x-ratelimit-requests-remaining"] == str(REQUESTS_LIMIT - 1)
    assert reply.headers["x-ratelimit-complexity-limit"] == "3000000"
    assert reply.headers["x-complexity"] == "2"  # 1 object + 2 properties, rounded up
    assert int(reply.headers["x-ratelimit-complexity-remaining"]) == 3_000_000 - 2
    assert len(reply.headers["x-ratelimit-requests-reset"]) == 13  # epoch milliseconds


def test_bearer_prefix_on_an_api_key_is_refused(client: LinearClient) -> None:
    reply = client.gql(VIEWER, key=f"Bearer {client.key}")
    assert reply.status == 400
    error = error_of(reply)
    assert error["message"].startswith(
        "It looks like you're trying to use an API key as a Bearer token."
    )
    assert (
        error["extensions"]["type"] == "invalid input"
        and error["extensions"]["code"] == "INPUT_ERROR"
    )


@pytest.mark.parametrize(
    "key", [None, "", "lin_api_nope", "Bearer some-oauth-token", "Basic Zm9vOmJhcg=="]
)
def test_missing_or_unknown_keys_are_401(client: LinearClient, key: str | None) -> None:
    reply = client.gql(VIEWER, key=key)
    assert reply.status == 401
    error = error_of(reply)
    assert error["message"] == "Authentication required, not authenticated"
    assert error["extensions"]["code"] == "AUTHENTICATION_ERROR"
    assert error["extensions"]["type"] == "authentication error"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("{ issues { nodes { id } ", "Syntax Error: Expected Name, found <EOF>."),
        (
            "{ issues { nodes { idd } } }",
            "Cannot query field 'idd' on type 'Issue'. Did you mean 'id'?",
        ),
        (
            "{ issue { id } }",
            "Argument 'Query.issue(id:)' of type 'String!' is required, but it was not provided.",
        ),
        (
            "{ viewer }",
            "Field 'viewer' of type 'User!' must have a selection of subfields."
            " Did you mean 'viewer { ... }'?",
        ),
    ],
)
def test_syntax_and_validation_errors_are_400_in_graphql_core_words(
    client: LinearClient, query: str, message: str
) -> None:
    reply = client.gql(query)
    assert reply.status == 400 and "data" not in reply.json
    error = error_of(reply)
    assert error["message"] == message and error["locations"]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert error["extensions"]["type"] == "graphql error"


def test_bad_variables_are_400(client: LinearClient) -> None:
    reply = client.gql("query($n: Int!) { issues(first: $n) { nodes { id } } }", {"n": "ten"})
    assert reply.status == 400
    assert "$n" in error_of(reply)["message"]
    missing = client.gql("query($n: Int!) { issues(first: $n) { nodes { id } } }")
    assert missing.status == 400


def test_operation_name_selects_and_must_exist(client: LinearClient) -> None:
    doc = "query A { viewer { id } } query B { organization { name } }"
    assert client.post({"query": doc, "operationName": "B"}).json["data"].keys() == {"organization"}
    assert client.post({"query": doc}).status == 400
    assert client.post({"query": doc, "operationName": "C"}).status == 400


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"not json", "application/json", 400),
        (b"[1, 2]", "application/json", 400),
        (b'{"query": 3}', "application/json", 400),
        (b'{"query": "{ viewer { id } }", "variables": [1]}', "application/json", 400),
        (b'{"query": "{ viewer { id } }", "operationName": 5}', "application/json", 400),
        (b"", "application/json", 400),
        (b'{"query": "{ viewer { id } }"}', "text/plain", 415),
    ],
)
def test_malformed_requests(
    client: LinearClient, body: bytes, content_type: str, status: int
) -> None:
    reply = client.post(None, raw=body, content_type=content_type)
    assert reply.status == status
    assert reply.json["errors"][0]["message"]


def test_unknown_ids_are_not_found_on_200(client: LinearClient) -> None:
    for field, entity in [
        ("issue", "Issue"),
        ("team", "Team"),
        ("project", "Project"),
        ("user", "User"),
        ("comment", "Comment"),
        ("workflowState", "WorkflowState"),
    ]:
        reply = client.gql(f'{{ {field}(id: "ENG-0000x") {{ id }} }}')
        assert reply.status == 200 and reply.json["data"] is None
        error = error_of(reply)
        assert error["message"] == f"Entity not found: {entity}"
        assert (
            error["extensions"]["userPresentableMessage"] == f"Could not find referenced {entity}."
        )


def test_over_complex_queries_are_refused_before_running(fresh: LinearClient) -> None:
    query = "{ issues(first: 250) { nodes { id comments { nodes { id body } } } } }"
    # 1 + 250 * (1 + 0.1 + 1 + 50 * (1 + 0.2)) = 15526
    before = fresh.world.table("linear.issues")
    reply = fresh.gql(query)
    assert reply.status == 400 and "data" not in reply.json
    error = error_of(reply)
    assert error["message"] == "Query too complex"
    assert error["extensions"]["userPresentableMessage"] == (
        "The query is too complex. Complexity: 15526. Maximum allowed complexity: 10000."
    )
    assert error["extensions"]["code"] == "INPUT_ERROR"
    assert "x-complexity" not in reply.headers
    assert int(reply.headers["x-ratelimit-complexity-remaining"]) == 3_000_000
    smaller = fresh.gql(
        "{ issues(first: 100) { nodes { id comments(first: 5) { nodes { id body } } } } }"
    )
    # 1 + 100 * (1 + 0.1 + (1 + 5 * (1 + 0.2))) = 811
    assert smaller.status == 200 and smaller.headers["x-complexity"] == "811"
    assert before is fresh.world.table("linear.issues")


def test_complexity_counts_fragments_and_variables(client: LinearClient) -> None:
    query = """query($n: Int) { issues(first: $n) { ...F } }
               fragment F on IssueConnection { nodes { id title } pageInfo { hasNextPage } }"""
    reply = client.gql(query, {"n": 10})
    # 1 + 10 * (1 + 0.2) + (1 + 0.1) = 14.1 -> 15
    assert reply.headers["x-complexity"] == "15"


def test_rate_limits_answer_ratelimited_with_retry_after(fresh: LinearClient) -> None:
    fresh.gql(VIEWER)
    bucket = fresh.world.runtime["linear.ratelimit"][fresh.key]
    bucket.requests = 0.5
    reply = fresh.gql(VIEWER)
    assert reply.status == 400
    error = error_of(reply)
    assert (
        error["extensions"]["code"] == "RATELIMITED"
        and error["extensions"]["type"] == "ratelimited"
    )
    assert reply.headers["retry-after"] == "1"
    assert reply.headers["x-ratelimit-requests-remaining"] == "0"
    fresh.world.clock.advance(2)
    assert fresh.gql(VIEWER).status == 200
    bucket.complexity = 0  # refills 41.7 points per 50 ms tick of the clock
    heavy = fresh.gql("{ issues(first: 250) { nodes { id } } }")
    assert heavy.status == 400 and error_of(heavy)["extensions"]["code"] == "RATELIMITED"


def test_get_runs_queries_but_not_mutations(client: LinearClient) -> None:
    reply = client.get(
        {
            "query": "query($n: Int) { issues(first: $n) { nodes { id } } }",
            "variables": json.dumps({"n": 3}),
        }
    )
    assert reply.status == 200 and len(reply.json["data"]["issues"]["nodes"]) == 3
    mutation = client.get(
        {"query": 'mutation { commentCreate(input: {issueId: "x", body: "y"}) { success } }'}
    )
    assert mutation.status == 405 and mutation.headers["allow"] == "POST"
    assert client.get({}).status == 400
    assert client.get({"query": "{ viewer { id } }", "variables": "{"}).status == 400


@pytest.mark.parametrize(
    "query",
    [
        "{" * 3000,
        '{ issue(id: "x") { ' + "parent { " * 400 + "id" + " }" * 400 + " } }",
        "query { " + " ".join(f"a{i}: viewer {{ id }}" for i in range(5000)) + " }",
        "{ issues(first: 99999999999) { nodes { id } } }",
        '{ issues(filter: {createdAt: {gt: "P99999999Y"}}) { nodes { id } } }',
        '{ issues(filter: {dueDate: {eq: "2024-02-30"}}) { nodes { id } } }',
        "\u0000",
    ],
)
def test_hostile_queries_never_500(client: LinearClient, query: str) -> None:
    reply = client.gql(query)
    assert reply.status in (200, 400), reply.raw[:300]
    assert reply.json["errors"]


def test_unknown_path_and_method(client: LinearClient) -> None:
    reply = client.get({}, path="https://api.linear.app/v1/issues")
    assert reply.status == 404 and reply.json["errors"][0]["message"]
