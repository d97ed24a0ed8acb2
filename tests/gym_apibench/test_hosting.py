"""The episode host in process (Starlette's TestClient): the control plane, episodes'
isolation, limits and eviction, and a ``gym`` episode's steps against an in-process one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from gym_apibench.agents.oracle import OracleAgent
from gym_apibench.episode import Episode
from gym_apibench.hosting import MCP_INSTALLED, EpisodeHost
from gym_apibench.scenarios import get_scenario
from gym_apibench.solving import auth_headers

TOKEN = "control-token-for-the-tests-0123456789"
CONTROL = "http://testserver/_apibench"
STRIPE = "stripe.all-customers"
FAULTED = "attio.retry-503s"


class Clock:
    """A settable monotonic clock for eviction."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def host(clock: Clock) -> EpisodeHost:
    return EpisodeHost("http://testserver", TOKEN, max_episodes=3, idle_timeout=10, clock=clock)


@pytest.fixture
def client(host: EpisodeHost) -> Iterator[TestClient]:
    with TestClient(host) as client:
        yield client


def bearer(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def create(client: TestClient, scenario: str = STRIPE, seed: int = 1, **extra: Any) -> Any:
    reply = client.post(
        CONTROL + "/episodes", headers=bearer(), json={"scenario": scenario, "seed": seed, **extra}
    )
    assert reply.status_code == 201, reply.text
    return reply.json()


def agent_get(client: TestClient, info: Any, service: str, path: str, **kw: Any) -> Any:
    headers = kw.pop("headers", auth_headers(info["credentials"][service]))
    return client.get(info["services"][service] + path, headers=headers, **kw)


def test_created_episode_info_is_the_agents_and_its_control_url(client: TestClient):
    info = create(client)
    # The MCP endpoint's URL is the agent's too, where the mcp extra is installed.
    mcp = {"mcp"} if MCP_INSTALLED else set()
    assert set(info) == {"id", "services", "credentials", "task", "control", *mcp}
    assert info["services"] == {"stripe": f"http://testserver/e/{info['id']}/stripe"}
    if MCP_INSTALLED:
        assert info["mcp"] == {"url": f"http://testserver/e/{info['id']}/mcp"}
    assert info["control"] == {"url": f"{CONTROL}/episodes/{info['id']}"}
    assert TOKEN not in str(info)
    episode = Episode(STRIPE, 1, base_urls=info["services"])
    assert info["credentials"] == episode.task["credentials"]
    assert info["task"]["instruction"] == episode.task["instruction"]
    listed = client.get(CONTROL + "/episodes", headers=bearer()).json()
    assert [(e["id"], e["scenario"], e["seed"]) for e in listed["episodes"]] == [
        (info["id"], STRIPE, 1)
    ]
    assert client.get(info["control"]["url"], headers=bearer()).json() == info


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/health"),
        ("GET", "/episodes"),
        ("POST", "/episodes"),
        ("GET", "/episodes/{id}"),
        ("DELETE", "/episodes/{id}"),
        ("GET", "/episodes/{id}/score"),
        ("POST", "/episodes/{id}/reset"),
        ("POST", "/episodes/{id}/submit"),
        ("POST", "/episodes/{id}/step"),
        ("GET", "/episodes/{id}/state"),
    ],
)
@pytest.mark.parametrize("kind", ["none", "agent", "wrong", "basic", "empty"])
def test_every_control_route_needs_the_control_token(
    client: TestClient, host: EpisodeHost, method: str, path: str, kind: str
):
    info = create(client, mode="gym")  # a virtual clock: the world's hash moves only on writes
    headers = {
        "none": {},
        "agent": auth_headers(info["credentials"]["stripe"]),  # the agent's own
        "wrong": bearer("not-the-token"),
        "basic": {"Authorization": "Basic dXNlcjpwYXNz"},
        "empty": {"Authorization": "Bearer "},
    }[kind]
    before = host.episodes[info["id"]].episode.state_hash()
    body = {"scenario": STRIPE, "seed": 2, "answer": 1, "action": {"wait": 5}}
    reply = client.request(method, CONTROL + path.format(id=info["id"]), headers=headers, json=body)
    assert reply.status_code == 401
    assert reply.headers["www-authenticate"].startswith("Bearer")
    assert list(host.episodes) == [info["id"]]  # nothing created, nothing ended
    assert host.episodes[info["id"]].episode.state_hash() == before
    assert not host.episodes[info["id"]].episode.submitted


