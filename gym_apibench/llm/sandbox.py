"""Running a model's program in a subprocess under limits: time, memory, processes, output.

By default the program runs in the bubblewrap sandbox of :mod:`gym_apibench.llm.isolation`
(its own network, PID and user namespaces, a bare read-only filesystem, resource limits); it
reaches the relay through the relay's Unix socket. With ``sandbox=None`` (the code agent's
``sandbox=none`` opt-out) it runs unisolated on the host: in a new session, in a temporary
directory, with the relay on host loopback; it can then read and reach whatever the user
running apibench can.

Either way it gets a fresh environment that holds only what the caller gives (no API keys of
the host), stdin closed, and the last :data:`MAX_OUTPUT_BYTES` of each output stream are
kept. A watchdog kills it at the wall-time limit: the sandbox's PID namespace ends with it,
taking every descendant along; unisolated, the process group is killed (a descendant that
left the group survives, which is one reason the sandbox exists). The sandbox is started
from the thread that waits for it, which lives exactly as long as the program: bubblewrap's
``--die-with-parent`` follows the thread that started it.
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

from gym_apibench.llm.isolation import (
    SANDBOX_DIR,
    Limits,
    TaskCap,
    python_executable,
    sandbox_command,
    sandbox_env,
)

__all__ = ["MAX_OUTPUT_BYTES", "Program", "ProgramResult", "Sandbox", "node_path"]

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
class Sandbox:
    """Where a program runs isolated: the relay's Unix socket and port, and the limits."""

    relay_socket: str
    port: int
    limits: Limits


@dataclass(frozen=True)
class ProgramResult:
    """How a program ended: its exit code (negative, or 128 + N in the sandbox: killed by
    signal N), output, and whether the watchdog killed it at the time limit."""

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
    """One run of ``source`` (``lang`` python or js) with ``env``, under the limits, in
    ``sandbox`` (``None``: unisolated, with only the time and memory limits).

    ``on_exit(result)`` is called from a monitor thread once the program has ended (and
    everything it started is dead). :meth:`kill` ends it early.
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
        sandbox: Sandbox | None = None,
    ) -> None:
        self._cap: TaskCap | None = None
        self._dir = tempfile.TemporaryDirectory(prefix="apibench-code-")
        workdir = Path(self._dir.name)
        os.chmod(workdir, 0o755)  # the sandbox's user reads the program from here
        name = "main.py" if lang == "python" else "main.js"
        (workdir / name).write_text(source, encoding="utf-8")
        if sandbox is None:
            command = _command(str(workdir / name), lang, memory_mb)
            full_env = {**env, "HOME": str(workdir), "TMPDIR": str(workdir)}
        else:
            inner = _command(f"{SANDBOX_DIR}/{name}", lang, memory_mb, launcher=False)
            command = sandbox_command(
                inner,
                lang=lang,
                program_dir=workdir,
                relay_socket=sandbox.relay_socket,
                port=sandbox.port,
                limits=sandbox.limits,
            )
            full_env = {**env, **sandbox_env(lang)}
            if os.geteuid() == 0:  # no RLIMIT_NPROC for root: a cgroup limits the tasks
                self._cap = TaskCap(sandbox.limits.processes)
                command = self._cap.wrap(command)
        self._timed_out = False
        self._on_exit = on_exit
        self._started = threading.Event()
        self._error: BaseException | None = None
        self.process: subprocess.Popen[bytes]
        self._monitor_thread = threading.Thread(
            target=self._monitor, args=(command, workdir, full_env, time_limit), daemon=True
        )
        self._monitor_thread.start()
        self._started.wait()
        if self._error is not None:
            self._cleanup()
            raise self._error

    @property
    def pid(self) -> int:
        """The program's process id (also its process group's and session's)."""
        return self.process.pid

    def _time_up(self) -> None:
        self._timed_out = True
        self.kill()

    def kill(self) -> None:
        """Kill the program and everything in its process group."""
        process = getattr(self, "process", None)
        if process is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)

    def _monitor(
        self, command: list[str], workdir: Path, env: dict[str, str], time_limit: float
    ) -> None:
        try:
            self.process = subprocess.Popen(
                command,
                cwd=workdir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
        except BaseException as exc:
            self._error = exc
            self._started.set()
            return
        assert self.process.stdout is not None and self.process.stderr is not None
        stdout = _Tail(self.process.stdout, MAX_OUTPUT_BYTES)
        stderr = _Tail(self.process.stderr, MAX_OUTPUT_BYTES)
        watchdog = threading.Timer(time_limit, self._time_up)
        watchdog.daemon = True
        watchdog.start()
        self._started.set()
        exit_code = self.process.wait()
        watchdog.cancel()
        self.kill()  # children left behind by a program that has ended
        result = ProgramResult(
            exit_code=exit_code,
            stdout=stdout.text(),
            stderr=stderr.text(),
            timed_out=self._timed_out,
        )
        self._cleanup()
        self._on_exit(result)

    def _cleanup(self) -> None:
        self._dir.cleanup()
        if self._cap is not None:
            self._cap.remove()


def _command(script: str, lang: str, memory_mb: int, *, launcher: bool = True) -> list[str]:
    """The program's command line; unisolated (``launcher``), Python's memory limit is set by
    a tiny launcher that execs it (``preexec_fn`` is unsafe with threads); in the sandbox,
    its init sets the limits."""
    if lang == "js":
        node = node_path()
        if node is None:
            raise RuntimeError("lang=js needs node on PATH")
        return [os.path.realpath(node), f"--max-old-space-size={memory_mb}", script]
    if not launcher:
        return [python_executable(), "-s", "-u", script]
    limit = str(memory_mb * 1024 * 1024)
    return [sys.executable, "-I", "-c", _LAUNCHER, limit, sys.executable, "-u", script]
