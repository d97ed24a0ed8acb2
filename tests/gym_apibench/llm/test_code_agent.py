"""The code-writing agent against the mocked endpoint: programs through the relay, under limits."""

from __future__ import annotations

import json
import re
import shutil
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from llm_mock_endpoint import Endpoint, code_reply, first_answer, play, read_results
from sandboxing import SANDBOX, survivors

from gym_apibench.cli import main
from gym_apibench.llm import AgentGaveUp, CodeAgent
from gym_apibench.llm.code import NO_ANSWER, extract_code, last_json

EVERY_BEER = """
import json, os, urllib.request
task = json.loads(os.environ["APIBENCH_TASK"])
base = os.environ["APIBENCH_PUNK_URL"]
field = task["inputs"]["field"]
values, page = [], 1
while True:
    with urllib.request.urlopen(f"{base}/v2/beers?page={page}&per_page=80") as response:
        rows = json.load(response)
    values += [beer[field] for beer in rows]
    if len(rows) < 80:
        break
    page += 1
print("collected", len(values))
print(json.dumps(values))
"""

COUNT_JS = """
(async () => {
  const task = JSON.parse(process.env.APIBENCH_TASK);
  const state = task.inputs.state.toLowerCase().replaceAll(" ", "_");
  const base = process.env.APIBENCH_BREWERY_URL;
  const response = await fetch(`${base}/v1/breweries/meta?by_state=${state}`);
  const meta = await response.json();
  console.log(JSON.stringify(Number(meta.total)));
})();
"""

HANG_WITH_CHILD = """
import os, sys, time
if os.fork() == 0:
    os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(600)", "MARKER"])
time.sleep(600)
"""


def agent(endpoint: Endpoint, **options: Any) -> CodeAgent:
    return CodeAgent({"model": "m", "base_url": endpoint.url, "sandbox": SANDBOX, **options})


def test_eval_end_to_end_through_the_cli(endpoint: Endpoint, tmp_path: Path) -> None:
    endpoint.policy = lambda payload: code_reply(EVERY_BEER)
    out = tmp_path / "run"
    argv = ["eval", "--agent", "code", "--model", "m", "--base-url", endpoint.url]
    argv += ["--scenarios", "punk.every-beer", "--seeds", "0-1", "--workers", "1"]
    argv += ["--agent-option", f"sandbox={SANDBOX}"]
    assert main([*argv, "--out", str(out), "--no-progress"]) == 0
    results = read_results(out)
    assert [r["success"] for r in results] == [True, True], results
    # every request of the program was one env step: several pages, then the submit
    assert all(r["steps"] >= 3 for r in results)
    prompt = endpoint.requests[0]["messages"]
    assert "<<CODE>>" in prompt[0]["content"] and "APIBENCH_PUNK_URL" in prompt[1]["content"]


def test_program_requests_are_env_steps(endpoint: Endpoint) -> None:
    endpoint.policy = lambda payload: code_reply(EVERY_BEER)
    code = agent(endpoint)
    info, steps = play(code, "punk.every-beer", 2)
    assert info["success"] is True
    (attempt,) = code.episode_stats()["attempts"]
    assert attempt["outcome"] == "answer" and attempt["exit_code"] == 0
    assert attempt["requests"] == steps - 1  # each request one step, then the submit
    assert code.episode_stats()["usage"]["calls"] == 1


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_javascript_program(endpoint: Endpoint) -> None:
    endpoint.policy = lambda payload: code_reply(COUNT_JS)
    code = agent(endpoint, lang="js")
    info, _ = play(code, "brewery.count-in-state", 1)
    assert info["success"] is True, code.episode_stats()


