"""Real SDKs against ``apibench serve --root-urls``, each given the base URL the episode's
info gives, unchanged.

In root-URL mode every service of an episode listens on a port of its own, so
``info["services"][name]`` is a bare origin (``http://127.0.0.1:40247``), as the real API's is
(``https://api.stripe.com``). "The base URL as given" means: configure each SDK exactly as for
the real API, with the real origin replaced by the served one. For stripe, PyGithub, boto3
and hubspot-api-client the SDK's own default base URL *is* the real origin, so they get the
info's string as it is. slack_sdk's default is ``https://slack.com/api/`` and openai's is
``https://api.openai.com/v1``: the ``/api/`` and ``/v1`` are paths of those APIs on their
origins (the in-process info gives ``https://slack.com`` and ``https://api.openai.com``), not
a prefix of the simulation, so those SDKs get the served origin followed by the same path,
which :func:`rebased` derives from the SDK's own default (and fails if that default ever
leaves the real origin). tus and Linear have no SDK default: tuspy gets the tus endpoint
(``<origin>/files/``) and gql the Linear endpoint (``<origin>/graphql``), as they would for
the real servers.

One episode server (one process) hosts an episode per SDK; each test does its scenario's
task with the SDK and asks the control plane for the score, so reads and writes are checked
against the seeded world of that seed, not against literals.
"""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import boto3
import httpx
import openai
import pytest
import stripe
from github import Auth, Github
from gql import Client
from gql.graphql_request import GraphQLRequest
from gql.transport.httpx import HTTPXAsyncTransport, HTTPXTransport
from hubspot import HubSpot
from hubspot.crm.companies import Filter, FilterGroup, PublicObjectSearchRequest
from hubspot.crm.contacts import (
    AssociationSpec,
    BatchInputSimplePublicObjectBatchInputForCreate,
    PublicAssociationsForObject,
    PublicObjectId,
    SimplePublicObjectBatchInputForCreate,
)
from hubspot.crm.contacts import Configuration as HubSpotConfiguration
from slack_sdk import WebClient
from tusclient.client import TusClient

from gym_apibench.episode import Episode
from gym_apibench.scenarios import family_module, scenarios_dir
from mockapis.registry import get_service
from tests.served import SEED, Served, episode_server

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("root-urls")]


@dataclass
class ServedEpisode:
    """One episode of the episode server: the agent's info and its own control URL."""

    server: Served
    info: dict[str, Any]

    @property
    def scenario(self) -> str:
        return str(self.info["task"]["scenario"])

    def origin(self, service: str) -> str:
        """The service's base URL as the info gives it (a bare origin in root-URL mode)."""
        url = str(self.info["services"][service])
        assert url.startswith("http://127.0.0.1:") and url.count("/") == 2, url
        return url

    def credential(self, service: str, key: str = "token") -> str:
        return str(self.info["credentials"][service][key])

    def inputs(self) -> dict[str, Any]:
        return dict(self.info["task"]["inputs"])

    def control(self, method: str, path: str = "", **kwargs: Any) -> httpx.Response:
        """A request to this episode's control URL (``/score``, ``/submit``, ``""``)."""
        url: str = self.info["control"]["url"]
        return self.server.control(method, url[len(self.server.control_url) :] + path, **kwargs)

    def submit(self, answer: Any) -> dict[str, Any]:
        """Submit ``answer``; the grade, which must be a success."""
        reply = self.control("POST", "/submit", json={"answer": answer})
        assert reply.status_code == 200, reply.text
        grade: dict[str, Any] = reply.json()
        assert grade["success"] is True, grade["checks"]
        return grade

    def expected(self) -> Any:
        """The expected values of this scenario and seed, computed in this process."""
        return Episode(self.scenario, SEED).built.expected


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    control = tmp_path_factory.mktemp("root-urls") / "control.json"
    with episode_server(Path(control), "--root-urls") as served:
        yield served


def host(server: Served, scenario: str) -> ServedEpisode:
    """A new episode of ``scenario`` (seed SEED) on the server."""
    reply = server.control("POST", "/episodes", json={"scenario": scenario, "seed": SEED})
    assert reply.status_code == 201, reply.text
    return ServedEpisode(server, reply.json())


