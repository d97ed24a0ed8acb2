"""Reports rebuilt from finished runs' ``results.jsonl``, one run or several compared."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from gym_apibench.report import write_reports
from gym_apibench.results import RESULTS_FILE, EpisodeResult, load_results

__all__ = ["RunsError", "compare_runs", "run_labels"]


class RunsError(ValueError):
    """A run directory without results."""


def run_labels(dirs: Sequence[Path]) -> list[str]:
    """A short, distinct label per run: its directory's name, or its path where names clash."""
    names = [d.resolve().name or str(d) for d in dirs]
    return [name if names.count(name) == 1 else str(d) for name, d in zip(names, dirs, strict=True)]


def compare_runs(
    dirs: Sequence[str | os.PathLike[str]], out_dir: str | os.PathLike[str]
) -> tuple[list[EpisodeResult], list[Path]]:
    """Write ``report.md`` and ``report.html`` to ``out_dir`` from the runs in ``dirs``.

    One run: its report, rebuilt. Several: one report over all, each agent labelled by its
    run (``oracle [run-a]``), so the same agent in two runs gets two leaderboard rows.
    Returns the results reported and the files written.
    """
    paths = [Path(d) for d in dirs]
    runs: list[list[EpisodeResult]] = []
    for path in paths:
        results = load_results(path / RESULTS_FILE)
        if not results:
            raise RunsError(f"no results in {path / RESULTS_FILE}")
        runs.append(results)
    if len(runs) == 1:
        results = runs[0]
        params: dict[str, object] = {"run": str(paths[0]), "episodes": len(results)}
    else:
        labels = run_labels(paths)
        results = [
            replace(r, agent=f"{r.agent} [{label}]")
            for label, run in zip(labels, runs, strict=True)
            for r in run
        ]
        params = {"runs": [str(p) for p in paths], "episodes": len(results)}
    return results, write_reports(results, out_dir, params)
