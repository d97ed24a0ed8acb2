"""The episode server at scale: one ``apibench serve`` process hosting 256 live episodes of
mixed scenarios, agents' reads spread over all of them from concurrent kept-alive
connections. Requests per second, p50 and p99 latency, and the server's resident memory
per live episode (after every episode has served reads: the tables they read are built).

The load generator is served.py's kept-alive HTTP/1.1 client in this process (the server
runs in its own).

Run alone: ``python benchmarks/episodes.py [--episodes N] [--seconds S]``; ``make bench``
runs it too.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import served

from gym_apibench.solving import auth_headers

EPISODES = 256
CONNECTIONS = 16
SECONDS = 3.0
READS = {
    "stripe.all-customers": ("stripe", "/v1/customers?limit=10"),
    "slack.post-to-channel": ("slack", "/api/conversations.list?limit=20"),
    "github.all-repos": ("github", "/user/repos?per_page=10"),
    "attio.record-by-id": ("attio", "/v2/objects/people/records/{record_id}"),
    "typeform.all-responses": ("typeform", "/forms"),
    "hubspot.sync-from-attio": ("hubspot", "/crm/v3/objects/contacts?limit=10"),
    "clickup.list-tasks-all-pages": ("clickup", "/api/v2/team"),
    "confluence.page-body": ("confluence", "/wiki/rest/api/space?limit=10"),
}
"""Each scenario's agent read: a page or a record of its main service."""


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _start_server(folder: Path, limit: int) -> tuple[subprocess.Popen[bytes], dict[str, str]]:
    control = folder / "control.json"
    command = [sys.executable, "-m", "gym_apibench.cli", "serve", "--port", "0"]
    process = subprocess.Popen(
        [*command, "--max-episodes", str(limit), "--control-file", str(control)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not control.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("apibench serve did not start")
        time.sleep(0.05)
    return process, json.loads(control.read_text())


def _read_of(scenario: str, info: dict[str, Any]) -> tuple[str, dict[str, str]]:
    service, path = READS[scenario]
    url = info["services"][service] + path.format(**info["task"]["inputs"])
    return url, auth_headers(info["credentials"][service])


def _load(
    targets: list[tuple[str, dict[str, str]]], seconds: float, connections: int
) -> tuple[float, list[float]]:
    """GETs of ``targets`` for ``seconds`` from ``connections`` kept-alive connections, each
    going round its share of them (served.py's load generator): the elapsed seconds and every
    latency. Every target is read once first, so every episode's table is built."""
    with httpx.Client(timeout=60) as client:
        for url, headers in targets:
            client.get(url, headers=headers).raise_for_status()
    requests = [served.request_bytes(url, headers) for url, headers in targets]
    shares = [requests[c::connections] for c in range(connections)]
    origin = urlsplit(targets[0][0])
    return asyncio.run(
        served.keepalive_load(origin.hostname or "", origin.port or 80, shares, seconds)
    )


def run(episodes: int = EPISODES, seconds: float = SECONDS, connections: int = CONNECTIONS) -> None:
    """Print the figures."""
    scenarios = list(READS)
    with tempfile.TemporaryDirectory() as folder:
        process, control = _start_server(Path(folder), episodes)
        try:
            headers = {"Authorization": f"Bearer {control['token']}"}
            with httpx.Client(headers=headers, timeout=60) as ctl:
                ctl.get(control["url"] + "/health").raise_for_status()
                idle = _rss_mb(process.pid)
                targets = []
                start = time.perf_counter()
                for i in range(episodes):
                    scenario = scenarios[i % len(scenarios)]
                    made = ctl.post(
                        control["url"] + "/episodes",
                        json={"scenario": scenario, "seed": 10_000 + i},
                    )
                    made.raise_for_status()
                    targets.append(_read_of(scenario, made.json()))
                created = (time.perf_counter() - start) / episodes
                elapsed, latencies = _load(targets, seconds, connections)
                per_episode = (_rss_mb(process.pid) - idle) / episodes
        finally:
            process.kill()
            process.wait()
    quantiles = statistics.quantiles(latencies, n=100)
    print(
        f"episode server: {episodes} live episodes ({len(scenarios)} scenarios), "
        f"{connections} connections: {len(latencies) / elapsed:,.0f} requests/s, "
        f"p50 {quantiles[49] * 1e3:.1f} ms, p99 {quantiles[98] * 1e3:.1f} ms; "
        f"{created * 1e3:.1f} ms to create an episode; "
        f"resident memory {per_episode:.2f} MB per live episode"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--episodes", type=int, default=EPISODES)
    parser.add_argument("--seconds", type=float, default=SECONDS)
    parser.add_argument("--connections", type=int, default=CONNECTIONS)
    args = parser.parse_args()
    run(args.episodes, args.seconds, args.connections)


if __name__ == "__main__":
    main()
