"""Rules whose targets name nothing are refused at load, with a did-you-mean."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gymnasium as gym
import pytest

import gym_apibench
from gym_apibench.scenarios import scenarios_dir
from mockapis.faults import FaultSpecError, load_rules


def rule(**where: Any) -> list[dict[str, Any]]:
    return [{"kind": "http_error", "params": {"status": 503}, "where": where}]


@pytest.mark.parametrize(
    ("where", "named"),
    [
        ({"service": "atio"}, "unknown service 'atio' (did you mean 'attio'?)"),
        ({"service": ["stripe", "slak"]}, "unknown service 'slak' (did you mean 'slack'?)"),
        ({"service": "attio", "path": "/v2/object/*"}, "matches no route of attio"),
        ({"service": "stripe", "path": "/v2/objects/*"}, "matches no route of stripe"),
        ({"path": "no/leading/slash"}, "matches no route of any service"),
        (
            {"service": "slack", "path": "/api/chat.postMesage"},
            "(did you mean '/api/chat.postMessage'?)",
        ),
    ],
)
def test_typos_are_refused_with_a_hint(where: dict[str, Any], named: str):
    with pytest.raises(FaultSpecError, match="where") as caught:
        load_rules(rule(**where))
    assert named in str(caught.value)


@pytest.mark.parametrize(
    "where",
    [
        {"service": "stripe", "path": "/v1/customers/*"},  # a glob over a parameter
        {"service": "stripe", "path": "/v1/customers/cus_*"},  # a literal inside one
        {"service": "attio", "path": "/v2/objects/*/records/query"},
        {"service": "slack", "path": "/api/chat.*"},
        {"path": "/v1/customers"},  # some service has it
        {"service": "github", "path": "/openapi.yaml"},  # the docs
        {"service": "s3", "method": "PUT"},
    ],
)
def test_real_targets_load(where: dict[str, Any]):
    assert len(load_rules(rule(**where))) == 1


def test_every_shipped_profile_and_scenario_rule_names_real_targets():
    for profile in sorted((scenarios_dir() / "_profiles").glob("*.yaml")):
        load_rules(profile)  # raises on a typo
    assert gym_apibench.scenario_ids()  # scenarios' own rules are checked as they load


def test_a_typo_fails_at_make(tmp_path: Path):
    with pytest.raises(FaultSpecError, match="did you mean 'attio'"):
        gym.make(gym_apibench.gym_id("attio.record-by-id"), faults=rule(service="atio"))
    bad = tmp_path / "faults.yaml"
    bad.write_text("- kind: http_error\n  params: {status: 503}\n  where: {service: atio}\n")
    with pytest.raises(FaultSpecError, match=f"{bad}"):
        load_rules(bad)


def test_an_episode_names_the_rules_no_request_matched():
    from gym_apibench.agents.oracle import OracleAgent
    from gym_apibench.episode import Episode

    extra = rule(service="attio", path="/v2/lists")  # a real route this task never calls
    episode = Episode("attio.retry-503s", 4, faults=extra)
    names = [r.name for r in episode.rules]
    assert episode.unmatched_rules() == names  # nothing sent yet
    agent = OracleAgent()
    agent.reset(episode.task, seed=4)
    obs: dict[str, Any] = {"status": 200, "headers": {}, "body": "{}"}
    while "submit" not in (action := agent.act(obs)):
        obs = episode.wait(action["wait"]) if "wait" in action else episode.send(action)[0]
    assert episode.unmatched_rules() == [names[-1]]  # the scenario's own rules matched
    episode.reset()
    assert episode.unmatched_rules() == names  # counts go with the world