def rebased(sdk_default: str, service: str, origin: str) -> str:
    """``sdk_default`` (an SDK's base URL for the real API) with the real API's origin
    replaced by ``origin``: what to give an SDK whose base URL has a path of the API."""
    real = "https://" + get_service(service).hosts[0]
    assert sdk_default.startswith(real + "/"), (sdk_default, real)
    return origin + sdk_default[len(real) :]


def test_sdk_defaults_are_the_real_origins() -> None:
    """The SDKs given the info's origin unchanged take it where they take the real one."""
    assert "https://" + get_service("stripe").hosts[0] == stripe.DEFAULT_API_BASE
    assert Github().requester.base_url == "https://" + get_service("github").hosts[0]
    assert HubSpotConfiguration().host == "https://" + get_service("hubspot").hosts[0]


def test_stripe(server: Served) -> None:
    episode = host(server, "stripe.all-customers")
    client = stripe.StripeClient(
        episode.credential("stripe"),
        base_addresses={"api": episode.origin("stripe")},
        max_network_retries=0,
    )
    ids = [c.id for c in client.v1.customers.list({"limit": 100}).auto_paging_iter()]
    assert ids == episode.expected()["ids"]
    episode.submit(ids)
    created = client.v1.customers.create({"email": "root@example.com", "metadata": {"k": "v"}})
    metadata = client.v1.customers.retrieve(created.id).metadata
    assert metadata is not None and metadata["k"] == "v"
    assert client.v1.customers.list({"limit": 1}).data[0].id == created.id


def test_slack_sdk(server: Served) -> None:
    episode = host(server, "slack.post-to-channel")
    base = rebased(WebClient.BASE_URL, "slack", episode.origin("slack"))
    assert base == episode.origin("slack") + "/api/"
    client = WebClient(token=episode.credential("slack"), base_url=base)
    want = episode.inputs()
    channel = next(
        c["id"]
        for page in client.conversations_list(types="public_channel,private_channel", limit=5)
        for c in page["channels"]
        if c["name"] == want["channel"]
    )
    assert channel == episode.expected()["channel_id"]
    posted = client.chat_postMessage(channel=channel, text=want["text"])
    newest = client.conversations_history(channel=channel, limit=1)["messages"][0]
    assert newest["ts"] == posted["ts"] and newest["text"] == want["text"]
    episode.submit(None)


def test_pygithub(server: Served) -> None:
    """Reads only: the GitHub service has no write routes. PyGithub follows the ``Link``
    headers and, from a repository object, its ``url`` (it refuses a host other than its base
    URL's), so the objects' API URLs must point at the served origin."""
    episode = host(server, "github.all-repos")
    origin = episode.origin("github")
    # PyGithub waits 0.25 s between requests by default, a courtesy to the real GitHub.
    gh = Github(
        auth=Auth.Token(episode.credential("github")),
        base_url=origin,
        per_page=50,
        seconds_between_requests=0,
    )
    user = gh.get_user()
    repos = list(user.get_repos())
    names = [repo.full_name for repo in repos]
    assert sorted(names) == sorted(episode.expected()["names"]) and len(names) > 50
    busiest = max(repos, key=lambda repo: repo.open_issues_count)
    assert busiest.url == f"{origin}/repos/{busiest.full_name}"
    assert len(list(busiest.get_issues(state="open"))) == busiest.open_issues_count > 50
    found = gh.search_issues("", type="pr", author=user.login)
    assert found.totalCount == len(list(found)) > 0
    episode.submit(names)


