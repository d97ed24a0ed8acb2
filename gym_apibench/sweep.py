"""Fault-injection experiments: success against fault dose, per agent (``apibench sweep``).

A sweep runs a grid of (agent, dose, scenario, seed) through the harness. At each dose, every
rule of a fault profile fires with that probability (:func:`mockapis.faults.with_dose`), on
top of each scenario's own faults. It writes ``results.jsonl`` (each line with its ``dose``),
``sweep.md`` (success with its 95% Wilson interval and mean reward per agent and dose, the
ceiling: the reference's achievable episodes and each agent's success on them, recovery per
fault kind) and a plot of success against dose per agent with its intervals (``sweep.png`` and
``sweep.svg``). The reference (:mod:`gym_apibench.ceiling`) is run beside the agents when it
is not one of them.
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

from gym_apibench.ceiling import (
    Ceiling,
    DoseCeiling,
    RelativePoint,
    kind_recovery,
    reference_agent,
    reference_label,
    with_reference,
)
from gym_apibench.harness import EpisodeResult, EvalError, plan_jobs, run_jobs
from gym_apibench.manifest import FaultsFile
from gym_apibench.report import faults_markdown, unisolated_note, unmatched_note
from gym_apibench.results import applicable
from gym_apibench.scenarios import scenarios_dir
from gym_apibench.stats import rate_with_interval, wilson_interval
from gym_apibench.tables import format_param, markdown_table, percent
from mockapis.faults import FaultSpecError, Rule, load_rules

__all__ = [
    "DEFAULT_DOSES",
    "SweepPoint",
    "builtin_profiles",
    "ceiling_note",
    "ceiling_table",
    "dose_table",
    "kind_table",
    "parse_doses",
    "plot_sweep",
    "render_sweep",
    "resolve_profile",
    "rule_statuses",
    "success_cell",
    "summary",
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
    return markdown_table(header, ([a, *(cell(at[(a, d)]) for d in doses)] for a in agents))


def _rate_cell(k: int, n: int) -> str:
    """``"40.0% [11.8, 76.9] (2/5)"``, or ``"n/a (0/0)"``."""
    return f"{rate_with_interval(k, n)} ({k}/{n})"


def success_cell(point: SweepPoint) -> str:
    """``"40.0% [11.8, 76.9] (2/5)"``: the success rate and its 95% Wilson interval, then
    successful over episodes (``"n/a (0/0)"`` without episodes)."""
    return _rate_cell(point.successes, point.episodes)


def _reference_label(ceiling: Ceiling, agents: Sequence[str]) -> str:
    return reference_label(ceiling.reference, agents, "the sweep")


def ceiling_table(
    ceilings: Sequence[DoseCeiling], relative: Sequence[RelativePoint], reference: str
) -> str:
    """The achievable episodes per dose (row one), then each agent's success on them."""
    doses = [c.dose for c in ceilings]
    first = [
        f"{percent(c.achievable, c.episodes)} ({c.achievable}/{c.episodes}; {c.excluded} left out)"
        for c in ceilings
    ]
    at = {(p.agent, p.dose): p for p in relative}
    agents = list(dict.fromkeys(p.agent for p in relative))

    def cell(p: RelativePoint) -> str:
        text = _rate_cell(p.successes, p.achievable)
        return text + (f", +{p.beyond} not achievable" if p.beyond else "")

    header = ["Agent", *(f"dose {_dose_label(d)}" for d in doses)]
    rows = [[f"achievable ({reference})", *first]]
    rows += [[a, *(cell(at[(a, d)]) for d in doses)] for a in agents]
    return markdown_table(header, rows)


def ceiling_note(ceiling: Ceiling, label: str) -> str:
    """How the achievable episodes were told apart, and what the cells mean."""
    rule = (
        f"episodes {ceiling.reference} marked impossible under their faults (a budget no "
        "retry fits, an outage that never cleared, a lost write with no way to check it)"
        if ceiling.marked
        else f"episodes the reference failed (not achievable: {ceiling.reference} does not "
        "mark impossible episodes, so its failures are taken for them)"
    )
    return (
        f"The reference is {label}, at the same doses, scenarios, seeds and fault profile as "
        f"the agents. Left out of the achievable episodes: {rule}. The first row is the share "
        "of episodes achievable; the others are each agent's success on the achievable "
        "episodes [95% Wilson interval], then its successes on episodes left out, if any."
    )


