"""The evaluation harness: run agents on scenarios and seeds, in parallel, resumably."""

from __future__ import annotations

import dataclasses
import fnmatch
import json
import multiprocessing
import os
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import gymnasium as gym
from tqdm import tqdm

from gym_apibench import ENV_VERSION, gym_id
from gym_apibench.agents import make_agent
from gym_apibench.ceiling import reference_agent, reference_label, with_reference
from gym_apibench.checks import _dig, resolve
from gym_apibench.env import ApiBenchEnv
from gym_apibench.har import Trace, trace_path, write_har
from gym_apibench.llm.options import split_spec
from gym_apibench.manifest import FaultsFile, RunManifest, claim_run, grid_of
from gym_apibench.report import write_reports
from gym_apibench.results import (
    NOT_APPLICABLE,
    RESULTS_FILE,
    EpisodeResult,
    Job,
    ends_with_newline,
    is_agent_error,
    load_results,
    rewrite_in_job_order,
    set_aside,
)
from gym_apibench.scenarios import VARIANT_SEPARATOR, get_scenario, load_scenarios, split_variant
from gym_apibench.taxonomy import classify
from mockapis.faults import KINDS, FaultsArg, FaultSpecError, load_rules, with_dose
from mockapis.world import LogEntry, derive_seed

__all__ = [
    "BACKENDS",
    "EpisodeResult",
    "EvalError",
    "Job",
    "RunOutcome",
    "StoppedAtAgentError",
    "agent_seed",
    "evaluate",
    "load_results",
    "plan_jobs",
    "resolve_scenarios",
    "run_episode",
    "run_jobs",
]

BACKENDS = ("local", "ray")


class EvalError(ValueError):
    """A bad evaluation request (unknown scenario glob, unavailable backend, ...)."""


class StoppedAtAgentError(Exception):
    """``fail_fast``: the run stopped at an agent's error, recorded as ``result``."""

    def __init__(self, result: EpisodeResult) -> None:
        super().__init__(
            f"stopped at the first agent error (--fail-fast): {result.agent} on "
            f"{result.scenario}, seed {result.seed}, attempt {result.attempt}: {result.failure}"
        )
        self.result = result


MAX_TRACEBACK = 20_000
"""Characters of an agent's traceback kept in its result (the end, where it raised)."""


def _failure(
    scenario_id: str,
    checks: Sequence[Mapping[str, Any]],
    truncated: bool,
    submitted: bool,
    answer: Any = None,
) -> str | None:
    """The failure reason of an episode (see :class:`EpisodeResult`), ``None`` on success:
    a submitted ``null`` where an answer was due is ``no_answer``, as the taxonomy calls it."""
    failed = [c for c in checks if not c.get("passed")]
    if not failed and not truncated:
        return None
    if truncated:
        return "step_limit"
    kinds = {c.name: c.kind for c in get_scenario(scenario_id).checks}
    reasons: list[str] = []
    if any(kinds.get(c["name"]) == "answer" for c in failed):
        if not submitted:
            reasons.append("no_submit")
        else:
            reasons.append("wrong_answer" if answer is not None else "no_answer")
    state = [str(c["name"]) for c in failed if kinds.get(c["name"]) != "answer"]
    if state:
        reasons.append("state_check_failed: " + ", ".join(state))
    return "; ".join(reasons)


class _AgentCrashed(Exception):
    """The agent raised; carries the original exception."""


def _fault_outcomes(
    met: Sequence[Mapping[str, Any]], log: Sequence[LogEntry], entry_steps: Sequence[int]
) -> list[dict[str, Any]]:
    """``met`` (the steps' ``info["faults"]``), each with ``recovered`` added.

    ``entry_steps[i]`` is the step that made ``log[i]``. A fault is recovered when a later
    request with the same method to the same path of the same service got a 2xx; a fault of a
    kind that only delays a right response (latency) has nothing to recover: ``None``.
    """
    by_step: dict[int, list[int]] = {}
    for index, step in enumerate(entry_steps):
        by_step.setdefault(step, []).append(index)
    outcomes: list[dict[str, Any]] = []
    for fault in met:
        kind = KINDS.get(str(fault["kind"]))
        if kind is not None and kind.delays_only:
            outcomes.append({**fault, "recovered": None})
            continue
        hit = (fault["rule"], fault["kind"])
        at = next((i for i in by_step.get(fault["step"], ()) if hit in log[i].faults), None)
        recovered = at is not None and any(
            200 <= later.status < 300
            and (later.service, later.method, later.path)
            == (log[at].service, log[at].method, log[at].path)
            for later in log[at + 1 :]
        )
        outcomes.append({**fault, "recovered": recovered})
    return outcomes


