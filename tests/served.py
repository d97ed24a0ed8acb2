"""``apibench serve`` in a subprocess for the tests: one scenario, or the episode server."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import gym_apibench

ATTIO = next(s for s in gym_apibench.scenario_ids() if s.startswith("attio."))
SEED = 1
STARTUP_TIMEOUT = 30.0


class Served:
    """A running ``apibench serve``: the agent's info, and the operator's control plane."""

    def __init__(
        self, process: subprocess.Popen[str], info: dict[str, Any], control: dict[str, str]
    ) -> None:
        self.process = process
        self.info = info
        self.control_url: str = control["url"]
        self.control_token: str = control["token"]
        self.control_headers = {"Authorization": f"Bearer {self.control_token}"}

    def control(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """A request to the control plane (with the control token unless ``headers`` say)."""
        headers = kwargs.pop("headers", self.control_headers)
        return httpx.request(method, self.control_url + path, headers=headers, **kwargs)


def _start(command: list[str], *files: Path) -> subprocess.Popen[str]:
    """Run ``command`` until every file in ``files`` exists (fails the test otherwise)."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not all(f.exists() for f in files):
        if process.poll() is not None:
            pytest.fail(f"apibench serve exited early: {process.communicate()[1]}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("apibench serve wrote no info file in time")
        time.sleep(0.05)
    return process


def stop(process: subprocess.Popen[str]) -> None:
    """Kill ``process`` if it still runs, and reap it."""
    if process.poll() is None:
        process.kill()
        process.communicate()


@contextlib.contextmanager
def serving(info_file: Path, *extra: str) -> Iterator[Served]:
    """Run ``apibench serve --scenario ATTIO --seed SEED [extra ...]`` (a later ``--scenario``
    or ``--seed`` in ``extra`` wins) until the block ends; the control file is written beside
    ``info_file``."""
    control_file = info_file.with_name(info_file.stem + ".control.json")
    command = [sys.executable, "-m", "gym_apibench.cli", "serve", "--scenario", ATTIO]
    command += ["--seed", str(SEED), "--port", "0", "--info-file", str(info_file)]
    command += ["--control-file", str(control_file), *extra]
    process = _start(command, info_file, control_file)
    try:
        info = json.loads(info_file.read_text())
        yield Served(process, info, json.loads(control_file.read_text()))
    finally:
        stop(process)


@contextlib.contextmanager
def episode_server(control_file: Path, *extra: str) -> Iterator[Served]:
    """Run the episode server, ``apibench serve [extra ...]`` without a scenario; its
    ``info`` is empty (each episode's comes from creating it)."""
    command = [sys.executable, "-m", "gym_apibench.cli", "serve", "--port", "0"]
    command += ["--control-file", str(control_file), *extra]
    process = _start(command, control_file)
    try:
        yield Served(process, {}, json.loads(control_file.read_text()))
    finally:
        stop(process)