def kind_table(
    results: Sequence[EpisodeResult],
    agents: Sequence[str],
    statuses: Mapping[str, int | None],
    ceiling: Ceiling,
) -> str | None:
    """Per fault kind, the share of the episodes that met it which each agent still won."""
    # Only marked impossibilities are left out: a reference's failure is its own to show here.
    leave_out = ceiling.excluded if ceiling.marked else frozenset()
    rows = kind_recovery(results, agents, statuses, leave_out)
    if not rows:
        return None
    at = {(r.agent, r.kind): r for r in rows}
    kinds = list(dict.fromkeys(r.kind for r in rows))
    body = [
        [kind, *(_rate_cell(at[(a, kind)].succeeded, at[(a, kind)].hit) for a in agents)]
        for kind in kinds
    ]
    note = (
        "Cells: the share of the episodes that met the kind that still succeeded [95% Wilson "
        "interval] (successful/episodes that met it), at "
        "any dose (an episode counts once per kind it met)"
        + (", episodes marked impossible left out." if ceiling.marked else ".")
    )
    return markdown_table(["Fault kind", *agents], body) + "\n\n" + note


def rule_statuses(rules: Iterable[Rule]) -> dict[str, int | None]:
    """Each rule's HTTP status (``None`` for rules without one), by rule name."""
    return {r.name: int(r.params["status"]) if "status" in r.params else None for r in rules}


def summary(results: Sequence[EpisodeResult], agents: Sequence[str], doses: Sequence[float]) -> str:
    """The success table and the ceiling table, as the terminal shows them after a sweep."""
    reference = reference_agent()
    everyone = with_reference(agents, reference)
    ceiling = Ceiling.of(results, reference)
    return "\n\n".join(
        [
            dose_table(sweep_points(results, everyone, doses), success_cell),
            f"Against the reference, {_reference_label(ceiling, agents)}: the share of "
            "episodes achievable, then each agent's success on them (see sweep.md).",
            ceiling_table(
                ceiling.per_dose(results, doses),
                ceiling.relative(results, everyone, doses),
                ceiling.reference,
            ),
        ]
    )


def render_sweep(
    points: Sequence[SweepPoint],
    results: Sequence[EpisodeResult],
    params: Mapping[str, Any],
    *,
    agents: Sequence[str] | None = None,
    reference: str | None = None,
    statuses: Mapping[str, int | None] | None = None,
) -> str:
    """``sweep.md``: parameters, success and mean reward per agent and dose, the ceiling
    against ``reference`` (:func:`~gym_apibench.ceiling.reference_agent` by default),
    recovery per fault kind, faults met. ``agents`` are the ones asked for (all of the
    points' by default); ``statuses`` the profile's rules (:func:`rule_statuses`)."""
    everyone = list(dict.fromkeys(p.agent for p in points))
    asked = everyone if agents is None else list(agents)
    ceiling = Ceiling.of(results, reference or reference_agent())
    label = _reference_label(ceiling, asked)
    doses = sorted({p.dose for p in points})
    parts = ["# apibench fault-injection sweep", "", "## Parameters", ""]
    parts += [f"- **{key}**: {format_param(value)}" for key, value in params.items()]
    unmatched = unmatched_note(results)
    if unmatched is not None:
        parts += ["", "## Fault rules that never fired", "", unmatched]
    unisolated = unisolated_note(results)
    if unisolated is not None:
        parts += ["", "## Programs run without the sandbox", "", unisolated]
    parts += ["", "## Success by dose", ""]
    parts += ["Cells: success rate [95% Wilson score interval] (successful/episodes).", ""]
    parts += [dose_table(points, success_cell), "", "## Mean reward by dose", ""]
    parts += [dose_table(points, lambda p: f"{p.mean_reward:.2f}"), ""]
    parts += [f"![Success against dose, with 95% intervals]({PLOT_FILES[0]})", ""]
    parts += ["## Against the reference (the ceiling)", "", ceiling_note(ceiling, label), ""]
    per_dose = ceiling.per_dose(results, doses)
    parts += [
        ceiling_table(per_dose, ceiling.relative(results, everyone, doses), ceiling.reference),
        "",
    ]
    kinds = kind_table(results, everyone, statuses or {}, ceiling)
    if kinds is not None:
        parts += ["## Recovery by fault kind", "", kinds, ""]
    faults = faults_markdown(results)
    if faults is not None:
        parts += ["## Faults", "", faults, ""]
    return "\n".join(parts)