@pytest.mark.parametrize(
    ("body", "status", "named"),
    [
        (
            {"scenario": "stripe.all-customrs", "seed": 1},
            404,
            "did you mean 'stripe.all-customers'",
        ),
        ({"scenario": 7, "seed": 1}, 404, "apibench list"),
        ({"scenario": STRIPE, "seed": -1}, 400, "seed is an integer >= 0"),
        ({"scenario": STRIPE, "seed": "1"}, 400, "seed is an integer >= 0"),
        ({"scenario": STRIPE, "seed": True}, 400, "seed is an integer >= 0"),
        ({"scenario": STRIPE, "sed": 1}, 400, "unknown key(s) 'sed'"),
        ({"scenario": STRIPE, "mode": "fast"}, 400, "mode is one of served, gym"),
        ({"scenario": STRIPE, "faults": "/etc/passwd"}, 400, "list of fault rules"),
        ({"scenario": STRIPE, "faults": [{"kind": "nope"}]}, 400, "nope"),
        ({"scenario": STRIPE, "sizes": {"slack": {}}}, 400, "does not use"),
        ([1, 2], 400, '"scenario": ID'),
    ],
)
def test_bad_creations_are_refused_and_create_nothing(
    client: TestClient, host: EpisodeHost, body: Any, status: int, named: str
):
    reply = client.post(CONTROL + "/episodes", headers=bearer(), json=body)
    assert reply.status_code == status
    assert named in reply.json()["message"]
    assert host.episodes == {}


def test_the_control_plane_is_only_under_its_prefix_and_no_agent_step(
    client: TestClient, host: EpisodeHost
):
    info = create(client, mode="gym")
    world = host.episodes[info["id"]].episode.world
    clock, log = world.clock.now_ns, list(world.log)
    assert client.get(info["control"]["url"] + "/score", headers=bearer()).status_code == 200
    assert (world.clock.now_ns, world.log) == (clock, log)  # control requests are not steps
    served = create(client)
    for url in (
        "http://testserver/_apibenchx/score",
        f"{served['services']['stripe']}/_apibench/score",
        f"http://testserver/e/{served['id']}/_apibench/score",
    ):
        reply = client.get(url, headers=bearer())
        assert reply.status_code == 404 and "reward" not in reply.text, url


def test_unknown_episode_ids_are_404_on_both_planes(client: TestClient):
    reply = client.get(CONTROL + "/episodes/nope/score", headers=bearer())
    assert reply.status_code == 404 and "GET" in reply.json()["message"]
    assert client.get("http://testserver/e/nope/stripe/v1/customers").status_code == 404
    info = create(client)
    other = client.get(f"http://testserver/e/{info['id']}/slack/api/auth.test")
    assert other.status_code == 404 and "its services: stripe" in other.json()["message"]


def test_same_world_twice_is_two_independent_copies(client: TestClient):
    first, second = create(client), create(client)
    assert first["id"] != second["id"]
    assert first["credentials"] == second["credentials"]  # one seed, one world
    made = []
    for info in (first, second, first):  # interleaved writes
        reply = client.post(
            info["services"]["stripe"] + "/v1/customers",
            headers=auth_headers(info["credentials"]["stripe"]),
            data={"email": f"{info['id']}@example.com"},
        )
        assert reply.status_code == 200
        made.append((info, reply.json()["id"]))
    for info, customer in made:
        mine = agent_get(client, info, "stripe", f"/v1/customers/{customer}")
        assert mine.status_code == 200 and mine.json()["email"] == f"{info['id']}@example.com"
    # Each world numbers its own writes (the same ids in both): each sees only its own.
    for info, count in ((first, 2), (second, 1)):
        for other in (first, second):
            found = agent_get(
                client, info, "stripe", f"/v1/customers?email={other['id']}@example.com"
            )
            assert len(found.json()["data"]) == (count if other is info else 0)
    hashes = [
        client.get(i["control"]["url"] + "/state", headers=bearer()).json()["state_hash"]
        for i in (first, second)
    ]
    assert hashes[0] != hashes[1]


def test_another_episodes_credentials_are_refused_and_change_nothing(client: TestClient):
    mine, theirs = create(client, seed=1), create(client, seed=2)
    assert mine["credentials"] != theirs["credentials"]
    reply = client.post(
        mine["services"]["stripe"] + "/v1/customers",
        headers=auth_headers(theirs["credentials"]["stripe"]),
        data={"email": "intruder@example.com"},
    )
    assert reply.status_code == 401
    for info in (mine, theirs):
        found = agent_get(client, info, "stripe", "/v1/customers?email=intruder@example.com")
        assert found.status_code == 200 and found.json()["data"] == []


def test_the_episode_limit_is_a_429_that_creates_nothing(client: TestClient, host: EpisodeHost):
    for seed in range(3):
        create(client, seed=seed)
    reply = client.post(CONTROL + "/episodes", headers=bearer(), json={"scenario": STRIPE})
    assert reply.status_code == 429 and reply.headers["retry-after"]
    assert "limit of 3 live episodes" in reply.json()["message"]
    assert len(host.episodes) == 3