def test_boto3_with_its_defaults(server: Served) -> None:
    episode = host(server, "s3.upload-report")
    want = episode.inputs()
    client = boto3.client(
        "s3",
        endpoint_url=episode.origin("s3"),
        aws_access_key_id=episode.credential("s3", "access_key_id"),
        aws_secret_access_key=episode.credential("s3", "secret_access_key"),
        region_name="us-east-1",
    )
    assert want["bucket"] in [b["Name"] for b in client.list_buckets()["Buckets"]]
    client.put_object(Bucket=want["bucket"], Key=want["key"], Body=want["content"].encode())
    got = client.get_object(Bucket=want["bucket"], Key=want["key"])["Body"].read()
    assert got == want["content"].encode()
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=want["bucket"])
    keys = [o["Key"] for page in pages for o in page.get("Contents", [])]
    assert sorted(keys) == sorted(episode.expected()["keys"])
    url = client.generate_presigned_url(
        "get_object", Params={"Bucket": want["bucket"], "Key": want["key"]}, ExpiresIn=60
    )
    # boto3's default in us-east-1: presigned with SigV2, which the service takes there.
    assert url.startswith(episode.origin("s3") + "/") and "AWSAccessKeyId=" in url
    assert httpx.get(url).content == want["content"].encode()
    episode.submit(keys)


def test_openai(server: Served, monkeypatch: pytest.MonkeyPatch) -> None:
    episode = host(server, "openai.extract-contract")
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)  # else the default is the variable's
    default = str(openai.OpenAI(api_key="sk-unused").base_url)
    base = rebased(default, "openai", episode.origin("openai"))
    client = openai.OpenAI(base_url=base, api_key=episode.credential("openai"), max_retries=0)
    want = episode.inputs()
    made = client.files.create(
        file=(want["filename"], want["document"].encode()), purpose="user_data"
    )
    assert made.id in [f.id for f in client.files.list(purpose="user_data")]
    assert client.files.content(made.id).read() == want["document"].encode()
    schema = family_module(scenarios_dir() / "openai", "schemas").CONTRACT_SCHEMA
    answer = client.responses.create(
        model="gpt-4.1",
        instructions="Extract the contract's terms.",
        input=[{"role": "user", "content": [{"type": "input_file", "file_id": made.id}]}],
        text={"format": {"type": "json_schema", "name": "terms", "schema": schema}},
    )
    terms = json.loads(answer.output_text)
    assert terms == episode.expected()["answer"]
    episode.submit(terms)


def test_tuspy(server: Served) -> None:
    episode = host(server, "tus.upload-file")
    want = episode.inputs()
    auth = {"Authorization": f"Bearer {episode.credential('tus')}"}
    endpoint = episode.origin("tus") + "/files/"
    data = want["content"].encode()
    uploader = TusClient(endpoint, headers=auth).uploader(
        file_stream=io.BytesIO(data),
        chunk_size=4096,
        metadata={"filename": want["filename"]},
    )
    uploader.upload()
    assert uploader.url is not None and uploader.url.startswith(endpoint)
    assert uploader.offset == len(data) > 4096
    headers = {**auth, "Tus-Resumable": "1.0.0"}
    assert httpx.get(uploader.url, headers=headers).content == data
    listed = httpx.get(endpoint, headers=headers).json()["files"]
    assert uploader.url in [urljoin(endpoint, f["url"]) for f in listed]
    episode.submit(uploader.url.rsplit("/", 1)[1])


PAGE = """query Page($filter: IssueFilter, $after: String) {
  issues(filter: $filter, first: 250, after: $after) {
    nodes { identifier }
    pageInfo { hasNextPage endCursor }
  }
}"""


def test_gql(server: Served) -> None:
    episode = host(server, "linear.team-issues")
    endpoint = episode.origin("linear") + "/graphql"
    headers = {"Authorization": episode.credential("linear")}
    team = episode.inputs()["team"]
    client = Client(
        transport=HTTPXTransport(url=endpoint, headers=headers), fetch_schema_from_transport=True
    )
    found: list[str] = []
    with client as session:
        after = None
        while True:
            variables = {"filter": {"team": {"name": {"eq": team}}}, "after": after}
            page = session.execute(GraphQLRequest(PAGE, variable_values=variables))["issues"]
            found += [n["identifier"] for n in page["nodes"]]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
    assert sorted(found) == episode.expected()["identifiers"]
    episode.submit(found)

    async def create() -> dict[str, Any]:
        transport = HTTPXAsyncTransport(url=endpoint, headers=headers)
        async with Client(transport=transport) as session:
            teams = await session.execute(GraphQLRequest("{ teams { nodes { id name } } }"))
            team_id = next(t["id"] for t in teams["teams"]["nodes"] if t["name"] == team)
            made = await session.execute(
                GraphQLRequest(
                    "mutation($t: String!) { issueCreate(input: {teamId: $t, title: "
                    '"Root URL"}) { success issue { identifier } } }',
                    variable_values={"t": team_id},
                )
            )
            identifier = made["issueCreate"]["issue"]["identifier"]
            read = await session.execute(
                GraphQLRequest(
                    "query($id: String!) { issue(id: $id) { title team { name } } }",
                    variable_values={"id": identifier},
                )
            )
            return dict(read["issue"])

    assert asyncio.run(create()) == {"title": "Root URL", "team": {"name": team}}


