"""Reports rebuilt from finished runs' ``results.jsonl``, one run or several compared, and
two runs' agents compared episode by episode (:func:`paired_runs`)."""

from __future__ import annotations

import os
import sys
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TextIO

from gym_apibench.comparison import PAIRED_NOTE, AgentPair, compare_agents, outcomes, print_pairs
from gym_apibench.manifest import RunManifest, read_manifest
from gym_apibench.report import write_reports
from gym_apibench.results import RESULTS_FILE, EpisodeResult, load_results

__all__ = [
    "PairedRuns",
    "RunsError",
    "compare_runs",
    "paired_runs",
    "print_paired",
    "run_labels",
    "settings_differences",
]


class RunsError(ValueError):
    """A run directory without results."""


def run_labels(dirs: Sequence[Path]) -> list[str]:
    """A short, distinct label per run: its directory's name, or its path where names clash."""
    names = [d.resolve().name or str(d) for d in dirs]
    return [name if names.count(name) == 1 else str(d) for name, d in zip(names, dirs, strict=True)]


def _load_run(path: Path) -> list[EpisodeResult]:
    results = load_results(path / RESULTS_FILE)
    if not results:
        raise RunsError(f"no results in {path / RESULTS_FILE}")
    return results


def _labelled(runs: Sequence[list[EpisodeResult]], labels: Sequence[str]) -> list[EpisodeResult]:
    """The runs' results, each agent labelled by its run: ``oracle [run-a]``."""
    return [
        replace(r, agent=f"{r.agent} [{label}]")
        for label, run in zip(labels, runs, strict=True)
        for r in run
    ]


def compare_runs(
    dirs: Sequence[str | os.PathLike[str]], out_dir: str | os.PathLike[str] | None
) -> tuple[list[EpisodeResult], list[Path]]:
    """Write ``report.md`` and ``report.html`` to ``out_dir`` from the runs in ``dirs``.

    One run: its report, rebuilt. Several: one report over all, each agent labelled by its
    run (``oracle [run-a]``), so the same agent in two runs gets two leaderboard rows.
    Runs whose settings differ (:func:`settings_differences`) say so in the parameters.
    Returns the results reported and the files written (none when ``out_dir`` is ``None``).
    """
    paths = [Path(d) for d in dirs]
    runs = [_load_run(path) for path in paths]
    if len(runs) == 1:
        results = runs[0]
        params: dict[str, object] = {"run": str(paths[0]), "episodes": len(results)}
    else:
        labels = run_labels(paths)
        results = _labelled(runs, labels)
        params = {"runs": [str(p) for p in paths], "episodes": len(results)}
        manifests = [read_manifest(p) for p in paths]
        diffs = [
            d
            for i in range(1, len(paths))
            for d in settings_differences(manifests[0], manifests[i], (labels[0], labels[i]))
        ]
        params["settings"] = "; ".join(diffs) if diffs else "the same"
    if out_dir is None:
        return results, []
    return results, write_reports(results, out_dir, params)


def settings_differences(
    first: RunManifest | None, second: RunManifest | None, labels: tuple[str, str]
) -> list[str]:
    """What differs between two runs' definitions, one phrase each (``fault profile: run-a
    flaky.yaml (sha256 ...), run-b none``); a run without a manifest has unknown settings."""
    a, b = labels
    unknown = [label for label, m in ((a, first), (b, second)) if m is None]
    if first is None or second is None:
        return [f"settings of {' and '.join(unknown)} unknown (no run.json)"]
    diffs = [f"{label}: {a} {x}, {b} {y}" for label, x, y in first.changed(second)]
    if first.attempts != second.attempts:
        diffs.append(f"attempts: {a} {first.attempts}, {b} {second.attempts}")
    return diffs


@dataclass(frozen=True)
class PairedRuns:
    """Two runs' agents compared on the episodes both ran (:func:`paired_runs`).

    ``pairs``: each agent both runs hold, run A's against run B's (or the one agent of each
    run against the other's), over all episodes and, for sweeps, then dose by dose;
    ``differences``: how the runs' settings differ, so that a
    difference may be the settings' rather than the agents'; ``refusal``: why the runs
    cannot be compared at all (``pairs`` is then empty).
    """

    labels: tuple[str, str]
    pairs: list[AgentPair]
    differences: list[str] = field(default_factory=list)
    refusal: str | None = None


