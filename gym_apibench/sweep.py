"""Fault-injection experiments: success against fault dose, per agent (``apibench sweep``).

A sweep runs a grid of (agent, dose, scenario, seed) through the harness. At each dose, every
rule of a fault profile fires with that probability (:func:`mockapis.faults.with_dose`), on
top of each scenario's own faults. It writes ``results.jsonl`` (each line with its ``dose``),
``sweep.md`` (success and mean reward per agent and dose) and a plot of success against dose
per agent (``sweep.png`` and ``sweep.svg``).
"""

from __future__ import annotations

import difflib
import math
import os
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from gym_apibench.harness import EpisodeResult, EvalError, plan_jobs, run_jobs
from gym_apibench.manifest import FaultsFile
from gym_apibench.report import (
    _format_param,
    _markdown_table,
    _percent,
    faults_markdown,
    unisolated_note,
    unmatched_note,
)
from gym_apibench.results import applicable
from gym_apibench.scenarios import scenarios_dir
from mockapis.faults import FaultSpecError, load_rules

__all__ = [
    "DEFAULT_DOSES",
    "SweepPoint",
    "builtin_profiles",
    "dose_table",
    "parse_doses",
    "plot_sweep",
    "render_sweep",
    "resolve_profile",
    "success_cell",
    "sweep",
    "sweep_points",
]

DEFAULT_DOSES = (0.0, 0.05, 0.1, 0.2, 0.4)
TABLE_FILE = "sweep.md"
PLOT_FILES = ("sweep.png", "sweep.svg")
MAX_DOSES = 100


def parse_doses(text: str) -> list[float]:
    """``"0,0.05,0.1"`` -> ``[0.0, 0.05, 0.1]``: probabilities in [0, 1], comma-separated.

    Duplicates are dropped and the order is kept; anything else is a ``ValueError``.
    """
    doses: list[float] = []
    for raw in text.split(","):
        item = raw.strip()
        if not item:
            raise ValueError(f"empty item in doses {text!r}; write e.g. 0,0.05,0.1,0.2,0.4")
        try:
            dose = float(item)
        except ValueError:
            raise ValueError(
                f"bad dose {item!r} in {text!r}: a dose is a probability from 0 to 1"
            ) from None
        if not (math.isfinite(dose) and 0 <= dose <= 1):
            raise ValueError(f"bad dose {item!r}: a dose is a probability from 0 to 1")
        doses.append(dose)
    doses = list(dict.fromkeys(doses))
    if len(doses) > MAX_DOSES:
        raise ValueError(f"at most {MAX_DOSES} doses, got {len(doses)}")
    return doses


def _profiles_dir() -> Path:
    return scenarios_dir() / "_profiles"


def builtin_profiles() -> list[str]:
    """The names of the shipped profiles (``scenarios/_profiles/<name>.yaml``)."""
    return sorted(p.stem for p in _profiles_dir().glob("*.yaml"))


