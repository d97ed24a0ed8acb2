"""The ``ray`` evaluation backend: episodes as Ray tasks, on a local or remote Ray cluster.

The scale-out path of ``apibench eval --backend ray``, when one machine is not enough. Jobs
are split into tasks the way the local backend splits them (:func:`gym_apibench.harness._tasks`:
a task per (scenario, seed), whose world is then built once per worker process), each task
runs :func:`gym_apibench.harness._run_group`, and the results stream back to the driver as
tasks finish; the harness appends them to ``results.jsonl`` and leaves the file in job order,
so a run gives the same file as the local backend (except ``elapsed_s``) and resumes the same
way.

Traces are written by each task into a scratch directory on its node and sent back with its
results, so the HAR files land in the driver's run directory even on a remote cluster.
Fault rules travel parsed, not as a path.

Ray is imported lazily (``pip install 'apibench[ray]'``). The cluster is the one at
``address``, else at ``$RAY_ADDRESS``, else a Ray instance started locally for the run (and
shut down after it); a driver that already called ``ray.init()`` keeps its connection. On a
remote cluster, every node needs the same apibench (and agent modules) installed, e.g. via
the job's ``runtime_env``.
"""

from __future__ import annotations

import importlib
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from gym_apibench.harness import EvalError, _run_group, _tasks
from gym_apibench.results import EpisodeResult, Job
from mockapis.faults import FaultsArg

__all__ = ["INSTALL_HINT", "require_ray", "run_task", "stream_jobs"]

INSTALL_HINT = "pip install 'apibench[ray]'"
"""How to get Ray, for the error when it is missing."""

Finished = list[tuple[int, EpisodeResult]]
"""A task's ``(job index, result)`` pairs."""


def require_ray() -> Any:
    """The ``ray`` module; an :class:`~gym_apibench.harness.EvalError` saying how to install
    it when it is missing."""
    try:
        return importlib.import_module("ray")
    except ImportError as exc:
        raise EvalError(
            f"the ray backend needs Ray, which is not installed ({exc}); "
            f"install it with `{INSTALL_HINT}`, or use --backend local"
        ) from None


def run_task(
    jobs: Sequence[tuple[int, Job]], faults: FaultsArg, trace: bool
) -> tuple[Finished, dict[str, bytes]]:
    """Run one task's jobs (on a Ray worker): ``(results, traces)``.

    With ``trace``, ``traces`` maps each HAR file's path, relative to the run directory, to
    its bytes; the driver writes them (:func:`_write_traces`).
    """
    if not trace:
        return _run_group(jobs, faults), {}
    with tempfile.TemporaryDirectory(prefix="apibench-ray-") as scratch:
        root = Path(scratch)
        finished = _run_group(jobs, faults, root)
        traces = {
            path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted(root.rglob("*"))
            if path.is_file()
        }
    return finished, traces


def _write_traces(trace_dir: Path, traces: dict[str, bytes]) -> None:
    for relative, content in traces.items():
        target = trace_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


@contextmanager
def _connected(ray: Any, address: str | None) -> Iterator[None]:
    """Connected to a Ray cluster for the block; one this started is shut down after it."""
    if ray.is_initialized():
        yield
        return
    try:
        ray.init(address=address, log_to_driver=False)
    except ConnectionError as exc:
        raise EvalError(f"cannot connect to the Ray cluster: {exc}") from None
    try:
        yield
    finally:
        ray.shutdown()


def _cluster_cpus(ray: Any) -> int:
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


def stream_jobs(
    jobs: Sequence[Job],
    workers: int | None,
    faults: FaultsArg,
    trace_dir: Path | None,
    *,
    address: str | None = None,
) -> Iterator[Finished]:
    """``(index, result)`` pairs of every job, a task at a time, as the tasks finish.

    At most ``workers`` tasks are in flight (default: the cluster's CPUs, also the
    parallelism the jobs are split for); each task takes one CPU. With ``trace_dir``, the
    tasks' HAR files are written under it before their results are yielded.
    """
    ray = require_ray()
    with _connected(ray, address):
        parallel = workers if workers is not None else _cluster_cpus(ray)
        remote = ray.remote(num_cpus=1, max_retries=0)(run_task)
        queue = list(reversed(_tasks(jobs, parallel)))
        flying: list[Any] = []
        try:
            while queue or flying:
                while queue and len(flying) < parallel:
                    flying.append(remote.remote(queue.pop(), faults, trace_dir is not None))
                ready, flying = ray.wait(flying, num_returns=1)
                finished, traces = ray.get(ready[0])
                if trace_dir is not None:
                    _write_traces(trace_dir, traces)
                yield finished
        finally:
            for ref in flying:
                ray.cancel(ref, force=True)
