"""A client of the episode server (``apibench serve`` without ``--scenario``).

:class:`EpisodeServer` creates and lists episodes with the control token;
:class:`RemoteEpisode` is one of them: its agent-facing info, and its score, reset, submit,
steps and end. A ``gym`` mode episode plays exactly as an in-process
:class:`~gym_apibench.episode.Episode` (the virtual clock, the real host names): the remote
Gymnasium env (``gym.make(id, server=URL)``) is built on it, so rollout workers can run
apart from the simulation::

    with EpisodeServer("http://127.0.0.1:8000", token) as server:
        episode = server.create("attio.record-by-id", seed=7)
        print(episode.info["services"], episode.info["task"]["instruction"])
        ...  # the agent sends HTTP to episode.info["services"]
        print(episode.score()["reward"])
        episode.end()
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx
import yaml

from gym_apibench.checks import CheckResult, Grade
from gym_apibench.episode import Injected, Observation
from gym_apibench.hosting import CONTROL_PREFIX, TOKEN_VARIABLE

__all__ = ["EpisodeServer", "RemoteEpisode", "ServerError", "fault_data"]


class ServerError(RuntimeError):
    """The episode server refused a control request (the status and its message)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"episode server: {status}: {message}")
        self.status = status


class EpisodeServer:
    """The control plane of an episode server at ``url`` (its origin, or its control URL).

    ``token``: the control token (default ``$APIBENCH_CONTROL_TOKEN``). One kept-alive
    connection pool serves every episode this client creates.
    """

    def __init__(self, url: str, token: str | None = None, *, timeout: float = 60.0) -> None:
        token = token if token is not None else os.environ.get(TOKEN_VARIABLE)
        if not token:
            raise ValueError(
                f"the episode server needs its control token: pass token= or set ${TOKEN_VARIABLE}"
            )
        url = url.rstrip("/")
        self.control_url = url if url.endswith(CONTROL_PREFIX) else url + CONTROL_PREFIX
        self.http = httpx.Client(
            headers={"Authorization": f"Bearer {token}"}, timeout=timeout, trust_env=False
        )

    def call(self, method: str, url: str, body: Any = None) -> Any:
        """A control request; its JSON answer, or :class:`ServerError`."""
        response = self.http.request(method, url, json=body)
        try:
            payload = response.json()
        except ValueError:
            payload = {"message": response.text[:500]}
        if response.status_code >= 400:
            message = payload.get("message", payload) if isinstance(payload, dict) else payload
            raise ServerError(response.status_code, str(message))
        return payload

    def health(self) -> dict[str, Any]:
        """``{"status": "ok", "episodes": <live count>}``."""
        return dict(self.call("GET", self.control_url + "/health"))

    def episodes(self) -> list[dict[str, Any]]:
        """The live episodes: id, scenario, seed, mode, idle seconds."""
        return list(self.call("GET", self.control_url + "/episodes")["episodes"])

    def create(
        self,
        scenario: str,
        seed: int = 0,
        *,
        faults: Any = None,
        sizes: Mapping[str, Mapping[str, int]] | None = None,
        mode: str = "served",
    ) -> RemoteEpisode:
        """A new episode (``faults``: rule mappings or a YAML path, read here)."""
        body: dict[str, Any] = {"scenario": scenario, "seed": seed, "mode": mode}
        data = fault_data(faults)
        if data is not None:
            body["faults"] = data
        if sizes:
            body["sizes"] = {k: dict(v) for k, v in sizes.items()}
        return RemoteEpisode(self, self.call("POST", self.control_url + "/episodes", body), seed)

    def close(self) -> None:
        """Close the connections (the episodes stay until ended or idle)."""
        self.http.close()

    def __enter__(self) -> EpisodeServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class RemoteEpisode:
    """One episode on an episode server; the methods of an in-process episode the env uses."""

    def __init__(self, server: EpisodeServer, info: Mapping[str, Any], seed: int) -> None:
        self.server = server
        self.info = dict(info)
        self.id: str = info["id"]
        self.seed = seed
        self.control_url: str = info["control"]["url"]

    @property
    def task(self) -> dict[str, Any]:
        """What the agent is told (the shape of :attr:`Episode.task`)."""
        task = dict(self.info["task"])
        task["services"] = dict(self.info["services"])
        task["credentials"] = dict(self.info["credentials"])
        order = ("scenario", "instruction", "inputs", "services", "credentials", "docs")
        return {k: task[k] for k in (*order, "max_steps") if k in task}

    def _call(self, method: str, path: str = "", body: Any = None) -> Any:
        return self.server.call(method, self.control_url + path, body)

    def score(self) -> dict[str, Any]:
        """The grade of the world as it is: reward, success, checks, submitted."""
        return dict(self._call("GET", "/score"))

    def grade(self) -> Grade:
        """:meth:`score` as a :class:`~gym_apibench.checks.Grade`."""
        return _grade(self.score())

    def reset(self) -> None:
        """Back to the initial world; the answer is forgotten."""
        self._call("POST", "/reset")

    def submit(self, answer: Any) -> dict[str, Any]:
        """Submit the answer; the grade with it."""
        return dict(self._call("POST", "/submit", {"answer": answer}))

    def finish(self, answer: Any) -> Grade:
        """Submit the answer and grade (one round trip)."""
        return _grade(self.submit(answer))

    def send(self, action: Mapping[str, Any]) -> tuple[Observation, Injected]:
        """One request action, executed by the server in the episode; the observation and
        the faults injected into it."""
        reply = self._call("POST", "/step", {"action": dict(action)})
        return reply["observation"], tuple(tuple(hit) for hit in reply["faults"])

    def wait(self, seconds: Any) -> Observation:
        """A ``wait`` action (a ``gym`` episode's virtual clock)."""
        observation: Observation = self._call("POST", "/step", {"action": {"wait": seconds}})[
            "observation"
        ]
        return observation

    def state_hash(self) -> str:
        """The canonical hash of the episode's world."""
        return str(self._call("GET", "/state")["state_hash"])

    def end(self) -> None:
        """End the episode on the server (its URLs answer 404 from now on)."""
        try:
            self._call("DELETE")
        except ServerError as exc:
            if exc.status != 404:  # already ended or evicted: nothing to do
                raise


def _grade(score: Mapping[str, Any]) -> Grade:
    results = tuple(CheckResult(c["name"], c["passed"], c["detail"]) for c in score["checks"])
    return Grade(float(score["reward"]), bool(score["success"]), results)


def fault_data(faults: Any) -> Any:
    """Fault rules as the episode server takes them: mappings (a YAML path is read here, on
    the client: the server never reads a path it is sent)."""
    if faults is None or isinstance(faults, Mapping):
        return faults
    if isinstance(faults, list | tuple) and all(isinstance(r, Mapping) for r in faults):
        return list(faults)
    if isinstance(faults, str | Path):
        return yaml.safe_load(Path(faults).read_text(encoding="utf-8"))
    raise ValueError(
        f"faults for a remote episode are rule mappings or a YAML path; got {type(faults).__name__}"
    )
