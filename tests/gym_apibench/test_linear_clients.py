"""Standard GraphQL clients against ``apibench serve``: ``gql`` (sync and async httpx
transports, schema fetched by introspection and queries validated against it) and plain
httpx."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from gql import Client
from gql.graphql_request import GraphQLRequest
from gql.transport.exceptions import TransportQueryError
from gql.transport.httpx import HTTPXAsyncTransport, HTTPXTransport
from graphql import GraphQLError

from gym_apibench.episode import Episode
from tests.served import SEED, Served, serving

SCENARIO = "linear.team-issues"
PAGE = """query Page($filter: IssueFilter, $after: String) {
  issues(filter: $filter, first: 250, after: $after) {
    nodes { identifier }
    pageInfo { hasNextPage endCursor }
  }
}"""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    info = tmp_path_factory.mktemp("linear") / "info.json"
    with serving(Path(info), "--scenario", SCENARIO) as server:
        yield server


def _endpoint(served: Served) -> str:
    return str(served.info["services"]["linear"]) + "/graphql"


def _key(served: Served) -> str:
    credentials = served.info["credentials"]["linear"]
    assert credentials["type"] == "raw"
    return str(credentials["token"])


def _team_filter() -> dict[str, Any]:
    team = Episode(SCENARIO, SEED).built.inputs["team"]
    return {"team": {"name": {"eq": team}}}


def test_gql_sync_client_pages_through_every_issue(served: Served) -> None:
    transport = HTTPXTransport(url=_endpoint(served), headers={"Authorization": _key(served)})
    client = Client(transport=transport, fetch_schema_from_transport=True)
    found: list[str] = []
    with client as session:
        after = None
        while True:
            request = GraphQLRequest(
                PAGE, variable_values={"filter": _team_filter(), "after": after}
            )
            page = session.execute(request)["issues"]
            found += [n["identifier"] for n in page["nodes"]]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        assert client.schema is not None and client.schema.get_type("IssueFilter") is not None
        # The client validates against the introspected schema before sending.
        with pytest.raises(GraphQLError):
            session.execute(GraphQLRequest("{ issues { nodes { nope } } }"))
        with pytest.raises(TransportQueryError) as caught:
            session.execute(GraphQLRequest('{ issue(id: "ZZZ-0") { id } }'))
        assert caught.value.errors[0]["extensions"]["code"] == "INPUT_ERROR"
    expected = Episode(SCENARIO, SEED).built.expected["identifiers"]
    assert sorted(found) == expected and len(expected) > 250


def test_gql_async_client_and_mutation(served: Served) -> None:
    async def run() -> dict[str, Any]:
        transport = HTTPXAsyncTransport(
            url=_endpoint(served), headers={"Authorization": _key(served)}
        )
        async with Client(transport=transport, fetch_schema_from_transport=True) as session:
            teams = await session.execute(GraphQLRequest("{ teams { nodes { id key } } }"))
            team = teams["teams"]["nodes"][0]
            created = await session.execute(
                GraphQLRequest(
                    'mutation($t: String!) { issueCreate(input: {teamId: $t, title: "From gql", '
                    "priority: 3}) { success issue { identifier priorityLabel team { key } } } }",
                    variable_values={"t": team["id"]},
                )
            )
            return {"team": team, "created": created["issueCreate"]}

    result = asyncio.run(run())
    assert result["created"]["success"] is True
    issue = result["created"]["issue"]
    assert issue["team"]["key"] == result["team"]["key"]
    assert issue["identifier"].startswith(result["team"]["key"] + "-")
    assert issue["priorityLabel"] == "Medium"


def test_plain_httpx_headers_errors_and_bearer(served: Served) -> None:
    url = _endpoint(served)
    with httpx.Client(timeout=10) as http:
        ok = http.post(
            url, json={"query": "{ viewer { id email } }"}, headers={"Authorization": _key(served)}
        )
        assert ok.status_code == 200 and ok.json()["data"]["viewer"]["email"]
        assert ok.headers["x-complexity"] == "2"
        assert int(ok.headers["x-ratelimit-requests-remaining"]) < 5000
        bearer = http.post(
            url,
            json={"query": "{ viewer { id } }"},
            headers={"Authorization": f"Bearer {_key(served)}"},
        )
        assert bearer.status_code == 400
        assert "Remove the Bearer prefix" in bearer.json()["errors"][0]["message"]
        anonymous = http.post(url, json={"query": "{ viewer { id } }"})
        assert anonymous.status_code == 401
        heavy = http.post(
            url,
            json={"query": "{ issues(first: 250) { nodes { id comments { nodes { id } } } } }"},
            headers={"Authorization": _key(served)},
        )
        assert (
            heavy.status_code == 400 and heavy.json()["errors"][0]["message"] == "Query too complex"
        )
        got = http.get(
            url,
            params={"query": "{ organization { urlKey } }"},
            headers={"Authorization": _key(served)},
        )
        assert got.status_code == 200 and got.json()["data"]["organization"]["urlKey"]
        sdl = http.get(str(served.info["services"]["linear"]) + "/schema.graphql")
        assert sdl.status_code == 200 and "type Issue {" in sdl.text
