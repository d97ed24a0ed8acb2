"""``apibench serve`` as an episode server in a subprocess: 256 concurrent episodes of mixed
scenarios over real sockets, each isolated; and the operator's and agent's files."""

from __future__ import annotations

import asyncio
import json
import os
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from gym_apibench.solving import auth_headers
from tests.served import ATTIO, SEED, Served, episode_server, serving, stop

LIVE = 256
SCENARIOS = ("stripe.all-customers", "slack.post-to-channel", "github.all-repos", ATTIO)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("episodes")
    with episode_server(folder / "control.json", "--max-episodes", str(LIVE)) as served:
        yield served


def first_get(info: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """A read every scenario's first service answers with the episode's credentials."""
    name, base = next(iter(info["services"].items()))
    path = {"stripe": "/v1/customers?limit=3", "slack": "/api/auth.test"}.get(name, "/")
    if name == "attio":
        path = "/v2/self"
    if name == "github":
        path = "/user/repos?per_page=3"
    return base + path, auth_headers(info["credentials"][name])


def test_256_concurrent_isolated_episodes(server: Served):
    async def run() -> None:
        limits = httpx.Limits(max_connections=32)
        async with httpx.AsyncClient(headers=server.control_headers, limits=limits) as ctl:
            made = await asyncio.gather(
                *(
                    ctl.post(
                        server.control_url + "/episodes",
                        json={"scenario": SCENARIOS[i % len(SCENARIOS)], "seed": i},
                    )
                    for i in range(LIVE)
                )
            )
            assert [r.status_code for r in made] == [201] * LIVE
            infos = [r.json() for r in made]
            assert len({i["id"] for i in infos}) == LIVE
            over = await ctl.post(server.control_url + "/episodes", json={"scenario": ATTIO})
            assert over.status_code == 429
            async with httpx.AsyncClient(limits=limits) as agent:
                replies = await asyncio.gather(
                    *(agent.get(url, headers=h) for url, h in map(first_get, infos))
                )
                assert [r.status_code for r in replies] == [200] * LIVE
                # Each world is its seed's: the same read in two episodes of one scenario
                # answers each world's own data.
                same = [r.text for r, i in zip(replies, infos, strict=True)]
                assert len(set(same[:: len(SCENARIOS)])) == LIVE // len(SCENARIOS)
                # Another episode's URL with this one's credentials: refused.
                url, _ = first_get(infos[len(SCENARIOS)])
                _, mine = first_get(infos[0])
                assert (await agent.get(url, headers=mine)).status_code == 401
            listed = (await ctl.get(server.control_url + "/episodes")).json()["episodes"]
            assert len(listed) == LIVE
            ended = await asyncio.gather(*(ctl.delete(i["control"]["url"]) for i in infos))
            assert [r.status_code for r in ended] == [200] * LIVE
            assert (await ctl.get(server.control_url + "/episodes")).json()["episodes"] == []

    asyncio.run(run())


def test_idle_episodes_go_after_the_timeout(tmp_path: Path):
    with episode_server(tmp_path / "control.json", "--idle-timeout", "0.5") as served:
        info = served.control("POST", "/episodes", json={"scenario": ATTIO, "seed": 1}).json()
        url, headers = first_get(info)
        assert httpx.get(url, headers=headers).status_code == 200
        time.sleep(1.5)  # no control call in between: the server's own sweep ends it
        gone = httpx.get(url, headers=headers)
        assert gone.status_code == 404 and gone.json()["error"] == "unknown_episode"
        assert served.control("GET", "/episodes").json()["episodes"] == []


def test_the_agent_file_holds_no_control_token(tmp_path: Path):
    with serving(tmp_path / "info.json") as served:
        text = (tmp_path / "info.json").read_text()
        assert served.control_token not in text and "control" not in json.loads(text)
        control = tmp_path / "info.control.json"
        assert stat.S_IMODE(control.stat().st_mode) == 0o600
        assert json.loads(control.read_text()) == {
            "url": served.control_url,
            "token": served.control_token,
        }


def test_without_a_control_file_the_operator_reads_stdout(tmp_path: Path):
    info_file = tmp_path / "info.json"
    command = [sys.executable, "-m", "gym_apibench.cli", "serve", "--scenario", ATTIO]
    command += ["--seed", str(SEED), "--info-file", str(info_file)]
    env = {**os.environ, "APIBENCH_CONTROL_TOKEN": "operator-chosen-token-0123456789"}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    try:
        assert process.stdout is not None
        agent, control = (
            json.loads(process.stdout.readline()),
            json.loads(process.stdout.readline()),
        )
        assert agent == json.loads(info_file.read_text())
        assert control["token"] == "operator-chosen-token-0123456789"
        score = httpx.get(
            control["url"] + "/score", headers={"Authorization": f"Bearer {control['token']}"}
        )
        assert score.status_code == 200 and score.json()["seed"] == SEED
    finally:
        stop(process)


def test_episode_server_flags_are_checked(tmp_path: Path):
    for extra, named in (
        (["--info-file", str(tmp_path / "x.json")], "--info-file: only with --scenario"),
        (["--max-episodes", "0"], "--max-episodes must be at least 1"),
        (["--idle-timeout", "-1"], "seconds > 0"),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "gym_apibench.cli", "serve", *extra],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 2 and named in done.stderr
