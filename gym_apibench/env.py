"""The Gymnasium environment: an agent acts only through HTTP and is graded on the final state."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import gymnasium as gym

from gym_apibench.checks import Grade
from gym_apibench.episode import (
    Episode,
    Observation,
    WorldCache,
    cache_size,
    default_base_url,
    fault_record,
)
from gym_apibench.remote import EpisodeServer, RemoteEpisode, fault_data
from gym_apibench.scenarios import get_scenario
from gym_apibench.seeds import TRAIN_SEEDS, SeedPool, draw_seed, seed_pool
from gym_apibench.sizes import world_sizes
from gym_apibench.spaces import HttpActionSpace, HttpResponseSpace, Operation
from mockapis.faults import FaultsArg, load_rules
from mockapis.registry import get_service
from mockapis.specs import load_spec, operations

__all__ = ["ApiBenchEnv"]


def _error_obs(message: str) -> Observation:
    body = json.dumps({"error": "invalid_action", "message": message})
    return {"status": 0, "headers": {"content-type": "application/json"}, "body": body}


class ApiBenchEnv(gym.Env[dict[str, Any], dict[str, Any]]):
    """A scenario of simulated HTTP APIs.

    ## Description
    The agent is given a task (``info["task"]``: instruction, service base URLs, credentials,
    docs URLs and ``max_steps``) and acts only by sending HTTP requests to simulated services
    that run in-process, on a world generated from the seed. It ends the episode by
    submitting an answer; the grader checks the answer and the final world state.

    ## Action Space
    :class:`~gym_apibench.spaces.HttpActionSpace`: a request
    ``{"method", "url", "headers"?, "json"? | "body"?}``, ``{"submit": <JSON value>}`` or
    ``{"wait": seconds}``, as a dict or a JSON string. Invalid actions are not errors: they
    return a status-0 observation saying what was wrong, and count as a step.

    ## Observation Space
    :class:`~gym_apibench.spaces.HttpResponseSpace`: ``{"status", "headers", "body"}``. The
    reset observation carries the task as a JSON body; status 0 means no HTTP response
    (an invalid action or a transport fault, named in the body). Vector envs share these
    through memory by default (:mod:`gym_apibench.vector`).

    ## Rewards
    0 on every step but the last. On submit: 1 if every check passes, else the share of goal
    checks passed, and 0 if a collateral-damage check failed. ``info["checks"]`` and
    ``info["success"]`` give the details. An episode cut off by the step limit earns 0 and is
    not a success, but its last step's ``info["checks"]`` grade the world it left (with no
    answer), so an agent can see what it had done.

    ## Starting State
    The world generated for (scenario, seed): the same seed gives the same world, task and
    ground truth in any process. Reset restores a cached snapshot (sub-millisecond).
    ``reset(seed=s)`` uses world seed ``s``; ``reset()`` draws one from the ``seeds`` pool
    with the env's ``np_random`` (so seeding once makes the sequence reproducible).

    ## Episode End
    Terminated on ``submit``. Truncated at the step limit, ``info["task"]["max_steps"]``:
    the scenario's ``max_steps``, or ``gym.make(..., max_episode_steps=N)``. The env grades
    the last step itself, so it must know the limit, which ``gym.make`` gives only to the
    ``TimeLimit`` wrapper: each id is registered with the
    :class:`~gym_apibench.step_limit.SyncStepLimit` wrapper, which ``gym.make`` applies above
    ``TimeLimit`` and which copies its limit into :attr:`max_steps` (``max_episode_steps=-1``:
    no ``TimeLimit``, no limit). Both count the same steps, so they truncate the same one. An
    env built by hand takes ``max_steps`` (default: the scenario's). Any step after the end,
    a submit included, is refused with a status-0 observation and reward 0.

    ## Arguments
    ``gym.make("apibench/<scenario-id>-v1", render_mode=None | "ansi", faults=None,
    sizes=None, seeds=None, world_cache=None, max_episode_steps=None)``;
    ``faults`` adds fault rules to the scenario's own (a YAML path or a list of rule
    mappings, see :mod:`mockapis.faults`). Every step's ``info["faults"]`` lists the faults
    injected during it: ``{"step", "rule", "kind"}``. ``sizes`` overrides the scenario's
    world sizes (``{"stripe": {"customers": 2000}}``), for stress tests and benchmarks; the
    ground truth follows the world. ``seeds`` is the pool ``reset()`` draws world seeds from
    (a non-empty sequence or range of ints >= 0); by default
    :data:`~gym_apibench.seeds.TRAIN_SEEDS`, which never meets
    :data:`~gym_apibench.seeds.EVAL_SEEDS` (``range(0, 1_000_000)``), the seeds evaluations
    use: train on the one, report on the other. ``world_cache`` (an int >= 0) gives the env
    a private cache of that many built worlds (0: none; resets of the current seed still
    reuse its world); by default the process-wide cache (``$APIBENCH_WORLD_CACHE``, 64
    worlds). A bad ``faults``, ``sizes``, ``seeds`` or ``world_cache`` fails at ``make`` with
    a ``ValueError`` naming it.

    ## Version History
    * v1: worlds generated anew (a (scenario, seed) shows other data than in v0), faster;
      truncated episodes graded; ``seeds``, ``world_cache`` and ``max_steps``. See the
      README's version notes.
    * v0: initial release.
    """

    metadata = {"render_modes": ["ansi"], "render_fps": 4}  # noqa: RUF012 - Gymnasium's API

    def __init__(
        self,
        scenario_id: str,
        render_mode: str | None = None,
        faults: FaultsArg = None,
        sizes: Mapping[str, Mapping[str, int]] | None = None,
        seeds: SeedPool | Sequence[int] | None = None,
        world_cache: int | None = None,
        max_steps: int | None = None,
        server: str | None = None,
        server_token: str | None = None,
    ) -> None:
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ValueError(f"render_mode must be None or 'ansi'; got {render_mode!r}")
        scenario = get_scenario(scenario_id)
        self.scenario_id = scenario_id
        self.render_mode = render_mode
        # Validated now: a bad argument fails at make time, not at the first reset.
        self.faults = load_rules(faults)
        self.sizes = world_sizes(scenario_id, sizes)
        self.seeds: SeedPool = TRAIN_SEEDS if seeds is None else seed_pool(seeds)
        self._cache = (
            None if world_cache is None else WorldCache(cache_size(world_cache, "world_cache"))
        )
        self.max_steps = scenario.max_steps if max_steps is None else max_steps
        self.server = server
        self._server_token = server_token
        self._remote: EpisodeServer | None = None
        if server is not None:
            if world_cache is not None:
                raise ValueError("world_cache is the server's with server=: leave it unset")
            self._fault_data = fault_data(faults)
            self._remote = EpisodeServer(server, server_token)
            self._remote.health()  # a wrong URL or token fails here, at make
        self._episode: Episode | RemoteEpisode | None = None
        self._seed = 0
        self._transcript: list[str] = []
        self._steps = 0
        self._ended: tuple[bool, bool] | None = None  # (terminated, truncated) once over
        ops: list[Operation] = []
        for name in scenario.services:
            service = get_service(name)
            base = default_base_url(service)
            for method, path in sorted(operations(load_spec(service.spec_path))):
                ops.append((method, base + path))
        self.action_space = HttpActionSpace(ops)
        self.observation_space = HttpResponseSpace()

    @classmethod
    def playing(cls, episode: Episode, *, max_steps: int | None = None) -> ApiBenchEnv:
        """An env stepping ``episode`` as it stands, e.g. one an episode server hosts and
        scores: it needs no reset (a reset would restore the episode's world)."""
        env = cls(episode.scenario.id, max_steps=max_steps)
        env._episode, env._seed = episode, episode.seed
        return env

    @property
    def max_steps(self) -> int | None:
        """The step limit: the last step allowed is graded and truncated (``None``: no limit)."""
        return self._max_steps

    @max_steps.setter
    def max_steps(self, value: int | None) -> None:
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or value < 1
        ):
            raise ValueError(f"max_steps is the step limit: an integer >= 1 or None; got {value!r}")
        self._max_steps = value

    @property
    def world_cache(self) -> WorldCache | None:
        """The env's private world cache (``world_cache=N``); ``None``: the process-wide one."""
        return self._cache

    def _get_episode(self, seed: int) -> Episode | RemoteEpisode:
        if self._episode is None or self._episode.seed != seed:
            if self._remote is not None:
                if isinstance(self._episode, RemoteEpisode):
                    self._episode.end()
                self._episode = self._remote.create(
                    self.scenario_id, seed, faults=self._fault_data, sizes=self.sizes, mode="gym"
                )
            else:
                self._episode = Episode(
                    self.scenario_id, seed, faults=self.faults, sizes=self.sizes, cache=self._cache
                )
        return self._episode

    @property
    def episode(self) -> Episode:
        """The current episode (world, task, grader), in process (see :attr:`remote_episode`)."""
        episode = self._get_episode(self._seed)
        if not isinstance(episode, Episode):
            raise AttributeError("this env plays on a server: its episode is env.remote_episode")
        return episode

    @property
    def remote_episode(self) -> RemoteEpisode | None:
        """The current episode on the ``server`` (None in process)."""
        return self._episode if isinstance(self._episode, RemoteEpisode) else None

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Restore the world for ``seed`` (drawn from the ``seeds`` pool when None)."""
        super().reset(seed=seed)
        if seed is None:
            seed = draw_seed(self.seeds, self.np_random)
        self._seed = seed
        episode = self._get_episode(seed)
        episode.reset()
        self._steps = 0
        self._ended = None
        task = episode.task
        task["max_steps"] = self.max_steps  # the limit this env enforces, not the scenario's
        self._transcript = [f"# {self.scenario_id} (seed {seed})", task["instruction"]]
        obs = {
            "status": 200,
            "headers": {"content-type": "application/json", "x-apibench": "task"},
            "body": json.dumps(task, ensure_ascii=False),
        }
        return obs, {"task": task, "seed": seed}

    def step(
        self, action: dict[str, Any] | str
    ) -> tuple[dict[str, Any], float, bool, bool, dict[str, Any]]:
        """Send one request (or submit, or wait) and return the response."""
        episode = self._get_episode(self._seed)
        self._steps += 1
        info: dict[str, Any] = {"step": self._steps}
        if self._ended is not None:
            # Never graded again: a submit after the step limit must not earn a reward.
            obs = _error_obs("the episode has ended; call reset()")
            return obs, 0.0, *self._ended, info
        if isinstance(action, str):
            try:
                action = json.loads(action)
            except ValueError as exc:
                return self._observe(action, _error_obs(f"action is not valid JSON: {exc}"), info)
        if type(action) is not dict and not isinstance(action, Mapping):
            obs = _error_obs(f"an action is an object; got {type(action).__name__}")
        elif "submit" in action:
            if len(action) != 1:
                obs = _error_obs("a submit action has only the key 'submit'")
            else:
                return self._finish(episode, action["submit"], info)
        elif "wait" in action:
            obs = (
                episode.wait(action["wait"])
                if len(action) == 1
                else _error_obs("a wait action has only the key 'wait'")
            )
        else:
            obs, faults = episode.send(action)
            info["faults"] = [fault_record(self._steps, hit) for hit in faults] if faults else []
        return self._observe(action, obs, info)

    def _observe(
        self, action: Any, obs: Observation, info: dict[str, Any]
    ) -> tuple[dict[str, Any], float, bool, bool, dict[str, Any]]:
        if self.render_mode == "ansi":
            self._record(action, obs)
        if self.max_steps is not None and self._steps >= self.max_steps:
            # The step limit: grade the world as left, without an answer. Never a success
            # (only a submission succeeds) and no reward, as the eval harness always scored it.
            self._ended = (False, True)
            result = self._get_episode(self._seed).grade()
            info.update(checks=result.checks, success=False)
            self._record_grade(f"> step limit ({self.max_steps}) reached", result)
            return obs, 0.0, False, True, info
        return obs, 0.0, False, False, info

    def _finish(
        self, episode: Episode | RemoteEpisode, answer: Any, info: dict[str, Any]
    ) -> tuple[dict[str, Any], float, bool, bool, dict[str, Any]]:
        result = episode.finish(answer)
        self._ended = (True, False)
        info.update(checks=result.checks, success=result.success)
        body = json.dumps({"submitted": True, "reward": result.reward, "success": result.success})
        obs = {
            "status": 200,
            "headers": {"content-type": "application/json", "x-apibench": "submit"},
            "body": body,
        }
        self._record_grade(f"> submit {json.dumps(answer, ensure_ascii=False)[:500]}", result)
        return obs, float(result.reward), True, False, info

    def _record_grade(self, header: str, result: Grade) -> None:
        if self.render_mode == "ansi":
            self._transcript.append(header)
            self._transcript.extend(
                f"  [{'x' if c['passed'] else ' '}] {c['name']}: {c['detail']}"
                for c in result.checks
            )

    def _record(self, action: Any, obs: Observation) -> None:
        if isinstance(action, Mapping) and "method" in action:
            line = f"> {action.get('method')} {action.get('url')}"
            if "json" in action:
                line += " " + json.dumps(action["json"], ensure_ascii=False)[:300]
        else:
            line = f"> {json.dumps(action, ensure_ascii=False, default=str)[:300]}"
        self._transcript.append(line)
        self._transcript.append(f"< {obs['status']} {obs['body'][:300]}")

    def render(self) -> str | None:
        """The transcript so far (``render_mode="ansi"``)."""
        if self.render_mode != "ansi":
            return None
        return "\n".join(self._transcript) + "\n"

    def state_hash(self) -> str:
        """The canonical hash of the current world (for determinism checks)."""
        return self._get_episode(self._seed).state_hash()

    def close(self) -> None:
        """End the remote episode and close the connections (``server=``); else nothing."""
        if isinstance(self._episode, RemoteEpisode):
            self._episode.end()
            self._episode = None
        if self._remote is not None:
            self._remote.close()
        super().close()

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        episode = state.pop("_episode")
        state["_remote"] = None  # connections do not travel: a copy opens its own
        state["_pickled_world"] = (
            (episode.seed, episode.world.snapshot(), episode.answer, episode.submitted)
            if isinstance(episode, Episode)
            else None
        )
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        pickled = state.pop("_pickled_world")
        self.__dict__.update(state)
        self._episode = None
        if self.server is not None:
            self._remote = EpisodeServer(self.server, self._server_token)
        if pickled is not None:
            seed, snapshot, answer, submitted = pickled
            self._seed = seed
            episode = self.episode
            episode.world.restore(snapshot)
            episode.answer, episode.submitted = answer, submitted