def _main_agent(mine: Collection[str], theirs: Collection[str]) -> str | None:
    """The agent a run is about: its only agent, or its only agent the other run lacks (a
    sweep adds the reference beside the agent it was asked for)."""
    own = [agent for agent in mine if agent not in theirs]
    if len(own) == 1:
        return own[0]
    return next(iter(mine)) if len(mine) == 1 else None


def paired_runs(dirs: Sequence[str | os.PathLike[str]]) -> PairedRuns:
    """Compare two runs' agents episode by episode, matched on (scenario, seed, attempt,
    dose): each agent in both runs against itself, and the agent each run is about against
    the other's when they differ (:func:`_main_agent`: ``oracle`` in one run against
    ``no-retry`` in another, also when the second's sweep added the reference beside it).
    Runs of different env versions are refused: their worlds differ, so the same seed is not
    the same episode."""
    if len(dirs) != 2:
        raise RunsError(f"a paired comparison takes two runs, got {len(dirs)}")
    paths = [Path(d) for d in dirs]
    runs = [_load_run(path) for path in paths]
    names = run_labels(paths)
    labels = (names[0], names[1])
    diffs = settings_differences(read_manifest(paths[0]), read_manifest(paths[1]), labels)
    versions = [sorted({r.env_version for r in run}) for run in runs]
    if versions[0] != versions[1]:
        listed = " and ".join(
            f"{label} env version {', '.join(f'v{v}' for v in vs)}"
            for label, vs in zip(labels, versions, strict=True)
        )
        return PairedRuns(
            labels, [], diffs, f"{listed}: episodes of different env versions do not pair"
        )
    a, b = (outcomes(run) for run in runs)
    agent_pairs = [(agent, agent) for agent in sorted(a.keys() & b.keys())]
    mains = (_main_agent(a.keys(), b.keys()), _main_agent(b.keys(), a.keys()))
    if mains[0] is not None and mains[1] is not None and mains[0] != mains[1]:
        agent_pairs.append((mains[0], mains[1]))
    if not agent_pairs:
        return PairedRuns(
            labels,
            [],
            diffs,
            f"no agent in both runs ({labels[0]}: {', '.join(sorted(a))}; {labels[1]}: "
            f"{', '.join(sorted(b))}), and not one agent each to compare",
        )
    pairs = []
    for x, y in agent_pairs:
        named = (f"{x} [{labels[0]}]", f"{y} [{labels[1]}]")
        overall = compare_agents(a[x], b[y], named)
        if x != y and not overall.comparison.pairs:
            continue  # two agents that never met: nothing to say, unlike one agent's two runs
        pairs.append(overall)
        # Sweeps: each dose on its own row too, where faults hurt and where they do not.
        doses = sorted({key[3] for key in a[x].keys() & b[y].keys() if key[3] is not None})
        if len(doses) > 1:
            for dose in doses:
                at = f" at dose {dose:g}"
                pairs.append(
                    compare_agents(
                        {k: v for k, v in a[x].items() if k[3] == dose},
                        {k: v for k, v in b[y].items() if k[3] == dose},
                        (named[0] + at, named[1] + at),
                    )
                )
    return PairedRuns(labels, pairs, diffs)


def print_paired(paired: PairedRuns, file: TextIO | None = None) -> None:
    """Print two runs' paired comparison as plain text: how their settings differ, then a
    row per agent pair with its verdict (nothing more when the runs were refused)."""
    out = file if file is not None else sys.stdout
    first, second = paired.labels
    print(f"Paired comparison, {first} against {second}:", file=out)
    for difference in paired.differences:
        print(f"  settings differ: {difference}", file=out)
    if paired.differences:
        print("  so a difference may come from the settings as well as the agents", file=out)
    if paired.refusal is not None:
        return
    print_pairs(paired.pairs, out)
    print(f"\n{PAIRED_NOTE}", file=out)
