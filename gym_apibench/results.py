"""The results file: one episode a line (``results.jsonl``), read, written and ordered."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from gym_apibench import ENV_VERSION

__all__ = [
    "NOT_APPLICABLE",
    "REPLACED_FILE",
    "RESULTS_FILE",
    "EpisodeResult",
    "Job",
    "applicable",
    "ends_with_newline",
    "is_agent_error",
    "load_results",
    "rewrite_in_job_order",
    "set_aside",
    "unmatched_rules",
]

RESULTS_FILE = "results.jsonl"
"""The results file's name in a run directory."""

REPLACED_FILE = "replaced.jsonl"
"""Where lines of the results file go when their episodes are run again (``--retry-failed``)."""

AGENT_ERROR = "agent_error"

NOT_APPLICABLE = "not_applicable"
"""The failure of an episode the agent does not apply to (``naive`` where a scenario has no
naive solution): run by no one, excluded from every rate (:func:`applicable`)."""


class Job(NamedTuple):
    """One episode of an evaluation, and its key in the results.

    ``dose`` is the fault probability of a sweep (:mod:`gym_apibench.sweep`); ``None`` in an
    eval. ``attempt`` numbers the repeats of one (scenario, seed) (``--attempts``), from 0.
    """

    agent: str
    scenario: str
    seed: int
    dose: float | None = None
    attempt: int = 0