def agent_seed(seed: int, attempt: int) -> int:
    """The seed an agent gets for ``attempt`` of ``seed``: ``seed`` itself for attempt 0, so
    that single-attempt runs are unchanged; a distinct derived seed for later attempts."""
    return seed if attempt == 0 else derive_seed("attempt", seed, attempt) % 2**63


def _answer_size(
    scenario_id: str, answer: Any, expected: Mapping[str, Any]
) -> dict[str, int] | None:
    """How a list answer compares with the first list-valued answer check's expected list:
    ``{"got", "want", "missing", "extra"}`` (sizes only, for the taxonomy); ``None`` if n/a."""
    for check in get_scenario(scenario_id).checks:
        if check.kind != "answer":
            continue
        try:
            got, want = (
                _dig(answer, check.spec.get("path")),
                resolve(check.spec["equals"], expected),
            )
        except LookupError:
            return None
        if not (isinstance(got, list) and isinstance(want, list)):
            return None
        try:
            pool = Counter(json.dumps(v, sort_keys=True, default=str) for v in want)
            seen = Counter(json.dumps(v, sort_keys=True, default=str) for v in got)
        except (TypeError, ValueError):
            return None
        return {
            "got": len(got),
            "want": len(want),
            "missing": sum((pool - seen).values()),
            "extra": sum((seen - pool).values()),
        }
    return None