def resolve_profile(profile: str | os.PathLike[str]) -> Path:
    """The profile file: ``profile`` itself if it is a file, else the built-in of that name.

    Anything else is an :class:`~gym_apibench.harness.EvalError` listing the built-ins.
    """
    path = Path(profile)
    if path.is_file():
        return path
    names = builtin_profiles()
    if str(profile) in names:
        return _profiles_dir() / f"{profile}.yaml"
    close = difflib.get_close_matches(str(profile), names, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise EvalError(
        f"no fault profile {str(profile)!r}{hint}: not a file, nor a built-in profile "
        f"({', '.join(names) or 'none'})"
    )


@dataclass(frozen=True)
class SweepPoint:
    """One agent at one dose: its successes, episodes and summed reward."""

    agent: str
    dose: float
    successes: int
    episodes: int
    reward: float

    @property
    def rate(self) -> float:
        """Successful episodes over all episodes (0 for none)."""
        return self.successes / self.episodes if self.episodes else 0.0

    @property
    def mean_reward(self) -> float:
        """The mean reward (0 for no episodes)."""
        return self.reward / self.episodes if self.episodes else 0.0


def sweep_points(
    results: Iterable[EpisodeResult], agents: Sequence[str], doses: Sequence[float]
) -> list[SweepPoint]:
    """Every (agent, dose) of the grid, in order: agent, then dose ascending (episodes an agent
    does not apply to left out)."""
    tally: dict[tuple[str, float], list[float]] = {}
    for r in applicable(results):
        if r.dose is not None:
            counts = tally.setdefault((r.agent, r.dose), [0, 0, 0.0])
            counts[0] += int(r.success)
            counts[1] += 1
            counts[2] += r.reward
    return [
        SweepPoint(agent, dose, int(k), int(n), reward)
        for agent in dict.fromkeys(agents)
        for dose in sorted(set(doses))
        for k, n, reward in [tally.get((agent, dose), [0, 0, 0.0])]
    ]


def _dose_label(dose: float) -> str:
    return f"{dose:g}"


def dose_table(points: Sequence[SweepPoint], cell: Callable[[SweepPoint], str]) -> str:
    """A Markdown table of ``points``: a row per agent, a column per dose, ``cell`` in each."""
    agents = list(dict.fromkeys(p.agent for p in points))
    doses = sorted({p.dose for p in points})
    at = {(p.agent, p.dose): p for p in points}
    header = ["Agent", *(f"dose {_dose_label(d)}" for d in doses)]
    return _markdown_table(header, ([a, *(cell(at[(a, d)]) for d in doses)] for a in agents))


def success_cell(point: SweepPoint) -> str:
    """``"40.0% (2/5)"``: the success rate, then successful over episodes."""
    return f"{_percent(point.successes, point.episodes)} ({point.successes}/{point.episodes})"


def render_sweep(
    points: Sequence[SweepPoint],
    results: Sequence[EpisodeResult],
    params: Mapping[str, Any],
) -> str:
    """``sweep.md``: parameters, success and mean reward per agent and dose, faults met."""
    parts = ["# apibench fault-injection sweep", "", "## Parameters", ""]
    parts += [f"- **{key}**: {_format_param(value)}" for key, value in params.items()]
    unmatched = unmatched_note(results)
    if unmatched is not None:
        parts += ["", "## Fault rules that never fired", "", unmatched]
    unisolated = unisolated_note(results)
    if unisolated is not None:
        parts += ["", "## Programs run without the sandbox", "", unisolated]
    parts += ["", "## Success by dose", "", "Cells: success rate (successful/episodes).", ""]
    parts += [dose_table(points, success_cell), "", "## Mean reward by dose", ""]
    parts += [dose_table(points, lambda p: f"{p.mean_reward:.2f}"), ""]
    parts += [f"![Success against dose]({PLOT_FILES[0]})", ""]
    faults = faults_markdown(results)
    if faults is not None:
        parts += ["## Faults", "", faults, ""]
    return "\n".join(parts)


def plot_sweep(points: Sequence[SweepPoint], title: str, paths: Iterable[Path]) -> None:
    """Plot success rate against dose, one line with markers per agent, to each of ``paths``.

    The format follows each path's suffix (``.png``, ``.svg``). Rendering uses the Agg
    canvas directly (no pyplot, no global figure state); the SVG is byte-stable across runs.
    """
    figure = Figure(figsize=(7.0, 4.5), layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    agents = list(dict.fromkeys(p.agent for p in points))
    for agent in agents:
        mine = sorted((p for p in points if p.agent == agent), key=lambda p: p.dose)
        axes.plot(
            [p.dose for p in mine],
            [p.rate for p in mine],
            marker="o",
            label=agent,
            clip_on=False,  # markers at 0% and 100% sit on the frame, whole
        )
    doses = sorted({p.dose for p in points})
    axes.set_xticks(doses, [_dose_label(d) for d in doses])
    axes.set_ylim(0, 1)
    axes.yaxis.set_major_formatter(PercentFormatter(xmax=1))
    axes.set_xlabel("Fault dose (probability that each profile rule fires on a request)")
    axes.set_ylabel("Success rate")
    axes.set_title("\n".join(textwrap.wrap(title, 70)))
    axes.grid(True, alpha=0.3)
    # Outside the axes: the lines run along 0% and 100%, where a legend inside would sit.
    axes.legend(title="Agent", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    with matplotlib.rc_context({"svg.hashsalt": "apibench"}):
        for path in paths:
            metadata = {"Date": None} if path.suffix == ".svg" else {"Software": None}
            figure.savefig(path, metadata=metadata)


def sweep(
    agents: Sequence[str],
    scenario_globs: Sequence[str],
    profile: str | os.PathLike[str],
    doses: Sequence[float] = DEFAULT_DOSES,
    seeds: Sequence[int] = (0, 1, 2, 3, 4),
    workers: int | None = None,
    out_dir: str | os.PathLike[str] = "runs/sweep",
    *,
    progress: bool = True,
    retry_failed: bool = False,
    fail_fast: bool = False,
) -> list[EpisodeResult]:
    """Run the grid and write ``results.jsonl``, ``sweep.md``, ``sweep.png`` and ``sweep.svg``.

    ``profile`` is a fault-rules file or a built-in profile's name. Jobs are ordered agent,
    dose, scenario, seed; the run resumes like ``evaluate`` (episodes already in
    ``results.jsonl`` for the same agent, scenario, seed and dose are skipped). The profile's
    content is recorded in ``out_dir/run.json``: a sweep into the same ``out_dir`` with
    another profile (or a changed one) is refused (:mod:`gym_apibench.manifest`); more
    doses, seeds or agents only add episodes. ``retry_failed`` and ``fail_fast`` are
    :func:`~gym_apibench.harness.run_jobs`'s. Returns the grid's results in job order.
    """
    path = resolve_profile(profile)
    bad = [d for d in doses if not (math.isfinite(d) and 0 <= d <= 1)]
    if bad:
        raise EvalError(f"doses are probabilities from 0 to 1; got {bad}")
    try:
        rules = load_rules(path)
    except FaultSpecError as exc:
        raise EvalError(str(exc)) from None
    if not rules:
        raise EvalError(f"the fault profile {path} has no rules: every dose would be the same")
    doses = [float(d) for d in dict.fromkeys(doses)]
    jobs, scenario_ids = plan_jobs(agents, scenario_globs, seeds, doses=doses, faults=path)
    results, resumed, retried = run_jobs(
        jobs,
        out_dir,
        workers,
        path,
        progress=progress,
        retry_failed=retry_failed,
        fail_fast=fail_fast,
    )

    points = sweep_points(results, agents, doses)
    scenarios = ", ".join(scenario_globs)
    params = {
        "agents": list(dict.fromkeys(agents)),
        "scenarios": scenarios,
        "scenario count": len(scenario_ids),
        "fault profile": FaultsFile.of(path).describe(),
        "profile rules": [f"{r.name} ({r.kind.name})" for r in rules],
        "doses": [_dose_label(d) for d in sorted(doses)],
        "seeds": list(dict.fromkeys(seeds)),
        "episodes": len(jobs),
        "resumed": resumed,
        **({"retried": retried} if retry_failed else {}),
        # Results of different env versions are not comparable: a resumed sweep may mix them.
        "env version": [f"v{v}" for v in sorted({r.env_version for r in results})],
    }
    out = Path(out_dir)
    (out / TABLE_FILE).write_text(render_sweep(points, results, params), encoding="utf-8")
    title = (
        f"Success against fault dose: profile {path.stem}; scenarios {scenarios} "
        f"({len(scenario_ids)})"
    )
    plot_sweep(points, title, [out / name for name in PLOT_FILES])
    return results