def test_hubspot_api_client(server: Served) -> None:
    episode = host(server, "hubspot.batch-create-contacts")
    api = HubSpot(access_token=episode.credential("hubspot"), host=episode.origin("hubspot"))
    contacts = episode.inputs()["contacts"]
    domains = sorted({c["company_domain"] for c in contacts})
    by_domain: dict[str, str] = {}
    after = None
    while True:
        search = PublicObjectSearchRequest(
            filter_groups=[
                FilterGroup(filters=[Filter(property_name="domain", operator="IN", values=domains)])
            ],
            properties=["domain"],
            limit=100,
            after=after,
        )
        page = api.crm.companies.search_api.do_search(public_object_search_request=search)
        by_domain.update({c.properties["domain"]: c.id for c in page.results})
        if page.paging is None:
            break
        after = page.paging.next.after
    assert set(by_domain) == set(domains)
    inputs = [
        SimplePublicObjectBatchInputForCreate(
            properties={k: c[k] for k in ("email", "firstname", "lastname")},
            associations=[
                PublicAssociationsForObject(
                    to=PublicObjectId(id=by_domain[c["company_domain"]]),
                    types=[
                        # HubSpot's default contact-to-company association type.
                        AssociationSpec(
                            association_category="HUBSPOT_DEFINED", association_type_id=279
                        )
                    ],
                )
            ],
        )
        for c in contacts
    ]
    for start in range(0, len(inputs), 100):
        batch = BatchInputSimplePublicObjectBatchInputForCreate(inputs=inputs[start : start + 100])
        assert api.crm.contacts.batch_api.create(batch).status == "COMPLETE"
    episode.submit(None)


MULTI = "reports.stripe-segment-report"
"""A scenario of three services: every one gets a port of its own in every episode."""


def test_episodes_get_ports_of_their_own_are_isolated_and_close_when_ended(
    server: Served,
) -> None:
    first, second = host(server, MULTI), host(server, MULTI)
    origins = [e.origin(name) for e in (first, second) for name in e.info["services"]]
    assert len(set(origins)) == len(origins) == 6
    a, b = first.origin("stripe"), second.origin("stripe")
    auth_a = {"Authorization": f"Bearer {first.credential('stripe')}"}
    auth_b = {"Authorization": f"Bearer {second.credential('stripe')}"}

    def newest(origin: str, auth: dict[str, str]) -> str:
        reply = httpx.get(origin + "/v1/customers", params={"limit": 1}, headers=auth)
        return str(reply.json()["data"][0]["id"])

    seeded = newest(b, auth_b)
    assert newest(a, auth_a) == seeded  # same scenario and seed: the same world, twice
    made = httpx.post(a + "/v1/customers", data={"email": "only-a@example.com"}, headers=auth_a)
    assert made.status_code == 200, made.text
    customer = made.json()["id"]
    assert newest(a, auth_a) == customer and newest(b, auth_b) == seeded
    assert httpx.get(f"{b}/v1/customers/{customer}", headers=auth_b).status_code == 404
    # The control plane is on the server's own port, never on a service's.
    assert httpx.get(a + "/_apibench/health", headers=server.control_headers).status_code == 404
    assert first.control("DELETE").status_code == 200
    for name in first.info["services"]:
        with pytest.raises(httpx.ConnectError):
            httpx.get(first.origin(name) + "/openapi.yaml")
    assert first.control("GET", "/score").status_code == 404
    assert newest(b, auth_b) == seeded
