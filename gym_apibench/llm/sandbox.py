"""Running a model's program in a subprocess under limits: time, memory, its own session.

The program runs in a new session (its own process group), with a fresh environment that
holds only what the caller gives (no API keys of the host), in a temporary directory, stdin
closed. A watchdog kills the whole process group (``os.killpg``, so forked children die
too) at the wall-time limit, and the group is killed again when the program ends, so no
child outlives it. The memory limit is ``RLIMIT_AS`` for Python, set by a tiny launcher
that execs the program: ``preexec_fn`` is unsafe in a process with threads (the relay runs
some). Node reserves far more address space than it uses, so a JavaScript program gets a
V8 heap limit (``--max-old-space-size``) instead.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

__all__ = ["MAX_OUTPUT_BYTES", "Program", "ProgramResult", "node_path"]

MAX_OUTPUT_BYTES = 1024 * 1024
"""The last this many bytes of stdout and of stderr are kept."""

_LAUNCHER = (
    "import os, resource, sys\n"
    "limit = int(sys.argv[1])\n"
    "resource.setrlimit(resource.RLIMIT_AS, (limit, limit))\n"
    "os.execv(sys.argv[2], sys.argv[2:])\n"
)


def node_path() -> str | None:
    """The ``node`` executable on ``PATH``, if any."""
    return shutil.which("node")


@dataclass(frozen=True)
class ProgramResult:
    """How a program ended: its exit code (negative: a signal), output, and whether the
    watchdog killed it at the time limit."""

    exit_code: int
    stdout: str
    stderr: str
    timed_out: bool


class _Tail:
    """Reads a pipe to its end, keeping the last ``limit`` bytes."""

    def __init__(self, pipe: IO[bytes], limit: int) -> None:
        self.data = bytearray()
        self.limit = limit
        self.thread = threading.Thread(target=self._read, args=(pipe,), daemon=True)
        self.thread.start()

    def _read(self, pipe: IO[bytes]) -> None:
        with pipe:
            for chunk in iter(lambda: pipe.read1(65536), b""):  # type: ignore[attr-defined]
                self.data += chunk
                if len(self.data) > 2 * self.limit:
                    del self.data[: -self.limit]

    def text(self) -> str:
        self.thread.join(timeout=5)
        return bytes(self.data[-self.limit :]).decode("utf-8", errors="replace")


class Program:
    """One run of ``source`` (``lang`` python or js) with ``env``, under the limits.

    ``on_exit(result)`` is called from a monitor thread once the program has ended (and its
    group is dead). :meth:`kill` ends it early.
    """

    def __init__(
        self,
        source: str,
        *,
        lang: str,
        env: Mapping[str, str],
        time_limit: float,
        memory_mb: int,
        on_exit: Callable[[ProgramResult], None],
    ) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="apibench-code-")
        workdir = Path(self._dir.name)
        script = workdir / ("main.py" if lang == "python" else "main.js")
        script.write_text(source, encoding="utf-8")
        full_env = {**env, "HOME": str(workdir), "TMPDIR": str(workdir)}
        self._timed_out = False
        self._on_exit = on_exit
        self.process = subprocess.Popen(
            _command(script, lang, memory_mb),
            cwd=workdir,
            env=full_env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        assert self.process.stdout is not None and self.process.stderr is not None
        self._stdout = _Tail(self.process.stdout, MAX_OUTPUT_BYTES)
        self._stderr = _Tail(self.process.stderr, MAX_OUTPUT_BYTES)
        self._watchdog = threading.Timer(time_limit, self._time_up)
        self._watchdog.daemon = True
        self._watchdog.start()
        threading.Thread(target=self._monitor, daemon=True).start()

    @property
    def pid(self) -> int:
        """The program's process id (also its process group's and session's)."""
        return self.process.pid

    def _time_up(self) -> None:
        self._timed_out = True
        self.kill()

    def kill(self) -> None:
        """Kill the program and everything in its process group."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)

    def _monitor(self) -> None:
        exit_code = self.process.wait()
        self._watchdog.cancel()
        self.kill()  # children left behind by a program that has ended
        result = ProgramResult(
            exit_code=exit_code,
            stdout=self._stdout.text(),
            stderr=self._stderr.text(),
            timed_out=self._timed_out,
        )
        self._dir.cleanup()
        self._on_exit(result)


def _command(script: Path, lang: str, memory_mb: int) -> list[str]:
    if lang == "js":
        node = node_path()
        if node is None:
            raise RuntimeError("lang=js needs node on PATH")
        return [node, f"--max-old-space-size={memory_mb}", str(script)]
    limit = str(memory_mb * 1024 * 1024)
    return [sys.executable, "-I", "-c", _LAUNCHER, limit, sys.executable, "-u", str(script)]