def test_a_hanging_program_is_killed_with_its_child(endpoint: Endpoint) -> None:
    marker = f"apibench-probe-{uuid.uuid4().hex}"
    endpoint.policy = lambda payload: code_reply(HANG_WITH_CHILD.replace("MARKER", marker))
    code = agent(endpoint, time_limit=1.5)
    start = time.monotonic()
    info, steps = play(code, "brewery.count-in-state", 0)
    assert time.monotonic() - start < 15
    assert steps == 1 and info["success"] is False  # submitted null
    (attempt,) = code.episode_stats()["attempts"]
    assert attempt["outcome"] == "timeout"
    deadline = time.monotonic() + 5
    while survivors(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not survivors(marker)


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting to be reaped by init counts as dead)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):  # gone, or going while being read
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_a_raising_program_is_a_failed_attempt(endpoint: Endpoint) -> None:
    endpoint.policy = lambda payload: code_reply("raise RuntimeError('boom')")
    code = agent(endpoint)
    info, steps = play(code, "brewery.count-in-state", 0)
    assert steps == 1 and info["success"] is False
    (attempt,) = code.episode_stats()["attempts"]
    assert attempt["outcome"] == "crash" and attempt["exit_code"] == 1
    assert "RuntimeError: boom" in attempt["error"]
    assert code.episode_stats()["failure"].startswith("1 attempt(s) failed; last: crash")


def test_a_program_printing_no_json(endpoint: Endpoint) -> None:
    endpoint.policy = lambda payload: code_reply("print('the answer is 42')")
    code = agent(endpoint, attempts=2)
    info, _ = play(code, "brewery.count-in-state", 0)
    assert info["success"] is False
    outcomes = [a["outcome"] for a in code.episode_stats()["attempts"]]
    assert outcomes == ["no_json", "no_json"]
    # without self-healing, each attempt is a fresh ask with another seed
    assert [r["seed"] for r in endpoint.requests] == [0, 1]
    assert all(len(r["messages"]) == 2 for r in endpoint.requests)


def test_no_code_block_gives_up_through_the_harness(endpoint: Endpoint, tmp_path: Path) -> None:
    endpoint.policy = lambda payload: {"content": "I cannot write programs."}
    code = agent(endpoint, attempts=2)
    with pytest.raises(AgentGaveUp, match="no program between <<CODE>> tags"):
        play(code, "brewery.count-in-state", 0)
    out = tmp_path / "run"
    argv = ["eval", "--agent", "code", "--model", "m", "--base-url", endpoint.url]
    argv += ["--scenarios", "brewery.count-in-state", "--seeds", "0", "--workers", "1"]
    assert main([*argv, "--out", str(out), "--no-progress"]) == 0
    (result,) = read_results(out)
    assert result["failure"].startswith("agent_error: AgentGaveUp: 1 attempt(s) failed")


def test_self_healing_second_attempt(endpoint: Endpoint) -> None:
    def heal(payload: dict[str, Any]) -> dict[str, Any]:
        told = json.dumps(payload["messages"])
        if "KeyError" in told:  # the error was fed back: fix the program
            return code_reply(EVERY_BEER)
        return code_reply(EVERY_BEER.replace('task["inputs"]["field"]', 'task["field"]'))

    endpoint.policy = heal
    code = agent(endpoint, attempts=2, self_heal=True)
    info, _ = play(code, "punk.every-beer", 1)
    assert info["success"] is True
    assert [a["outcome"] for a in code.episode_stats()["attempts"]] == ["crash", "answer"]
    second = endpoint.requests[1]["messages"]
    assert [m["role"] for m in second] == ["system", "user", "assistant", "user"]
    assert "Traceback" in second[-1]["content"] and "Fix the program" in second[-1]["content"]


def test_memory_limit(endpoint: Endpoint) -> None:
    endpoint.policy = lambda payload: code_reply("x = bytearray(2 * 1024**3)\nprint(1)")
    code = agent(endpoint, memory_mb=256)
    play(code, "brewery.count-in-state", 0)
    (attempt,) = code.episode_stats()["attempts"]
    assert attempt["outcome"] == "crash" and "MemoryError" in attempt["error"]


