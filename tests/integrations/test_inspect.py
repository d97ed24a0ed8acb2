"""The Inspect AI task, run by Inspect itself against a scripted OpenAI-compatible model."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

pytest.importorskip("inspect_ai")

from inspect_ai import eval as inspect_eval
from inspect_ai.log import EvalLog, read_eval_log
from inspect_ai.model import ChatMessageTool
from inspect_ai.tool import ToolError

from gym_apibench.integrations import ToolSession
from gym_apibench.integrations.inspect_tasks import apibench, inspect_tool
from tests.integrations.replay import ReplayModel, serve_model, task_of
from tests.served import episode_server

SCENARIOS = ["stripe.net-revenue", "slack.post-to-channel"]
MODEL = "openai-api/replay/replay"
"""Inspect's OpenAI-compatible provider: service ``replay``, read from REPLAY_BASE_URL."""

UNCUT = 10**7
"""Tool results whole: the replay model parses every one."""


@contextmanager
def served(model: ReplayModel, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """``model`` on loopback, and the variables Inspect's provider reads."""
    with serve_model(model) as url:
        monkeypatch.setenv("REPLAY_BASE_URL", url)
        monkeypatch.setenv("REPLAY_API_KEY", "replay")
        yield url


@pytest.fixture
def endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A replay model of every (scenario, seed) the tests play, opening with a malformed call."""
    with served(
        ReplayModel([(s, n) for s in SCENARIOS for n in (0, 1)], malformed=1), monkeypatch
    ) as url:
        yield url


def run(url: str, tmp_path: Path, **task_args: object) -> EvalLog:
    [log] = inspect_eval(
        apibench(**task_args, max_result_chars=UNCUT),  # type: ignore[arg-type]
        model=MODEL,
        # Inspect keeps a model per name and base URL: each test's endpoint is new.
        model_base_url=url,
        log_dir=str(tmp_path),
        display="none",
        max_retries=1,
        timeout=60,
    )
    assert log.status == "success", log.error
    return log


def test_reference_solutions_score_one_through_inspect(endpoint: str, tmp_path: Path) -> None:
    log = run(endpoint, tmp_path, scenarios=",".join(SCENARIOS), seeds="0-1")
    assert log.samples is not None
    assert sorted(s.id for s in log.samples) == sorted(
        f"{s}@{n}" for s in SCENARIOS for n in (0, 1)
    )
    for sample in log.samples:
        score = sample.scores["episode_score"]  # type: ignore[index]
        assert score.value == 1.0 and score.metadata is not None
        assert score.metadata["success"] and score.metadata["submitted"]
        assert score.metadata["checks"] and all(c["passed"] for c in score.metadata["checks"])
        assert (sample.metadata["scenario"], sample.metadata["seed"]) == (
            score.metadata["scenario"],
            score.metadata["seed"],
        )
        # The model opened with a call that breaks http_request's schema: Inspect answered
        # it with its parsing error, the sample went on, and it counts as malformed.
        errors = [m.error for m in sample.messages if isinstance(m, ChatMessageTool) and m.error]
        assert [e.type for e in errors] == ["parsing"]
        assert score.metadata["malformed"] == 1
        assert score.metadata["steps"] >= 2  # at least a request and the submit
    assert log.results is not None
    metrics = log.results.scores[0].metrics
    assert metrics["mean"].value == 1.0 and metrics["success_rate"].value == 1.0
    # The conversation is the session's prompt: the model found each task's instruction.
    instructions = {task_of(s, n)["instruction"] for s in SCENARIOS for n in (0, 1)}
    assert {s.messages[1].text for s in log.samples} == instructions


def test_a_noop_scores_zero(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with served(ReplayModel([(SCENARIOS[0], 2)], solution="noop"), monkeypatch) as url:
        log = run(url, tmp_path, scenarios=SCENARIOS[0], seeds="2")
    assert log.samples is not None
    [sample] = log.samples
    score = sample.scores["episode_score"]  # type: ignore[index]
    assert score.value == 0.0 and score.metadata is not None
    assert score.metadata["submitted"] and not score.metadata["success"]
    assert score.metadata["steps"] == 1 and score.metadata["malformed"] == 0
    assert log.results is not None and log.results.scores[0].metrics["success_rate"].value == 0.0


def test_the_inspect_command_line_runs_the_task(endpoint: str, tmp_path: Path) -> None:
    inspect = Path(sys.executable).parent / "inspect"
    command = [
        str(inspect), "eval", "gym_apibench/integrations/inspect_tasks.py@apibench",
        "-T", f"scenarios={SCENARIOS[1]}", "-T", "seeds=0", "-T", f"max_result_chars={UNCUT}",
        "--model", MODEL, "--log-dir", str(tmp_path), "--display", "none",
    ]  # fmt: skip
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        command, cwd=root, env=dict(os.environ), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    [path] = tmp_path.glob("*.eval")
    log = read_eval_log(str(path))
    assert log.status == "success" and log.samples is not None
    [sample] = log.samples
    assert sample.id == f"{SCENARIOS[1]}@0"
    assert sample.scores["episode_score"].value == 1.0  # type: ignore[index]


def test_a_call_apibench_rejects_is_an_inspect_tool_error_and_changes_nothing() -> None:
    import asyncio

    with ToolSession(SCENARIOS[0], 0) as session:
        operation = next(t for t in session.tools if t.name not in ("http_request", "submit"))
        tool = inspect_tool(session, operation)
        before = session.env.unwrapped.state_hash()
        with pytest.raises(ToolError, match="no parameter"):
            asyncio.run(tool.tool(unknown_argument=1))
        assert session.env.unwrapped.state_hash() == before
        assert session.steps == 0 and session.result()["malformed"] == 1
        submit = inspect_tool(session, next(t for t in session.tools if t.name == "submit"))
        assert asyncio.run(submit.tool(answer=None)).startswith("HTTP 200")
        with pytest.raises(ToolError, match="the episode has ended"):
            asyncio.run(tool.tool())  # a later call of the same reply: not a malformed one
        assert session.done and session.steps == 1 and session.result()["malformed"] == 1


def test_a_model_that_only_breaks_schemas_is_given_up_on(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with served(ReplayModel([(SCENARIOS[1], 3)], malformed=5), monkeypatch) as url:
        log = run(url, tmp_path, scenarios=SCENARIOS[1], seeds="3", max_malformed=2)
    assert log.samples is not None
    [sample] = log.samples
    score = sample.scores["episode_score"]  # type: ignore[index]
    assert score.value == 0.0 and score.metadata is not None
    assert not score.metadata["submitted"] and score.metadata["steps"] == 0
    assert score.metadata["malformed"] == 2


def test_the_step_limit_ends_the_sample(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with served(ReplayModel([(SCENARIOS[0], 4)]), monkeypatch) as url:
        log = run(url, tmp_path, scenarios=SCENARIOS[0], seeds="4", max_steps=1)
    assert log.samples is not None
    [sample] = log.samples
    score = sample.scores["episode_score"]  # type: ignore[index]
    assert score.value == 0.0 and score.metadata is not None
    assert score.metadata["truncated"] and not score.metadata["submitted"]
    assert score.metadata["steps"] == 1


def test_the_tools_keep_their_schemas_in_inspects_subset() -> None:
    with ToolSession("stripe.net-revenue", 0) as session:
        tools = {tool.name: (tool, inspect_tool(session, tool)) for tool in session.tools}
    assert set(tools) == {tool.name for tool in session.tools}
    for tool, definition in tools.values():
        assert definition.description == tool.description
        assert set(definition.parameters.properties) == set(tool.parameters["properties"])
        assert definition.parameters.required == tool.parameters.get("required", [])
    # A body the spec writes as allOf arrives merged: its properties and required ones.
    merged = [
        (tool, definition)
        for tool, definition in tools.values()
        if "allOf" in tool.parameters["properties"].get("body", {})
    ]
    assert merged
    for tool, definition in merged:
        body = tool.parameters["properties"]["body"]
        names = {n for part in body["allOf"] for n in part.get("properties", {})}
        schema = definition.parameters.properties["body"]
        assert schema.properties is not None and names <= set(schema.properties)
        assert set(body.get("required", [])) <= set(schema.required or [])


def test_samples_play_on_an_episode_server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    scenario = "attio.retry-503s"  # its 503s reach the model through Inspect, and are retried
    with (
        episode_server(tmp_path / "control.json") as server,
        served(ReplayModel([(scenario, 2)]), monkeypatch) as url,
    ):
        log = run(
            url,
            tmp_path,
            scenarios=scenario,
            seeds="2",
            server=server.control_url,
            server_token=server.control_token,
        )
        assert server.control("GET", "/episodes").json()["episodes"] == []  # closed by cleanup
    assert log.samples is not None
    [sample] = log.samples
    score = sample.scores["episode_score"]  # type: ignore[index]
    assert score.value == 1.0 and score.metadata is not None and score.metadata["success"]
    results = [m.text for m in sample.messages if isinstance(m, ChatMessageTool)]
    assert any(text.startswith("HTTP 503") for text in results)


def test_the_public_surface_and_a_core_import_without_inspect() -> None:
    from gym_apibench.integrations import inspect_tasks

    assert set(inspect_tasks.__all__) == {
        "apibench",
        "episode_agent",
        "episode_score",
        "episode_setup",
        "inspect_tool",
        "session_of",
        "success_rate",
    }
    assert all(hasattr(inspect_tasks, name) for name in inspect_tasks.__all__)
    probe = (
        "import sys, gym_apibench.integrations, gym_apibench.cli; "
        "print('inspect_ai' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