def test_idle_episodes_are_evicted_and_busy_ones_stay(client: TestClient, clock: Clock):
    idle, used = create(client, seed=1), create(client, seed=2)
    clock.now = 6.0
    assert agent_get(client, used, "stripe", "/v1/customers?limit=1").status_code == 200
    clock.now = 12.0  # idle: 12 s unused; used: 6 s
    listed = client.get(CONTROL + "/episodes", headers=bearer()).json()["episodes"]
    assert [e["id"] for e in listed] == [used["id"]]
    assert agent_get(client, idle, "stripe", "/v1/customers").status_code == 404
    assert client.get(idle["control"]["url"] + "/score", headers=bearer()).status_code == 404
    clock.now = 30.0
    assert client.get(CONTROL + "/episodes", headers=bearer()).json()["episodes"] == []
    create(client)  # room again


def test_ending_an_episode_frees_its_urls(client: TestClient, host: EpisodeHost):
    info = create(client)
    assert client.delete(info["control"]["url"], headers=bearer()).json() == {"ended": info["id"]}
    assert host.episodes == {}
    assert agent_get(client, info, "stripe", "/v1/customers").status_code == 404
    assert client.delete(info["control"]["url"], headers=bearer()).status_code == 404


def test_score_submit_and_reset(client: TestClient):
    info = create(client)
    url = info["control"]["url"]
    before = client.get(url + "/score", headers=bearer()).json()
    assert before["success"] is False and before["submitted"] is False
    assert client.post(url + "/submit", headers=bearer(), json={"nope": 1}).status_code == 400
    expected = Episode(STRIPE, 1).built.expected["ids"]
    graded = client.post(url + "/submit", headers=bearer(), json={"answer": expected}).json()
    assert graded["submitted"] is True and graded["success"] is True and graded["reward"] == 1.0
    assert client.post(url + "/reset", headers=bearer()).status_code == 200
    assert client.get(url + "/score", headers=bearer()).json() == before


def test_services_without_their_own_date_get_the_servers(client: TestClient):
    info = create(client)
    reply = agent_get(client, info, "stripe", "/v1/customers?limit=1")
    assert len(reply.headers.get_list("date")) == 1


@pytest.mark.parametrize("seed", [3, 11])
def test_a_gym_episode_steps_as_an_in_process_one(client: TestClient, seed: int):
    """Same seed, same actions (the reference solution's, through a scenario's own faults):
    the same observations, injected faults, grade and world."""
    info = create(client, FAULTED, seed, mode="gym")
    url = info["control"]["url"]
    local = Episode(FAULTED, seed)
    assert info["services"] == local.task["services"]  # the real host names
    agents = (OracleAgent(), OracleAgent())
    for agent in agents:
        agent.reset(local.task, seed=seed)
    obs = remote_obs = {"status": 200, "headers": {}, "body": "{}"}
    injected = []
    for _ in range(get_scenario(FAULTED).max_steps):
        action = agents[0].act(obs)
        assert agents[1].act(remote_obs) == action
        if "submit" in action:
            break
        obs, faults = (local.wait(action["wait"]), ()) if "wait" in action else local.send(action)
        reply = client.post(url + "/step", headers=bearer(), json={"action": action}).json()
        remote_obs = reply["observation"]
        assert remote_obs == obs
        assert [tuple(f) for f in reply["faults"]] == list(faults)
        injected += faults
    assert injected  # the scenario's 503s happened, the same on both sides
    graded = client.post(url + "/submit", headers=bearer(), json={"answer": action["submit"]})
    assert graded.json()["checks"] == local.finish(action["submit"]).checks
    state = client.get(url + "/state", headers=bearer()).json()["state_hash"]
    assert state == local.state_hash()
    waited = client.post(url + "/step", headers=bearer(), json={"action": {"wait": 2}}).json()
    assert waited["observation"] == local.wait(2)


def test_step_needs_an_action(client: TestClient):
    url = create(client, mode="gym")["control"]["url"]
    for body in ({}, {"action": "GET /"}, [1]):
        assert client.post(url + "/step", headers=bearer(), json=body).status_code == 400
    bad = client.post(url + "/step", headers=bearer(), json={"action": {"method": "GET"}})
    assert bad.json()["observation"]["status"] == 0  # an invalid action, as in the gym


def test_the_single_episode_keeps_its_routes(host: EpisodeHost):
    with TestClient(host) as client:
        hosted = client.portal.call(lambda: host.host_single(STRIPE, 1))
        info = hosted.info(None)
        assert set(info) == {"services", "credentials", "task"}
        assert info["services"] == {"stripe": "http://testserver/stripe"}
        assert agent_get(client, info, "stripe", "/v1/customers?limit=1").status_code == 200
        assert client.get(CONTROL + "/score", headers=bearer()).json()["seed"] == 1
        unknown = client.get("http://testserver/slack/api/auth.test")
        assert unknown.status_code == 404 and "http://testserver/stripe" in unknown.text


def test_an_episode_server_has_no_single_episode_routes(client: TestClient):
    reply = client.get(CONTROL + "/score", headers=bearer())
    assert reply.status_code == 404 and "/episodes/<id>" in reply.json()["message"]