def plot_sweep(
    points: Sequence[SweepPoint],
    title: str,
    paths: Iterable[Path],
    ceiling: Sequence[DoseCeiling] = (),
    ceiling_label: str = "reference",
) -> None:
    """Plot success rate against dose, one line with markers and 95% Wilson error bars per
    agent, and the achievable share (``ceiling``) dashed, to each of ``paths``.

    The format follows each path's suffix (``.png``, ``.svg``). Rendering uses the Agg
    canvas directly (no pyplot, no global figure state); the SVG is byte-stable across runs.
    """
    figure = Figure(figsize=(7.0, 4.5), layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    agents = list(dict.fromkeys(p.agent for p in points))
    doses = sorted({p.dose for p in points})
    # Each agent's points sit a little aside of the dose, so that error bars do not overlap.
    step = 0.012 * ((doses[-1] - doses[0]) if len(doses) > 1 else 1.0)
    for i, agent in enumerate(agents):
        mine = sorted((p for p in points if p.agent == agent), key=lambda p: p.dose)
        bounds = [wilson_interval(p.successes, p.episodes) for p in mine]
        shift = (i - (len(agents) - 1) / 2) * step
        bars = axes.errorbar(
            [p.dose + shift for p in mine],
            [p.rate for p in mine],
            yerr=[
                [p.rate - low for p, (low, _) in zip(mine, bounds, strict=True)],
                [high - p.rate for p, (_, high) in zip(mine, bounds, strict=True)],
            ],
            marker="o",
            capsize=3,
            label=agent,
            clip_on=False,  # markers at 0% and 100% sit on the frame, whole
        )
        for collection in bars.lines[2]:
            collection.set_gid(f"interval-{agent}")  # an id in the SVG, for tests and styling
    if ceiling:
        line = axes.plot(
            [c.dose for c in ceiling],
            [c.achievable / c.episodes if c.episodes else 0.0 for c in ceiling],
            linestyle="--",
            color="0.3",
            label=f"achievable ({ceiling_label})",
            clip_on=False,
        )
        line[0].set_gid("ceiling")
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
    :func:`~gym_apibench.harness.run_jobs`'s. The reference
    (:func:`~gym_apibench.ceiling.reference_agent`) is run too when it is not among
    ``agents``. Returns the grid's results in job order, the reference's included.
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
    reference = reference_agent()
    everyone = with_reference(agents, reference)
    jobs, scenario_ids = plan_jobs(everyone, scenario_globs, seeds, doses=doses, faults=path)
    results, resumed, retried = run_jobs(
        jobs,
        out_dir,
        workers,
        path,
        progress=progress,
        retry_failed=retry_failed,
        fail_fast=fail_fast,
    )

    points = sweep_points(results, everyone, doses)
    ceiling = Ceiling.of(results, reference)
    label = _reference_label(ceiling, agents)
    scenarios = ", ".join(scenario_globs)
    params = {
        "agents": list(dict.fromkeys(agents)),
        "reference": label,
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
    text = render_sweep(
        points, results, params, agents=agents, reference=reference, statuses=rule_statuses(rules)
    )
    (out / TABLE_FILE).write_text(text, encoding="utf-8")
    title = (
        f"Success against fault dose: profile {path.stem}; scenarios {scenarios} "
        f"({len(scenario_ids)})"
    )
    per_dose = ceiling.per_dose(results, doses)
    plot_sweep(points, title, [out / name for name in PLOT_FILES], per_dose, ceiling.reference)
    return results
