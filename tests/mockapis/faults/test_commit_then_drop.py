"""``commit_then_drop``: the write commits, the response is lost, a blind retry duplicates."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import gymnasium as gym
import httpx
import pytest
import yaml

import gym_apibench  # noqa: F401  (registers the envs)
from gym_apibench.env import ApiBenchEnv
from gym_apibench.solving import auth_headers
from mockapis.clock import NS_PER_SECOND, REQUEST_TICK_NS, WallClock
from mockapis.faults import FaultLayer, TransportFault, load_rules
from mockapis.gateway import Gateway
from mockapis.world import World
from tests.conftest import THINGS as THINGS_TABLE
from tests.conftest import send_to
from tests.mockapis.faults.harness import FAKE, PEOPLE, fake
from tests.served import serving

THINGS = "/v1/things"
DROP = {"kind": "commit_then_drop", "where": {"method": "POST"}}


def test_the_write_commits_and_the_response_is_lost() -> None:
    h, clean = fake([{**DROP, "when": {"first": 1}}]), fake()
    start = h.world.clock.now_ns
    with pytest.raises(TransportFault) as lost:
        h.post(THINGS, {"name": "new"})
    assert lost.value.kind == "read_timeout"
    assert lost.value.message == "ReadTimeout: timed out (no response within 30 seconds)"
    assert lost.value.after_s == 30
    assert h.world.clock.now_ns == start + REQUEST_TICK_NS + 30 * NS_PER_SECOND
    assert clean.post(THINGS, {"name": "new"}).status == 201
    assert h.world.table(THINGS_TABLE) == clean.world.table(THINGS_TABLE)  # committed, exactly
    assert [(e.status, e.faults) for e in h.world.log] == [
        (0, (("commit_then_drop#0", "commit_then_drop"),))
    ]


def test_a_blind_retry_makes_a_duplicate() -> None:
    h = fake([{**DROP, "when": {"first": 1}}])
    with pytest.raises(TransportFault):
        h.post(THINGS, {"name": "Ada"})
    assert h.post(THINGS, {"name": "Ada"}).status == 201
    names = [t["name"] for t in h.world.table(THINGS_TABLE).values()]
    assert names.count("Ada") == 2
    assert h.kinds() == [("commit_then_drop",), ()]


def test_connection_reset_loses_no_time() -> None:
    h = fake([{**DROP, "params": {"error": "connection_reset"}}])
    start = h.world.clock.now_ns
    with pytest.raises(TransportFault) as lost:
        h.post(THINGS, {"name": "new"})
    assert lost.value.kind == "connection_reset"
    assert lost.value.message == "ReadError: [Errno 104] Connection reset by peer"
    assert lost.value.after_s == 0
    assert h.world.clock.now_ns == start + REQUEST_TICK_NS
    assert "thing_4" in h.world.table(THINGS_TABLE)


def test_the_timeout_is_a_parameter() -> None:
    h = fake([{**DROP, "params": {"timeout": 2.5}}])
    start = h.world.clock.now_ns
    with pytest.raises(TransportFault, match=r"within 2\.5 seconds"):
        h.post(THINGS, {"name": "new"})
    assert h.world.clock.now_ns == start + REQUEST_TICK_NS + int(2.5 * NS_PER_SECOND)


def test_error_responses_pass_through_and_roll_back() -> None:
    h = fake([DROP])
    before = h.world.snapshot()
    refused = h.post(THINGS, {"name": "x", "then": "fail"})
    assert refused.status == 409
    assert refused.json["error"]["code"] == "conflict"
    assert h.world.diff(before) == {}
    assert h.kinds() == [()]


def test_only_the_scheduled_requests_are_dropped() -> None:
    h = fake([{**DROP, "when": {"every": 2}}])
    outcomes: list[Any] = []
    for k in range(6):
        try:
            outcomes.append(h.post(THINGS, {"name": f"n{k}"}).status)
        except TransportFault as fault:
            outcomes.append(fault.kind)
    assert outcomes == [201, "read_timeout"] * 3
    assert len(h.world.table(THINGS_TABLE)) == 3 + 6  # every write committed
    assert h.get(THINGS).status == 200  # GETs do not match the rule


def test_reads_are_dropped_too_when_the_rule_matches_them() -> None:
    h = fake([{"kind": "commit_then_drop", "params": {"error": "connection_reset"}}])
    with pytest.raises(TransportFault):
        h.get(THINGS)


def test_server_mode_leaves_the_wait_to_the_socket_layer() -> None:
    world = World(7, clock=WallClock(1_700_000_000 * NS_PER_SECOND))
    creds = FAKE.seed(world, {"things": 1})
    world.commit()
    rules = load_rules([{**DROP, "params": {"timeout": 600}}])
    send = send_to(Gateway(world, [FAKE], faults=FaultLayer(rules)))
    with pytest.raises(TransportFault) as lost:
        send(
            "POST",
            f"https://{FAKE.hosts[0]}{THINGS}",
            headers={"Authorization": f"Bearer {creds['token']}"},
            json_body={"name": "new"},
        )
    assert lost.value.after_s == 600
    assert world.clock.now_ns - world.epoch_ns < 60 * NS_PER_SECOND  # no virtual jump
    assert len(world.table(THINGS_TABLE)) == 2


def test_the_env_observes_status_zero_and_the_fault() -> None:
    rules = [{"kind": "commit_then_drop", "where": {"method": "POST", "path": PEOPLE}}]
    env = gym.make("apibench/attio.record-by-id-v1", faults=rules)
    unwrapped = env.unwrapped
    assert isinstance(unwrapped, ApiBenchEnv)
    _, info = env.reset(seed=1)
    auth = {"Authorization": f"Bearer {info['task']['credentials']['attio']['token']}"}
    url = info["task"]["services"]["attio"] + PEOPLE
    before = len(unwrapped.episode.world.table("attio.people"))
    action = {"method": "POST", "url": url, "headers": auth, "json": {"data": {"values": {}}}}
    obs, _, _, _, step = env.step(action)
    assert obs["status"] == 0
    assert '"error": "read_timeout"' in obs["body"]
    assert step["faults"] == [{"step": 1, "rule": "commit_then_drop#0", "kind": "commit_then_drop"}]
    assert len(unwrapped.episode.world.table("attio.people")) == before + 1


# -- server mode -----------------------------------------------------------------------------

SERVED_RULES = [
    {
        "name": "reset",
        "kind": "commit_then_drop",
        "params": {"error": "connection_reset"},
        "where": {"method": "POST", "path": "/v2/objects/people/records"},
        "when": {"first": 1},
    },
    {
        "name": "stall",
        "kind": "commit_then_drop",
        "params": {"timeout": 10},
        "where": {"method": "POST", "path": "/v2/objects/companies/records"},
        "when": {"first": 1},
    },
]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    folder = tmp_path_factory.mktemp("commit-then-drop")
    (folder / "faults.yaml").write_text(yaml.safe_dump({"faults": SERVED_RULES}))
    with serving(folder / "info.json", "--faults", str(folder / "faults.yaml")) as server:
        yield server


def _count(http: httpx.Client, slug: str) -> int:
    total = 0
    while True:
        reply = http.post(f"/v2/objects/{slug}/records/query", json={"offset": total})
        assert reply.status_code == 200
        total += len(reply.json()["data"])
        if not reply.json()["data"]:
            return total


@pytest.mark.slow
@pytest.mark.parametrize(
    ("slug", "values", "raised"),
    [
        ("people", {"name": "Ada Lovelace"}, httpx.ReadError),
        ("companies", {"name": "Analytical Engines"}, httpx.ReadTimeout),
    ],
)
def test_over_a_real_socket_the_write_commits_and_the_client_errs(
    served: Any, slug: str, values: dict[str, Any], raised: type[Exception]
) -> None:
    headers = auth_headers(served.info["credentials"]["attio"])
    # Only the dropped write gets a short read timeout (the stall holds it 10 s): the other
    # requests keep a generous one, so a loaded machine cannot time them out.
    short = httpx.Timeout(5.0, read=2.0)
    base = served.info["services"]["attio"]
    with httpx.Client(base_url=base, headers=headers, timeout=30.0) as http:
        before = _count(http, slug)
        with pytest.raises(raised):
            http.post(
                f"/v2/objects/{slug}/records", json={"data": {"values": values}}, timeout=short
            )
        assert _count(http, slug) == before + 1  # committed, though the client never knew
        again = http.post(f"/v2/objects/{slug}/records", json={"data": {"values": values}})
        assert again.status_code == 200  # first: 1, the blind retry gets through...
        assert _count(http, slug) == before + 2  # ...and duplicates