def run_episode(
    agent_spec: str,
    scenario_id: str,
    seed: int,
    faults: FaultsArg = None,
    *,
    dose: float | None = None,
    attempt: int = 0,
    trace_dir: str | os.PathLike[str] | None = None,
) -> EpisodeResult:
    """Run one episode of ``agent_spec`` on ``scenario_id`` with ``seed`` and grade it.

    ``faults`` adds rules to the scenario's own; with ``dose``, each of those added rules
    fires with probability ``dose`` (see :func:`mockapis.faults.with_dose`). The agent acts
    until the episode terminates (a submit) or is truncated (the step limit; the env grades the
    world left for the checks, and the episode fails). An exception
    raised by the agent ends the episode with failure ``agent_error``; errors of the
    environment itself propagate.

    ``attempt`` numbers repeats of (scenario, seed): the world is the same, the agent's seed
    is :func:`agent_seed`. The failure is classified from the episode's trace
    (:mod:`gym_apibench.taxonomy`); with ``trace_dir``, the trace is also written there as a
    HAR file (:func:`gym_apibench.har.trace_path`).

    An agent with an ``episode_stats()`` method (the model agents: token usage and counters)
    has its return value recorded as the result's ``agent_stats`` (and in the HAR's
    ``_apibench``), also after the agent crashed; see :func:`_agent_stats`.
    """
    start = time.perf_counter()
    rules = load_rules(faults)
    env = gym.make(gym_id(scenario_id), faults=rules if dose is None else with_dose(rules, dose))
    unwrapped = env.unwrapped
    assert isinstance(unwrapped, ApiBenchEnv)
    steps = 0
    submitted = truncated = crashed = False
    answer: Any = None
    reward = 0.0
    failure: str | None = None
    met: list[dict[str, Any]] = []
    entry_steps: list[int] = []  # the step that made each entry of the world's request log
    agent: Any = None
    crash_trace: str | None = None
    try:
        observation, info = env.reset(seed=seed)
        episode = unwrapped.episode
        world = episode.world
        trace = Trace(
            hosts={host: s.name for s in episode.services for host in s.hosts},
            base_urls=episode.base_urls,
        )
        try:
            agent = _guarded(make_agent, agent_spec, seed=agent_seed(seed, attempt))
            if not _applies(agent, scenario_id):
                return EpisodeResult(
                    scenario=scenario_id,
                    seed=seed,
                    agent=agent_spec,
                    reward=0.0,
                    success=False,
                    steps=0,
                    failure=NOT_APPLICABLE,
                    dose=dose,
                    attempt=attempt,
                    failure_category=NOT_APPLICABLE,
                    applicable=False,
                )
            _guarded(agent.reset, info["task"], seed=agent_seed(seed, attempt))
            while True:
                action = _guarded(agent.act, observation)
                began = world.clock.now_ns
                observation, step_reward, terminated, truncated, info = env.step(action)
                steps += 1
                if terminated:  # only an accepted submit terminates
                    submitted, answer = True, episode.answer
                reward = float(step_reward)
                met.extend(info.get("faults", ()))
                entry_steps.extend([steps] * (len(world.log) - len(entry_steps)))
                trace.record(
                    steps, began, world.clock.now_ns, action, observation, info.get("faults", ())
                )
                if terminated or truncated:
                    break
        except _AgentCrashed as crash:
            exc = crash.__cause__
            assert exc is not None
            crashed = True
            failure = f"agent_error: {type(exc).__name__}: {exc}"[:300]
            crash_trace = "".join(traceback.format_exception(exc))[-MAX_TRACEBACK:]
            info = {}
        stats = _agent_stats(agent)
        faults_met = _fault_outcomes(met, world.log, entry_steps)
        matched = episode.gateway.faults.matched(world) if episode.gateway.faults else {}
        rule_matches = {rule.name: matched.get(rule.name, 0) for rule in rules} or None
        expected = episode.built.expected_in(world)
    finally:
        env.close()
    checks = list(info.get("checks", []))
    success = bool(info.get("success", False)) and not crashed
    if crashed:
        reward = 0.0
    elif not success:
        failure = _failure(scenario_id, checks, truncated, submitted, answer)
    meta = {
        "scenario": scenario_id,
        "seed": seed,
        "attempt": attempt,
        "agent": agent_spec,
        "success": success,
        "reward": reward,
        "failure": failure,
        "submitted": submitted,
        "answer": answer,
        "answer_size": _answer_size(scenario_id, answer, expected) if submitted else None,
        "checks": checks,
    }
    if stats is not None:
        meta["agent_stats"] = stats
    if crash_trace is not None:
        meta["traceback"] = crash_trace
    category = None
    if failure is not None or trace_dir is not None:  # a success needs no HAR unless saved
        har = trace.to_har(meta)
        category = classify(failure, checks, har)
        if trace_dir is not None:
            har["log"]["_apibench"]["failure_category"] = category
            write_har(trace_path(trace_dir, agent_spec, scenario_id, seed, attempt), har)
    return EpisodeResult(
        scenario=scenario_id,
        seed=seed,
        agent=agent_spec,
        reward=reward,
        success=success,
        steps=steps,
        checks=checks,
        failure=failure,
        elapsed_s=round(time.perf_counter() - start, 4),
        faults=faults_met,
        dose=dose,
        attempt=attempt,
        failure_category=category,
        agent_stats=stats,
        env_version=ENV_VERSION,
        traceback=crash_trace,
        rule_matches=rule_matches,
        agent_name=_own_name(agent, agent_spec),
    )


def _own_name(agent: Any, agent_spec: str) -> str | None:
    """The agent's ``name`` when it says more than its spec's (a ``module:factory`` agent's
    own name); ``None`` otherwise."""
    name = getattr(agent, "name", None)
    if not isinstance(name, str) or not name or name == split_spec(agent_spec)[0]:
        return None
    return name[:100]


def _applies(agent: Any, scenario_id: str) -> bool:
    """Whether ``agent`` plays ``scenario_id``: an agent with an ``applies_to(scenario_id)``
    method may decline (the ``naive`` baseline where a scenario has no naive solution); its
    episode is then recorded as not applicable, and no rate counts it."""
    applies = getattr(agent, "applies_to", None)
    return applies is None or bool(_guarded(applies, scenario_id))


def _agent_stats(agent: Any) -> dict[str, Any] | None:
    """``agent.episode_stats()`` made JSON-ready, ``None`` for an agent without the method.

    A method that raises or returns something other than a mapping gives ``{"error": ...}``:
    the stats are a report, so their failure does not fail the episode.
    """
    method = getattr(agent, "episode_stats", None)
    if agent is None or not callable(method):
        return None
    try:
        stats = method()
        if not isinstance(stats, Mapping):
            raise TypeError(f"episode_stats() returned {type(stats).__name__}, not a mapping")
        ready: dict[str, Any] = json.loads(json.dumps(dict(stats), default=str))
    except Exception as exc:  # user code: record the problem, keep the episode's outcome
        return {"error": f"{type(exc).__name__}: {exc}"[:300]}
    return ready