def test_the_program_sees_no_host_secrets(endpoint: Endpoint, monkeypatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret")
    program = "import json, os\nprint(json.dumps(sorted(os.environ)))"
    endpoint.policy = lambda payload: code_reply(program)
    code = agent(endpoint)
    env = first_answer(code)
    assert "OPENAI_API_KEY" not in env
    assert {"APIBENCH_TASK", "APIBENCH_BREWERY_URL", "PATH"} <= set(env)


def test_the_program_knows_only_relay_urls(endpoint: Endpoint) -> None:
    program = (
        "import json, os\n"
        "task = json.loads(os.environ['APIBENCH_TASK'])\n"
        "print(json.dumps([task['services'], task['docs'], os.environ['APIBENCH_BREWERY_URL']]))"
    )
    endpoint.policy = lambda payload: code_reply(program)
    services, docs, url = first_answer(agent(endpoint))
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/brewery", services["brewery"])
    assert url == services["brewery"] and docs["brewery"] == url + "/openapi.yaml"


@pytest.mark.parametrize(
    ("reply", "code"),
    [
        ("<<CODE>>\nprint(1)\n<</CODE>>", "print(1)\n"),
        ("<<code>>\n```python\nprint(2)\n```\n<<\\CODE>>", "print(2)\n"),
        ("<<CODE>>print(3)<<END_CODE>>", "print(3)\n"),
        ("<CODE>\nprint(4)\n</CODE>", "print(4)\n"),
        ("text <<CODE>>\nprint(5)", "print(5)\n"),
        ("<<CODE>>a<</CODE>> then <<CODE>>b<</CODE>>", "b\n"),
        ("```python\nprint(6)\n```", "print(6)\n"),
        ("no program here", None),
        ("<<CODE>>   <</CODE>>", None),
    ],
)
def test_extract_code_variants(reply: str, code: str | None) -> None:
    assert extract_code(reply) == code


@pytest.mark.parametrize(
    ("stdout", "answer"),
    [
        ("42\n", 42),
        ("log line\n[1, 2]\n", [1, 2]),
        ('working...\n{\n  "a": 1\n}\n', {"a": 1}),
        ("null\n", None),
        ('{"x": 1}\n{"y": 2}\n', {"y": 2}),
        ("no json here\n", NO_ANSWER),
        ("", NO_ANSWER),
    ],
)
def test_last_json(stdout: str, answer: Any) -> None:
    assert (
        last_json(stdout) == answer if answer is not NO_ANSWER else last_json(stdout) is NO_ANSWER
    )


def test_no_program_outlives_its_agent(endpoint: Endpoint) -> None:
    endpoint.policy = lambda payload: code_reply("import time\ntime.sleep(600)")
    code = agent(endpoint, time_limit=600)
    import gymnasium as gym

    import gym_apibench

    env = gym.make(gym_apibench.gym_id("brewery.count-in-state"))
    _, info = env.reset(seed=0)
    code.reset(info["task"], seed=0)
    code._started = True
    assert code._start_attempt()
    pid = code._resources["program"].pid
    code.close()
    deadline = time.monotonic() + 5
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pid)
    env.close()


def test_truncated_episode_program_dies_with_the_agent(endpoint: Endpoint) -> None:
    looping = (
        "import os, urllib.request\n"
        "while True:\n"
        "    urllib.request.urlopen(os.environ['APIBENCH_BREWERY_URL'] + '/v1/breweries').read()\n"
    )
    endpoint.policy = lambda payload: code_reply(looping)
    code = agent(endpoint, time_limit=600)
    info, steps = play(code, "brewery.count-in-state", 0)  # the step limit cuts it short
    assert steps == 12 and info["success"] is False  # graded at the limit, never a success
    pid = code._resources["program"].pid
    port = code._resources["relay"].port
    del code  # as the harness drops the agent after the episode
    deadline = time.monotonic() + 5
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pid)
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/brewery/x", timeout=2)


def test_the_sandbox_opt_out_is_recorded(endpoint: Endpoint, tmp_path: Path, capsys) -> None:
    endpoint.policy = lambda payload: code_reply("print(1)")
    out = tmp_path / "run"
    argv = ["eval", "--agent", "code", "--model", "m", "--base-url", endpoint.url]
    argv += ["--scenarios", "brewery.count-in-state", "--seeds", "0", "--workers", "1"]
    argv += ["--agent-option", "sandbox=none", "--out", str(out), "--no-progress"]
    assert main(argv) == 0
    (result,) = read_results(out)
    assert "sandbox=none" in result["agent"] and result["agent_stats"]["sandbox"] == "none"
    assert "ran unisolated (`sandbox=none`)" in capsys.readouterr().err
    report = (out / "report.md").read_text()
    assert "## Programs run without the sandbox" in report and result["agent"] in report