@dataclass(frozen=True)
class EpisodeResult:
    """The outcome of one episode, as one line of ``results.jsonl``.

    ``failure`` is ``None`` on success, otherwise a short reason: ``step_limit`` (the step
    budget ran out), ``no_submit`` (an answer was due and none was submitted), ``no_answer``
    (``null`` was submitted where an answer was due), ``wrong_answer``,
    ``state_check_failed: <check names>`` (several joined by ``"; "``),
    or ``agent_error: <exception>`` (the agent raised; ``traceback`` then holds its
    formatted traceback, and is written to the line only when set).

    ``failure_category`` is the failure's class in the taxonomy of
    :mod:`gym_apibench.taxonomy` (``None`` on success), derived from the episode's trace when
    it ran, so that reports need no traces.

    ``faults`` lists every fault the episode met, in order: ``{"step", "rule", "kind",
    "recovered"}`` (see :func:`fault_outcomes` for ``recovered``). ``dose`` is set in a
    sweep only, and only then written to the line. ``attempt`` numbers the repeats of one
    (scenario, seed); a line without one (older runs) reads as attempt 0.

    ``agent_stats`` is what the agent's ``episode_stats()`` returned for the episode (the
    model agents: ``{"usage": {prompt_tokens, completion_tokens, total_tokens, calls,
    retries}, ...}``), ``None`` for agents without that method; written to the line only when
    set, so lines of agents without it (and older lines) read as ``None``.

    ``env_version`` is the env version (:data:`gym_apibench.ENV_VERSION`, the ``-vN`` of the
    ids) that ran the episode: results of different versions are not comparable. A line
    without one was written before versions were recorded, by v0, and reads as 0.
    """

    scenario: str
    seed: int
    agent: str
    reward: float
    success: bool
    steps: int
    checks: list[dict[str, Any]] = field(default_factory=list)
    failure: str | None = None
    elapsed_s: float = 0.0
    faults: list[dict[str, Any]] = field(default_factory=list)
    dose: float | None = None
    attempt: int = 0
    failure_category: str | None = None
    agent_stats: dict[str, Any] | None = None
    env_version: int = ENV_VERSION
    traceback: str | None = None
    applicable: bool = True
    """False: the agent does not apply to the scenario (see :data:`NOT_APPLICABLE`)."""
    agent_name: str | None = None
    """The agent's own ``name``, when it is not its spec (``mymod:make`` naming itself
    ``react-gpt``): leaderboards show it beside the spec."""
    rule_matches: dict[str, int] | None = None
    """The run's added fault rules (``--faults``, a sweep's profile) by name: how many
    requests of the episode each matched (None: no rules were added)."""

    @property
    def key(self) -> Job:
        """The :class:`Job` this result is for."""
        return Job(self.agent, self.scenario, self.seed, self.dose, self.attempt)

    def to_json(self) -> str:
        """One JSON line (no trailing newline); ``dose``, ``agent_stats``, ``traceback``,
        ``agent_name`` and ``rule_matches`` only when set, ``applicable`` only when false."""
        data = asdict(self)
        for optional in ("dose", "agent_stats", "traceback", "rule_matches", "agent_name"):
            if data[optional] is None:
                del data[optional]
        if self.applicable:
            del data["applicable"]
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EpisodeResult:
        """Parse one line's object (``ValueError`` if keys are missing or mistyped)."""
        try:
            return cls(
                scenario=str(data["scenario"]),
                seed=int(data["seed"]),
                agent=str(data["agent"]),
                reward=float(data["reward"]),
                success=bool(data["success"]),
                steps=int(data["steps"]),
                checks=list(data.get("checks") or []),
                failure=data.get("failure"),
                elapsed_s=float(data.get("elapsed_s", 0.0)),
                faults=list(data.get("faults") or []),
                dose=None if data.get("dose") is None else float(data["dose"]),
                attempt=int(data.get("attempt") or 0),
                failure_category=_optional_str(data.get("failure_category")),
                agent_stats=_optional_dict(data.get("agent_stats")),
                env_version=int(data.get("env_version") or 0),
                traceback=_optional_str(data.get("traceback")),
                applicable=bool(data.get("applicable", True)),
                rule_matches=_optional_counts(data.get("rule_matches")),
                agent_name=_optional_str(data.get("agent_name")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"not an episode result: {exc}") from None


def _optional_str(value: Any) -> str | None:
    return None if value is None else str(value)


def _optional_counts(value: Any) -> dict[str, int] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise TypeError(f"rule_matches is {type(value).__name__}, not an object")
    return {str(k): int(v) for k, v in value.items()}


def unmatched_rules(results: Iterable[EpisodeResult]) -> list[str]:
    """The added fault rules that no request of any of ``results`` matched: their ``where``
    never applied, so they could not fire (a dose that was never given)."""
    totals: dict[str, int] = {}
    for r in results:
        for name, count in (r.rule_matches or {}).items():
            totals[name] = totals.get(name, 0) + count
    return [name for name, total in totals.items() if total == 0]


def _optional_dict(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise TypeError(f"agent_stats is {type(value).__name__}, not an object")
    return value


def applicable(results: Iterable[EpisodeResult]) -> list[EpisodeResult]:
    """The results that count in rates: without the episodes their agent does not apply to."""
    return [r for r in results if r.applicable]


def is_agent_error(result: EpisodeResult) -> bool:
    """Whether the episode ended because the agent raised (``--retry-failed`` reruns these)."""
    return (result.failure or "").startswith(AGENT_ERROR)


def set_aside(path: Path, keys: Collection[Job]) -> list[EpisodeResult]:
    """Move the lines of ``path`` whose key is in ``keys`` to ``REPLACED_FILE`` beside it.

    The lines are appended there (and flushed to disk) before ``path`` is rewritten without
    them, atomically, so an interruption may leave a line in both files but never in
    neither. Other lines, unreadable ones included, stay as they were. Returns the results
    moved.
    """
    if not keys or not path.exists():
        return []
    kept: list[str] = []
    moved: list[tuple[str, EpisodeResult]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            result = EpisodeResult.from_dict(json.loads(line))
        except ValueError:
            result = None
        if result is not None and result.key in keys:
            moved.append((line, result))
        elif line.strip():
            kept.append(line)
    if not moved:
        return []
    with (path.parent / REPLACED_FILE).open("a", encoding="utf-8") as handle:
        handle.write("".join(line + "\n" for line, _ in moved))
        handle.flush()
        os.fsync(handle.fileno())
    temp = path.with_name(path.name + ".tmp")
    temp.write_text("".join(line + "\n" for line in kept), encoding="utf-8")
    os.replace(temp, path)
    return [result for _, result in moved]


def load_results(path: Path) -> list[EpisodeResult]:
    """The results in ``path`` (none if missing); unreadable lines are skipped with a warning."""
    if not path.exists():
        return []
    results: list[EpisodeResult] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                results.append(EpisodeResult.from_dict(json.loads(line)))
            except ValueError as exc:
                print(f"{path}:{number}: skipping unreadable line ({exc})", file=sys.stderr)
    return results


def rewrite_in_job_order(
    path: Path, jobs: Sequence[Job], done: Mapping[Job, EpisodeResult]
) -> None:
    """Rewrite ``path`` as ``done``: other runs' results as they were, then this run's in job order.

    Completion order depends on scheduling; the finished file does not. Unreadable lines
    (a partial line from an interrupted run) are dropped. The rewrite is atomic.
    """
    ours = set(jobs)
    lines = [r.to_json() for key, r in done.items() if key not in ours]
    lines += [done[job].to_json() for job in jobs]
    temp = path.with_name(path.name + ".tmp")
    temp.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    os.replace(temp, path)


def ends_with_newline(path: Path) -> bool:
    """Whether the (non-empty) file at ``path`` ends with a newline."""
    with path.open("rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) == b"\n"
