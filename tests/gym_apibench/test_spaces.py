"""The custom spaces: sample() gives valid members, contains() accepts any request/response."""

from __future__ import annotations

import json

import gymnasium as gym
from hypothesis import given, settings
from hypothesis import strategies as st

import gym_apibench
from gym_apibench.spaces import HttpActionSpace, HttpResponseSpace

OPS = [
    ("GET", "https://api.example.com/v1/items/{id}"),
    ("POST", "https://api.example.com/v1/items"),
]


def test_samples_are_valid_and_seeded():
    space = HttpActionSpace(OPS, seed=3)
    first = [space.sample() for _ in range(200)]
    assert all(space.contains(a) for a in first)
    assert any("submit" in a for a in first) and any("method" in a for a in first)
    assert all("{" not in a.get("url", "") for a in first), "path parameters are filled"
    space.seed(3)
    assert [space.sample() for _ in range(200)] == first


def test_response_samples_are_members():
    space = HttpResponseSpace(seed=1)
    assert all(space.contains(space.sample()) for _ in range(100))


text = st.text(st.characters(codec="utf-8"), max_size=30)


@given(method=text, url=text, headers=st.dictionaries(text, text, max_size=3), body=text)
def test_any_request_is_contained_unicode_included(method, url, headers, body):
    space = HttpActionSpace(OPS)
    action = {"method": method, "url": url, "headers": headers, "body": body}
    assert space.contains(action)
    assert space.contains(json.dumps(action, ensure_ascii=False))


@given(status=st.integers(0, 999), headers=st.dictionaries(text, text, max_size=3), body=text)
def test_any_response_is_contained(status, headers, body):
    assert HttpResponseSpace().contains({"status": status, "headers": headers, "body": body})


def test_non_members_are_rejected():
    actions, responses = HttpActionSpace(OPS), HttpResponseSpace()
    for bad in [
        None,
        3,
        "not json",
        [],
        {"method": "GET"},
        {"submit": 1, "x": 2},
        {"wait": True},
        {"method": "GET", "url": "u", "headers": {"a": 1}},
        {"method": "GET", "url": "u", "json": {}, "body": ""},
    ]:
        assert not actions.contains(bad), bad
    for bad in [
        None,
        {"status": 200},
        {"status": True, "headers": {}, "body": ""},
        {"status": 1000, "headers": {}, "body": ""},
        {"status": 200, "headers": {}, "body": b""},
    ]:
        assert not responses.contains(bad), bad


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=8,
)
paths = st.sampled_from(
    [
        "/v2/self",
        "/v2/objects/people/records/query",
        "/v2/notes",
        "/v2/objects/people/records/x",
        "/v2/objects/x/attributes",
        "/nowhere",
    ]
)
actions = st.one_of(
    st.builds(
        lambda m, p, j: {"method": m, "url": "https://api.attio.com" + p, "json": j},
        st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE", "BREW"]),
        paths,
        json_values,
    ),
    st.builds(
        lambda m, p, b: {"method": m, "url": p, "body": b},
        st.sampled_from(["POST", "get"]),
        paths,
        text,
    ),
    json_values,
    text,
)


@settings(max_examples=150, deadline=None)
@given(action=actions)
def test_the_env_never_raises_for_agent_input(action):
    env = gym.make(gym_apibench.gym_id("attio.update-person")).unwrapped
    _, info = env.reset(seed=0)
    if isinstance(action, dict) and "url" in action and "headers" not in action:
        token = info["task"]["credentials"]["attio"]["token"]
        action["headers"] = {"Authorization": f"Bearer {token}"}
    obs, *_ = env.step(action)
    assert env.observation_space.contains(obs)
    if obs["status"] == 0 or obs["status"] >= 400:
        assert env.episode.world.diff(env.episode.built.snapshot) == {}
