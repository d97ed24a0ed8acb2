"""make_agent (built-ins, module:factory, errors) and the noop and random baselines."""

from __future__ import annotations

import random
import textwrap

import gymnasium as gym
import pytest

import gym_apibench
from gym_apibench.agents import BUILTIN_AGENTS, AgentSpecError, make_agent
from gym_apibench.agents.random_agent import RandomAgent

USER_AGENTS = """
class Echo:
    name = "echo"

    def __init__(self, seed=None):
        self.seed = seed

    def reset(self, task, *, seed):
        pass

    def act(self, observation):
        return {"submit": self.seed}


def make_echo(seed):
    return Echo(seed)


def make_plain():
    return Echo()


def make_broken():
    return object()


not_callable = 3
"""


@pytest.fixture
def user_module(tmp_path, monkeypatch) -> str:
    (tmp_path / "user_agents_for_test.py").write_text(textwrap.dedent(USER_AGENTS))
    monkeypatch.syspath_prepend(str(tmp_path))
    return "user_agents_for_test"


@pytest.fixture(scope="module")
def task() -> dict:
    scenario_id = gym_apibench.scenario_ids()[0]
    env = gym.make(gym_apibench.gym_id(scenario_id))
    _, info = env.reset(seed=0)
    env.close()
    return info["task"]


def test_builtins():
    assert sorted(BUILTIN_AGENTS) == [
        "first-page-only",
        "naive",
        "no-retry",
        "noop",
        "oracle",
        "random",
        "robust",
    ]
    for name in BUILTIN_AGENTS:
        assert make_agent(name).name == name


def test_unknown_builtin_suggests_and_lists():
    with pytest.raises(AgentSpecError) as info:
        make_agent("orcale")
    message = str(info.value)
    assert "did you mean 'oracle'" in message
    assert "noop, oracle, random" in message
    assert "module:factory" in message


def test_module_factory(user_module):
    agent = make_agent(f"{user_module}:make_echo", seed=7)
    assert agent.name == "echo" and agent.act({}) == {"submit": 7}
    assert make_agent(f"{user_module}:make_plain", seed=7).act({}) == {"submit": None}
    assert make_agent(f"{user_module}:Echo", seed=3).act({}) == {"submit": 3}


@pytest.mark.parametrize(
    ("spec", "error", "match"),
    [
        ("no_such_module_xyz:make", ValueError, "cannot import module 'no_such_module_xyz'"),
        ("{mod}:make_ech", ValueError, "did you mean 'make_echo'"),
        ("{mod}:not_callable", ValueError, "is not callable"),
        ("{mod}:make_broken", AgentSpecError, "no reset or act"),
        ("{mod}:", ValueError, "expected 'module:factory'"),
    ],
)
def test_module_factory_errors(user_module, spec, error, match):
    with pytest.raises(error, match=match):
        make_agent(spec.format(mod=user_module))


def test_noop_submits_null_at_once(task):
    agent = make_agent("noop")
    agent.reset(task, seed=0)
    assert agent.act({"status": 200, "headers": {}, "body": ""}) == {"submit": None}


def rollout(agent: RandomAgent, task: dict, seed: int, steps: int = 20) -> list[dict]:
    agent.reset(task, seed=seed)
    observation = {"status": 200, "headers": {}, "body": "{}"}
    actions = []
    for _ in range(steps):
        action = agent.act(observation)
        actions.append(action)
        if "submit" in action:
            break
    return actions


def test_random_is_deterministic_per_seed(task):
    first = rollout(RandomAgent(), task, seed=3)
    assert rollout(RandomAgent(), task, seed=3) == first
    # The same agent object, reset again, replays the same trajectory.
    agent = RandomAgent()
    rollout(agent, task, seed=9)
    assert rollout(agent, task, seed=3) == first
    trajectories = {repr(rollout(RandomAgent(), task, seed=s)) for s in range(6)}
    assert len(trajectories) > 1


def test_random_requests_target_the_task_and_end_with_a_submit(task):
    bases = tuple(task["services"].values())
    for seed in range(5):
        actions = rollout(RandomAgent(), task, seed=seed)
        assert "submit" in actions[-1]
        assert len(actions) <= RandomAgent().max_requests + 1
        for action in actions[:-1]:
            assert action["url"].startswith(bases)
            assert action["method"] in {"GET", "POST", "PUT", "PATCH", "DELETE"}


def test_random_never_touches_global_random(task):
    random.seed(1234)
    state = random.getstate()
    rollout(RandomAgent(), task, seed=5)
    assert random.getstate() == state