_T = TypeVar("_T")


def _guarded(call: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
    """``call(*args, **kwargs)``, with any exception re-raised as :class:`_AgentCrashed`."""
    try:
        return call(*args, **kwargs)
    except Exception as exc:  # an agent is user code: record its crash, keep evaluating
        raise _AgentCrashed() from exc


def resolve_scenarios(globs: Iterable[str]) -> list[str]:
    """The scenario ids matching any of ``globs`` (``all`` is every id), sorted. A glob
    ending with a variant (``attio.*.faulty``, ``all.faulty``) selects that variant of each
    scenario the rest matches.

    A glob that matches nothing is an :class:`EvalError` listing the known ids.
    """
    known = sorted(load_scenarios())
    chosen: set[str] = set()
    for pattern in globs:
        pattern, variant = split_variant(pattern.strip())
        suffix = f"{VARIANT_SEPARATOR}{variant}" if variant else ""
        if pattern == "all":
            chosen.update(sid + suffix for sid in known)
            continue
        matched = [sid + suffix for sid in known if fnmatch.fnmatchcase(sid, pattern)]
        if not matched:
            raise EvalError(
                f"no scenario matches {pattern!r}; known ids: {', '.join(known) or '(none)'}"
            )
        chosen.update(matched)
    if not chosen:
        raise EvalError("no scenarios selected")
    return sorted(chosen)


def _run_group(
    jobs: Sequence[tuple[int, Job]],
    faults: FaultsArg,
    trace_dir: Path | None = None,
    *,
    fail_fast: bool = False,
) -> list[tuple[int, EpisodeResult]]:
    """Run ``(index, job)`` pairs one after the other (in a worker process or Ray task);
    with ``fail_fast``, none after an agent error."""
    finished: list[tuple[int, EpisodeResult]] = []
    for index, job in jobs:
        result = run_episode(
            job.agent,
            job.scenario,
            job.seed,
            faults,
            dose=job.dose,
            attempt=job.attempt,
            trace_dir=trace_dir,
        )
        finished.append((index, result))
        if fail_fast and is_agent_error(result):
            break
    return finished


def _groups(jobs: Sequence[Job]) -> list[list[tuple[int, Job]]]:
    """Jobs grouped by (scenario, seed), each group in job order.

    A world is generated once per (scenario, seed) and process, then cached; running every
    agent of a (scenario, seed) in the same process generates it once instead of per agent.
    """
    grouped: dict[tuple[str, int], list[tuple[int, Job]]] = {}
    for index, job in enumerate(jobs):
        grouped.setdefault((job.scenario, job.seed), []).append((index, job))
    return list(grouped.values())


def _tasks(
    jobs: Sequence[Job], parallel: int, *, single: bool = False
) -> list[list[tuple[int, Job]]]:
    """The units of work of ``jobs`` for ``parallel`` workers: :func:`_groups`, or one job a
    unit when there are too few groups to keep every worker busy (or with ``single``)."""
    groups = _groups(jobs)
    if single or len(groups) < parallel:
        return [[(index, job)] for index, job in enumerate(jobs)]
    return groups


def _mp_context() -> BaseContext:
    """Worker processes forked from a clean server with the harness preloaded.

    Forking the main process itself is unsafe once it has threads (tqdm's monitor, the
    executor's manager); spawning re-imports everything in every worker.
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")


def _stream_jobs(
    jobs: Sequence[Job],
    workers: int,
    faults: Path | None,
    trace_dir: Path | None = None,
    *,
    fail_fast: bool = False,
) -> Iterator[list[tuple[int, EpisodeResult]]]:
    """``(index, result)`` for every job, a (scenario, seed) group at a time, as they finish.

    With ``fail_fast`` each job is its own unit, so that stopping at an agent error waits
    for at most one episode per worker.
    """
    groups = _tasks(jobs, workers, single=fail_fast)
    if workers == 1 or len(groups) <= 1:
        for group in groups:
            yield _run_group(group, faults, trace_dir, fail_fast=fail_fast)
        return
    with ProcessPoolExecutor(
        max_workers=min(workers, len(groups)), mp_context=_mp_context()
    ) as pool:
        futures = [
            pool.submit(_run_group, group, faults, trace_dir, fail_fast=fail_fast)
            for group in groups
        ]
        try:
            for future in as_completed(futures):
                yield future.result()
        finally:
            for future in futures:
                future.cancel()


def plan_jobs(
    agents: Sequence[str],
    scenario_globs: Sequence[str],
    seeds: Sequence[int],
    *,
    doses: Sequence[float | None] = (None,),
    faults: str | os.PathLike[str] | None = None,
    attempts: int = 1,
) -> tuple[list[Job], list[str]]:
    """Validate a grid and list its jobs, ordered agent, dose, scenario, seed, attempt.

    Fails fast (:class:`EvalError`, or the agent's own error) on a bad agent, glob or fault
    file, before any episode runs. Returns the jobs and the scenario ids.
    """
    if not agents:
        raise EvalError("no agents given")
    if not seeds:
        raise EvalError("no seeds given")
    if not doses:
        raise EvalError("no doses given")
    if attempts < 1:
        raise EvalError(f"attempts must be at least 1, got {attempts}")
    for agent in dict.fromkeys(agents):
        make_agent(agent)
    scenario_ids = resolve_scenarios(scenario_globs)
    try:
        load_rules(None if faults is None else Path(faults))
    except FaultSpecError as exc:
        raise EvalError(str(exc)) from None
    jobs: list[Job] = [
        Job(agent, scenario, seed, dose, attempt)
        for agent in dict.fromkeys(agents)
        for dose in dict.fromkeys(doses)
        for scenario in scenario_ids
        for seed in dict.fromkeys(seeds)
        for attempt in range(attempts)
    ]
    return jobs, scenario_ids


class RunOutcome(NamedTuple):
    """What :func:`run_jobs` did: every job's result in job order, how many were resumed
    from the results file, and how many were run again (``retry_failed``)."""

    results: list[EpisodeResult]
    resumed: int
    retried: int


def run_jobs(
    jobs: Sequence[Job],
    out_dir: str | os.PathLike[str],
    workers: int | None = None,
    faults: str | os.PathLike[str] | None = None,
    *,
    progress: bool = True,
    trace: bool = False,
    backend: str = "local",
    ray_address: str | None = None,
    retry_failed: bool = False,
    fail_fast: bool = False,
) -> RunOutcome:
    """Run the ``jobs`` not yet in ``out_dir/results.jsonl``.

    The directory's manifest (:mod:`gym_apibench.manifest`) is checked first: a run whose
    settings differ from the ones its results were run with is a
    :class:`~gym_apibench.manifest.ManifestError`, before anything is written. Jobs with a
    ``dose`` are a sweep's, and ``faults`` is then its profile.

    With ``retry_failed``, the jobs whose result is an agent error run again: their lines
    move to ``replaced.jsonl`` (:func:`~gym_apibench.results.set_aside`) and their HAR files
    under ``replaced/``, so nothing is lost. Each agent whose spec makes an object with a
    ``preflight()`` method (the model agents: their endpoint is checked) has it called once
    before any episode runs; an exception there is an :class:`EvalError`. Each distinct
    agent traceback is printed once on stderr; with ``fail_fast``, the first agent error
    stops the run (:class:`StoppedAtAgentError`, after its result is written).

    With ``trace``, each episode's HAR trace goes under ``out_dir/traces`` (see
    :func:`gym_apibench.har.trace_path`). Each new result is appended as soon as it is known,
    so an interrupted run loses nothing; a completed run leaves the file in job order, so its
    content does not depend on ``workers`` (except ``elapsed_s``).

    ``backend`` ``"ray"`` runs the episodes as Ray tasks (:mod:`gym_apibench.ray_backend`,
    on the cluster at ``ray_address``, else ``$RAY_ADDRESS``, else a local instance), with
    ``workers`` the most tasks in flight (default: the cluster's CPUs); the results file is
    the same as the local backend's.
    """
    if backend not in BACKENDS:
        raise EvalError(f"unknown backend {backend!r}; valid: {', '.join(BACKENDS)}")
    if workers is not None and workers < 1:
        raise EvalError(f"workers must be at least 1, got {workers}")
    if backend == "ray":
        from gym_apibench import ray_backend

        ray_backend.require_ray()
    out = Path(out_dir)
    results_path = out / RESULTS_FILE
    done = {r.key: r for r in load_results(results_path)}
    agents = {spec: make_agent(spec) for spec in dict.fromkeys(job.agent for job in jobs)}
    out.mkdir(parents=True, exist_ok=True)
    claim_run(out, _manifest(jobs, faults, agents), has_results=bool(done))
    retry = [job for job in jobs if retry_failed and job in done and is_agent_error(done[job])]
    if retry:
        _set_aside_traces(out, retry)
        for result in set_aside(results_path, set(retry)):
            del done[result.key]
    pending = [job for job in jobs if job not in done]
    if pending:
        _preflight({job.agent: agents[job.agent] for job in pending})
        fault_file = None if faults is None else Path(faults)
        trace_dir = out if trace else None
        if backend == "ray":
            stream = ray_backend.stream_jobs(
                pending, workers, load_rules(fault_file), trace_dir, address=ray_address
            )
        else:
            local = workers if workers is not None else (os.cpu_count() or 1)
            stream = _stream_jobs(pending, local, fault_file, trace_dir, fail_fast=fail_fast)
        _append_results(results_path, stream, len(pending), done, progress, fail_fast)
        rewrite_in_job_order(results_path, jobs, done)
    return RunOutcome([done[job] for job in jobs], len(jobs) - len(pending), len(retry))


def _manifest(
    jobs: Sequence[Job], faults: str | os.PathLike[str] | None, agents: Mapping[str, Any]
) -> RunManifest:
    """This run's definition: its grid, agents' settings and faults (a sweep's profile)."""
    sweeping = any(job.dose is not None for job in jobs)
    faults_file = None if faults is None else FaultsFile.of(faults)
    return RunManifest(
        command="sweep" if sweeping else "eval",
        agents={spec: _agent_settings(agent) for spec, agent in agents.items()},
        faults=None if sweeping else faults_file,
        fault_profile=faults_file if sweeping else None,
        **grid_of(jobs),
    )


def _agent_settings(agent: Any) -> dict[str, Any]:
    """An agent's resolved ``options`` (a dataclass: the model agents'), JSON-ready; ``{}``
    for others. They can come from the environment ($APIBENCH_MODEL) rather than the spec."""
    options = getattr(agent, "options", None)
    if options is None or not dataclasses.is_dataclass(options) or isinstance(options, type):
        return {}
    settings: dict[str, Any] = json.loads(json.dumps(dataclasses.asdict(options), default=str))
    return settings


def _preflight(agents: Mapping[str, Any]) -> None:
    """Call each agent's optional ``preflight()`` once; its exception stops the run."""
    for spec, agent in agents.items():
        method = getattr(agent, "preflight", None)
        if not callable(method):
            continue
        try:
            method()
        except Exception as exc:  # user code too: one line, before any episode
            raise EvalError(f"agent {spec!r} is not ready: {exc}") from None


def _set_aside_traces(out: Path, jobs: Sequence[Job]) -> None:
    """Move the HAR files of ``jobs`` from ``out/traces`` to ``out/replaced/traces``
    (numbered ``.1``, ``.2``, ... when an episode is retried more than once)."""
    for job in jobs:
        har = trace_path(out, job.agent, job.scenario, job.seed, job.attempt)
        if not har.exists():
            continue
        target = out / "replaced" / har.relative_to(out)
        target.parent.mkdir(parents=True, exist_ok=True)
        number = 1
        while (numbered := target.with_suffix(f".{number}.har")).exists():
            number += 1
        os.replace(har, numbered)


def evaluate(
    agents: Sequence[str],
    scenario_globs: Sequence[str],
    seeds: Sequence[int],
    workers: int | None = None,
    out_dir: str | os.PathLike[str] = "runs/eval",
    faults: str | os.PathLike[str] | None = None,
    backend: str = "local",
    *,
    progress: bool = True,
    attempts: int = 1,
    trace: bool = True,
    ray_address: str | None = None,
    retry_failed: bool = False,
    fail_fast: bool = False,
    reference: bool | None = None,
) -> list[EpisodeResult]:
    """Run every (agent, scenario, seed, attempt); write ``results.jsonl``, ``report.md`` and
    ``report.html``, and with ``trace`` each episode's HAR under ``out_dir/traces``.

    With ``reference``, the fault-robust reference (:func:`~gym_apibench.ceiling.reference_agent`)
    plays the same episodes beside ``agents`` unless it is one of them, so that the reports
    can tell the episodes no agent could succeed in under their faults from the ones an agent
    failed (the "Achievable episodes" section). ``None`` (the default) runs it when faults are
    on: a ``faults`` file, or a scenario with faults of its own (a ``.faulty`` variant, a
    fault scenario). It makes no model calls.

    Jobs are ordered agent, then scenario, then seed, then attempt. Episodes already in
    ``out_dir/results.jsonl`` are skipped (the run resumes, if its settings are the ones
    recorded in ``out_dir/run.json``); ``retry_failed`` reruns agent errors, ``fail_fast``
    stops at the first: see :func:`run_jobs`. Returns this run's results in job order,
    resumed ones included.

    ``backend`` is ``"local"`` (worker processes) or ``"ray"`` (Ray tasks on the cluster at
    ``ray_address``, else ``$RAY_ADDRESS``, else a local Ray instance); both give the same
    results (see :func:`run_jobs`).
    """
    if backend not in BACKENDS:
        raise EvalError(f"unknown backend {backend!r}; valid: {', '.join(BACKENDS)}")
    if backend == "ray":
        from gym_apibench.ray_backend import require_ray

        require_ray()  # before planning: a missing Ray fails fast
    scenario_ids = resolve_scenarios(scenario_globs)
    if reference is None:
        reference = faults is not None or any(get_scenario(s).faults for s in scenario_ids)
    ref = reference_agent() if reference else None
    everyone = with_reference(agents, ref) if ref is not None else list(agents)
    jobs, scenario_ids = plan_jobs(
        everyone, scenario_globs, seeds, faults=faults, attempts=attempts
    )
    results, resumed, retried = run_jobs(
        jobs,
        out_dir,
        workers,
        faults,
        progress=progress,
        trace=trace,
        backend=backend,
        ray_address=ray_address,
        retry_failed=retry_failed,
        fail_fast=fail_fast,
    )
    params = {
        "agents": list(dict.fromkeys(agents)),
        "reference": reference_label(ref, agents, "eval") if ref is not None else None,
        "scenarios": ", ".join(scenario_globs),
        "scenario count": len(scenario_ids),
        "seeds": list(dict.fromkeys(seeds)),
        "attempts": attempts,
        "episodes": len(jobs),
        "resumed": resumed,
        **({"retried": retried} if retry_failed else {}),
        "faults": FaultsFile.of(faults).describe() if faults is not None else None,
        "backend": backend,
    }
    write_reports(results, out_dir, params)
    return results


def _append_results(
    path: Path,
    stream: Iterator[list[tuple[int, EpisodeResult]]],
    total: int,
    done: dict[Job, EpisodeResult],
    progress: bool,
    fail_fast: bool = False,
) -> None:
    """Append each result of ``stream`` (``total`` of them) to ``path`` as soon as it comes.

    Each distinct agent traceback is printed once; with ``fail_fast``, the first agent error
    stops the stream (:class:`StoppedAtAgentError`) once its result is written.
    """
    # A run killed mid-write leaves a partial last line; start ours on a fresh one.
    needs_newline = path.exists() and path.stat().st_size > 0 and not ends_with_newline(path)
    printed: set[str] = set()
    errors = 0
    with (
        path.open("a", encoding="utf-8") as handle,
        tqdm(total=total, desc="episodes", unit="ep", file=sys.stderr, disable=not progress) as bar,
    ):
        if needs_newline:
            handle.write("\n")
        for finished in stream:
            crashed: EpisodeResult | None = None
            for _, result in finished:
                handle.write(result.to_json() + "\n")
                done[result.key] = result
                if is_agent_error(result):
                    errors += 1
                    crashed = crashed or result
                    _print_traceback(result, printed, bar)
            handle.flush()
            bar.update(len(finished))
            if fail_fast and crashed is not None:
                raise StoppedAtAgentError(crashed)
    if errors:
        print(
            f"{errors} agent error(s), {len(printed)} distinct traceback(s) above; each is in "
            f"its results line ('traceback'); rerun them with --retry-failed",
            file=sys.stderr,
        )


def _print_traceback(result: EpisodeResult, printed: set[str], bar: tqdm[Any]) -> None:
    """Print ``result``'s traceback unless one from the same place was printed already."""
    text = result.traceback or result.failure or ""
    # The frames identify the bug; the message's last line often varies per episode.
    where = text.rstrip().rpartition("\n")[0] or text
    if where in printed:
        return
    printed.add(where)
    bar.write(
        f"agent error: {result.agent} on {result.scenario}, seed {result.seed}, attempt "
        f"{result.attempt}:\n{text.rstrip()}",
        file=sys.stderr,
    )
